import type { CallbackEvent } from '../wire/callback-events.js';

/**
 * An outbox row as the decrypted XML's fields: the envelope from the row, the rest from its payload
 * (behaviour §3). A group event's row type is its Event; its payload holds ChatId, ChangeType and
 * UpdateDetail (§10.6). The delivery and the console's event view both build the XML from it.
 */
export function changeEventOf(corpid: string, createTimeSeconds: number, type: string, payload: Record<string, string>): CallbackEvent {
  const envelope = { ToUserName: corpid, FromUserName: 'sys', CreateTime: createTimeSeconds, MsgType: 'event' };
  if (type === 'change_external_chat') return { ...envelope, Event: 'change_external_chat', ...payload } as CallbackEvent;
  return { ...envelope, Event: 'change_external_contact', ChangeType: type, ...payload } as CallbackEvent;
}
