import type { CustomerTransferFacts } from '../../domain/transfer-rules.js';
import { TransferStatus } from '../../domain/types.js';
import { chunkForParams, compareIds, listPlaceholders, type SqlDb, type StoreCapabilities, valuesPlaceholders, type WriteControl } from '../sql.js';
import type { NewTransfer, QuotaAtCommit } from '../ports/start-transfers.js';
import { isWaiting } from './rows.js';

interface FactRow {
  external_userid: string;
  followed: number | boolean;
  waiting: number | boolean;
  recent: number;
}

/**
 * Everything behaviour §9.1.7 and §10.3 ask about each requested customer, in one statement: does the handover
 * hold it, is a transfer of any kind waiting, how many starts of any kind since `quotaFrom`. Unknown ids are
 * absent.
 *
 * Every per-customer question is a scalar subquery (`(SELECT 1 …)`, at most one row by the primary key or
 * the one-waiting slot), never `EXISTS`: PostgreSQL may run an `EXISTS` in the select list as a hashed
 * subplan over every matching row of the table, and does when `transfers` was analysed small (it starts
 * empty after a load). Measured at 100,000 customers with ~37,000 transfers: `waiting` read all 37,000
 * waiting rows per call (a 100-id call 205 ms); a scalar subquery is always a key probe per customer.
 */
export async function transferFacts(
  db: SqlDb,
  corpid: string,
  handoverUserid: string,
  externalUserids: readonly string[],
  quotaFrom: number,
): Promise<Map<string, CustomerTransferFacts>> {
  return (await decisionFacts(db, corpid, handoverUserid, null, externalUserids, quotaFrom)).customers;
}

/**
 * `transferFacts` and, in the same statement (one round trip less on PostgreSQL), the takeover's load as
 * `takeoverLoad` reads it unlocked; 0 when no requested customer exists (then nothing is decided on it).
 */
export async function decisionFacts(
  db: SqlDb,
  corpid: string,
  handoverUserid: string,
  takeoverUserid: string | null,
  externalUserids: readonly string[],
  quotaFrom: number,
): Promise<{ customers: Map<string, CustomerTransferFacts>; takeoverLoad: number }> {
  const distinct = [...new Set(externalUserids)];
  const load =
    takeoverUserid === null ? '0' : '(SELECT m.customer_count + m.waiting_incoming FROM members m WHERE m.corpid = c.corpid AND m.userid = ?)';
  const rows = await db.all<FactRow & { load: number | null }>(
    `SELECT c.external_userid,
       (SELECT 1 FROM relations r WHERE r.corpid = c.corpid AND r.userid = ? AND r.external_userid = c.external_userid) AS followed,
       (SELECT 1 FROM transfers w WHERE w.corpid = c.corpid AND w.external_userid = c.external_userid AND ${isWaiting('w')}) AS waiting,
       (SELECT COUNT(*) FROM transfers q WHERE q.corpid = c.corpid AND q.external_userid = c.external_userid AND q.started_at >= ?) AS recent,
       ${load} AS load
     FROM customers c WHERE c.corpid = ? AND c.external_userid IN (${listPlaceholders(distinct.length)})`,
    [handoverUserid, quotaFrom, ...(takeoverUserid === null ? [] : [takeoverUserid]), corpid, ...distinct],
  );
  return {
    customers: new Map(
      rows.map((row) => [
        row.external_userid,
        { exists: true, followedByHandover: Boolean(row.followed), hasWaitingTransfer: Boolean(row.waiting), acceptedInWindow: Number(row.recent) },
      ]),
    ),
    takeoverLoad: Number(rows[0]?.load ?? 0),
  };
}

/**
 * The takeover's current customers plus waiting incoming transfers, read without a lock: the call decides
 * on it, and `reserveTakeoverPlaces` re-checks the cap in its one UPDATE at the end, so on PostgreSQL the
 * takeover's row is locked only from that UPDATE to the commit instead of through the whole call (issue 13:
 * with every call for one takeover, the lock held through the inserts and the commit's fsync serialised
 * them all). With `lock` (the retry after a lost reservation) the row is locked here, as before, so the
 * retry's reservation cannot be lost again. SQLite's single writer serialises whole transactions anyway.
 */
