import type { GroupChat, GroupChatMember } from '../../domain/group-chat.js';
import { chunkForParams, listPlaceholders, type SqlDb, type SqlValue, type StoreCapabilities, valuesPlaceholders, WriteConflict } from '../sql.js';
import type { GroupChatState } from '../ports/group-chats.js';

interface GroupChatRow {
  corpid: string;
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  members: string;
  admins: string;
  inherited: number;
}

interface StoredMember {
  userid: string;
  type: 1 | 2;
  join_time: number;
  join_scene: number;
  invitor: string | null;
  group_nickname: string;
}

const COLUMNS = 'corpid, chat_id, name, owner, create_time, notice, members, admins, inherited';
const G_COLUMNS = COLUMNS.split(', ').map((c) => `g.${c}`).join(', ');

function toGroupChat(row: GroupChatRow): GroupChat {
  return {
    corpid: row.corpid,
    chatId: row.chat_id,
    name: row.name,
    owner: row.owner,
    createTime: Number(row.create_time),
    notice: row.notice,
    members: (JSON.parse(row.members) as StoredMember[]).map(
      (m): GroupChatMember => ({ userid: m.userid, type: m.type, joinTime: m.join_time, joinScene: m.join_scene, invitor: m.invitor, groupNickname: m.group_nickname }),
    ),
    admins: JSON.parse(row.admins) as string[],
    inherited: Boolean(Number(row.inherited)),
  };
}

function membersJson(group: GroupChat): string {
  return JSON.stringify(
    group.members.map(
      (m): StoredMember => ({ userid: m.userid, type: m.type, join_time: m.joinTime, join_scene: m.joinScene, invitor: m.invitor, group_nickname: m.groupNickname }),
    ),
  );
}

const groupValues = (g: GroupChat): SqlValue[] => [g.corpid, g.chatId, g.name, g.owner, g.createTime, g.notice, membersJson(g), JSON.stringify(g.admins), g.inherited ? 1 : 0];

/** Fixture load: the corp's old groups went with deleteCorp. */
export async function insertGroupChats(db: SqlDb, capabilities: StoreCapabilities, groups: readonly GroupChat[]): Promise<void> {
  for (const chunk of chunkForParams(groups, 9, capabilities.maxParams)) {
    await db.run(`INSERT INTO groupchats (${COLUMNS}) VALUES ${valuesPlaceholders(chunk.length, 9)}`, chunk.flatMap(groupValues));
  }
}

export async function groupChatsOfCorp(db: SqlDb, corpid: string): Promise<GroupChat[]> {
  return (await db.all<GroupChatRow>(`SELECT ${COLUMNS} FROM groupchats WHERE corpid = ? ORDER BY chat_id`, [corpid])).map(toGroupChat);
}

type StateRow = GroupChatRow & { in_progress: number | boolean };

function toState(row: StateRow): GroupChatState {
  return { group: toGroupChat(row), inheritanceInProgress: Boolean(Number(row.in_progress)) };
}

const STATE_SELECT = `SELECT ${G_COLUMNS},
    CASE WHEN EXISTS (SELECT 1 FROM group_transfers t WHERE t.corpid = g.corpid AND t.chat_id = g.chat_id AND t.status = 2) THEN 1 ELSE 0 END AS in_progress
  FROM groupchats g`;

export async function groupChatStates(db: SqlDb, corpid: string, chatIds: readonly string[]): Promise<GroupChatState[]> {
  if (chatIds.length === 0) return [];
  const rows = await db.all<StateRow>(`${STATE_SELECT} WHERE g.corpid = ? AND g.chat_id IN (${listPlaceholders(chatIds.length)})`, [corpid, ...chatIds]);
  return rows.map(toState);
}

/** One page of a corp's groups in chat_id order after `afterChatId`, optionally only those of these owners. */
export async function pageGroupChatStates(db: SqlDb, corpid: string, owners: readonly string[] | null, afterChatId: string, limit: number): Promise<GroupChatState[]> {
  const ownerFilter = owners === null ? '' : ` AND g.owner IN (${listPlaceholders(owners.length)})`;
  const rows = await db.all<StateRow>(`${STATE_SELECT} WHERE g.corpid = ? AND g.chat_id > ?${ownerFilter} ORDER BY g.chat_id LIMIT ?`, [
    corpid,
    afterChatId,
    ...(owners ?? []),
    limit,
  ]);
  return rows.map(toState);
}

/**
 * Writes a group whose owner changed. `previousOwner` is the owner the decision was made on: if another
 * transaction changed it meanwhile, nothing is written and the whole transaction runs again on fresh facts.
 */
export async function updateGroupChat(db: SqlDb, group: GroupChat, previousOwner: string): Promise<void> {
  const { changes } = await db.run('UPDATE groupchats SET owner = ?, members = ?, admins = ?, inherited = ? WHERE corpid = ? AND chat_id = ? AND owner = ?', [
    group.owner,
    membersJson(group),
    JSON.stringify(group.admins),
    group.inherited ? 1 : 0,
    group.corpid,
    group.chatId,
    previousOwner,
  ]);
  if (changes !== 1) throw new WriteConflict(`group ${group.chatId} changed owner under this transaction`);
}
