import type { SqlDb } from '../sql.js';
import type { StoredMessage } from '../store.js';

/**
 * One notice row per transfer call, shared by every customer the call started (migration 0013); the
 * transfers carry its id. Answers the id to give them.
 */
export async function insertNotice(db: SqlDb, corpid: string, content: string): Promise<number> {
  const row = await db.get<{ id: number }>('INSERT INTO notices (corpid, content) VALUES (?, ?) RETURNING id', [corpid, content]);
  return Number(row!.id);
}

/**
 * A customer's inbox, oldest first: the per-customer messages rows written before migration 0013 (none
 * since), then the notices of its transfers. A notice reads exactly as its messages row did: from the
 * handover, sent when the transfer started. `id` orders within each part only (the two id spaces differ).
 */
export async function messagesOf(db: SqlDb, corpid: string, externalUserid: string): Promise<StoredMessage[]> {
  const rows = await db.all<{ id: number; corpid: string; external_userid: string; from_userid: string; content: string; sent_at: number }>(
    `SELECT id, corpid, external_userid, from_userid, content, sent_at FROM (
       SELECT 0 AS part, id, corpid, external_userid, from_userid, content, sent_at FROM messages WHERE corpid = ? AND external_userid = ?
       UNION ALL
       SELECT 1 AS part, t.id, t.corpid, t.external_userid, t.handover_userid AS from_userid, n.content, t.started_at AS sent_at
       FROM transfers t JOIN notices n ON n.id = t.notice_id WHERE t.corpid = ? AND t.external_userid = ?
     ) AS inbox ORDER BY part, id`,
    [corpid, externalUserid, corpid, externalUserid],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    corpid: row.corpid,
    externalUserid: row.external_userid,
    fromUserid: row.from_userid,
    content: row.content,
    sentAt: Number(row.sent_at),
  }));
}
