import { describe, expect, it } from 'vitest';
import { AGENT, CORP } from '../../support/company.js';
import { expectBystandersUntouched, freezeClock, groupCall, groupCompany, groupEvents, ONJOB_GROUP_SECRET, RESIGNED_GROUP_SECRET, statusesOf } from '../../support/groupchat-company.js';
import { type Harness, useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, waitFor } from '../../outbox/receiver.js';

/**
 * `groupchat/transfer` (resigned owners) over HTTP on every backend (behaviour §7.5, §10.6): status 1 → 2 for
 * 60 s of server clock → 3, the owner change at the due time with its event, 90507/90508/90500, a later
 * onjob transfer of an inherited group, and the engine completing an inheritance by itself.
 */
const inherit = (h: Harness, chatIds: unknown, newOwner: unknown, secret?: string) => groupCall(h, 'transfer', { chat_id_list: chatIds, new_owner: newOwner }, secret);
const getGroup = async (h: Harness, chatId: string) => (await groupCall(h, 'get', { chat_id: chatId })).group_chat;

describe.each(await testBackends())('groupchat/transfer on %s (behaviour §10.6)', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany() });

  it('is in progress (status 2) for 60 s of server clock, then done (3): owner changes, the resigned owner leaves, one event', async () => {
    const t0 = await freezeClock(h);
    expect(await inherit(h, ['wrRita1', 'wrRita2'], 'carol')).toEqual({ errcode: 0, errmsg: 'ok', failed_chat_list: [] });
    expect(await statusesOf(h)).toMatchObject({ wrRita1: 2, wrRita2: 2, wrAlice1: 0 });
    expect((await getGroup(h, 'wrRita1')).owner).toBe('rita');
    expect(await groupEvents(h)).toEqual([]);

    await h.advance(59);
    expect(await statusesOf(h)).toMatchObject({ wrRita1: 2, wrRita2: 2 });
    expect((await getGroup(h, 'wrRita1')).owner).toBe('rita');

    await h.advance(1);
    expect(await statusesOf(h)).toMatchObject({ wrRita1: 3, wrRita2: 3, wrAlice1: 0 });
    const done = await getGroup(h, 'wrRita1');
    expect(done.owner).toBe('carol');
    // carol was a member (and admin) already: she stays once and leaves admin_list; rita is gone.
    expect(done.member_list.map((m: any) => m.userid)).toEqual(['carol', 'wmCust00003']);
    expect(done.admin_list).toEqual([]);
    const second = await getGroup(h, 'wrRita2');
    expect(second.member_list.map((m: any) => [m.userid, m.join_time])).toEqual([
      ['alice', 1_700_000_030],
      ['carol', Math.floor(t0 / 1000) + 60],
    ]);
    expect(await groupEvents(h)).toEqual([
      { ChatId: 'wrRita1', ChangeType: 'update', UpdateDetail: 'change_owner' },
      { ChatId: 'wrRita2', ChangeType: 'update', UpdateDetail: 'change_owner' },
    ]);
    expect((await groupCall(h, 'list', { limit: 10, status_filter: 3 })).group_chat_list).toEqual([
      { chat_id: 'wrRita1', status: 3 },
      { chat_id: 'wrRita2', status: 3 },
    ]);
    await h.advance(3600);
    expect(await groupEvents(h)).toHaveLength(2);
    await expectBystandersUntouched(h);
  });

  it('answers per-group 90501, 90507 (duplicate and later call), 90500, and 90508 after completion', async () => {
    await freezeClock(h);
    const first = await inherit(h, ['wrNope', 'wrRita1', 'wrRita1', 'wrAlice1'], 'carol');
    expect(first.failed_chat_list).toEqual([
      { chat_id: 'wrNope', errcode: 90501, errmsg: 'chat is not external group chat' },
      { chat_id: 'wrRita1', errcode: 90507, errmsg: 'chat is being transferred' },
      { chat_id: 'wrAlice1', errcode: 90500, errmsg: 'the owner of this chat is not resigned' },
    ]);
    expect((await inherit(h, ['wrRita1'], 'bob')).failed_chat_list).toEqual([{ chat_id: 'wrRita1', errcode: 90507, errmsg: 'chat is being transferred' }]);
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrRita1'], new_owner: 'bob' })).failed_chat_list).toEqual([
      { chat_id: 'wrRita1', errcode: 90502, errmsg: 'the owner of this chat is resigned' },
    ]);
    await h.advance(60);
    expect((await inherit(h, ['wrRita1'], 'bob')).failed_chat_list).toEqual([{ chat_id: 'wrRita1', errcode: 90508, errmsg: 'chat has been transferred' }]);
    expect((await getGroup(h, 'wrRita1')).owner).toBe('carol');
    await expectBystandersUntouched(h);
  });

  it('refuses a resigned, unknown or ineligible new owner for the whole call (so 90504 cannot arise here)', async () => {
    expect((await inherit(h, ['wrRita1'], 'rita')).errcode).toBe(40003);
    expect((await inherit(h, ['wrRita1'], 'nobody')).errcode).toBe(40003);
    expect((await inherit(h, ['wrRita1'], 'frank')).errcode).toBe(610004);
    expect(await statusesOf(h)).toMatchObject({ wrRita1: 1, wrRita2: 1 });
  });

  it('needs resigned_groupchat_transfer (third party); onjob_groupchat_transfer alone is 48002', async () => {
    expect(await inherit(h, ['wrRita1'], 'carol', ONJOB_GROUP_SECRET)).toMatchObject({ errcode: 48002, failed_chat_list: [] });
    expect(await inherit(h, ['wrRita1'], 'carol', RESIGNED_GROUP_SECRET)).toEqual({ errcode: 0, errmsg: 'ok', failed_chat_list: [] });
    expect(await statusesOf(h)).toMatchObject({ wrRita1: 2 });
  });

  it('keeps status 3 while the new owner serves: an onjob transfer then works as for any group; a resigned new owner makes it 1 again', async () => {
    await freezeClock(h);
    await inherit(h, ['wrRita1'], 'carol');
    await h.advance(60);
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrRita1'], new_owner: 'bob' })).failed_chat_list).toEqual([]);
    expect((await getGroup(h, 'wrRita1')).owner).toBe('bob');
    expect((await statusesOf(h))['wrRita1']).toBe(3);

    const exported = await h.server.admin('GET', '/admin/fixtures');
    const bob = exported.corps[0].members.find((m: any) => m.userid === 'bob');
    bob.dimission_time = Math.floor(Date.parse((await h.server.admin('GET', '/admin/clock')).now) / 1000);
    await h.server.admin('POST', '/admin/fixtures', exported);
    expect((await statusesOf(h))['wrRita1']).toBe(1);
    expect((await inherit(h, ['wrRita1'], 'alice')).failed_chat_list).toEqual([]);
    expect((await statusesOf(h))['wrRita1']).toBe(2);
  });

  it('refuses to resign the new or old owner of an inheritance in progress (409); afterwards the group waits again', async () => {
    await freezeClock(h);
    await inherit(h, ['wrRita1'], 'carol');
    const resign = (userid: string) =>
      fetch(`${h.server.baseUrl}/admin/members/${userid}/resign`, { method: 'POST', headers: { authorization: `Bearer ${h.server.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    for (const userid of ['carol', 'rita']) {
      const refused = await resign(userid);
      expect(refused.status, userid).toBe(409);
      expect(((await refused.json()) as any).error.message).toMatch(/group transfer in progress \(chat wrRita1\)/);
    }
    expect((await statusesOf(h))['wrRita1']).toBe(2);
    await h.advance(60);
    expect((await resign('carol')).status).toBe(200);
    // carol resigned: the group she inherited waits for inheritance again, and she cannot be a new owner.
    expect((await statusesOf(h))['wrRita1']).toBe(1);
    expect((await inherit(h, ['wrRita2'], 'carol')).errcode).toBe(40003);
    expect((await inherit(h, ['wrRita1'], 'bob')).failed_chat_list).toEqual([]);
    await expectBystandersUntouched(h);
  });

  it('lists group transfers in GET /admin/transfers with customer transfers, one id sequence: in_progress (2), then done (1)', async () => {
    const t0 = await freezeClock(h);
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrAlice1'], new_owner: 'bob' })).failed_chat_list).toEqual([]);
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: ['wmCust00005'] })).customer[0].errcode).toBe(0);
    await inherit(h, ['wrRita1'], 'carol');
    const iso = (ms: number) => new Date(ms).toISOString();
    const before = (await h.server.admin('GET', `/admin/transfers?corpid=${CORP}`)).transfers;
    expect(before.map((t: any) => [t.kind, t.chat_id ?? t.external_userid, t.status, t.outcome])).toEqual([
      ['groupchat_onjob', 'wrAlice1', 1, 'done'],
      ['onjob', 'wmCust00005', 2, 'waiting'],
      ['groupchat_resigned', 'wrRita1', 2, 'in_progress'],
    ]);
    expect(before.map((t: any) => t.id)).toEqual([...before.map((t: any) => t.id)].sort((a: number, b: number) => a - b));
    expect(new Set(before.map((t: any) => t.id)).size).toBe(3);
    expect(before[2]).toEqual({
      id: before[2].id,
      kind: 'groupchat_resigned',
      corpid: CORP,
      chat_id: 'wrRita1',
      handover_userid: 'rita',
      takeover_userid: 'carol',
      status: 2,
      started_at: iso(t0),
      due_at: iso(t0 + 60_000),
      ended_at: null,
      outcome: 'in_progress',
    });
    await h.advance(60);
    const after = (await h.server.admin('GET', '/admin/transfers?kind=groupchat_resigned')).transfers;
    expect(after).toEqual([{ ...before[2], status: 1, ended_at: iso(t0 + 60_000), outcome: 'done' }]);
    expect((await h.server.admin('GET', `/admin/transfers?chat_id=wrAlice1`)).transfers.map((t: any) => t.kind)).toEqual(['groupchat_onjob']);
    expect((await h.server.admin('GET', `/admin/transfers?after_id=${before[0].id}&limit=1`)).transfers.map((t: any) => t.kind)).toEqual(['onjob']);
  });

  it('does not count an inheritance toward the 2 in-service transfers per 90 days', async () => {
    await freezeClock(h);
    await inherit(h, ['wrRita1'], 'carol');
    await h.advance(60);
    // Two onjob transfers after the inheritance: the inheritance did not use up one of the 2.
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrRita1'], new_owner: 'bob' })).failed_chat_list).toEqual([]);
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrRita1'], new_owner: 'carol' })).failed_chat_list).toEqual([]);
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrRita1'], new_owner: 'bob' })).failed_chat_list[0].errcode).toBe(40128);
  });
});

describe.each(await testBackends())('the engine completes group inheritances on its own on %s', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany(), env: { HANDOVER_GROUP_INHERIT_SECONDS: '1' } });

  it('at the due time on the running clock, and delivers change_owner to the app’s callback', async () => {
    const receiver = await startReceiver(CORP);
    try {
      await h.server.admin('PUT', `/admin/apps/${AGENT}/callback?corpid=${CORP}`, { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY });
      expect((await inherit(h, ['wrRita2'], 'bob')).failed_chat_list).toEqual([]);
      await waitFor(async () => (await statusesOf(h))['wrRita2'] === 3, 15_000);
      expect((await getGroup(h, 'wrRita2')).owner).toBe('bob');
      await waitFor(async () => (await h.server.admin('GET', `/admin/events?corpid=${CORP}&status=delivered`)).events.length === 1, 15_000);
      const [event] = (await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events;
      expect(event).toMatchObject({ agentid: AGENT, type: 'change_external_chat', status: 'delivered', payload: { ChatId: 'wrRita2', ChangeType: 'update', UpdateDetail: 'change_owner' } });
      expect(receiver.agentIds).toEqual([String(AGENT)]);
      // handover/receiver parsed it into the typed group event before answering 200 (delivered).
      expect(receiver.chatEvents).toEqual([
        { ToUserName: CORP, FromUserName: 'sys', CreateTime: expect.any(Number), MsgType: 'event', Event: 'change_external_chat', ChatId: 'wrRita2', ChangeType: 'update', UpdateDetail: 'change_owner' },
      ]);
      expect(receiver.events).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
