/**
 * The decrypted `change_external_contact` callback events handover sends (behaviour §3, §9.2), as a
 * discriminated union on `ChangeType`. Field names are WeCom's XML element names, so an event object
 * reads the same as the XML a receiver sees; `CreateTime` is epoch seconds.
 */

/** Fields every self-built `change_external_contact` event carries (behaviour §3, self-built envelope). */
export interface ChangeExternalContactEnvelope {
  /** The corpid. */
  ToUserName: string;
  FromUserName: 'sys';
  /** Epoch seconds, from handover's server clock (behaviour §9.5). */
  CreateTime: number;
  MsgType: 'event';
  Event: 'change_external_contact';
}

/** The takeover member gained the customer (behaviour §3.1); handover never sets State/WelcomeCode (§9.2). */
export interface AddExternalContactEvent extends ChangeExternalContactEnvelope {
  ChangeType: 'add_external_contact';
  UserID: string;
  ExternalUserID: string;
  State?: string;
  WelcomeCode?: string;
}

/**
 * The handover member lost the customer (behaviour §3.2). `Source` is `DELETE_BY_TRANSFER` for a completed
 * transfer; other WeCom deletions may carry another value or none.
 */
export interface DelExternalContactEvent extends ChangeExternalContactEnvelope {
  ChangeType: 'del_external_contact';
  UserID: string;
  ExternalUserID: string;
  Source?: 'DELETE_BY_TRANSFER' | (string & {});
}

export type TransferFailReason = 'customer_refused' | 'customer_limit_exceed';

export const TRANSFER_FAIL_REASONS: readonly TransferFailReason[] = ['customer_refused', 'customer_limit_exceed'];

/** The takeover could not complete; `UserID` is the takeover member (behaviour §3.4, staff answer). */
export interface TransferFailEvent extends ChangeExternalContactEnvelope {
  ChangeType: 'transfer_fail';
  FailReason: TransferFailReason;
  UserID: string;
  ExternalUserID: string;
}

export type ChangeExternalContactEvent = AddExternalContactEvent | DelExternalContactEvent | TransferFailEvent;

export type ChangeType = ChangeExternalContactEvent['ChangeType'];

export const CHANGE_TYPES: readonly ChangeType[] = ['add_external_contact', 'del_external_contact', 'transfer_fail'];

/**
 * A customer group changed (behaviour §10.6): handover sends `ChangeType` `update` with `UpdateDetail`
 * `change_owner` whenever a group transfer changes the owner. Element order as WeCom publishes it: ChatId
 * before ChangeType.
 */
export interface ChangeExternalChatEvent {
  ToUserName: string;
  FromUserName: 'sys';
  CreateTime: number;
  MsgType: 'event';
  Event: 'change_external_chat';
  ChatId: string;
  ChangeType: 'update';
  UpdateDetail: 'change_owner' | (string & {});
}

export type ChatChangeType = ChangeExternalChatEvent['ChangeType'];

/** WeCom also sends `create` and `dismiss` for groups; handover models only the owner change's `update`. */
export const CHAT_CHANGE_TYPES: readonly ChatChangeType[] = ['update'];

/** Every event handover's outbox sends, and every event `handover/receiver` parses. */
export type CallbackEvent = ChangeExternalContactEvent | ChangeExternalChatEvent;
