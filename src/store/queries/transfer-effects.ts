import type { MemberCounterChange, NewRelationPlan, RelationKey, TransferEffects } from '../../domain/transfer-state.js';
import { chunkForParams, type SqlDb, type StoreCapabilities, typedValues, valuesPlaceholders, WriteConflict } from '../sql.js';
import { RELATION_COLUMNS } from './rows.js';

/**
 * Applies what a domain decision changed, set-based, deciding nothing: member counters first (in the
 * (corpid, userid) order the domain sorted them in, the order every node takes member row locks in, so a
 * transfer call holding its takeover's row never waits on us while we wait on it), then status transitions
 * through one UPDATE … FROM (VALUES …), then new relations copied row to row from the handover's in SQL
 * (nothing is read into memory), then the removed relations.
 *
 * A transition only applies to a transfer still in its `from` status; if any is not (another transaction
 * ended it), the whole transaction is undone and retried (WriteConflict), counters included.
 */
export async function applyTransferEffects(db: SqlDb, capabilities: StoreCapabilities, effects: TransferEffects): Promise<void> {
  await adjustMemberCounters(db, effects.counters);
  const transitionColumns = ['bigint', 'bigint', 'bigint', 'bigint'] as const;
  for (const chunk of chunkForParams(effects.transitions, transitionColumns.length, capabilities.maxParams)) {
    const { changes } = await db.run(
      `UPDATE transfers SET status = v.column2, ended_at = v.column3 FROM (VALUES ${typedValues(chunk.length, transitionColumns)}) AS v
       WHERE transfers.id = v.column1 AND transfers.status = v.column4`,
      chunk.flatMap((t) => [t.transferId, t.to, t.endedAt, t.from]),
    );
    if (changes !== chunk.length) throw new WriteConflict(`${chunk.length - changes} of ${chunk.length} transfers were no longer in the status they left`);
  }
  const { moved, created, removed } = relationMoves(effects.relationsCreated, effects.relationsRemoved);
  await moveRelations(db, capabilities, moved);
  await insertRelations(db, capabilities, created);
  for (const chunk of chunkForParams(removed, 3, capabilities.maxParams)) {
    await db.run(
      `DELETE FROM relations WHERE (corpid, userid, external_userid) IN (VALUES ${valuesPlaceholders(chunk.length, 3)})`,
      chunk.flatMap((r) => [r.corpid, r.userid, r.externalUserid]),
    );
  }
}

/** The kept counters of the members table (see 0001_init.sql), one UPDATE per member. */
async function adjustMemberCounters(db: SqlDb, changes: readonly MemberCounterChange[]): Promise<void> {
  for (const change of changes) {
    await db.run('UPDATE members SET customer_count = customer_count + ?, waiting_incoming = waiting_incoming + ? WHERE corpid = ? AND userid = ?', [
      change.customers,
      change.waitingIncoming,
      change.corpid,
      change.userid,
    ]);
  }
}

/**
 * A takeover removes the handover's relation and creates the takeover's for the same customer: the store
 * does both as one UPDATE of the handover's row (userid and the new relation's columns), the same end state
 * with less written. DELETE + INSERT touched every index of `relations` twice (table, primary key,
 * relations_by_customer) and checked the customer's foreign key; the UPDATE leaves relations_by_customer and
 * the foreign key alone (their columns do not change) and rewrites the row where it is. Figure 4, 200,000
 * due: INSERT + DELETE were 32% of the engine's statement time (bench SQL timing). Every reader of
 * relations orders by its own columns, never by rowid, so the row keeping its place changes no answer.
 */
export function relationMoves(
  created: readonly NewRelationPlan[],
  removed: readonly RelationKey[],
): { moved: NewRelationPlan[]; created: NewRelationPlan[]; removed: RelationKey[] } {
  if (created.length === 0 || removed.length === 0) return { moved: [], created: [...created], removed: [...removed] };
  const key = (corpid: string, userid: string, externalUserid: string) => `${corpid}\u0000${userid}\u0000${externalUserid}`;
  const removedKeys = removed.map((r) => key(r.corpid, r.userid, r.externalUserid));
  const removable = new Map<string, number>();
  for (const k of removedKeys) removable.set(k, (removable.get(k) ?? 0) + 1);
  const sourceKeys = created.map((p) => key(p.corpid, p.handoverUserid, p.externalUserid));
  const sources = new Map<string, number>();
  for (const k of sourceKeys) sources.set(k, (sources.get(k) ?? 0) + 1);
  const movedKeys = new Set<string>();
  const moved: NewRelationPlan[] = [];
  const rest: NewRelationPlan[] = [];
  created.forEach((plan, i) => {
    const source = sourceKeys[i]!;
    // Only a source removed once and read by this one plan: anything else keeps the general path.
    if (removable.get(source) === 1 && sources.get(source) === 1) {
      moved.push(plan);
      movedKeys.add(source);
    } else {
      rest.push(plan);
    }
  });
  return { moved, created: rest, removed: removed.filter((_, i) => !movedKeys.has(removedKeys[i]!)) };
}

/** The handover's relation becomes the takeover's (see relationMoves); one that is gone is a conflict. */
async function moveRelations(db: SqlDb, capabilities: StoreCapabilities, plans: readonly NewRelationPlan[]): Promise<void> {
  const planColumns = ['text', 'text', 'text', 'text', 'bigint', 'bigint', 'text', 'bigint'] as const;
  for (const chunk of chunkForParams(plans, planColumns.length, capabilities.maxParams)) {
    const { changes } = await db.run(
      `UPDATE relations SET userid = v.column2,
              remark = CASE WHEN v.column8 = 1 THEN relations.remark ELSE '' END,
              description = CASE WHEN v.column8 = 1 THEN relations.description ELSE '' END,
              tags = CASE WHEN v.column8 = 1 THEN relations.tags ELSE '[]' END,
              created_at = v.column5, add_way = v.column6, state = NULL, oper_userid = v.column7,
              remark_corp_name = CASE WHEN v.column8 = 1 THEN relations.remark_corp_name ELSE NULL END,
              remark_mobiles = CASE WHEN v.column8 = 1 THEN relations.remark_mobiles ELSE '[]' END
       FROM (VALUES ${typedValues(chunk.length, planColumns)}) AS v
       WHERE relations.corpid = v.column1 AND relations.userid = v.column4 AND relations.external_userid = v.column3`,
      chunk.flatMap((p) => [p.corpid, p.userid, p.externalUserid, p.handoverUserid, p.createdAt, p.addWay, p.operUserid, p.copyFromHandover ? 1 : 0]),
    );
    if (changes !== chunk.length) throw new WriteConflict(`${chunk.length - changes} of ${chunk.length} handover relations were gone when their takeover moved them`);
  }
}

async function insertRelations(db: SqlDb, capabilities: StoreCapabilities, plans: readonly NewRelationPlan[]): Promise<void> {
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
}
