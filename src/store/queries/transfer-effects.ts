import type { MemberCounterChange, NewRelationPlan, TransferEffects } from '../../domain/transfer-state.js';
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
  await insertRelations(db, capabilities, effects.relationsCreated);
  for (const chunk of chunkForParams(effects.relationsRemoved, 3, capabilities.maxParams)) {
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
