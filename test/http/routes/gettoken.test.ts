import { describe, expect, it } from 'vitest';
import type { Fixture, FixtureCorp } from '../../../src/wire/admin.js';
import { CORP, customerIds, NARROW_SECRET, SECRET, testCompany } from '../../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

const ERRMSG = /^[^,]+(: [^,]*)?, hint: \[\d+_\d+_[0-9a-f]{32}\], from ip: [^,]+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=(-?\d+)$/;
const [c1] = customerIds(1) as [string];

/** A second corp that reuses a userid (alice) and a customer id (c1) of the test corp, with its own app. */
const OTHER_CORP = 'wwothercorp000002';
const OTHER_SECRET = 'test-secret-other-corp';
function otherCorp(): FixtureCorp {
  return {
    corpid: OTHER_CORP,
    name: 'Other Corp',
    apps: [{ agentid: 2000001, secret: OTHER_SECRET, kind: 'self_built', customer_contact_callable: true, visible_userids: ['*'] }],
    members: [{ userid: 'alice', name: 'Other Alice' }, { userid: 'zoe' }],
    customers: [
      { external_userid: c1, name: 'Same id, other corp' },
      { external_userid: 'wmOtherOnly', name: 'Only in the other corp' },
    ],
    relations: [
      { userid: 'alice', external_userid: 'wmOtherOnly', remark: 'other', createtime: 1_700_000_000, add_way: 1 },
      { userid: 'zoe', external_userid: c1, remark: 'zoe’s', createtime: 1_700_000_000, add_way: 1 },
    ],
  };
}
const twoCorps = (): Fixture => ({ corps: [...testCompany().corps, otherCorp()] });

