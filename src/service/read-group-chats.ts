import { toUnixSeconds } from '../domain/calendar.js';
import { type GroupChat, type GroupChatStatus, groupStatus } from '../domain/group-chat.js';
import { parseGroupChatGetQuery, parseGroupChatListQuery } from '../domain/group-chat-request.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import { isResigned } from '../domain/resigned-members.js';
import type { App, Member } from '../domain/types.js';
import { wecomError } from '../domain/wecom-error.js';
import type { GroupChatState, ReadsPort } from '../store/store.js';
import type { GroupChatInfo } from '../wire/group-chats.js';
import type { ServiceContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const CURSOR_KIND = 'g';

/** The owners of these groups as members, by userid (a resigned owner makes status 1). */
async function ownersOf(tx: ReadsPort, corpid: string, groups: readonly GroupChat[]): Promise<Map<string, Member>> {
  const userids = [...new Set(groups.map((g) => g.owner))];
  return new Map((await tx.getMembers(corpid, userids)).map((m) => [m.userid, m]));
}

export function statusOf(state: GroupChatState, owners: ReadonlyMap<string, Member>): GroupChatStatus {
  const owner = owners.get(state.group.owner);
  return groupStatus({ inherited: state.group.inherited, inheritanceInProgress: state.inheritanceInProgress, ownerResigned: owner !== undefined && isResigned(owner) });
}

/**
 * `groupchat/list` (behaviour §10.6): groups in chat_id order, keyset-paged. A group's status is decided per
 * row (it depends on its owner and its transfers), so with a status filter the store is read in chunks of
 * `limit` until the page is full or the groups run out.
 */
export async function listGroupChats(ctx: ServiceContext, app: App, body: unknown): Promise<{ groupChatList: { chat_id: string; status: GroupChatStatus }[]; nextCursor: string }> {
  const query = parseGroupChatListQuery(body);
  const after = query.cursor ? decodeCursor(query.cursor, CURSOR_KIND) : '';
  if (typeof after !== 'string') throw wecomError('INVALID_PARAMETER', 'cursor');
  const owners = query.owners?.filter(mayNameARecord) ?? null;
  if (owners?.length === 0) return { groupChatList: [], nextCursor: '' };
  return ctx.store.read(async (tx) => {
    const page: { chat_id: string; status: GroupChatStatus }[] = [];
    let position = after;
    for (;;) {
      const states = await tx.pageGroupChats(app.corpid, owners, position, query.limit);
      const members = await ownersOf(tx, app.corpid, states.map((s) => s.group));
      for (const state of states) {
        const status = statusOf(state, members);
        if (query.status === null || status === query.status) page.push({ chat_id: state.group.chatId, status });
        position = state.group.chatId;
        if (page.length === query.limit) return { groupChatList: page, nextCursor: encodeCursor(CURSOR_KIND, position) };
      }
      if (states.length < query.limit) return { groupChatList: page, nextCursor: '' };
    }
  });
}

/** `groupchat/get` (behaviour §10.6): unknown chat → 40050; members carry `name` only with need_name 1. */
export async function getGroupChat(ctx: ServiceContext, app: App, body: unknown): Promise<GroupChatInfo> {
  const query = parseGroupChatGetQuery(body);
  if (!mayNameARecord(query.chatId)) throw wecomError('INVALID_CHAT_ID', 'chat_id');
  return ctx.store.read(async (tx) => {
    const [state] = await tx.groupChatStates(app.corpid, [query.chatId]);
    if (!state) throw wecomError('INVALID_CHAT_ID', 'chat_id');
    const group = state.group;
    const names = query.needName ? await namesOf(tx, group) : new Map<string, string>();
    return {
      chat_id: group.chatId,
      name: group.name,
      owner: group.owner,
      create_time: toUnixSeconds(group.createTime),
      notice: group.notice,
      member_list: group.members.map((m) => {
        const name = names.get(`${m.type}:${m.userid}`);
        return {
          userid: m.userid,
          type: m.type,
          join_time: toUnixSeconds(m.joinTime),
          join_scene: m.joinScene,
          ...(m.invitor ? { invitor: { userid: m.invitor } } : {}),
          group_nickname: m.groupNickname,
          ...(query.needName && name !== undefined ? { name } : {}),
        };
      }),
      admin_list: group.admins.map((userid) => ({ userid })),
    };
  });
}

/** Names of the group's members (type 1, from the corp's members) and customers (type 2), keyed `type:userid`. */
async function namesOf(tx: ReadsPort, group: GroupChat): Promise<Map<string, string>> {
  const staff = group.members.filter((m) => m.type === 1).map((m) => m.userid);
  const customers = group.members.filter((m) => m.type === 2).map((m) => m.userid);
  const names = new Map<string, string>();
  for (const member of await tx.getMembers(group.corpid, staff)) names.set(`1:${member.userid}`, member.name);
  for (const customer of await tx.getCustomers(group.corpid, customers)) names.set(`2:${customer.externalUserid}`, customer.name);
  return names;
}
