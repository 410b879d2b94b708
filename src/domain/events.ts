/**
 * Callback events as plain data (behaviour §3). The payload holds the event's own XML fields (after the common
 * envelope of ToUserName/FromUserName/CreateTime/MsgType/Event), in WeCom's published order.
 */
export type DomainEvent =
  | { type: 'add_external_contact'; corpid: string; userid: string; externalUserid: string }
  | { type: 'del_external_contact'; corpid: string; userid: string; externalUserid: string; source: 'DELETE_BY_TRANSFER' }
  | {
      type: 'transfer_fail';
      corpid: string;
      /** The takeover member (behaviour §3.4, staff answer). */
      userid: string;
      externalUserid: string;
      failReason: 'customer_refused' | 'customer_limit_exceed';
    }
  | {
      /** A customer group's owner changed (behaviour §10.6); `userid` is the new owner. */
      type: 'change_external_chat';
      corpid: string;
      userid: string;
      chatId: string;
      updateDetail: 'change_owner';
    };

export type DomainEventType = DomainEvent['type'];

/** The XML fields of an event after the ChangeType, as the callback body carries them (behaviour §3.1–3.4). */
export function eventPayload(event: DomainEvent): Record<string, string> {
  switch (event.type) {
    case 'add_external_contact':
      return { UserID: event.userid, ExternalUserID: event.externalUserid };
    case 'del_external_contact':
      return { UserID: event.userid, ExternalUserID: event.externalUserid, Source: event.source };
    case 'transfer_fail':
      return { FailReason: event.failReason, UserID: event.userid, ExternalUserID: event.externalUserid };
    case 'change_external_chat':
      return { ChatId: event.chatId, ChangeType: 'update', UpdateDetail: event.updateDetail };
  }
}

/** What an event is about: the customer, or the group for group events (outbox rows keep its order per subject). */
export function eventSubject(event: DomainEvent): string {
  return event.type === 'change_external_chat' ? event.chatId : event.externalUserid;
}
