import type { HistoryKind, TransferRecord } from '../../domain/transfer-history.js';
import type { TransferHistoryFilter } from '../ports/history.js';
import type { SqlDb, SqlValue } from '../sql.js';
import { TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/** Behaviour §10.8: one page of the transfers table in id order; every filter is optional but the page. */
export async function listTransfers(db: SqlDb, filter: TransferHistoryFilter): Promise<TransferRecord[]> {
  const where = ['id > ?'];
  const params: SqlValue[] = [filter.afterId];
  const add = (clause: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  add('corpid = ?', filter.corpid);
  add('kind = ?', filter.kind);
  add('status = ?', filter.status);
  add('handover_userid = ?', filter.handoverUserid);
  add('takeover_userid = ?', filter.takeoverUserid);
  add('external_userid = ?', filter.subjectId);
  // Group transfers keep their own table (queries/group-transfers.ts) but draw ids from the transfers'
  // sequence, so the two tables page together by one id.
  const rows = await db.all<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM (
       SELECT ${TRANSFER_COLUMNS} FROM transfers
       UNION ALL
       SELECT ${TRANSFER_COLUMNS.replace('external_userid', 'chat_id AS external_userid')} FROM group_transfers
     ) t
     WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
    [...params, filter.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as HistoryKind,
    corpid: row.corpid,
    subjectId: row.external_userid,
    handoverUserid: row.handover_userid,
    takeoverUserid: row.takeover_userid,
    status: Number(row.status),
    startedAt: Number(row.started_at),
    dueAt: Number(row.due_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  }));
}
