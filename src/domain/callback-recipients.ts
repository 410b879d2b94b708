import type { DomainEvent } from './events.js';
import { isVisible, mayCall } from './permissions.js';
import type { App } from './types.js';

/** One outbox row: an event for one recipient app, or for none (kept as undeliverable). */
export interface OutboxRow {
  event: DomainEvent;
  agentid: number | null;
}

/**
 * Which apps receive an event (behaviour §3, issue 3): those with a callback configured that may read customer
 * contact (self-built in the callable list, third-party with 客户基础信息 or in-service inheritance) and whose
 * visible range holds the member the event is about.
 */
export function recipientsOf(event: DomainEvent, apps: readonly App[]): App[] {
  // Group owner changes go to every app of the corp with a callback (behaviour §10.6).
  if (event.type === 'change_external_chat') return apps.filter((app) => app.corpid === event.corpid && app.callback !== null);
  return apps.filter((app) => app.corpid === event.corpid && app.callback !== null && mayCall(app, 'customer_read') && isVisible(app, event.userid));
}

export function outboxRows(events: readonly DomainEvent[], apps: readonly App[]): OutboxRow[] {
  return events.flatMap((event): OutboxRow[] => {
    const recipients = recipientsOf(event, apps);
    return recipients.length === 0 ? [{ event, agentid: null }] : recipients.map((app) => ({ event, agentid: app.agentid }));
  });
}
