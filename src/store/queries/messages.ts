import { chunkForParams, type SqlDb, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { NewMessage, StoredMessage } from '../store.js';

const MESSAGE_COLUMNS = 5;

export async function insertMessages(db: SqlDb, capabilities: StoreCapabilities, messages: readonly NewMessage[]): Promise<void> {
  for (const chunk of chunkForParams(messages, MESSAGE_COLUMNS, capabilities.maxParams)) {
    await db.run(
      `INSERT INTO messages (corpid, external_userid, from_userid, content, sent_at) VALUES ${valuesPlaceholders(chunk.length, MESSAGE_COLUMNS)}`,
      chunk.flatMap((m) => [m.corpid, m.externalUserid, m.fromUserid, m.content, m.sentAt]),
    );
  }
}

export async function messagesOf(db: SqlDb, corpid: string, externalUserid: string): Promise<StoredMessage[]> {
  const rows = await db.all<{ id: number; corpid: string; external_userid: string; from_userid: string; content: string; sent_at: number }>(
    'SELECT id, corpid, external_userid, from_userid, content, sent_at FROM messages WHERE corpid = ? AND external_userid = ? ORDER BY id',
    [corpid, externalUserid],
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
