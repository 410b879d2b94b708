import { describe, expect, it } from 'vitest';
import { FORBIDDEN_SECRET, NARROW_SECRET, THIRD_PARTY_SECRET } from '../../support/company.js';
import { BASIC_SECRET, BYSTANDER_GROUP, bystanderGroup, CREATE_TIME, group, groupCall, groupCompany, ONJOB_GROUP_SECRET, RESIGNED_GROUP_SECRET, statusesOf } from '../../support/groupchat-company.js';
import { useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

/**
 * `groupchat/list` and `groupchat/get` over HTTP on every backend (behaviour §10.6): statuses 0 and 1, the
 * filters, cursor paging, every code, permissions, and the fixture's `groupchats` (load, export, reset).
 */
const ALL = ['wrAlice1', 'wrAlice2', 'wrBystander', 'wrHank', 'wrRita1', 'wrRita2'];

describe.each(await testBackends())('customer group reads on %s (behaviour §10.6)', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany() });

  it('lists every group in chat_id order with its status: 1 for a resigned owner, 0 otherwise', async () => {
    expect(await statusesOf(h)).toEqual({ wrAlice1: 0, wrAlice2: 0, wrBystander: 0, wrHank: 0, wrRita1: 1, wrRita2: 1 });
    const page = await groupCall(h, 'list', { limit: 1000 });
    expect(page.group_chat_list.map((g: any) => g.chat_id)).toEqual(ALL);
    expect(page).toMatchObject({ errcode: 0, errmsg: 'ok', next_cursor: '' });
  });

  it('filters by status and by owner; status_filter 0 lists everything', async () => {
    expect((await groupCall(h, 'list', { limit: 10, status_filter: 1 })).group_chat_list).toEqual([
      { chat_id: 'wrRita1', status: 1 },
      { chat_id: 'wrRita2', status: 1 },
    ]);
    expect((await groupCall(h, 'list', { limit: 10, status_filter: 2 })).group_chat_list).toEqual([]);
    expect((await groupCall(h, 'list', { limit: 10, status_filter: 0 })).group_chat_list).toHaveLength(6);
    const byOwner = await groupCall(h, 'list', { limit: 10, owner_filter: { userid_list: ['alice', 'hank', 'nobody'] } });
    expect(byOwner.group_chat_list.map((g: any) => g.chat_id)).toEqual(['wrAlice1', 'wrAlice2', 'wrHank']);
    expect((await groupCall(h, 'list', { limit: 10, owner_filter: { userid_list: [] } })).group_chat_list).toHaveLength(6);
  });

  it('pages with an opaque cursor, also under a status filter, and ends with next_cursor ""', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await groupCall(h, 'list', { limit: 4, cursor });
      expect(page.group_chat_list.length).toBeLessThanOrEqual(4);
      seen.push(...page.group_chat_list.map((g: any) => g.chat_id));
      cursor = page.next_cursor;
      if (cursor === '') break;
    }
    expect(seen).toEqual(ALL);
    const first = await groupCall(h, 'list', { limit: 1, status_filter: 1 });
    expect(first.group_chat_list).toEqual([{ chat_id: 'wrRita1', status: 1 }]);
    const second = await groupCall(h, 'list', { limit: 1, status_filter: 1, cursor: first.next_cursor });
    expect(second.group_chat_list).toEqual([{ chat_id: 'wrRita2', status: 1 }]);
  });

  it('answers 40058 for a missing or out-of-range limit or a bad filter, 40035 for a cursor it did not issue', async () => {
    for (const body of [{}, { limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { limit: '10' }, { limit: 10, status_filter: 4 }, { limit: 10, owner_filter: { userid_list: [1] } }]) {
      const answer = await groupCall(h, 'list', body);
      expect(answer, JSON.stringify(body)).toMatchObject({ errcode: 40058, group_chat_list: [] });
    }
    expect(await groupCall(h, 'list', { limit: 10, cursor: 'not-ours' })).toMatchObject({ errcode: 40035, group_chat_list: [] });
    expect(await groupCall(h, 'list', 'not json{')).toMatchObject({ errcode: 40058 });
  });

  it('gets a group: members with invitor and nickname, admins, names only with need_name 1', async () => {
    const plain = await groupCall(h, 'get', { chat_id: 'wrAlice1' });
    expect(plain).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(plain.group_chat).toEqual({
      chat_id: 'wrAlice1',
      name: 'group wrAlice1',
      owner: 'alice',
      create_time: CREATE_TIME,
      notice: 'notice of wrAlice1',
      member_list: [
        { userid: 'alice', type: 1, join_time: CREATE_TIME, join_scene: 1, group_nickname: '' },
        { userid: 'bob', type: 1, join_time: CREATE_TIME + 30, join_scene: 2, group_nickname: 'nick bob' },
        { userid: 'wmCust00001', type: 2, join_time: CREATE_TIME + 60, join_scene: 3, invitor: { userid: 'alice' }, group_nickname: '' },
        { userid: 'wmShared', type: 2, join_time: CREATE_TIME + 60, join_scene: 3, invitor: { userid: 'alice' }, group_nickname: '' },
      ],
      admin_list: [{ userid: 'bob' }],
    });
    const named = await groupCall(h, 'get', { chat_id: 'wrAlice1', need_name: 1 });
    expect(named.group_chat.member_list.map((m: any) => m.name)).toEqual(['ALICE', 'BOB', 'Customer 1', 'Shared']);
    expect(await bystanderGroup(h)).toEqual(BYSTANDER_GROUP);
  });

  it('answers 40050 for an unknown chat and 40058 for a missing chat_id or a bad need_name', async () => {
    expect(await groupCall(h, 'get', { chat_id: 'wrNope' })).toMatchObject({ errcode: 40050 });
    expect((await groupCall(h, 'get', { chat_id: 'wrNope' })).errmsg).toMatch(/^invalid chatid/);
    expect(await groupCall(h, 'get', { chat_id: 'wr\u0000' })).toMatchObject({ errcode: 40050 });
    for (const body of [{}, { chat_id: '' }, { chat_id: 7 }, { chat_id: 'wrAlice1', need_name: 2 }]) {
      expect(await groupCall(h, 'get', body), JSON.stringify(body)).toMatchObject({ errcode: 40058 });
    }
  });

  it('reads need customer_basic or a group-transfer permission (third party), the callable list (self-built)', async () => {
    for (const secret of [ONJOB_GROUP_SECRET, RESIGNED_GROUP_SECRET, BASIC_SECRET, NARROW_SECRET]) {
      expect((await groupCall(h, 'list', { limit: 1 }, secret)).errcode, secret).toBe(0);
      expect((await groupCall(h, 'get', { chat_id: 'wrHank' }, secret)).errcode, secret).toBe(0);
    }
    for (const secret of [THIRD_PARTY_SECRET, FORBIDDEN_SECRET]) {
      expect(await groupCall(h, 'list', { limit: 1 }, secret), secret).toMatchObject({ errcode: 48002, group_chat_list: [] });
      expect((await groupCall(h, 'get', { chat_id: 'wrHank' }, secret)).errcode, secret).toBe(48002);
    }
  });

  it('exports groupchats as loaded, and a reload of the export reads the same', async () => {
    const exported = (await h.server.admin('GET', '/admin/fixtures')).corps[0];
    expect(exported.groupchats.map((g: any) => g.chat_id)).toEqual(ALL);
    expect(exported.groupchats.find((g: any) => g.chat_id === 'wrAlice1')).toEqual({
      ...group('wrAlice1', 'alice', ['bob', 'wmCust00001', 'wmShared']),
      members: [
        { userid: 'alice', type: 1, join_time: CREATE_TIME, join_scene: 1 },
        { userid: 'bob', type: 1, join_time: CREATE_TIME + 30, join_scene: 2, group_nickname: 'nick bob' },
        { userid: 'wmCust00001', type: 2, join_time: CREATE_TIME + 60, join_scene: 3, invitor: 'alice' },
        { userid: 'wmShared', type: 2, join_time: CREATE_TIME + 60, join_scene: 3, invitor: 'alice' },
      ],
    });
    const before = await groupCall(h, 'get', { chat_id: 'wrAlice1', need_name: 1 });
    await h.server.admin('POST', '/admin/fixtures', { corps: [exported] });
    expect(await groupCall(h, 'get', { chat_id: 'wrAlice1', need_name: 1 })).toMatchObject({ group_chat: before.group_chat });
    expect(await statusesOf(h)).toEqual({ wrAlice1: 0, wrAlice2: 0, wrBystander: 0, wrHank: 0, wrRita1: 1, wrRita2: 1 });
  });

  it('refuses a fixture whose group owner is not a member, or with a chat_id twice, and changes nothing', async () => {
    const bad = groupCompany({ extraGroups: [group('wrStranger', 'stranger')] });
    const response = await fetch(`${h.server.baseUrl}/admin/fixtures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ field: 'corps[0].groupchats[6].owner' });
    const twice = groupCompany({ extraGroups: [group('wrAlice1', 'alice')] });
    await expect(h.server.admin('POST', '/admin/fixtures', twice)).rejects.toThrow(/appears twice/);
    expect(await statusesOf(h)).toEqual({ wrAlice1: 0, wrAlice2: 0, wrBystander: 0, wrHank: 0, wrRita1: 1, wrRita2: 1 });
  });

  it('reset removes the groups with the corp', async () => {
    await h.server.admin('POST', '/admin/reset');
    expect((await h.server.admin('GET', '/admin/fixtures')).corps).toEqual([]);
  });
});
