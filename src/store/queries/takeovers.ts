import type { TakeoverOutcome, TakeoverRelationPlan } from '../../domain/takeover.js';
import { memberKey, type Transfer } from '../../domain/types.js';
import { chunkForParams, compareIds, listPlaceholders, type SqlDb, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { TakeoverBatchFacts } from '../store.js';
import { addDelta, adjustMemberCounters, type MemberDeltas } from './members.js';
import { RELATION_COLUMNS, toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/**
 * Due waiting transfers, oldest first. With `skipLocked` the rows stay locked until the claiming transaction
 * ends and other nodes skip them; SQLite's claiming transaction already holds the only write lock.
 *
 * A skipping claim that finds nothing may only mean another node holds the due rows: it then waits for
 * them (plain FOR UPDATE), so "nothing claimed" means nothing due is left in flight anywhere, and
 * `POST /admin/clock` on one node answers only after another node's batch has committed. Holding nothing
 * while it waits, and locking in the same (due_at, id) order as any other waiter, it closes no lock cycle.
 */
export async function claimDueTransfers(db: SqlDb, capabilities: StoreCapabilities, now: number, limit: number): Promise<Transfer[]> {
  const claim = (lock: string) =>
    db.all<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE status = 2 AND due_at <= ? ORDER BY due_at, id LIMIT ?${lock}`, [now, limit]);
  let rows = await claim(capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '');
  if (rows.length === 0 && capabilities.skipLocked) rows = await claim(' FOR UPDATE');
  return rows.map(toTransfer);
}

/** `CAST(? AS BIGINT)`: PostgreSQL types bare parameters inside VALUES as text; SQLite accepts the cast too. */
const BIGINT = 'CAST(? AS BIGINT)';

function typedValues(rows: number, columns: readonly ('text' | 'bigint')[]): string {
  const row = `(${columns.map((c) => (c === 'bigint' ? BIGINT : '?')).join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

interface FactRow {
  id: number;
  handover_follows: number | boolean;
  takeover_follows: number | boolean;
  handed_over_before: number | boolean;
}

/**
 * What each due transfer's outcome depends on, as flags from one statement, plus the takeovers' counters.
 *
 * Where engines run side by side (rowLocks), the members whose counters the batch will change (takeovers
 * and handovers) are locked first, in key order: two nodes completing different transfers to one member
 * near its cap must judge it one after the other (each read customer_count 1 of cap 2 and both added, in
 * the race this closes). Taking every member lock before the first transfer row is updated also means a
 * transfer call holding its takeover's row never waits on this batch while the batch waits on it.
 */
export async function takeoverFacts(db: SqlDb, capabilities: StoreCapabilities, transfers: readonly Transfer[]): Promise<TakeoverBatchFacts> {
  const facts: TakeoverBatchFacts = { handoverFollows: new Set(), takeoverFriends: new Set(), takeoverEarlierHandedOver: new Set(), customerCounts: new Map(), caps: new Map() };
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
  for (const chunk of chunkForParams(transfers, 1, capabilities.maxParams)) {
    const rows = await db.all<FactRow>(
      `SELECT t.id,
         EXISTS (SELECT 1 FROM relations h WHERE h.corpid = t.corpid AND h.userid = t.handover_userid AND h.external_userid = t.external_userid) AS handover_follows,
         EXISTS (SELECT 1 FROM relations f WHERE f.corpid = t.corpid AND f.userid = t.takeover_userid AND f.external_userid = t.external_userid) AS takeover_follows,
         -- "transferred back to a member who earlier transferred the customer away" (behaviour §0)
         EXISTS (SELECT 1 FROM transfers p WHERE p.corpid = t.corpid AND p.external_userid = t.external_userid
                 AND p.handover_userid = t.takeover_userid AND p.status = 1) AS handed_over_before
       FROM transfers t WHERE t.id IN (${listPlaceholders(chunk.length)})`,
      chunk.map((t) => t.id),
    );
    for (const row of rows) {
      const id = Number(row.id);
      if (Boolean(row.handover_follows)) facts.handoverFollows.add(id);
      if (Boolean(row.takeover_follows)) facts.takeoverFriends.add(id);
      if (Boolean(row.handed_over_before)) facts.takeoverEarlierHandedOver.add(id);
    }
  }
  return facts;
}


/**
 * Writes every outcome of a batch, set-based (events go to the outbox separately): statuses through one
 * UPDATE … FROM (VALUES …), new relations copied row to row from the handover's in SQL (nothing is read
 * into memory), then the handover relations removed and the kept counters adjusted.
 */
export async function applyTakeoverOutcomes(db: SqlDb, capabilities: StoreCapabilities, outcomes: readonly TakeoverOutcome[]): Promise<void> {
  const deltas: MemberDeltas = new Map();
  const removed: [string, string, string][] = [];
  const plans: TakeoverRelationPlan[] = [];
  for (const outcome of outcomes) {
    const t = outcome.transfer;
    addDelta(deltas, t.corpid, t.takeoverUserid, 0, -1);
    if (outcome.kind !== 'done') continue;
    if (outcome.removeHandoverRelation) {
      removed.push([t.corpid, t.handoverUserid, t.externalUserid]);
      addDelta(deltas, t.corpid, t.handoverUserid, -1, 0);
    }
    if (outcome.newRelation) {
      plans.push(outcome.newRelation);
      addDelta(deltas, t.corpid, t.takeoverUserid, 1, 0);
    }
  }
  for (const chunk of chunkForParams(outcomes, 3, capabilities.maxParams)) {
    await db.run(
      `UPDATE transfers SET status = v.column2, ended_at = v.column3 FROM (VALUES ${typedValues(chunk.length, ['bigint', 'bigint', 'bigint'])}) AS v WHERE transfers.id = v.column1`,
      chunk.flatMap((o) => [o.transfer.id, o.transfer.status, o.transfer.endedAt]),
    );
  }
  const planColumns = ['text', 'text', 'text', 'text', 'bigint', 'bigint', 'text', 'bigint'] as const;
  for (const chunk of chunkForParams(plans, planColumns.length, capabilities.maxParams)) {
    await db.run(
      `INSERT INTO relations (${RELATION_COLUMNS})
       SELECT v.column1, v.column2, v.column3,
              CASE WHEN v.column8 = 1 THEN h.remark ELSE '' END,
              CASE WHEN v.column8 = 1 THEN h.description ELSE '' END,
              CASE WHEN v.column8 = 1 THEN h.tags ELSE '[]' END,
              v.column5, v.column6, NULL, v.column7,
              CASE WHEN v.column8 = 1 THEN h.remark_corp_name ELSE NULL END,
              CASE WHEN v.column8 = 1 THEN h.remark_mobiles ELSE '[]' END
       FROM (VALUES ${typedValues(chunk.length, planColumns)}) AS v
       LEFT JOIN relations h ON h.corpid = v.column1 AND h.userid = v.column4 AND h.external_userid = v.column3`,
      chunk.flatMap((p) => [p.corpid, p.userid, p.externalUserid, p.handoverUserid, p.createdAt, p.addWay, p.operUserid, p.copyFromHandover ? 1 : 0]),
    );
  }
  for (const chunk of chunkForParams(removed, 3, capabilities.maxParams)) {
    await db.run(`DELETE FROM relations WHERE (corpid, userid, external_userid) IN (VALUES ${valuesPlaceholders(chunk.length, 3)})`, chunk.flat());
  }
  await adjustMemberCounters(db, deltas);
}
