import { toUnixSeconds } from '../domain/calendar.js';
import type { GroupChat, GroupChatMember } from '../domain/group-chat.js';
import type { FixtureGroupChat } from '../wire/group-chats.js';
import { AdminInputError, FieldReader } from './fixture-input.js';

/** A fixture corp's `groupchats` (behaviour §10.6): each owner must be one of the corp's members. */
export function readGroupChats(corp: FieldReader, corpid: string, memberUserids: ReadonlySet<string>, now: number): GroupChat[] {
  const chatIds = new Set<string>();
  return corp.array('groupchats', { optional: true }).map((value, i) => {
    const reader = FieldReader.object(value, `${corp.path}.groupchats[${i}]`);
    const chatId = reader.string('chat_id', { max: 128 });
    if (chatIds.has(chatId)) throw new AdminInputError(`${reader.path}.chat_id`, `${reader.path}.chat_id "${chatId}" appears twice`);
    chatIds.add(chatId);
    const owner = reader.string('owner');
    if (!memberUserids.has(owner)) throw new AdminInputError(`${reader.path}.owner`, `${reader.path}.owner "${owner}" is not a member of ${corpid}`);
    const seen = new Set<string>();
    const members = reader.array('members', { optional: true }).map((m, j): GroupChatMember => {
      const member = FieldReader.object(m, `${reader.path}.members[${j}]`);
      const userid = member.string('userid');
      if (seen.has(userid)) throw new AdminInputError(`${member.path}.userid`, `${member.path}.userid "${userid}" appears twice in the group`);
      seen.add(userid);
      const invitor = member.optionalText('invitor');
      return {
        userid,
        type: member.integer('type', { oneOf: [1, 2] }) as 1 | 2,
        joinTime: member.instant('join_time', now, { seconds: true }),
        joinScene: member.integer('join_scene', { fallback: 1, min: 0 }),
        invitor,
        groupNickname: member.text('group_nickname'),
      };
    });
    return {
      corpid,
      chatId,
      name: reader.text('name'),
      owner,
      createTime: reader.instant('create_time', now, { seconds: true }),
      notice: reader.text('notice'),
      members,
      admins: reader.stringArray('admins', []),
      inherited: reader.boolean('inherited', false),
    };
  });
}

export function groupChatsToFixture(groups: readonly GroupChat[]): FixtureGroupChat[] {
  return groups.map((g) => ({
    chat_id: g.chatId,
    name: g.name,
    owner: g.owner,
    create_time: toUnixSeconds(g.createTime),
    notice: g.notice,
    members: g.members.map((m) => ({
      userid: m.userid,
      type: m.type,
      join_time: toUnixSeconds(m.joinTime),
      join_scene: m.joinScene,
      ...(m.invitor ? { invitor: m.invitor } : {}),
      ...(m.groupNickname ? { group_nickname: m.groupNickname } : {}),
    })),
    admins: g.admins,
    ...(g.inherited ? { inherited: true } : {}),
  }));
}
