import { afterEach, describe, expect, it } from 'vitest';
import { CORP, customerIds, FORBIDDEN_SECRET, NARROW_SECRET, testCompany } from '../../../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const [c1, c2] = customerIds(2) as [string, string];
const ALICE_TAGS = [
  { group_name: 'level', tag_name: 'gold', type: 1, tag_id: expect.stringMatching(/^et[0-9a-f]{24}$/) },
  { group_name: 'mine', tag_name: 'friend', type: 2 },
];

/** Architecture rule 10: after every test, victor and wmBystander are as the fixture made them. */
function checkBystanderAfterEach(h: Harness): void {
  afterEach(async () => {
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
}

describe.each(await testBackends())('read APIs on %s (behaviour §6)', (backend) => {
  const h = useHarness(backend);
  checkBystanderAfterEach(h);
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
    const none = await get('list', { userid: 'carol' });
    expect(none).toEqual({ errcode: 84061, errmsg: expect.stringMatching(/^not external contact/), external_userid: [] });
    expect(await get('list', { userid: 'alice' })).toEqual({ errcode: 0, errmsg: 'ok', external_userid: [...customerIds(10), 'wmShared'].sort() });
    expect(await get('list', { userid: 'alice\u0000' })).toMatchObject({ errcode: 40003, external_userid: [] });
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
    expect(tags).toEqual(ALICE_TAGS);
    expect(tags[1]).not.toHaveProperty('tag_id');
    expect(Object.keys(answer).sort()).toEqual(['errcode', 'errmsg', 'external_contact', 'follow_user']);
    expect((await get('get', { external_userid: c1 })).follow_user[0]).toMatchObject({ state: 'campaign-1', createtime: 1_700_000_000, oper_userid: 'alice' });
  });

  it('get: 40096 unknown, 84061 nobody follows, 41035 missing, each with follow_user: []', async () => {
    expect(await get('get', { external_userid: 'wmNope' })).toMatchObject({ errcode: 40096, follow_user: [] });
    expect(await get('get', { external_userid: 'wmOrphan' })).toMatchObject({ errcode: 84061, follow_user: [] });
    expect(await get('get', {})).toMatchObject({ errcode: 41035, follow_user: [] });
    expect(await get('get', { external_userid: 'wmBystander\u0000' })).toMatchObject({ errcode: 40096, follow_user: [] });
    // The narrow app does not see victor, the bystander's only follower.
    expect(await get('get', { external_userid: 'wmBystander' }, NARROW_SECRET)).toMatchObject({ errcode: 84061, follow_user: [] });
    const shared = await get('get', { external_userid: 'wmShared' }, NARROW_SECRET);
    expect(shared.follow_user.map((f: any) => f.userid)).toEqual(['alice', 'bob']);
  });

  it('batch/get_by_user: follow_info carries tag_id[] of corp tags only, the same ids as get', async () => {
    const tagId = (await get('get', { external_userid: c1 })).follow_user[0].tags[0].tag_id;
    const batch = await h.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query: { access_token: await h.token() }, body: { userid_list: ['alice'], limit: 1 } });
    expect(batch).toEqual({
      errcode: 0,
      errmsg: 'ok',
      external_contact_list: [
        {
          external_contact: { external_userid: c1, name: 'Customer 1', type: 1, avatar: '', gender: 0 },
          follow_info: {
            userid: 'alice',
            remark: `remark of ${c1}`,
            description: 'vip',
            createtime: 1_700_000_000,
            tag_id: [tagId],
            remark_mobiles: [],
            oper_userid: 'alice',
            add_way: 1,
            state: 'campaign-1',
          },
        },
      ],
      next_cursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
  });

  it('a refused transfer changes nothing the read APIs show', async () => {
    const before = await get('get', { external_userid: c1 });
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    expect(await get('get', { external_userid: c1 })).toEqual(before);
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await h.advance(86_400);
    expect(await get('get', { external_userid: c1 })).toEqual(before);
    expect(await get('list', { userid: 'carol' })).toMatchObject({ errcode: 84061, external_userid: [] });
  });

  it('after a takeover: in the takeover’s list, gone from the handover’s, add_way 202 and oper_userid = handover', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.advance(86_400);
    expect((await get('list', { userid: 'carol' })).external_userid).toEqual([c1]);
    expect((await get('list', { userid: 'alice' })).external_userid).not.toContain(c1);
    const contact = await get('get', { external_userid: c1 });
    expect(contact.follow_user).toHaveLength(1);
    expect(contact.follow_user[0]).toMatchObject({ userid: 'carol', add_way: 202, oper_userid: 'alice', remark: `remark of ${c1}`, description: 'vip' });
    expect(contact.follow_user[0].tags).toEqual(ALICE_TAGS);
    expect(contact.follow_user[0].tags[1]).not.toHaveProperty('tag_id');
    expect(await get('list', { userid: 'carol' })).toEqual({ errcode: 0, errmsg: 'ok', external_userid: [c1] });
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
    checkBystanderAfterEach(many);
    const batch = async (body: unknown) => many.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query: { access_token: await many.token() }, body });

    it('pages member by member with limit (default 50, clamped to 100) and an opaque cursor', async () => {
      const first = await batch({ userid_list: ['bob', 'alice'] });
      expect(first.external_contact_list).toHaveLength(50);
      expect(first.external_contact_list[0].follow_info).toMatchObject({ userid: 'bob' });
      const seen: string[] = [];
      let cursor = '';
      let pages = 0;
      const sizes: number[] = [];
      do {
        const page = await batch({ userid_list: ['bob', 'alice'], limit: 1000, ...(cursor ? { cursor } : {}) });
        expect(page.errcode).toBe(0);
        sizes.push(page.external_contact_list.length);
        seen.push(...page.external_contact_list.map((e: any) => `${e.follow_info.userid}:${e.external_contact.external_userid}`));
        cursor = page.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(sizes).toEqual([100, 100, 32]);
      expect(seen).toHaveLength(1 + 231);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen[0]).toBe('bob:wmShared');
    });

    it('pages with a smaller limit; a limit that is not a positive integer means the default 50', async () => {
      expect((await batch({ userid_list: ['alice'], limit: 7 })).external_contact_list).toHaveLength(7);
      for (const limit of [0, -5, '20', 2.5, null]) expect((await batch({ userid_list: ['alice'], limit })).external_contact_list).toHaveLength(50);
      const first = await batch({ userid_list: ['alice'], limit: 100 });
      const next = await batch({ userid_list: ['alice'], limit: 100, cursor: first.next_cursor });
      const ids = [...first.external_contact_list, ...next.external_contact_list].map((e: any) => e.external_contact.external_userid);
      expect(new Set(ids).size).toBe(200);
    });

    it.each([
      ['userid_list missing', {}, 41009],
      ['userid_list empty', { userid_list: [] }, 41009],
      ['a userid with a NUL byte', { userid_list: ['alice\u0000'] }, 40003],
      ['an unknown userid before a known one', { userid_list: ['ghost', 'alice'] }, 40003],
      ['101 userids', { userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) }, 40058],
      ['an unknown userid', { userid_list: ['alice', 'ghost'] }, 40003],
      ['a foreign cursor', { userid_list: ['alice'], cursor: 'eyJrIjoiZSIsInYiOiJ4In0' }, 40035],
    ])('%s → %s with external_contact_list: []', async (_name, body, code) => {
      expect(await batch(body)).toEqual({ errcode: code, errmsg: expect.any(String), external_contact_list: [] });
    });

    it('60011 for a member outside the narrow app’s visible range', async () => {
      const answer = await many.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', {
        query: { access_token: await many.token(NARROW_SECRET) },
        body: { userid_list: ['alice', 'victor'] },
      });
      expect(answer).toEqual({ errcode: 60011, errmsg: expect.any(String), external_contact_list: [] });
    });
  });

  it('all read APIs answer 48002 to an app that may not read customer contact', async () => {
    expect(await get('list', { userid: 'alice' }, FORBIDDEN_SECRET)).toEqual({ errcode: 48002, errmsg: expect.any(String), external_userid: [] });
    expect(await get('get', { external_userid: c2 }, FORBIDDEN_SECRET)).toEqual({ errcode: 48002, errmsg: expect.any(String), follow_user: [] });
    expect(
      await h.server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query: { access_token: await h.token(FORBIDDEN_SECRET) }, body: { userid_list: ['alice'] } }),
    ).toEqual({ errcode: 48002, errmsg: expect.any(String), external_contact_list: [] });
    expect(CORP).toMatch(/^ww/);
  });
});
