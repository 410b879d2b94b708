import type { ChangeExternalContactEvent } from '../wire/callback-events.js';

/** An outbox row as the decrypted XML's fields: the envelope from the row, the rest from its payload (spec §3). */
export function changeEventOf(corpid: string, createTimeSeconds: number, type: string, payload: Record<string, string>): ChangeExternalContactEvent {
  return {
    ToUserName: corpid,
    FromUserName: 'sys',
    CreateTime: createTimeSeconds,
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: type,
    ...payload,
  } as ChangeExternalContactEvent;
}
