import type { TakeoverOutcome } from '../../domain/takeover.js';
import { TransferStatus, type Transfer } from '../../domain/types.js';
import { chunkForParams, listPlaceholders, type SqlDb, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { TakeoverBatchFacts } from '../store.js';
import { addDelta, adjustMemberCounters, type MemberDeltas } from './members.js';
import { RELATION_COLUMNS, type RelationRow, relationValues, toRelation, toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/**
 * Due waiting transfers, oldest first. With `skipLocked` the rows stay locked until the claiming transaction
 * ends and other nodes skip them; SQLite's claiming transaction already holds the only write lock.
 */
export async function claimDueTransfers(db: SqlDb, capabilities: StoreCapabilities, now: number, limit: number): Promise<Transfer[]> {
  const lock = capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await db.all<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE status = 2 AND due_at <= ? ORDER BY due_at, id LIMIT ?${lock}`,
    [now, limit],
  );
  return rows.map(toTransfer);
}

const key = (corpid: string, userid: string, externalUserid: string) => `${corpid}\u0000${userid}\u0000${externalUserid}`;

/** Relations matching (corpid, userid, external_userid) triples, keyed by `key`. */
async function relationsByTriple(db: SqlDb, capabilities: StoreCapabilities, triples: readonly [string, string, string][]) {
  const found = new Map<string, RelationRow>();
  for (const chunk of chunkForParams(triples, 3, capabilities.maxParams)) {
    const rows = await db.all<RelationRow>(
      `SELECT ${RELATION_COLUMNS} FROM relations WHERE (corpid, userid, external_userid) IN (VALUES ${valuesPlaceholders(chunk.length, 3)})`,
      chunk.flat(),
    );
    for (const row of rows) found.set(key(row.corpid, row.userid, row.external_userid), row);
  }
  return found;
}

export async function takeoverFacts(db: SqlDb, capabilities: StoreCapabilities, transfers: readonly Transfer[]): Promise<TakeoverBatchFacts> {
  const handoverRows = await relationsByTriple(db, capabilities, transfers.map((t) => [t.corpid, t.handoverUserid, t.externalUserid]));
  const takeoverRows = await relationsByTriple(db, capabilities, transfers.map((t) => [t.corpid, t.takeoverUserid, t.externalUserid]));

  // "Transferred back to a member who earlier transferred the customer away" (spec §0): a completed
  // transfer of this customer whose handover was today's takeover.
  const handedOver = new Set<string>();
  for (const chunk of chunkForParams(transfers, 3, capabilities.maxParams)) {
    const rows = await db.all<{ corpid: string; handover_userid: string; external_userid: string }>(
      `SELECT DISTINCT corpid, handover_userid, external_userid FROM transfers
       WHERE status = 1 AND (corpid, external_userid, handover_userid) IN (VALUES ${valuesPlaceholders(chunk.length, 3)})`,
      chunk.flatMap((t) => [t.corpid, t.externalUserid, t.takeoverUserid]),
    );
    for (const row of rows) handedOver.add(key(row.corpid, row.handover_userid, row.external_userid));
  }

  const memberKeys = [...new Map(transfers.map((t) => [`${t.corpid}\u0000${t.takeoverUserid}`, [t.corpid, t.takeoverUserid] as const])).values()];
  const customerCounts = new Map<string, number>();
  const caps = new Map<string, number>();
  for (const chunk of chunkForParams(memberKeys, 2, capabilities.maxParams)) {
    const rows = await db.all<{ corpid: string; userid: string; customer_count: number; customer_cap: number }>(
      `SELECT corpid, userid, customer_count, customer_cap FROM members WHERE (corpid, userid) IN (VALUES ${valuesPlaceholders(chunk.length, 2)})`,
      chunk.flat(),
    );
    for (const row of rows) {
      customerCounts.set(`${row.corpid}\u0000${row.userid}`, Number(row.customer_count));
      caps.set(`${row.corpid}\u0000${row.userid}`, Number(row.customer_cap));
    }
  }

  const facts: TakeoverBatchFacts = { handoverRelations: new Map(), takeoverFriends: new Set(), takeoverEarlierHandedOver: new Set(), customerCounts, caps };
  for (const t of transfers) {
    const handover = handoverRows.get(key(t.corpid, t.handoverUserid, t.externalUserid));
    if (handover) facts.handoverRelations.set(t.id, toRelation(handover));
    if (takeoverRows.has(key(t.corpid, t.takeoverUserid, t.externalUserid))) facts.takeoverFriends.add(t.id);
    if (handedOver.has(key(t.corpid, t.takeoverUserid, t.externalUserid))) facts.takeoverEarlierHandedOver.add(t.id);
  }
  return facts;
}

const RELATION_COLUMN_COUNT = 12;

/** Writes every outcome of a batch, set-based: statuses, moved relations and kept counters (events go to the outbox separately). */
export async function applyTakeoverOutcomes(db: SqlDb, capabilities: StoreCapabilities, outcomes: readonly TakeoverOutcome[]): Promise<void> {
  const byStatus = new Map<string, number[]>();
  const deltas: MemberDeltas = new Map();
  const removed: [string, string, string][] = [];
  const added = [];
  for (const outcome of outcomes) {
    const t = outcome.transfer;
    const groupKey = `${t.status}:${t.endedAt}`;
    byStatus.set(groupKey, [...(byStatus.get(groupKey) ?? []), t.id]);
    addDelta(deltas, t.corpid, t.takeoverUserid, 0, -1);
    if (outcome.kind !== 'done') continue;
    if (outcome.removeHandoverRelation) {
      removed.push([t.corpid, t.handoverUserid, t.externalUserid]);
      addDelta(deltas, t.corpid, t.handoverUserid, -1, 0);
    }
    if (outcome.newRelation) {
      added.push(outcome.newRelation);
      addDelta(deltas, t.corpid, t.takeoverUserid, 1, 0);
    }
  }
  for (const [groupKey, ids] of byStatus) {
    const [status, endedAt] = groupKey.split(':').map(Number);
    for (const chunk of chunkForParams(ids, 1, capabilities.maxParams - 2)) {
      await db.run(`UPDATE transfers SET status = ?, ended_at = ? WHERE id IN (${listPlaceholders(chunk.length)})`, [status ?? TransferStatus.done, endedAt ?? 0, ...chunk]);
    }
  }
  for (const chunk of chunkForParams(removed, 3, capabilities.maxParams)) {
    await db.run(`DELETE FROM relations WHERE (corpid, userid, external_userid) IN (VALUES ${valuesPlaceholders(chunk.length, 3)})`, chunk.flat());
  }
  for (const chunk of chunkForParams(added, RELATION_COLUMN_COUNT, capabilities.maxParams)) {
    await db.run(`INSERT INTO relations (${RELATION_COLUMNS}) VALUES ${valuesPlaceholders(chunk.length, RELATION_COLUMN_COUNT)}`, chunk.flatMap(relationValues));
  }
  await adjustMemberCounters(db, deltas);
}
