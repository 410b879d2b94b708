import type { Transfer } from '../../domain/types.js';
import { type SqlDb, type StoreCapabilities, WriteConflict } from '../sql.js';
import { addDelta, adjustMemberCounters } from './members.js';
import { toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

export async function findWaitingTransfer(db: SqlDb, capabilities: StoreCapabilities, corpid: string, externalUserid: string): Promise<Transfer | null> {
  const lock = capabilities.rowLocks ? ' FOR UPDATE' : '';
  const row = await db.get<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE corpid = ? AND external_userid = ? AND status = 2${lock}`, [
    corpid,
    externalUserid,
  ]);
  return row ? toTransfer(row) : null;
}

/**
 * Ends a waiting transfer without moving the customer (refusal): its place at the takeover is freed.
 * findWaitingTransfer locked the row (FOR UPDATE), so an engine completing it at the same moment either
 * skipped it (SKIP LOCKED) or finished first and the refusal found no waiting transfer. The takeover's
 * counters change before the status does, the order the engine and transfer calls use (member before
 * transfer row): a transfer call holding that member may wait on our status change, never the reverse.
 */
export async function endWaitingTransfer(db: SqlDb, transfer: Transfer): Promise<void> {
  const deltas = new Map();
  addDelta(deltas, transfer.corpid, transfer.takeoverUserid, 0, -1);
  await adjustMemberCounters(db, deltas);
  const { changes } = await db.run('UPDATE transfers SET status = ?, ended_at = ? WHERE id = ? AND status = 2', [transfer.status, transfer.endedAt, transfer.id]);
  // Not waiting any more means it ended in another transaction: undo everything (counters included).
  if (changes !== 1) throw new WriteConflict(`transfer ${transfer.id} is no longer waiting`);
}

/**
 * Behaviour §9.3: for one (handover, takeover) pair, the latest accepted transfer of each customer, ordered by
 * external_userid (stable under new transfers), keyset-paged after `afterExternalUserid`.
 */
export async function latestTransfersOfPair(
  db: SqlDb,
  corpid: string,
  handoverUserid: string,
  takeoverUserid: string,
  afterExternalUserid: string,
  limit: number,
): Promise<Transfer[]> {
  const rows = await db.all<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers t
     WHERE t.corpid = ? AND t.handover_userid = ? AND t.takeover_userid = ? AND t.external_userid > ?
       AND t.id = (SELECT MAX(l.id) FROM transfers l
                   WHERE l.corpid = t.corpid AND l.handover_userid = t.handover_userid
                     AND l.takeover_userid = t.takeover_userid AND l.external_userid = t.external_userid)
     ORDER BY t.external_userid LIMIT ?`,
    [corpid, handoverUserid, takeoverUserid, afterExternalUserid, limit],
  );
  return rows.map(toTransfer);
}
