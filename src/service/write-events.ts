import { outboxRows } from '../domain/callback-recipients.js';
import type { DomainEvent } from '../domain/events.js';
import type { StoreTx } from '../store/store.js';

/** Puts events into the outbox, one row per recipient app, inside the caller's transaction (behaviour §9.5). */
export async function writeEvents(tx: StoreTx, events: readonly DomainEvent[], now: number): Promise<void> {
  if (events.length === 0) return;
  const apps = await tx.callbackApps([...new Set(events.map((e) => e.corpid))]);
  await tx.insertOutboxRows(outboxRows(events, apps), now);
}
