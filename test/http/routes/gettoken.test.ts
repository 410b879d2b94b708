import { describe, expect, it } from 'vitest';
import { AGENT, CORP, NARROW_SECRET, SECRET } from '../../support/company.js';
import { useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

const gettoken = (h: ReturnType<typeof useHarness>, query: Record<string, string>) => h.server.wecom('GET', '/cgi-bin/gettoken', { query });

describe.each(await testBackends())('gettoken on %s (spec §5.1, §9.4)', (backend) => {
  const h = useHarness(backend);

  it.each([
    ['no parameters', {}, 41004],
    ['corpid only', { corpid: CORP }, 41004],
    ['corpsecret only', { corpsecret: SECRET }, 41002],
    ['unknown corpid', { corpid: 'wwnope', corpsecret: SECRET }, 40013],
    ['wrong secret', { corpid: CORP, corpsecret: 'wrong' }, 40001],
  ])('%s → %i, with no access_token field', async (_name, query, code) => {
    const answer = await gettoken(h, query);
    expect(answer.errcode).toBe(code);
    expect(answer.errmsg).toMatch(/hint: \[\d+_\d+_[0-9a-f]{32}\], from ip: .*more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=\d+$/);
    expect(answer).not.toHaveProperty('access_token');
  });

  it('issues a token valid 7200 s and returns the same one until it expires, then a new one', async () => {
    const first = await gettoken(h, { corpid: CORP, corpsecret: SECRET });
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.stringMatching(/^[A-Za-z0-9_-]{32,512}$/), expires_in: 7200 });
    await h.advance(7199);
    const again = await gettoken(h, { corpid: CORP, corpsecret: SECRET });
    expect(again).toMatchObject({ access_token: first.access_token, expires_in: 1 });
    await h.advance(1);
    const fresh = await gettoken(h, { corpid: CORP, corpsecret: SECRET });
    expect(fresh.access_token).not.toBe(first.access_token);
    expect(fresh.expires_in).toBe(7200);
    const old = await h.server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query: { access_token: first.access_token } });
    expect(old).toMatchObject({ errcode: 42001, follow_user: [] });
  });

  it('gives each app its own token, and a token sees only its own corp and app', async () => {
    const wide = await gettoken(h, { corpid: CORP, corpsecret: SECRET });
    const narrow = await gettoken(h, { corpid: CORP, corpsecret: NARROW_SECRET });
    expect(wide.access_token).not.toBe(narrow.access_token);
    const wideUsers = await h.server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query: { access_token: wide.access_token } });
    const narrowUsers = await h.server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query: { access_token: narrow.access_token } });
    expect(narrowUsers.follow_user).toEqual(['alice', 'bob', 'carol']);
    expect(wideUsers.follow_user.length).toBeGreaterThan(narrowUsers.follow_user.length);
    expect(AGENT).toBe(1000002);
  });

  it('kills the tokens of a corp that is reloaded', async () => {
    const token = await h.token();
    await h.server.admin('POST', '/admin/fixtures', await h.server.admin('GET', '/admin/fixtures'));
    expect(await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'alice' } })).toMatchObject({ errcode: 40014, external_userid: [] });
  });
});
