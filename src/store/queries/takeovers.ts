import type { PastTransfer } from '../../domain/takeover.js';
import { memberKey, type Transfer, TRANSFER_KINDS, TransferStatus } from '../../domain/types.js';
import { chunkForParams, compareIds, listPlaceholders, type SqlDb, type StoreCapabilities, typedValues, valuesPlaceholders } from '../sql.js';
import type { TakeoverBatchFacts } from '../ports/takeovers.js';
import { toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/**
 * Due waiting transfers of every kind, oldest first. With `skipLocked` the rows stay locked until the
 * claiming transaction ends and other nodes skip them; SQLite's claiming transaction already holds the only
 * write lock. The waiting status is the domain's constant written into the text (not bound): the planner
 * only uses the partial index `transfers_due … WHERE status = 2` for a literal, and PostgreSQL's generic
 * plan of a named statement would not see a bound value.
 *
 * A skipping claim that finds nothing may only mean another node holds the due rows: it then waits for
 * them (plain FOR UPDATE), so "nothing claimed" means nothing due is left in flight anywhere, and
 * `POST /admin/clock` on one node answers only after another node's batch has committed. Holding nothing
 * while it waits, and locking in the same (due_at, id) order as any other waiter, it closes no lock cycle.
 */
/** The customer kinds this engine completes; group transfers (behaviour §10.6) share the table, not the engine. */
const CUSTOMER_KINDS = TRANSFER_KINDS.map((kind) => `'${kind}'`).join(', ');

export async function claimDueTransfers(db: SqlDb, capabilities: StoreCapabilities, now: number, limit: number): Promise<Transfer[]> {
  const claim = (lock: string) =>
    db.all<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE status = ${TransferStatus.waiting} AND due_at <= ? AND kind IN (${CUSTOMER_KINDS}) ORDER BY due_at, id LIMIT ?${lock}`, [now, limit]);
  let rows = await claim(capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '');
  if (rows.length === 0 && capabilities.skipLocked) rows = await claim(' FOR UPDATE');
  return rows.map(toTransfer);
}

interface FactRow {
  id: number;
  handover_follows: number | boolean;
  takeover_follows: number | boolean;
}

/**
 * What each due transfer's outcome depends on: two relation flags from one statement, the customer's other
 * transfers (the domain decides what they mean), and the takeovers' counters.
 *
 * Where engines run side by side (rowLocks), the members whose counters the batch will change (takeovers
 * and handovers) are locked first, in key order: two nodes completing different transfers to one member
 * near its cap must judge it one after the other (each read customer_count 1 of cap 2 and both added, in
 * the race this closes). Taking every member lock before the first transfer row is updated also means a
 * transfer call holding its takeover's row never waits on this batch while the batch waits on it.
 */
export async function takeoverFacts(db: SqlDb, capabilities: StoreCapabilities, transfers: readonly Transfer[]): Promise<TakeoverBatchFacts> {
  const facts: TakeoverBatchFacts = { handoverFollows: new Set(), takeoverFriends: new Set(), earlierTransfers: new Map(), customerCounts: new Map(), caps: new Map() };
  const members = new Map<string, readonly [string, string]>();
  for (const t of transfers) {
    members.set(memberKey(t.corpid, t.takeoverUserid), [t.corpid, t.takeoverUserid]);
    if (capabilities.rowLocks) members.set(memberKey(t.corpid, t.handoverUserid), [t.corpid, t.handoverUserid]);
  }
  const memberKeys = [...members.values()].sort((a, b) => compareIds(a[0], b[0]) || compareIds(a[1], b[1]));
  const lock = capabilities.rowLocks ? ' ORDER BY corpid, userid FOR UPDATE' : '';
  for (const chunk of chunkForParams(memberKeys, 2, capabilities.maxParams)) {
    const rows = await db.all<{ corpid: string; userid: string; customer_count: number; customer_cap: number }>(
      `SELECT corpid, userid, customer_count, customer_cap FROM members WHERE (corpid, userid) IN (VALUES ${valuesPlaceholders(chunk.length, 2)})${lock}`,
      chunk.flat(),
    );
    for (const row of rows) {
      facts.customerCounts.set(memberKey(row.corpid, row.userid), Number(row.customer_count));
      facts.caps.set(memberKey(row.corpid, row.userid), Number(row.customer_cap));
    }
  }
  // Scalar subqueries, not EXISTS: a key probe per transfer whatever the statistics say (see decisionFacts).
  for (const chunk of chunkForParams(transfers, 1, capabilities.maxParams)) {
    const rows = await db.all<FactRow>(
      `SELECT t.id,
         (SELECT 1 FROM relations h WHERE h.corpid = t.corpid AND h.userid = t.handover_userid AND h.external_userid = t.external_userid) AS handover_follows,
         (SELECT 1 FROM relations f WHERE f.corpid = t.corpid AND f.userid = t.takeover_userid AND f.external_userid = t.external_userid) AS takeover_follows
       FROM transfers t WHERE t.id IN (${listPlaceholders(chunk.length)})`,
      chunk.map((t) => t.id),
    );
    for (const row of rows) {
      const id = Number(row.id);
      if (Boolean(row.handover_follows)) facts.handoverFollows.add(id);
      if (Boolean(row.takeover_follows)) facts.takeoverFriends.add(id);
    }
  }
  // A customer has a handful of transfers (2 starts per 90 days): reading them all is cheaper than asking.
  for (const chunk of chunkForParams(transfers, 3, capabilities.maxParams)) {
    const rows = await db.all<{ id: number; handover_userid: string; status: number }>(
      `SELECT v.column1 AS id, p.handover_userid, p.status
       FROM (VALUES ${typedValues(chunk.length, ['bigint', 'text', 'text'])}) AS v
       JOIN transfers p ON p.corpid = v.column2 AND p.external_userid = v.column3 AND p.id <> v.column1`,
      chunk.flatMap((t) => [t.id, t.corpid, t.externalUserid]),
    );
    for (const row of rows) {
      const id = Number(row.id);
      const list: PastTransfer[] = facts.earlierTransfers.get(id) ?? [];
      list.push({ handoverUserid: row.handover_userid, status: Number(row.status) as TransferStatus });
      facts.earlierTransfers.set(id, list);
    }
  }
  return facts;
}