export async function takeoverLoad(db: SqlDb, capabilities: StoreCapabilities, corpid: string, takeoverUserid: string, lock: boolean): Promise<number> {
  const forUpdate = lock && capabilities.rowLocks ? ' FOR UPDATE' : '';
  const row = await db.get<{ load: number }>(`SELECT customer_count + waiting_incoming AS load FROM members WHERE corpid = ? AND userid = ?${forUpdate}`, [
    corpid,
    takeoverUserid,
  ]);
  return Number(row?.load ?? 0);
}

/**
 * The takeover's cap (behaviour §9.1.7; `cap` is the one the call decided with) as one conditional UPDATE: the started transfers take their places
 * only if the load stays within the cap. Concurrent calls for other customers of the same takeover wait on
 * this row only from here to their commit. Null when another writer filled the places since the load was
 * read; the caller then runs the call again, locking the load first. Otherwise the load after the
 * reservation (the node's hint of the takeover's room, see service/takeover-room.ts).
 */
export async function reserveTakeoverPlaces(db: SqlDb, corpid: string, takeoverUserid: string, places: number, cap: number): Promise<number | null> {
  const row = await db.get<{ load: number }>(
    `UPDATE members SET waiting_incoming = waiting_incoming + ? WHERE corpid = ? AND userid = ? AND customer_count + waiting_incoming + ? <= ?
     RETURNING customer_count + waiting_incoming AS load`,
    [places, corpid, takeoverUserid, places, cap],
  );
  return row === undefined ? null : Number(row.load);
}

/**
 * `reserveTakeoverPlaces` as a statement sent with the COMMIT (a shared transaction's `atCommit`, PostgreSQL
 * only): the places are taken unconditionally and the cap is checked by casting the room left to the
 * `takeover_room` domain (migration 0015), which fails the statement, and so the transaction, when the
 * reservation would pass the cap, or when the member's row is gone (room -1: the conditional reservation
 * answers null then too). Answers the load after it once committed.
 *
 * `quota`: the same statement re-counts each started customer's starts since `from` and fails it, through the
 * `starts_as_judged` domain (migration 0016), when any count differs from `expected` (what the call judged
 * plus its own start): the quota re-check of `startsSince` without a statement of its own. It runs at the
 * COMMIT, after the call's inserts, so it sees every start committed before it, as the separate re-count
 * does. The count comes first and the UPDATE only if it passed, so the member's row (with every call for one
 * takeover, the lock they queue on) is not held through the count. A skipped UPDATE alone would fail the
 * statement too (room −1); the `starts_as_judged` cast comes first so the error names the stale count. The ids go as one JSON parameter, so the
 * text, and its prepared plan, is the same for any number of them.
 */
export async function reserveTakeoverPlacesAtCommit(
  atCommit: NonNullable<WriteControl['atCommit']>,
  corpid: string,
  takeoverUserid: string,
  places: number,
  cap: number,
  quota: QuotaAtCommit | null = null,
): Promise<number> {
  if (quota === null || quota.expected.size === 0) {
    // The plain reservation: with every call of a group for one takeover, each statement after the first runs
    // inside the row lock the group already took, so it stays as short as it can be.
    const row = await atCommit(
      `WITH reserved AS (UPDATE members SET waiting_incoming = waiting_incoming + ? WHERE corpid = ? AND userid = ?
         RETURNING customer_count + waiting_incoming AS load)
       SELECT reserved.load, CAST(COALESCE(? - reserved.load, -1) AS takeover_room) AS room FROM (SELECT 1) AS one LEFT JOIN reserved ON true`,
      [places, corpid, takeoverUserid, cap],
    );
    return Number(row?.load ?? 0);
  }
  const judged = JSON.stringify([...quota.expected].map(([id, expected]) => ({ id, expected })));
  const row = await atCommit(
    `WITH stale AS (SELECT COUNT(*) AS n FROM jsonb_to_recordset(CAST(? AS jsonb)) AS judged(id text, expected bigint)
       WHERE (SELECT COUNT(*) FROM transfers t WHERE t.corpid = ? AND t.external_userid = judged.id AND t.started_at >= ?) <> judged.expected),
     reserved AS (UPDATE members SET waiting_incoming = waiting_incoming + ? WHERE corpid = ? AND userid = ? AND (SELECT n FROM stale) = 0
       RETURNING customer_count + waiting_incoming AS load)
     SELECT reserved.load, CAST(stale.n AS starts_as_judged) AS quota, CAST(COALESCE(? - reserved.load, -1) AS takeover_room) AS room
     FROM stale LEFT JOIN reserved ON true`,
    [judged, corpid, quota.from, places, corpid, takeoverUserid, cap],
  );
  return Number(row?.load ?? 0);
}

