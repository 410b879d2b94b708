import { type Transfer, type TransferKind, TransferStatus } from '../../domain/types.js';
import type { SqlDb, StoreCapabilities } from '../sql.js';
import { isWaiting, toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/** The customer's waiting transfer of any kind, locked where row locks exist (a refusal and the engine meet here). */
export async function findWaitingTransfer(db: SqlDb, capabilities: StoreCapabilities, corpid: string, externalUserid: string): Promise<Transfer | null> {
  const lock = capabilities.rowLocks ? ' FOR UPDATE' : '';
  const row = await db.get<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE corpid = ? AND external_userid = ? AND ${isWaiting()}${lock}`,
    [corpid, externalUserid],
  );
  return row ? toTransfer(row) : null;
}

/**
 * Behaviour §9.3, §10.5: for one (handover, takeover) pair and one kind, the latest accepted transfer of each
 * customer, ordered by external_userid (stable under new transfers), keyset-paged after `afterExternalUserid`.
 */
export async function latestTransfersOfPair(
  db: SqlDb,
  kind: TransferKind,
  corpid: string,
  handoverUserid: string,
  takeoverUserid: string,
  afterExternalUserid: string,
  limit: number,
): Promise<Transfer[]> {
  const rows = await db.all<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers t
     WHERE t.corpid = ? AND t.handover_userid = ? AND t.takeover_userid = ? AND t.external_userid > ? AND t.kind = ?
       AND t.id = (SELECT MAX(l.id) FROM transfers l
                   WHERE l.corpid = t.corpid AND l.handover_userid = t.handover_userid
                     AND l.takeover_userid = t.takeover_userid AND l.external_userid = t.external_userid AND l.kind = t.kind)
     ORDER BY t.external_userid LIMIT ?`,
    [corpid, handoverUserid, takeoverUserid, afterExternalUserid, kind, limit],
  );
  return rows.map(toTransfer);
}

/** The latest transfer of one customer between a pair, any kind (deprecated get_transfer_result, behaviour §10.7). */
export async function latestTransferOfCustomer(db: SqlDb, corpid: string, handoverUserid: string, takeoverUserid: string, externalUserid: string): Promise<Transfer | null> {
  const row = await db.get<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE corpid = ? AND handover_userid = ? AND takeover_userid = ? AND external_userid = ? ORDER BY id DESC LIMIT 1`,
    [corpid, handoverUserid, takeoverUserid, externalUserid],
  );
  return row ? toTransfer(row) : null;
}

/** Whether the member has a waiting transfer of any kind, in (takeover) or out (handover) (behaviour §10.1). */
export async function hasWaitingTransfers(db: SqlDb, corpid: string, userid: string): Promise<boolean> {
  const row = await db.get(
    `SELECT 1 AS x FROM transfers WHERE corpid = ? AND status = ${TransferStatus.waiting} AND (handover_userid = ? OR takeover_userid = ?) LIMIT 1`,
    [corpid, userid, userid],
  );
  return row !== undefined;
}
