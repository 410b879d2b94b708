import { type DomainEvent, eventPayload } from '../../domain/events.js';
import type { OutboxEvent, OutboxEventStatus } from '../../wire/admin.js';
import { chunkForParams, type SqlDb, type SqlValue, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { EventFilter } from '../store.js';

const EVENT_COLUMNS = 8;

/** Appends events to the outbox, pending delivery from `now` on (spec §9.5). */
export async function insertEvents(db: SqlDb, capabilities: StoreCapabilities, events: readonly DomainEvent[], now: number): Promise<void> {
  for (const chunk of chunkForParams(events, EVENT_COLUMNS, capabilities.maxParams)) {
    await db.run(
      `INSERT INTO events (corpid, type, userid, external_userid, payload, created_at, status, next_attempt_at) VALUES ${valuesPlaceholders(chunk.length, EVENT_COLUMNS)}`,
      chunk.flatMap((e) => [e.corpid, e.type, e.userid, e.externalUserid, JSON.stringify(eventPayload(e)), now, 'pending', now]),
    );
  }
}

interface EventRow {
  id: number;
  corpid: string;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

export async function listEvents(db: SqlDb, filter: EventFilter): Promise<OutboxEvent[]> {
  const where: string[] = ['id > ?'];
  const params: SqlValue[] = [filter.afterId ?? 0];
  if (filter.corpid !== undefined) {
    where.push('corpid = ?');
    params.push(filter.corpid);
  }
  if (filter.status !== undefined) {
    where.push('status = ?');
    params.push(filter.status);
  }
  const rows = await db.all<EventRow>(
    `SELECT id, corpid, type, payload, status, attempts, last_error, created_at FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
    [...params, filter.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    corpid: row.corpid,
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, string>,
    status: row.status as OutboxEventStatus,
    attempts: Number(row.attempts),
    last_error: row.last_error,
    created_at: new Date(Number(row.created_at)).toISOString(),
  }));
}