describe.each(await testBackends())('gettoken on %s (behaviour §5.1, §9.4)', (backend) => {
  const h = useHarness(backend);
  const gettoken = (query: Record<string, string>) => h.server.wecom('GET', '/cgi-bin/gettoken', { query });
  const wecomGet = (path: string, query: Record<string, string>) => h.server.wecom('GET', `/cgi-bin/externalcontact/${path}`, { query });

  it.each([
    ['no parameters', {}, 41004, 'corpsecret missing'],
    ['corpid only', { corpid: CORP }, 41004, 'corpsecret missing'],
    ['an empty corpsecret', { corpid: CORP, corpsecret: '' }, 41004, 'corpsecret missing'],
    ['corpsecret only (41004 is checked before 41002)', { corpsecret: SECRET }, 41002, 'corpid missing'],
    ['an empty corpid', { corpid: '', corpsecret: SECRET }, 41002, 'corpid missing'],
    ['an unknown corpid', { corpid: 'wwnope', corpsecret: SECRET }, 40013, 'invalid corpid'],
    ['a corpid with a NUL byte', { corpid: `${CORP}\u0000`, corpsecret: SECRET }, 40013, 'invalid corpid'],
    ['a wrong secret', { corpid: CORP, corpsecret: 'wrong' }, 40001, 'invalid credential'],
    ['a secret with a NUL byte', { corpid: CORP, corpsecret: `${SECRET}\u0000` }, 40001, 'invalid credential'],
    ['another corp’s secret', { corpid: CORP, corpsecret: OTHER_SECRET }, 40001, 'invalid credential'],
  ])('%s → the expected code, errmsg and no token', async (_name, query, code, text) => {
    const answer = await gettoken(query);
    expect(Object.keys(answer).sort()).toEqual(['errcode', 'errmsg']);
    expect(answer.errcode).toBe(code);
    expect(answer.errmsg.startsWith(text)).toBe(true);
    expect(answer.errmsg).toMatch(ERRMSG);
    expect(ERRMSG.exec(answer.errmsg)![2]).toBe(String(code));
  });

  it('issues {errcode:0, errmsg:"ok", access_token, expires_in:7200}, the same token until it expires, then a new one', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const first = await gettoken({ corpid: CORP, corpsecret: SECRET });
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.stringMatching(/^[A-Za-z0-9_-]{16,512}$/), expires_in: 7200 });
    await h.advance(3600);
    expect(await gettoken({ corpid: CORP, corpsecret: SECRET })).toEqual({ ...first, expires_in: 3600 });
    await h.advance(3599);
    expect(await gettoken({ corpid: CORP, corpsecret: SECRET })).toEqual({ ...first, expires_in: 1 });
    // Still valid in its last second.
    expect((await wecomGet('list', { access_token: first.access_token, userid: 'victor' })).errcode).toBe(0);
    await h.advance(1);
    expect(await wecomGet('list', { access_token: first.access_token, userid: 'victor' })).toMatchObject({ errcode: 42001, external_userid: [] });
    const fresh = await gettoken({ corpid: CORP, corpsecret: SECRET });
    expect(fresh).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 });
    expect(fresh.access_token).not.toBe(first.access_token);
    const expired = await wecomGet('get_follow_user_list', { access_token: first.access_token });
    expect(expired).toMatchObject({ errcode: 42001, follow_user: [] });
    expect(expired.errmsg.startsWith('access_token expired')).toBe(true);
    expect((await wecomGet('list', { access_token: fresh.access_token, userid: 'victor' })).errcode).toBe(0);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('gives each app its own token, seeing through its own visible range', async () => {
    const wide = await gettoken({ corpid: CORP, corpsecret: SECRET });
    const narrow = await gettoken({ corpid: CORP, corpsecret: NARROW_SECRET });
    expect(wide.access_token).not.toBe(narrow.access_token);
    expect((await gettoken({ corpid: CORP, corpsecret: NARROW_SECRET })).access_token).toBe(narrow.access_token);
    expect((await wecomGet('get_follow_user_list', { access_token: narrow.access_token })).follow_user).toEqual(['alice', 'bob', 'carol']);
    expect((await wecomGet('get_follow_user_list', { access_token: wide.access_token })).follow_user).toEqual([
      'alice', 'bob', 'carol', 'dave', 'erin', 'gina', 'hank', 'victor',
    ]);
  });

  describe('with a second corp that reuses a userid and a customer id', () => {
    const two = useHarness(backend, { fixture: twoCorps });
    const get = (path: string, token: string, query: Record<string, string>) => two.server.wecom('GET', `/cgi-bin/externalcontact/${path}`, { query: { access_token: token, ...query } });

    it('a token only ever sees its own corp', async () => {
      const ours = await two.server.token(CORP, SECRET);
      const theirs = await two.server.token(OTHER_CORP, OTHER_SECRET);
      expect(theirs).not.toBe(ours);
      expect(await get('get_follow_user_list', theirs, {})).toEqual({ errcode: 0, errmsg: 'ok', follow_user: ['alice', 'zoe'] });
      expect(await get('list', theirs, { userid: 'alice' })).toEqual({ errcode: 0, errmsg: 'ok', external_userid: ['wmOtherOnly'] });
      expect((await get('list', ours, { userid: 'alice' })).external_userid).not.toContain('wmOtherOnly');
      expect(await get('list', theirs, { userid: 'victor' })).toMatchObject({ errcode: 40003, external_userid: [] });
      expect(await get('get', ours, { external_userid: 'wmOtherOnly' })).toMatchObject({ errcode: 40096, follow_user: [] });
      const sameId = await get('get', theirs, { external_userid: c1 });
      expect(sameId.external_contact.name).toBe('Same id, other corp');
      expect(sameId.follow_user.map((f: { userid: string }) => f.userid)).toEqual(['zoe']);
      expect((await get('get', ours, { external_userid: c1 })).follow_user.map((f: { userid: string }) => f.userid)).toEqual(['alice']);

      // The other corp's alice does not follow our c1, and its token cannot move our customers.
      const transfer = await two.server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
        query: { access_token: theirs },
        body: { handover_userid: 'alice', takeover_userid: 'zoe', external_userid: [c1, 'wmBystander'] },
      });
      expect(transfer).toEqual({ errcode: 0, errmsg: 'ok', customer: [{ external_userid: c1, errcode: 40131 }, { external_userid: 'wmBystander', errcode: 40096 }] });
      expect(
        await two.server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
          query: { access_token: theirs },
          body: { handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] },
        }),
      ).toMatchObject({ errcode: 40003, customer: [] });
      expect(await two.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  it('kills the tokens of a corp that is reloaded', async () => {
    const token = await h.token();
    await h.server.admin('POST', '/admin/fixtures', await h.server.admin('GET', '/admin/fixtures'));
    expect(await wecomGet('list', { access_token: token, userid: 'alice' })).toMatchObject({ errcode: 40014, external_userid: [] });
    expect((await wecomGet('list', { access_token: await h.token(), userid: 'victor' })).errcode).toBe(0);
  });
});
