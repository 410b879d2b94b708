import { describe, expect, it } from 'vitest';
import { CORP, customerIds, FORBIDDEN_SECRET, NARROW_SECRET, testCompany } from '../../../support/company.js';
import { useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const [c1, c2] = customerIds(2) as [string, string];

describe.each(await testBackends())('read APIs on %s (spec §6)', (backend) => {
  const h = useHarness(backend);
  const get = async (path: string, query: Record<string, string>, secret?: string) =>
    h.server.wecom('GET', `/cgi-bin/externalcontact/${path}`, { query: { access_token: await h.token(secret), ...query } });

  it('get_follow_user_list: customer-contact members in the visible range', async () => {
    expect(await get('get_follow_user_list', {})).toEqual({
      errcode: 0,
      errmsg: 'ok',
      follow_user: ['alice', 'bob', 'carol', 'dave', 'erin', 'gina', 'hank', 'victor'],
    });
    expect((await get('get_follow_user_list', {}, NARROW_SECRET)).follow_user).toEqual(['alice', 'bob', 'carol']);
    expect(await get('get_follow_user_list', {}, FORBIDDEN_SECRET)).toMatchObject({ errcode: 48002, follow_user: [] });
  });

  it('list: the member’s customers; 84061 with an empty list for a member with none; 41009, 40003, 60011', async () => {
    expect(await get('list', { userid: 'bob' })).toEqual({ errcode: 0, errmsg: 'ok', external_userid: ['wmShared'] });
    expect(await get('list', { userid: 'carol' })).toMatchObject({ errcode: 84061, external_userid: [] });
    expect(await get('list', {})).toMatchObject({ errcode: 41009, external_userid: [] });
    expect(await get('list', { userid: 'ghost' })).toMatchObject({ errcode: 40003, external_userid: [] });
    expect(await get('list', { userid: 'victor' }, NARROW_SECRET)).toMatchObject({ errcode: 60011, external_userid: [] });
  });

  it('get: the customer and every visible follower, personal tags without tag_id', async () => {
    const answer = await get('get', { external_userid: 'wmShared' });
    expect(answer.external_contact).toEqual({ external_userid: 'wmShared', name: 'Shared', type: 2, avatar: '', gender: 0, corp_name: 'ACME', corp_full_name: 'ACME Ltd' });
    expect(answer.follow_user.map((f: any) => [f.userid, f.remark, f.add_way])).toEqual([
      ['alice', 'shared by alice', 1],
      ['bob', 'shared by bob', 2],
    ]);
    const tags = (await get('get', { external_userid: c1 })).follow_user[0].tags;
    expect(tags).toEqual([
      { group_name: 'level', tag_name: 'gold', type: 1, tag_id: expect.stringMatching(/^et[0-9a-f]{24}$/) },
      { group_name: 'mine', tag_name: 'friend', type: 2 },
    ]);
    expect((await get('get', { external_userid: c1 })).follow_user[0]).toMatchObject({ state: 'campaign-1', createtime: 1_700_000_000, oper_userid: 'alice' });
  });

  it('get: 40096 unknown, 84061 nobody follows, 41035 missing, each with follow_user: []', async () => {
    expect(await get('get', { external_userid: 'wmNope' })).toMatchObject({ errcode: 40096, follow_user: [] });
    expect(await get('get', { external_userid: 'wmOrphan' })).toMatchObject({ errcode: 84061, follow_user: [] });
    expect(await get('get', {})).toMatchObject({ errcode: 41035, follow_user: [] });
  });

  it('after a takeover: in the takeover’s list, gone from the handover’s, add_way 202 and oper_userid = handover', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.advance(86_400);
    expect((await get('list', { userid: 'carol' })).external_userid).toEqual([c1]);
    expect((await get('list', { userid: 'alice' })).external_userid).not.toContain(c1);
    const contact = await get('get', { external_userid: c1 });
    expect(contact.follow_user).toHaveLength(1);
    expect(contact.follow_user[0]).toMatchObject({ userid: 'carol', add_way: 202, oper_userid: 'alice', remark: `remark of ${c1}`, description: 'vip' });
    const batch = await h.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', {
      query: { access_token: await h.token() },
      body: { userid_list: ['carol'] },
    });
    expect(batch.external_contact_list).toEqual([
      {
        external_contact: expect.objectContaining({ external_userid: c1 }),
        follow_info: expect.objectContaining({ userid: 'carol', add_way: 202, oper_userid: 'alice', tag_id: [expect.stringMatching(/^et/)] }),
      },
    ]);
  });

  describe('batch/get_by_user paging', () => {
    const many = useHarness(backend, { fixture: () => testCompany({ customers: 230 }) });
    const batch = async (body: unknown) => many.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query: { access_token: await many.token() }, body });

    it('pages member by member with limit (default 50, clamped to 100) and an opaque cursor', async () => {
      const first = await batch({ userid_list: ['bob', 'alice'] });
      expect(first.external_contact_list).toHaveLength(50);
      expect(first.external_contact_list[0].follow_info).toMatchObject({ userid: 'bob' });
      const seen: string[] = [];
      let cursor = '';
      let pages = 0;
      do {
        const page = await batch({ userid_list: ['bob', 'alice'], limit: 1000, ...(cursor ? { cursor } : {}) });
        expect(page.errcode).toBe(0);
        expect(page.external_contact_list.length).toBeLessThanOrEqual(100);
        seen.push(...page.external_contact_list.map((e: any) => `${e.follow_info.userid}:${e.external_contact.external_userid}`));
        cursor = page.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(1 + 231);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen[0]).toBe('bob:wmShared');
    });

    it.each([
      ['userid_list missing', {}, 41009],
      ['101 userids', { userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) }, 40058],
      ['an unknown userid', { userid_list: ['alice', 'ghost'] }, 40003],
      ['a foreign cursor', { userid_list: ['alice'], cursor: 'eyJrIjoiZSIsInYiOiJ4In0' }, 40035],
    ])('%s → %i with external_contact_list: []', async (_name, body, code) => {
      expect(await batch(body)).toMatchObject({ errcode: code, external_contact_list: [] });
    });
  });

  it('all read APIs answer 48002 to an app that may not read customer contact', async () => {
    expect(await get('list', { userid: 'alice' }, FORBIDDEN_SECRET)).toMatchObject({ errcode: 48002 });
    expect(await get('get', { external_userid: c2 }, FORBIDDEN_SECRET)).toMatchObject({ errcode: 48002 });
    expect(CORP).toMatch(/^ww/);
  });
});
