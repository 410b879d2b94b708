import type { CustomerTransferFacts } from '../../domain/transfer-rules.js';
import { listPlaceholders, type SqlDb, type StoreCapabilities, valuesPlaceholders, chunkForParams } from '../sql.js';
import type { NewTransfer } from '../store.js';
import { addDelta, adjustMemberCounters, type MemberDeltas } from './members.js';

/**
 * On PostgreSQL, concurrent transfer calls must not both pass the cap or quota check: lock the takeover
 * first, then the customers in sorted order (one global order, so two calls never deadlock). SQLite's
 * single writer already serialises whole transactions.
 */
export async function lockForTransfer(
  db: SqlDb,
  capabilities: StoreCapabilities,
  corpid: string,
  takeoverUserid: string,
  externalUserids: readonly string[],
): Promise<void> {
  if (!capabilities.rowLocks) return;
  await db.all('SELECT 1 FROM members WHERE corpid = ? AND userid = ? FOR UPDATE', [corpid, takeoverUserid]);
  const sorted = [...new Set(externalUserids)].sort();
  await db.all(
    `SELECT 1 FROM customers WHERE corpid = ? AND external_userid IN (${listPlaceholders(sorted.length)}) ORDER BY external_userid FOR UPDATE`,
    [corpid, ...sorted],
  );
}

interface FactRow {
  external_userid: string;
  followed: number | boolean;
  waiting: number | boolean;
  recent: number;
}

/** Everything spec §9.1.7 asks about each requested customer, in one statement. Unknown ids are absent. */
export async function transferFacts(
  db: SqlDb,
  corpid: string,
  handoverUserid: string,
  externalUserids: readonly string[],
  quotaFrom: number,
): Promise<Map<string, CustomerTransferFacts>> {
  const distinct = [...new Set(externalUserids)];
  const rows = await db.all<FactRow>(
    `SELECT c.external_userid,
       EXISTS (SELECT 1 FROM relations r WHERE r.corpid = c.corpid AND r.userid = ? AND r.external_userid = c.external_userid) AS followed,
       EXISTS (SELECT 1 FROM transfers w WHERE w.corpid = c.corpid AND w.external_userid = c.external_userid AND w.status = 2) AS waiting,
       (SELECT COUNT(*) FROM transfers q WHERE q.corpid = c.corpid AND q.external_userid = c.external_userid AND q.started_at >= ?) AS recent
     FROM customers c WHERE c.corpid = ? AND c.external_userid IN (${listPlaceholders(distinct.length)})`,
    [handoverUserid, quotaFrom, corpid, ...distinct],
  );
  return new Map(
    rows.map((row) => [
      row.external_userid,
      { exists: true, followedByHandover: Boolean(row.followed), hasWaitingTransfer: Boolean(row.waiting), acceptedInWindow: Number(row.recent) },
    ]),
  );
}

export async function takeoverLoad(db: SqlDb, corpid: string, takeoverUserid: string): Promise<number> {
  const row = await db.get<{ load: number }>('SELECT customer_count + waiting_incoming AS load FROM members WHERE corpid = ? AND userid = ?', [
    corpid,
    takeoverUserid,
  ]);
  return Number(row?.load ?? 0);
}

const TRANSFER_INSERT_COLUMNS = 7;

export async function insertTransfers(db: SqlDb, capabilities: StoreCapabilities, transfers: readonly NewTransfer[]): Promise<void> {
  const deltas: MemberDeltas = new Map();
  for (const chunk of chunkForParams(transfers, TRANSFER_INSERT_COLUMNS, capabilities.maxParams)) {
    await db.run(
      `INSERT INTO transfers (corpid, external_userid, handover_userid, takeover_userid, status, started_at, due_at) VALUES ${valuesPlaceholders(chunk.length, TRANSFER_INSERT_COLUMNS)}`,
      chunk.flatMap((t) => [t.corpid, t.externalUserid, t.handoverUserid, t.takeoverUserid, 2, t.startedAt, t.dueAt]),
    );
    for (const t of chunk) addDelta(deltas, t.corpid, t.takeoverUserid, 0, 1);
  }
  await adjustMemberCounters(db, deltas);
}
