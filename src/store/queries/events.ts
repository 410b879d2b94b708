import type { SqlDb, SqlValue } from '../sql.js';
import type { EventFilter, StoredEvent, StoredEventStatus } from '../ports/admin.js';

interface EventRow {
  id: number;
  corpid: string;
  agentid: number | null;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

export async function listEvents(db: SqlDb, filter: EventFilter): Promise<StoredEvent[]> {
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
    `SELECT id, corpid, agentid, type, payload, status, attempts, last_error, created_at FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
    [...params, filter.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    corpid: row.corpid,
    agentid: row.agentid === null ? null : Number(row.agentid),
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, string>,
    status: row.status as StoredEventStatus,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  }));
}
