import type { CustomerTransferFacts } from '../../domain/transfer-rules.js';
import { chunkForParams, compareIds, listPlaceholders, type SqlDb, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { NewTransfer } from '../store.js';
import { addDelta, adjustMemberCounters, type MemberDeltas } from './members.js';

interface FactRow {
  external_userid: string;
  followed: number | boolean;
  waiting: number | boolean;
  recent: number;
}

/** Everything behaviour §9.1.7 asks about each requested customer, in one statement. Unknown ids are absent. */
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

/**
 * The takeover's current customers plus waiting incoming transfers. On PostgreSQL the row stays locked
 * until commit, so two calls for one takeover cannot both pass its cap; they queue here, which is why the
 * caller reads everything else before. Customers need no lock: the one-waiting-transfer unique index
 * arbitrates between calls for different takeovers, and insertTransfers re-checks the quota once it holds
 * the customers' waiting slots (locking 100 customer rows cost ~4 ms of a 13 ms call, measured).
 * SQLite's single writer serialises whole transactions anyway.
 */
export async function lockTakeoverLoad(db: SqlDb, capabilities: StoreCapabilities, corpid: string, takeoverUserid: string): Promise<number> {
  const lock = capabilities.rowLocks ? ' FOR UPDATE' : '';
  const row = await db.get<{ load: number }>(`SELECT customer_count + waiting_incoming AS load FROM members WHERE corpid = ? AND userid = ?${lock}`, [
    corpid,
    takeoverUserid,
  ]);
  return Number(row?.load ?? 0);
}

const TRANSFER_INSERT_COLUMNS = 7;

/** What a transfer call judged the quota on (transferFacts): the window start and each customer's count. */
export interface QuotaJudgement {
  corpid: string;
  quotaFrom: number;
  acceptedInWindow: ReadonlyMap<string, number>;
}

export function judgementOf(corpid: string, quotaFrom: number, facts: ReadonlyMap<string, CustomerTransferFacts>): QuotaJudgement {
  return { corpid, quotaFrom, acceptedInWindow: new Map([...facts].map(([id, fact]) => [id, fact.acceptedInWindow])) };
}

/**
 * Inserts waiting transfers and answers which customers got one. A customer that another call (another
 * node, for another takeover) gave a waiting transfer after our facts were read is skipped by the
 * one-waiting-transfer unique index instead of failing the whole call; the caller answers 40129 for it.
 *
 * Rows go in in (corpid, external_userid) order: two calls inserting {X, Y} and {Y, X} would otherwise each
 * wait on the other's uncommitted index entry (a deadlock PostgreSQL breaks only after deadlock_timeout, 1 s).
 *
 * Where writers run side by side (rowLocks), the facts the quota was judged on may be stale by now: another
 * transfer of the customer may have started *and ended* (refused, completed) since, so no index entry
 * stopped ours, and the customer would reach 3 starts in 90 days. Once our row holds the customer's waiting
 * slot nobody else can start one, so a count read now is exact: any start it finds beyond the judged ones
 * (plus ours) happened during this call, while the customer was in transfer; ours is withdrawn and the
 * caller answers 40129, which is what the call would have got a moment earlier.
 */
export async function insertTransfers(
  db: SqlDb,
  capabilities: StoreCapabilities,
  transfers: readonly NewTransfer[],
  judged: QuotaJudgement | null = null,
): Promise<Set<string>> {
  const deltas: MemberDeltas = new Map();
  const inserted = new Map<string, { id: number; corpid: string; takeover: string }>();
  const ordered = [...transfers].sort((a, b) => compareIds(a.corpid, b.corpid) || compareIds(a.externalUserid, b.externalUserid));
  for (const chunk of chunkForParams(ordered, TRANSFER_INSERT_COLUMNS, capabilities.maxParams)) {
    const rows = await db.all<{ id: number; corpid: string; external_userid: string; takeover_userid: string }>(
      `INSERT INTO transfers (corpid, external_userid, handover_userid, takeover_userid, status, started_at, due_at) VALUES ${valuesPlaceholders(chunk.length, TRANSFER_INSERT_COLUMNS)}
       ON CONFLICT DO NOTHING RETURNING id, corpid, external_userid, takeover_userid`,
      chunk.flatMap((t) => [t.corpid, t.externalUserid, t.handoverUserid, t.takeoverUserid, 2, t.startedAt, t.dueAt]),
    );
    for (const row of rows) inserted.set(row.external_userid, { id: Number(row.id), corpid: row.corpid, takeover: row.takeover_userid });
  }
  if (capabilities.rowLocks && judged) await withdrawStale(db, capabilities, judged, inserted);
  for (const row of inserted.values()) addDelta(deltas, row.corpid, row.takeover, 0, 1);
  await adjustMemberCounters(db, deltas);
  return new Set(inserted.keys());
}

async function withdrawStale(
  db: SqlDb,
  capabilities: StoreCapabilities,
  judged: QuotaJudgement,
  inserted: Map<string, { id: number; corpid: string }>,
): Promise<void> {
  const ids = [...inserted].filter(([, row]) => row.corpid === judged.corpid).map(([id]) => id);
  const stale: number[] = [];
  for (const chunk of chunkForParams(ids, 1, capabilities.maxParams - 2)) {
    const counts = await db.all<{ external_userid: string; n: number }>(
      `SELECT external_userid, COUNT(*) AS n FROM transfers WHERE corpid = ? AND started_at >= ? AND external_userid IN (${listPlaceholders(chunk.length)})
       GROUP BY external_userid`,
      [judged.corpid, judged.quotaFrom, ...chunk],
    );
    for (const { external_userid: id, n } of counts) {
      if (Number(n) !== (judged.acceptedInWindow.get(id) ?? 0) + 1) {
        stale.push(inserted.get(id)!.id);
        inserted.delete(id);
      }
    }
  }
  for (const chunk of chunkForParams(stale, 1, capabilities.maxParams)) {
    await db.run(`DELETE FROM transfers WHERE id IN (${listPlaceholders(chunk.length)})`, chunk);
  }
}
