import type { GroupTransfer, GroupTransferKind, GroupTransferStatus, NewGroupTransfer } from '../../domain/group-chat.js';
import { transferInstants, type TransferRow } from './rows.js';
import { listPlaceholders, type SqlDb, type StoreCapabilities, WriteConflict } from '../sql.js';

/** A customer transfer's row with the group in place of the customer. */
type GroupTransferRow = Omit<TransferRow, 'external_userid'> & { chat_id: string };

const COLUMNS = 'id, corpid, chat_id, kind, handover_userid, takeover_userid, status, started_at, due_at, ended_at';

function toGroupTransfer(row: GroupTransferRow): GroupTransfer {
  return {
    id: Number(row.id),
    corpid: row.corpid,
    chatId: row.chat_id,
    kind: row.kind as GroupTransferKind,
    handoverUserid: row.handover_userid,
    takeoverUserid: row.takeover_userid,
    status: Number(row.status) as GroupTransferStatus,
    ...transferInstants(row),
  };
}

/**
 * Group transfer calls of one corp take turns where writers run side by side (rowLocks): the corp row is
 * locked until commit, so the 2-per-90-days and 300-a-day counts a call reads stay true until it has
 * written. FOR NO KEY UPDATE leaves the corp's foreign-key checks (FOR KEY SHARE) unblocked, so customer
 * transfers and every other write go on. Group transfers are admin actions of a few calls a minute;
 * SQLite's single writer already serialises them.
 */
export async function lockCorpGroupTransfers(db: SqlDb, capabilities: StoreCapabilities, corpid: string): Promise<void> {
  if (capabilities.rowLocks) await db.get('SELECT corpid FROM corps WHERE corpid = ? FOR NO KEY UPDATE', [corpid]);
}

/** In-service transfers of each group started at or after `from` (behaviour §10.6: 2 in 90 × 24 h). */
export async function onjobStartsSince(db: SqlDb, corpid: string, chatIds: readonly string[], from: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (chatIds.length === 0) return counts;
  const rows = await db.all<{ chat_id: string; n: number }>(
    `SELECT chat_id, COUNT(*) AS n FROM group_transfers WHERE corpid = ? AND kind = 'groupchat_onjob' AND started_at >= ? AND chat_id IN (${listPlaceholders(chatIds.length)}) GROUP BY chat_id`,
    [corpid, from, ...chatIds],
  );
  for (const row of rows) counts.set(row.chat_id, Number(row.n));
  return counts;
}

/** Groups of each old owner assigned (any kind, any new owner) at or after `from` (behaviour §10.6: 300 a day). */
export async function assignedSince(db: SqlDb, corpid: string, owners: readonly string[], from: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (owners.length === 0) return counts;
  const rows = await db.all<{ handover_userid: string; n: number }>(
    `SELECT handover_userid, COUNT(*) AS n FROM group_transfers WHERE corpid = ? AND started_at >= ? AND handover_userid IN (${listPlaceholders(owners.length)}) GROUP BY handover_userid`,
    [corpid, from, ...owners],
  );
  for (const row of rows) counts.set(row.handover_userid, Number(row.n));
  return counts;
}

/**
 * Records accepted group transfers, one row at a time: the id comes from the shared transfer counter
 * (a trigger on SQLite, the sequence's default on PostgreSQL), so it is read back by its group, newest first.
 */
export async function insertGroupTransfers(db: SqlDb, transfers: readonly NewGroupTransfer[]): Promise<GroupTransfer[]> {
  const inserted: GroupTransfer[] = [];
  for (const t of transfers) {
    await db.run(
      'INSERT INTO group_transfers (corpid, chat_id, kind, handover_userid, takeover_userid, status, started_at, due_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [t.corpid, t.chatId, t.kind, t.handoverUserid, t.takeoverUserid, t.status, t.startedAt, t.dueAt, t.endedAt],
    );
    const row = await db.get<{ id: number }>('SELECT MAX(id) AS id FROM group_transfers WHERE corpid = ? AND chat_id = ?', [t.corpid, t.chatId]);
    inserted.push({ ...t, id: Number(row!.id) });
  }
  return inserted;
}

/**
 * Due inheritances, oldest first, as the customer takeover claim does it (queries/takeovers.ts): SKIP LOCKED
 * where nodes run side by side, and a waiting claim when the skipping one found nothing, so "nothing
 * claimed" means nothing due is in flight anywhere.
 */
export async function claimDueGroupTransfers(db: SqlDb, capabilities: StoreCapabilities, now: number, limit: number): Promise<GroupTransfer[]> {
  const claim = (lock: string) =>
    db.all<GroupTransferRow>(`SELECT ${COLUMNS} FROM group_transfers WHERE status = 2 AND due_at <= ? ORDER BY due_at, id LIMIT ?${lock}`, [now, limit]);
  let rows = await claim(capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '');
  if (rows.length === 0 && capabilities.skipLocked) rows = await claim(' FOR UPDATE');
  return rows.map(toGroupTransfer);
}

/** Marks in-progress transfers done; one that is no longer in progress was completed elsewhere: run again. */
export async function completeGroupTransfers(db: SqlDb, transfers: readonly GroupTransfer[]): Promise<void> {
  for (const t of transfers) {
    const { changes } = await db.run('UPDATE group_transfers SET status = ?, ended_at = ? WHERE id = ? AND status = 2', [t.status, t.endedAt, t.id]);
    if (changes !== 1) throw new WriteConflict(`group transfer ${t.id} is no longer in progress`);
  }
}

/** In-progress group transfers from or to this member (POST /admin/members/{userid}/resign answers 409). */
export async function inProgressGroupTransfersOf(db: SqlDb, corpid: string, userid: string): Promise<GroupTransfer[]> {
  const rows = await db.all<GroupTransferRow>(
    `SELECT ${COLUMNS} FROM group_transfers WHERE corpid = ? AND status = 2 AND (handover_userid = ? OR takeover_userid = ?) ORDER BY id`,
    [corpid, userid, userid],
  );
  return rows.map(toGroupTransfer);
}
