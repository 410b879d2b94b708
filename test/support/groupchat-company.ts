import type { Fixture } from '../../src/wire/admin.js';
import type { FixtureGroupChat } from '../../src/wire/group-chats.js';
import { testCompany } from './company.js';
import { BYSTANDER_STATE, type Harness } from './harness.js';
import { expect } from 'vitest';

/**
 * testCompany() with customer groups (behaviour §10.6) and a resigned member:
 *  - alice owns wrAlice1 and wrAlice2 (with bob and customers in them); rita resigned 10 days ago and owns
 *    wrRita1, wrRita2; hank owns wrHank (outside the narrow app's range);
 *  - victor owns wrBystander, which nobody transfers (architecture rule 10);
 *  - apps: third-party with only onjob_groupchat_transfer, only resigned_groupchat_transfer, only customer_basic.
 */
export const ONJOB_GROUP_SECRET = 'test-secret-tp-onjob-groupchat';
export const RESIGNED_GROUP_SECRET = 'test-secret-tp-resigned-groupchat';
export const BASIC_SECRET = 'test-secret-tp-customer-basic';
export const CREATE_TIME = 1_700_000_000;

export function group(chatId: string, owner: string, others: string[] = [], extra: Partial<FixtureGroupChat> = {}): FixtureGroupChat {
  return {
    chat_id: chatId,
    name: `group ${chatId}`,
    owner,
    create_time: CREATE_TIME,
    notice: `notice of ${chatId}`,
    members: [
      { userid: owner, type: 1, join_time: CREATE_TIME, join_scene: 1 },
      ...others.map((userid) =>
        userid.startsWith('wm')
          ? { userid, type: 2 as const, join_time: CREATE_TIME + 60, join_scene: 3, invitor: owner }
          : { userid, type: 1 as const, join_time: CREATE_TIME + 30, join_scene: 2, group_nickname: `nick ${userid}` },
      ),
    ],
    admins: others.filter((u) => !u.startsWith('wm')).slice(0, 1),
    ...extra,
  };
}

export function groupCompany(options: { now?: Date; extraGroups?: FixtureGroupChat[] } = {}): Fixture {
  const now = options.now ?? new Date();
  const fixture = testCompany({ now });
  const corp = fixture.corps[0]!;
  corp.members!.push({ userid: 'rita', name: 'RITA', dimission_time: Math.floor(now.getTime() / 1000) - 10 * 86_400 });
  corp.apps!.push(
    { agentid: 1000006, secret: ONJOB_GROUP_SECRET, kind: 'third_party', permissions: ['onjob_groupchat_transfer'] },
    { agentid: 1000007, secret: RESIGNED_GROUP_SECRET, kind: 'third_party', permissions: ['resigned_groupchat_transfer'] },
    { agentid: 1000008, secret: BASIC_SECRET, kind: 'third_party', permissions: ['customer_basic'] },
  );
  corp.groupchats = [
    group('wrAlice1', 'alice', ['bob', 'wmCust00001', 'wmShared']),
    group('wrAlice2', 'alice', ['wmCust00002']),
    group('wrRita1', 'rita', ['carol', 'wmCust00003']),
    group('wrRita2', 'rita', ['alice']),
    group('wrHank', 'hank', ['wmCust00004']),
    group('wrBystander', 'victor', ['wmBystander']),
    ...(options.extraGroups ?? []),
  ];
  return fixture;
}

type GroupApi = 'list' | 'get' | 'onjob_transfer' | 'transfer';

/** Calls one group API with a fresh token of `secret` (the main self-built app by default). */
export async function groupCall(h: Harness, api: GroupApi, body: unknown, secret?: string): Promise<any> {
  return h.server.wecom('POST', `/cgi-bin/externalcontact/groupchat/${api}`, { query: { access_token: await h.token(secret) }, body });
}

/** Every group's status, as `groupchat/list` answers it in one page. */
export async function statusesOf(h: Harness): Promise<Record<string, number>> {
  const page = await groupCall(h, 'list', { limit: 1000 });
  return Object.fromEntries(page.group_chat_list.map((g: { chat_id: string; status: number }) => [g.chat_id, g.status]));
}

/** The bystander group as groupchat/get shows it, for "unchanged" assertions (architecture rule 10). */
export async function bystanderGroup(h: Harness): Promise<unknown> {
  return (await groupCall(h, 'get', { chat_id: 'wrBystander', need_name: 1 })).group_chat;
}

export const BYSTANDER_GROUP = {
  chat_id: 'wrBystander',
  name: 'group wrBystander',
  owner: 'victor',
  create_time: CREATE_TIME,
  notice: 'notice of wrBystander',
  member_list: [
    { userid: 'victor', type: 1, join_time: CREATE_TIME, join_scene: 1, group_nickname: '', name: 'VICTOR' },
    { userid: 'wmBystander', type: 2, join_time: CREATE_TIME + 60, join_scene: 3, invitor: { userid: 'victor' }, group_nickname: '', name: 'Bystander' },
  ],
  admin_list: [],
};

/** The outbox rows of group events, as (type, payload) pairs. */
export async function groupEvents(h: Harness): Promise<unknown[]> {
  const events = (await h.server.admin('GET', '/admin/events')).events as { type: string; payload: Record<string, string> }[];
  return events.filter((e) => e.type === 'change_external_chat').map((e) => e.payload);
}

/** Freezes the server clock and answers the instant it stands at (epoch ms). */
export async function freezeClock(h: Harness): Promise<number> {
  return Date.parse((await h.server.admin('POST', '/admin/clock', { freeze: true })).now);
}

/** The bystander group and the bystander customer are as loaded (architecture rule 10). */
export async function expectBystandersUntouched(h: Harness): Promise<void> {
  expect(await bystanderGroup(h)).toEqual(BYSTANDER_GROUP);
  expect(await h.bystander()).toEqual(BYSTANDER_STATE);
}
