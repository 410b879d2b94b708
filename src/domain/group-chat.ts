/**
 * Customer groups (客户群, behaviour §10.6) as the domain sees them: a group, its members, its status and the
 * group transfers that change its owner. All instants are epoch milliseconds of the server clock.
 */
import type { EpochMs } from './types.js';

export interface GroupChatMember {
  userid: string;
  /** 1 member of the corp, 2 external customer. */
  type: 1 | 2;
  joinTime: EpochMs;
  /** WeCom's join_scene: 1 invited directly, 2 by link, 3 by QR code. */
  joinScene: number;
  invitor: string | null;
  groupNickname: string;
}

export interface GroupChat {
  corpid: string;
  chatId: string;
  name: string;
  owner: string;
  createTime: EpochMs;
  notice: string;
  members: GroupChatMember[];
  admins: string[];
  /** A resigned owner's inheritance of this group completed (status 3 while the owner is in service). */
  inherited: boolean;
}

/** `groupchat/list` status (behaviour §10.6). */
export const GroupChatStatus = {
  normal: 0,
  ownerResigned: 1,
  inheriting: 2,
  inherited: 3,
} as const;
export type GroupChatStatus = (typeof GroupChatStatus)[keyof typeof GroupChatStatus];

export const GROUP_CHAT_STATUSES: readonly GroupChatStatus[] = [0, 1, 2, 3];

export interface GroupStatusFacts {
  inherited: boolean;
  /** A resigned inheritance of the group is in progress (group transfer status 2). */
  inheritanceInProgress: boolean;
  ownerResigned: boolean;
}

/**
 * In progress wins; then a resigned owner (also when the group was inherited before and its new owner
 * resigned in turn: it waits for inheritance again); then "inherited", kept while the owner serves.
 */
export function groupStatus(facts: GroupStatusFacts): GroupChatStatus {
  if (facts.inheritanceInProgress) return GroupChatStatus.inheriting;
  if (facts.ownerResigned) return GroupChatStatus.ownerResigned;
  if (facts.inherited) return GroupChatStatus.inherited;
  return GroupChatStatus.normal;
}

export type GroupTransferKind = 'groupchat_onjob' | 'groupchat_resigned';

/** Group transfers are recorded done (1) or in progress (2) (behaviour §10.6, §10.8). */
export const GroupTransferStatus = { done: 1, inProgress: 2 } as const;
export type GroupTransferStatus = (typeof GroupTransferStatus)[keyof typeof GroupTransferStatus];

export interface GroupTransfer {
  id: number;
  corpid: string;
  chatId: string;
  kind: GroupTransferKind;
  /** The old owner. */
  handoverUserid: string;
  /** The new owner. */
  takeoverUserid: string;
  status: GroupTransferStatus;
  startedAt: EpochMs;
  /** When the owner changes: the start for onjob, start + the inheritance delay for resigned. */
  dueAt: EpochMs;
  endedAt: EpochMs | null;
}

export type NewGroupTransfer = Omit<GroupTransfer, 'id'>;
