import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { FaultInjector } from '../../src/service/faults.js';
import { GenerationCache } from '../../src/service/generation-cache.js';
import { openStore } from '../../src/store/open-store.js';
import { CORP, customerIds, testCompany } from '../support/company.js';
import { useHarness } from '../support/harness.js';
import { createTestDatabase, testBackends } from '../support/stores.js';

async function adminStatus(baseUrl: string, method: string, path: string, options: { token?: string | null; body?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? 'test-admin-token'}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(await testBackends())('admin API on %s', (backend) => {
  const h = useHarness(backend);

  it('needs the bearer token', async () => {
    expect(await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: null })).toMatchObject({ status: 401, json: { error: { message: expect.stringMatching(/admin token/) } } });
    expect((await adminStatus(h.server.baseUrl, 'GET', '/admin/clock', { token: 'wrong' })).status).toBe(401);
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

  it('fills omitted member flags with the permissive value and the cap with 5000', async () => {
    await h.server.admin('POST', '/admin/fixtures', { corps: [{ corpid: 'wwminimal', members: [{ userid: 'm1' }] }] });
    const corp = (await h.server.admin('GET', '/admin/fixtures')).corps.find((c: any) => c.corpid === 'wwminimal');
    expect(corp.members[0]).toMatchObject({ userid: 'm1', name: 'm1', activated: true, real_name_verified: true, customer_contact_enabled: true, customer_cap: 5000 });
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
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, fixture, field) => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    const answer = await adminStatus(h.server.baseUrl, 'POST', '/admin/fixtures', { body: JSON.stringify(fixture) });
    expect(answer.status).toBe(400);
    expect(answer.json.error.field).toBe(field);
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
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