const TRANSFER_INSERT_COLUMNS = 9;

/**
 * Inserts waiting transfers and answers which customers got one (external_userid → transfer id). A
 * customer that another call (another node, for another takeover) gave a waiting transfer after our facts
 * were read is skipped by the one-waiting-transfer unique index (transfers_by_customer_slot, migration 0014)
 * instead of failing the whole call; the caller answers 40129 for it. Counters are not touched here: the
 * caller reserves the takeover's places last.
 *
 * Rows go in in (corpid, external_userid) order: two calls inserting {X, Y} and {Y, X} would otherwise each
 * wait on the other's uncommitted index entry (a deadlock PostgreSQL breaks only after deadlock_timeout, 1 s).
 */
export async function insertWaitingTransfers(db: SqlDb, capabilities: StoreCapabilities, transfers: readonly NewTransfer[]): Promise<Map<string, number>> {
  const inserted = new Map<string, number>();
  const ordered = [...transfers].sort((a, b) => compareIds(a.corpid, b.corpid) || compareIds(a.externalUserid, b.externalUserid));
  // Every chunk is issued before any is awaited, so a statement the caller issues next (the quota re-count)
  // runs after all of them (statements of a transaction run in the order they are issued).
  const chunks = chunkForParams(ordered, TRANSFER_INSERT_COLUMNS, capabilities.maxParams).map((chunk) =>
    db.all<{ id: number; external_userid: string }>(
      `INSERT INTO transfers (corpid, kind, external_userid, handover_userid, takeover_userid, status, started_at, due_at, notice_id) VALUES ${valuesPlaceholders(chunk.length, TRANSFER_INSERT_COLUMNS)}
       ON CONFLICT DO NOTHING RETURNING id, external_userid`,
      chunk.flatMap((t) => [t.corpid, t.kind, t.externalUserid, t.handoverUserid, t.takeoverUserid, TransferStatus.waiting, t.startedAt, t.dueAt, t.noticeId ?? null]),
    ),
  );
  for (const rows of await Promise.all(chunks)) {
    for (const row of rows) inserted.set(row.external_userid, Number(row.id));
  }
  return inserted;
}

/**
 * How many transfers of each customer (any kind) started at or after `from`; customers without one are absent.
 *
 * One correlated count per customer, driven by the customers' primary key, not `… FROM transfers WHERE corpid
 * = ? AND external_userid IN (…) GROUP BY`: PostgreSQL's generic plan for that form, with `transfers` analysed
 * while small, scanned every transfer of the corp per call (auto_explain: 36,768 rows filtered for 100, 0.8–1.4
 * s a call at 100,000 customers, growing with each transfer). The correlated form probes
 * transfers_by_customer_slot by (corpid, external_userid) whatever the statistics say.
 */
export async function startsSince(db: SqlDb, capabilities: StoreCapabilities, corpid: string, externalUserids: readonly string[], from: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const chunks = chunkForParams(externalUserids, 1, capabilities.maxParams - 2).map((chunk) =>
    db.all<{ external_userid: string; n: number }>(
      `SELECT c.external_userid, (SELECT COUNT(*) FROM transfers t WHERE t.corpid = c.corpid AND t.external_userid = c.external_userid AND t.started_at >= ?) AS n
       FROM customers c WHERE c.corpid = ? AND c.external_userid IN (${listPlaceholders(chunk.length)})`,
      [from, corpid, ...chunk],
    ),
  );
  for (const rows of await Promise.all(chunks)) {
    for (const row of rows) if (Number(row.n) > 0) counts.set(row.external_userid, Number(row.n));
  }
  return counts;
}

/** Takes back transfers this transaction inserted (they were never visible to anyone else). */
export async function withdrawTransfers(db: SqlDb, capabilities: StoreCapabilities, transferIds: readonly number[]): Promise<void> {
  for (const chunk of chunkForParams(transferIds, 1, capabilities.maxParams)) {
    await db.run(`DELETE FROM transfers WHERE id IN (${listPlaceholders(chunk.length)})`, chunk);
  }
}
