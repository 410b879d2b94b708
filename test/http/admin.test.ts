import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { FaultInjector } from '../../src/service/faults.js';
import { GenerationCache } from '../../src/service/generation-cache.js';
import { openStore } from '../../src/store/open-store.js';
import { CORP, customerIds, testCompany } from '../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../support/harness.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { createTestDatabase, testBackends } from '../support/stores.js';

async function adminStatus(baseUrl: string, method: string, path: string, options: { token?: string | null; body?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? TEST_ADMIN_TOKEN}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(await testBackends())('admin API on %s', (backend) => {
  const h = useHarness(backend);

  it('needs the bearer token', async () => {
    expect(await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: null })).toMatchObject({ status: 401, json: { error: { message: expect.stringMatching(/admin token/) } } });
    expect(await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: 'wrong' })).toMatchObject({ status: 401, json: { error: { message: expect.any(String) } } });
    expect((await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: 'test-admin-token-and-more' })).status).toBe(401);
    const before = await h.server.admin('GET', '/admin/fixtures');
    for (const [method, path, body] of [
      ['POST', '/admin/reset', undefined],
      ['POST', '/admin/fixtures', JSON.stringify({ corps: [] })],
      ['POST', '/admin/clock', JSON.stringify({ advance_seconds: 86_400 })],
    ] as const) {
      expect((await adminStatus(h.server.baseUrl, method, path, { token: null, ...(body ? { body } : {}) })).status).toBe(401);
      expect((await adminStatus(h.server.baseUrl, method, path, { token: 'wrong', ...(body ? { body } : {}) })).status).toBe(401);
    }
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    // A WeCom token is not an admin token, and the admin token is no WeCom token.
    expect((await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: await h.token() })).status).toBe(401);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('exports the whole state as a fixture that reloads to the same state', async () => {
    const exported = await h.server.admin('GET', '/admin/fixtures');
    expect(exported.corps).toHaveLength(1);
    expect(exported.corps[0].members.find((m: any) => m.userid === 'dave')).toMatchObject({ activated: false, customer_cap: 5000 });
    await h.server.admin('POST', '/admin/reset');
    expect((await h.server.admin('GET', '/admin/fixtures')).corps).toEqual([]);
    expect(await h.server.admin('POST', '/admin/fixtures', exported)).toEqual({ corps: 1, customers: 13 });
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(exported);
  });

  it('exports transferred relations (add_way 202, copied tags, createtime) and reloads them into an equal state', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(2) });
    await h.advance(86_400);
    const exported = await h.server.admin('GET', '/admin/fixtures');
    const moved = exported.corps[0].relations.find((r: any) => r.userid === 'carol' && r.external_userid === customerIds(1)[0]);
    expect(moved).toMatchObject({ add_way: 202, oper_userid: 'alice', remark: `remark of ${customerIds(1)[0]}`, description: 'vip', tags: expect.any(Array) });
    expect(moved.tags).toHaveLength(2);
    await h.server.admin('POST', '/admin/reset');
    await h.server.admin('POST', '/admin/fixtures', exported);
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(exported);
    // What the read APIs show is reproduced too.
    const token = await h.token();
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'carol' } })).external_userid).toEqual(customerIds(2));
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a reload replaces the corps it names and keeps the others', async () => {
    await h.server.admin('POST', '/admin/fixtures', { corps: [{ corpid: 'wwother', members: [{ userid: 'm1' }] }] });
    const both = await h.server.admin('GET', '/admin/fixtures');
    expect(both.corps.map((c: any) => c.corpid).sort()).toEqual(['wwother', CORP].sort());
    await h.server.admin('POST', '/admin/fixtures', { corps: [{ corpid: 'wwother', members: [{ userid: 'm2' }] }] });
    const after = await h.server.admin('GET', '/admin/fixtures');
    expect(after.corps.find((c: any) => c.corpid === 'wwother').members.map((m: any) => m.userid)).toEqual(['m2']);
    expect(after.corps.find((c: any) => c.corpid === CORP)).toEqual(both.corps.find((c: any) => c.corpid === CORP));
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('empties everything on reset: corps, transfers, events, messages, tokens; the clock back to real time', async () => {
    const token = await h.token();
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(1) }, token);
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    await h.advance(86_400 * 3);
    expect((await h.server.admin('GET', '/admin/events')).events).toHaveLength(2);
    expect(await h.server.admin('POST', '/admin/reset')).toEqual({ ok: true });
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual({ corps: [] });
    expect((await h.server.admin('GET', '/admin/events')).events).toEqual([]);
    const clock = await h.server.admin('GET', '/admin/clock');
    expect(clock.frozen).toBe(false);
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(5_000);
    expect((await adminStatus(h.server.baseUrl, 'GET', `/admin/customers/${customerIds(1)[0]}/messages`)).status).toBe(404);
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'alice' } })).errcode).toBe(40014);
    // Reloading after a reset gives the same fresh state, transfers gone.
    await h.server.admin('POST', '/admin/fixtures', testCompany());
    expect((await h.transferResult('alice', 'carol')).customer).toEqual([]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('fills omitted member flags with the permissive value and the cap with 5000', async () => {
    await h.server.admin('POST', '/admin/fixtures', { corps: [{ corpid: 'wwminimal', members: [{ userid: 'm1' }] }] });
    const corp = (await h.server.admin('GET', '/admin/fixtures')).corps.find((c: any) => c.corpid === 'wwminimal');
    expect(corp.members[0]).toMatchObject({ userid: 'm1', name: 'm1', activated: true, real_name_verified: true, customer_contact_enabled: true, customer_cap: 5000 });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a minimal fixture is permissive enough to transfer: defaults for app and members, last_login_at = the server clock at load', async () => {
    const { now } = await h.server.admin('POST', '/admin/clock', { freeze: true });
    await h.server.admin('POST', '/admin/fixtures', {
      corps: [
        {
          corpid: 'wwminimal',
          apps: [{ agentid: 1, secret: 'minimal-secret' }],
          members: [{ userid: 'a' }, { userid: 'b' }],
          customers: [{ external_userid: 'wmX', name: 'X' }],
          relations: [{ userid: 'a', external_userid: 'wmX' }],
        },
      ],
    });
    const corp = (await h.server.admin('GET', '/admin/fixtures')).corps.find((c: any) => c.corpid === 'wwminimal');
    expect(corp.apps).toEqual([{ agentid: 1, secret: 'minimal-secret', kind: 'self_built', customer_contact_callable: true, permissions: expect.any(Array), visible_userids: ['*'] }]);
    expect(corp.members.map((m: any) => m.last_login_at)).toEqual([now, now]);
    expect(corp.relations[0]).toMatchObject({ createtime: Math.floor(Date.parse(now) / 1000), add_way: 0, oper_userid: 'a', remark: '', tags: [] });
    const token = await h.server.token('wwminimal', 'minimal-secret');
    const answer = await h.server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
      query: { access_token: token },
      body: { handover_userid: 'a', takeover_userid: 'b', external_userid: ['wmX'] },
    });
    expect(answer).toEqual({ errcode: 0, errmsg: 'ok', customer: [{ external_userid: 'wmX', errcode: 0 }] });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it.each([
    ['no corps array', {}, 'corps'],
    ['a member without userid', { corps: [{ corpid: 'x', members: [{}] }] }, 'corps[0].members[0].userid'],
    ['a bad userid', { corps: [{ corpid: 'x', members: [{ userid: 'a b' }] }] }, 'corps[0].members[0].userid'],
    ['a duplicate customer', { corps: [{ corpid: 'x', customers: [{ external_userid: 'a', name: 'A' }, { external_userid: 'a', name: 'B' }] }] }, 'corps[0].customers[1].external_userid'],
    ['a relation to an unknown member', { corps: [{ corpid: 'x', customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'nobody', external_userid: 'a' }] }] }, 'corps[0].relations[0].userid'],
    ['a 42-character callback key', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', kind: 'self_built', callback: { url: 'http://127.0.0.1:1/cb', token: 't', encoding_aes_key: 'a'.repeat(42) } }] }] }, 'corps[0].apps[0].callback.encoding_aes_key'],
    ['a string cap', { corps: [{ corpid: 'x', members: [{ userid: 'm', customer_cap: '10' }] }] }, 'corps[0].members[0].customer_cap'],
    ['an unknown app kind', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', kind: 'robot' }] }] }, 'corps[0].apps[0].kind'],
    ['a bad last_login_at', { corps: [{ corpid: 'x', members: [{ userid: 'm', last_login_at: 'yesterday' }] }] }, 'corps[0].members[0].last_login_at'],
    ['corps not an array', { corps: { corpid: 'x' } }, 'corps'],
    ['a corp that is not an object', { corps: ['x'] }, 'corps[0]'],
    ['an empty corpid', { corps: [{ corpid: '' }] }, 'corps[0].corpid'],
    ['a duplicate corpid', { corps: [{ corpid: 'x' }, { corpid: 'x' }] }, 'corps[1].corpid'],
    ['a duplicate member', { corps: [{ corpid: 'x', members: [{ userid: 'm' }, { userid: 'n' }, { userid: 'm' }] }] }, 'corps[0].members[2].userid'],
    ['a second member without userid', { corps: [{ corpid: 'x', members: [{ userid: 'm' }, { name: 'N' }] }] }, 'corps[0].members[1].userid'],
    ['a string flag', { corps: [{ corpid: 'x', members: [{ userid: 'm', activated: 'true' }] }] }, 'corps[0].members[0].activated'],
    ['a negative cap', { corps: [{ corpid: 'x', members: [{ userid: 'm', customer_cap: -1 }] }] }, 'corps[0].members[0].customer_cap'],
    ['a fractional cap', { corps: [{ corpid: 'x', members: [{ userid: 'm', customer_cap: 1.5 }] }] }, 'corps[0].members[0].customer_cap'],
    ['members not an array', { corps: [{ corpid: 'x', members: { userid: 'm' } }] }, 'corps[0].members'],
    ['a customer type 3', { corps: [{ corpid: 'x', customers: [{ external_userid: 'a', name: 'A', type: 3 }] }] }, 'corps[0].customers[0].type'],
    ['a customer without id', { corps: [{ corpid: 'x', customers: [{ name: 'A' }] }] }, 'corps[0].customers[0].external_userid'],
    ['a relation to an unknown customer', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], relations: [{ userid: 'm', external_userid: 'nobody' }] }] }, 'corps[0].relations[0].external_userid'],
    ['a duplicate relation', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a' }, { userid: 'm', external_userid: 'a' }] }] }, 'corps[0].relations[1]'],
    ['tags not an array', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a', tags: 'vip' }] }] }, 'corps[0].relations[0].tags'],
    ['a tag of type 4', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a', tags: [{ group_name: 'g', tag_name: 't', type: 4 }] }] }] }, 'corps[0].relations[0].tags[0].type'],
    ['a negative createtime', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a', createtime: -1 }] }] }, 'corps[0].relations[0].createtime'],
    ['a createtime past year 9999 (was a 500 on PostgreSQL)', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a', createtime: 1e20 }] }] }, 'corps[0].relations[0].createtime'],
    ['a last_login_at in year 275760', { corps: [{ corpid: 'x', members: [{ userid: 'm', last_login_at: '+275760-09-13T00:00:00.000Z' }] }] }, 'corps[0].members[0].last_login_at'],
    ['a NUL in a customer id (was a 500 on PostgreSQL)', { corps: [{ corpid: 'x', customers: [{ external_userid: 'a\u0000b', name: 'A' }] }] }, 'corps[0].customers[0].external_userid'],
    ['a NUL in a corp name', { corps: [{ corpid: 'x', name: 'a\u0000' }] }, 'corps[0].name'],
    ['a NUL in a remark mobile', { corps: [{ corpid: 'x', members: [{ userid: 'm' }], customers: [{ external_userid: 'a', name: 'A' }], relations: [{ userid: 'm', external_userid: 'a', remark_mobiles: ['1\u00002'] }] }] }, 'corps[0].relations[0].remark_mobiles'],
    ['a string agentid', { corps: [{ corpid: 'x', apps: [{ agentid: '1', secret: 's' }] }] }, 'corps[0].apps[0].agentid'],
    ['a duplicate agentid', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's' }, { agentid: 1, secret: 't' }] }] }, 'corps[0].apps[1].agentid'],
    ['a duplicate secret', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's' }, { agentid: 2, secret: 's' }] }] }, 'corps[0].apps[1].secret'],
    ['an unknown permission', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', kind: 'third_party', permissions: ['everything'] }] }] }, 'corps[0].apps[0].permissions'],
    ['visible_userids not an array', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', visible_userids: '*' }] }] }, 'corps[0].apps[0].visible_userids'],
    ['a 44-character callback key', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', callback: { url: 'http://127.0.0.1:1/cb', token: 't', encoding_aes_key: 'a'.repeat(44) } }] }] }, 'corps[0].apps[0].callback.encoding_aes_key'],
    ['a 33-character callback token', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', callback: { url: 'http://127.0.0.1:1/cb', token: 't'.repeat(33), encoding_aes_key: 'a'.repeat(43) } }] }] }, 'corps[0].apps[0].callback.token'],
    ['a callback URL that is not http(s)', { corps: [{ corpid: 'x', apps: [{ agentid: 1, secret: 's', callback: { url: 'ftp://x/cb', token: 't', encoding_aes_key: 'a'.repeat(43) } }] }] }, 'corps[0].apps[0].callback.url'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, fixture, field) => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    const answer = await adminStatus(h.server.baseUrl, 'POST', '/admin/fixtures', { body: JSON.stringify(fixture) });
    expect(answer.status).toBe(400);
    expect(answer.json.error.field).toBe(field);
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('refuses a body that is not an object, and one that is not JSON, with 400 JSON', async () => {
    for (const body of ['[]', '"corps"', '{"corps": [', 'null']) {
      const answer = await adminStatus(h.server.baseUrl, 'POST', '/admin/fixtures', { body });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: expect.objectContaining({ message: expect.any(String) }) });
    }
    expect((await h.server.admin('GET', '/admin/fixtures')).corps.map((c: any) => c.corpid)).toEqual([CORP]);
  });

  it('loads nothing of a fixture whose second corp is bad', async () => {
    const good = testCompany().corps[0]!;
    const answer = await adminStatus(h.server.baseUrl, 'POST', '/admin/fixtures', { body: JSON.stringify({ corps: [{ ...good, corpid: 'wwnew' }, { corpid: '' }] }) });
    expect(answer.status).toBe(400);
    expect((await h.server.admin('GET', '/admin/fixtures')).corps.map((c: any) => c.corpid)).toEqual([CORP]);
  });

  it('answers 400 to invalid JSON and 413 past the size limit, as JSON', async () => {
    expect(await adminStatus(h.server.baseUrl, 'POST', '/admin/clock', { body: '{nope' })).toMatchObject({ status: 400, json: { error: { message: expect.any(String) } } });
    expect((await adminStatus(h.server.baseUrl, 'POST', '/admin/clock', { body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) })).status).toBe(413);
  });

  it('drives the clock: advance, set, freeze; refuses bad commands', async () => {
    const frozen = await h.server.admin('POST', '/admin/clock', { freeze: true });
    expect(frozen.frozen).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await h.server.admin('GET', '/admin/clock')).now).toBe(frozen.now);
    const advanced = await h.server.admin('POST', '/admin/clock', { advance_seconds: 90 });
    expect(Date.parse(advanced.now) - Date.parse(frozen.now)).toBe(90_000);
    expect((await h.server.admin('POST', '/admin/clock', { set: '2030-01-01T00:00:00Z' })).now).toBe('2030-01-01T00:00:00.000Z');
    const thawed = await h.server.admin('POST', '/admin/clock', { freeze: false });
    expect(thawed).toMatchObject({ frozen: false });
    for (const bad of [{ advance_seconds: -1 }, { advance_seconds: 1, freeze: true }, {}, { set: 'soon' }]) {
      expect((await adminStatus(h.server.baseUrl, 'POST', '/admin/clock', { body: JSON.stringify(bad) })).status).toBe(400);
    }
  });

  it('filters events by corp and status, and pages by id', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(2) });
    await h.advance(86_400);
    const all = (await h.server.admin('GET', '/admin/events')).events;
    expect(all).toHaveLength(4);
    expect((await h.server.admin('GET', `/admin/events?corpid=${CORP}&status=undeliverable`)).events).toHaveLength(4);
    expect((await h.server.admin('GET', '/admin/events?corpid=wwother')).events).toEqual([]);
    expect((await h.server.admin('GET', `/admin/events?after_id=${all[1].id}&limit=1`)).events.map((e: any) => e.id)).toEqual([all[2].id]);
    expect((await adminStatus(h.server.baseUrl, 'GET', '/admin/events?limit=0')).status).toBe(400);
  });

  it('answers an unknown admin path with 404', async () => {
    expect((await adminStatus(h.server.baseUrl, 'GET', '/admin/nope')).status).toBe(404);
  });
});

describe('admin API reach', () => {
  it('is served to loopback clients only, unless allowed', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await openStore(database.location);
    const config = loadConfig({}, { HANDOVER_ADMIN_TOKEN: 't', HANDOVER_LOG_LEVEL: 'silent' });
    const ctx = { store, clock: new ServerClock(store), config, cache: new GenerationCache() };
    const build = (allowRemote: boolean) =>
      buildApp({ ctx, faults: new FaultInjector(), rateLimiter: null, admin: { token: 't', allowRemote }, callbackVerifier: { verify: async () => undefined } });
    const closed = build(false);
    const open = build(true);
    try {
      const request = { method: 'GET' as const, url: '/admin/clock', headers: { authorization: 'Bearer t' } };
      expect((await closed.inject({ ...request, remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
      expect((await closed.inject({ ...request, remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await closed.inject({ ...request, remoteAddress: '::1' })).statusCode).toBe(200);
      expect((await open.inject({ ...request, remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
    } finally {
      await closed.close();
      await open.close();
      await store.close();
      await database.drop();
    }
  });
});
