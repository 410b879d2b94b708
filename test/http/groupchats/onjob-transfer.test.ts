import { describe, expect, it } from 'vitest';
import { NARROW_SECRET, THIRD_PARTY_SECRET } from '../../support/company.js';
import { expectBystandersUntouched, freezeClock, group, groupCall, groupCompany, groupEvents, ONJOB_GROUP_SECRET, RESIGNED_GROUP_SECRET, statusesOf } from '../../support/groupchat-company.js';
import { type Harness, useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

/**
 * `groupchat/onjob_transfer` over HTTP on every backend (behaviour §7.4, §10.6): every whole-call code in
 * order, every per-group code, the immediate owner change and its event, both limits, and the bystander.
 */
const DAY = 86_400;
const onjob = (h: Harness, chatIds: unknown, newOwner: unknown, secret?: string) =>
  groupCall(h, 'onjob_transfer', { chat_id_list: chatIds, new_owner: newOwner }, secret);
const ownerOf = async (h: Harness, chatId: string) => (await groupCall(h, 'get', { chat_id: chatId })).group_chat.owner;

describe.each(await testBackends())('groupchat/onjob_transfer on %s (behaviour §10.6)', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany() });

  it('changes the owner at once: old owner stays a member, new owner joins, status stays 0, one change_owner event', async () => {
    const now = await freezeClock(h);
    expect(await onjob(h, ['wrAlice2'], 'carol')).toEqual({ errcode: 0, errmsg: 'ok', failed_chat_list: [] });
    const { group_chat } = await groupCall(h, 'get', { chat_id: 'wrAlice2' });
    expect(group_chat.owner).toBe('carol');
    expect(group_chat.member_list.map((m: any) => m.userid)).toEqual(['alice', 'wmCust00002', 'carol']);
    expect(group_chat.member_list[2]).toEqual({ userid: 'carol', type: 1, join_time: Math.floor(now / 1000), join_scene: 1, invitor: { userid: 'alice' }, group_nickname: '' });
    expect((await statusesOf(h))['wrAlice2']).toBe(0);
    expect(await groupEvents(h)).toEqual([{ ChatId: 'wrAlice2', ChangeType: 'update', UpdateDetail: 'change_owner' }]);
    // A member who already is in the group is not added twice, and leaves admin_list as owner.
    expect(await onjob(h, ['wrAlice1'], 'bob')).toMatchObject({ errcode: 0, failed_chat_list: [] });
    const first = (await groupCall(h, 'get', { chat_id: 'wrAlice1' })).group_chat;
    expect(first.member_list.map((m: any) => m.userid)).toEqual(['alice', 'bob', 'wmCust00001', 'wmShared']);
    expect(first.admin_list).toEqual([]);
    const listed = await groupCall(h, 'list', { limit: 10, owner_filter: { userid_list: ['bob', 'carol'] } });
    expect(listed.group_chat_list).toEqual([
      { chat_id: 'wrAlice1', status: 0 },
      { chat_id: 'wrAlice2', status: 0 },
    ]);
    await expectBystandersUntouched(h);
  });

  it('answers the whole-call codes in the spec’s order, with failed_chat_list [] and nothing changed', async () => {
    const cases: [unknown, number, string?][] = [
      [{ chat_id_list: ['wrAlice1'], new_owner: 'bob' }, 48002, THIRD_PARTY_SECRET],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'bob' }, 48002, RESIGNED_GROUP_SECRET],
      ['{"chat_id_list": [', 40058],
      [{ new_owner: 'bob' }, 40058],
      [{ chat_id_list: [], new_owner: 'bob' }, 40058],
      [{ chat_id_list: [1], new_owner: 'bob' }, 40058],
      [{ chat_id_list: 'wrAlice1', new_owner: 'bob' }, 40058],
      [{ chat_id_list: Array.from({ length: 101 }, (_, i) => `wr${i}`), new_owner: 'bob' }, 40058],
      [{ chat_id_list: [] }, 40058],
      [{ chat_id_list: ['wrAlice1'] }, 41009],
      [{ chat_id_list: ['wrAlice1'], new_owner: '' }, 41009],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'nobody' }, 40003],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'rita' }, 40003],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'hank' }, 60011, NARROW_SECRET],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'frank' }, 610004],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'dave' }, 41054],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'erin' }, 40098],
      [{ chat_id_list: ['wrAlice1'], new_owner: 'gina' }, 41054],
    ];
    for (const [body, errcode, secret] of cases) {
      const answer = await groupCall(h, 'onjob_transfer', body, secret);
      expect(answer, JSON.stringify(body)).toMatchObject({ errcode, failed_chat_list: [] });
    }
    expect((await groupCall(h, 'onjob_transfer', { chat_id_list: ['wrAlice1'], new_owner: 'rita' })).errmsg).toMatch(/resigned/);
    expect((await onjob(h, ['wrAlice1'], 'bob', ONJOB_GROUP_SECRET)).errcode).toBe(0);
    expect(await ownerOf(h, 'wrAlice1')).toBe('bob');
    expect(await groupEvents(h)).toHaveLength(1);
    await expectBystandersUntouched(h);
  });

  it('answers per-group codes in request order, duplicates included: 90501, 90502, 90504, 60011, and moves the rest', async () => {
    const answer = await onjob(h, ['wrNope', 'wrRita1', 'wrAlice1', 'wrAlice1', 'wrAlice2'], 'bob');
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      failed_chat_list: [
        { chat_id: 'wrNope', errcode: 90501, errmsg: 'chat is not external group chat' },
        { chat_id: 'wrRita1', errcode: 90502, errmsg: 'the owner of this chat is resigned' },
        { chat_id: 'wrAlice1', errcode: 90504, errmsg: 'the new owner is the owner of this chat' },
      ],
    });
    expect(await ownerOf(h, 'wrAlice1')).toBe('bob');
    expect(await ownerOf(h, 'wrAlice2')).toBe('bob');
    expect((await onjob(h, ['wrAlice1'], 'bob')).failed_chat_list).toEqual([{ chat_id: 'wrAlice1', errcode: 90504, errmsg: 'the new owner is the owner of this chat' }]);
    // The narrow app sees alice, bob and carol: hank's group is out of its range.
    const narrow = await onjob(h, ['wrHank', 'wrAlice1'], 'carol', NARROW_SECRET);
    expect(narrow.failed_chat_list).toEqual([{ chat_id: 'wrHank', errcode: 60011, errmsg: expect.stringMatching(/^no privilege/) }]);
    expect(await ownerOf(h, 'wrHank')).toBe('hank');
    expect(await ownerOf(h, 'wrRita1')).toBe('rita');
    await expectBystandersUntouched(h);
  });

  it('allows 2 in-service transfers of a group per 90 × 24 h: the third gets 40128 until the first leaves the window', async () => {
    await freezeClock(h);
    expect((await onjob(h, ['wrAlice1'], 'bob')).failed_chat_list).toEqual([]);
    await h.advance(DAY);
    expect((await onjob(h, ['wrAlice1'], 'alice')).failed_chat_list).toEqual([]);
    await h.advance(90 * DAY - DAY - 1);
    const third = await onjob(h, ['wrAlice1', 'wrAlice2'], 'carol');
    expect(third.failed_chat_list).toEqual([{ chat_id: 'wrAlice1', errcode: 40128, errmsg: expect.stringMatching(/^customer transfer too frequently/) }]);
    expect(await ownerOf(h, 'wrAlice1')).toBe('alice');
    // A start exactly 90 × 24 h ago still counts (as for customers, behaviour §9.1.7); one second later it does not.
    await h.advance(1);
    expect((await onjob(h, ['wrAlice1'], 'carol')).failed_chat_list).toHaveLength(1);
    await h.advance(1);
    expect((await onjob(h, ['wrAlice1'], 'carol')).failed_chat_list).toEqual([]);
    expect(await ownerOf(h, 'wrAlice1')).toBe('carol');
    await expectBystandersUntouched(h);
  });

  it('assigns at most 300 groups of one old owner per calendar day in UTC+8, whatever the new owner', async () => {
    const many = Array.from({ length: 305 }, (_, i) => group(`wrMany${String(i).padStart(3, '0')}`, 'alice'));
    await h.server.admin('POST', '/admin/fixtures', groupCompany({ extraGroups: many }));
    const now = await freezeClock(h);
    // One minute before midnight in China, so the next day is one advance away.
    const nextMidnight = Math.floor((now + 8 * 3_600_000) / 86_400_000 + 1) * 86_400_000 - 8 * 3_600_000;
    await h.server.admin('POST', '/admin/clock', { set: new Date(nextMidnight - 60_000).toISOString() });
    const ids = many.map((g) => g.chat_id);
    for (let i = 0; i < 300; i += 100) expect((await onjob(h, ids.slice(i, i + 100), i < 200 ? 'bob' : 'carol')).failed_chat_list).toEqual([]);
    const over = await onjob(h, [ids[300]!, 'wrHank'], 'carol');
    expect(over.failed_chat_list).toEqual([{ chat_id: ids[300], errcode: 40128, errmsg: expect.stringContaining('more than 300 chats of alice assigned today') }]);
    expect(await ownerOf(h, 'wrHank')).toBe('carol');
    await h.advance(60);
    expect((await onjob(h, ids.slice(300), 'carol')).failed_chat_list).toEqual([]);
    await expectBystandersUntouched(h);
  });

});

describe.each(await testBackends())('group callbacks switched off on %s', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany(), env: { HANDOVER_GROUP_CALLBACKS: 'off' } });

  it('changes the owner and writes no event', async () => {
    expect((await onjob(h, ['wrAlice1'], 'bob')).errcode).toBe(0);
    expect(await ownerOf(h, 'wrAlice1')).toBe('bob');
    expect(await groupEvents(h)).toEqual([]);
  });
});
