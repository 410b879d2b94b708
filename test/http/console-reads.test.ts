import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { FaultInjector } from '../../src/service/faults.js';
import { GenerationCache } from '../../src/service/generation-cache.js';
import { openStore } from '../../src/store/open-store.js';
import { AGENT, CORP } from '../support/company.js';
import { useHarness } from '../support/harness.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { createTestDatabase, testBackends } from '../support/stores.js';

const DAY = 86_400;

describe.each(await testBackends())('console read routes on %s', (backend) => {
  const h = useHarness(backend);
  const get = (path: string) => h.server.admin('GET', path);
  const status = async (path: string) => (await fetch(`${h.server.baseUrl}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).status;

  it('pages members in userid order with their counters: customers, waiting in and out, cap', async () => {
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00001', 'wmCust00002'] })).errcode).toBe(0);
    const first = await get(`/admin/members?corpid=${CORP}&limit=2`);
    expect(first.members.map((m: any) => m.userid)).toEqual(['alice', 'bob']);
    expect(first.next).toBe('bob');
    expect(first.members[0]).toMatchObject({ name: 'ALICE', activated: true, customers: 11, waiting_incoming: 0, waiting_outgoing: 2, customer_cap: 5000 });
    expect(first.members[1]).toMatchObject({ customers: 1, waiting_incoming: 2, waiting_outgoing: 0 });
    const second = await get(`/admin/members?corpid=${CORP}&limit=2&after=bob`);
    expect(second.members.map((m: any) => m.userid)).toEqual(['carol', 'dave']);
    expect(second.members[1].activated).toBe(false);
    const last = await get(`/admin/members?corpid=${CORP}&limit=500&after=hank`);
    expect(last).toEqual({ members: [expect.objectContaining({ userid: 'victor' })], next: null });
  });

  it('searches customers by id or name, member and tag, a page at a time', async () => {
    const byName = await get(`/admin/customers?corpid=${CORP}&q=${encodeURIComponent('customer 1')}`);
    expect(byName.customers.map((c: any) => c.external_userid)).toEqual(['wmCust00001', 'wmCust00010']);
    const byId = await get(`/admin/customers?corpid=${CORP}&q=wmCust0000`);
    expect(byId.customers).toHaveLength(9);
    const ofBob = await get(`/admin/customers?corpid=${CORP}&member=bob`);
    expect(ofBob.customers).toEqual([expect.objectContaining({ external_userid: 'wmShared', followers: ['alice', 'bob'], corp_name: 'ACME', waiting: null })]);
    const gold = await get(`/admin/customers?corpid=${CORP}&tag=gold&limit=4`);
    expect(gold.customers.map((c: any) => c.external_userid)).toEqual(['wmCust00001', 'wmCust00002', 'wmCust00003', 'wmCust00004']);
    expect(gold.next).toBe('wmCust00004');
    const rest = await get(`/admin/customers?corpid=${CORP}&tag=gold&limit=4&after=wmCust00008`);
    expect(rest).toEqual({ customers: [expect.objectContaining({ external_userid: 'wmCust00009' }), expect.objectContaining({ external_userid: 'wmCust00010' })], next: null });
    // LIKE wildcards in the search are plain characters.
    expect((await get(`/admin/customers?corpid=${CORP}&q=%25`)).customers).toEqual([]);
    expect((await get(`/admin/customers?corpid=${CORP}&tag=g_ld`)).customers).toEqual([]);
  });

  it('shows a customer with followers, every transfer in the history shape, quota use and messages', async () => {
    const id = 'wmCust00003';
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [id], transfer_success_msg: '您好' })).errcode).toBe(0);
    const waiting = await get(`/admin/customers/${id}?corpid=${CORP}`);
    expect(waiting.waiting).toMatchObject({ kind: 'onjob', handover_userid: 'alice', takeover_userid: 'bob', status: 2, outcome: 'waiting', ended_at: null });
    await h.advance(DAY);
    const detail = await get(`/admin/customers/${id}?corpid=${CORP}`);
    expect(detail.follow.map((f: any) => [f.userid, f.add_way])).toEqual([['bob', 202]]);
    expect(detail.transfers).toEqual([expect.objectContaining({ status: 1, outcome: 'taken_over', external_userid: id })]);
    const started = Date.parse(detail.transfers[0].started_at);
    expect(detail.quota).toEqual({ window_days: 90, max_transfers: 2, used: 1, left: 1, next_frees_at: new Date(started + 90 * DAY * 1000 + 1).toISOString() });
    expect(detail.messages).toEqual([expect.objectContaining({ from_userid: 'alice', content: '您好' })]);
    expect(detail.waiting).toBeNull();
    const bystander = await get(`/admin/customers/wmBystander?corpid=${CORP}`);
    expect(bystander).toMatchObject({ transfers: [], quota: { used: 0, left: 2, next_frees_at: null }, follow: [expect.objectContaining({ userid: 'victor' })] });
  });

  it('answers bad paging, a missing corpid and unknown records with 4xx, never a 500', async () => {
    expect(await status('/admin/members')).toBe(400);
    expect(await status(`/admin/members?corpid=${CORP}&limit=0`)).toBe(400);
    expect(await status(`/admin/customers?corpid=${CORP}&limit=501`)).toBe(400);
    expect(await status(`/admin/customers/wmNobody?corpid=${CORP}`)).toBe(404);
    expect(await status(`/admin/customers/wmCust00001`)).toBe(400);
    expect(await status('/admin/customers/wm%00x?corpid=x')).toBe(404);
    expect(await status('/admin/events/0')).toBe(400);
    expect(await status('/admin/events/999999')).toBe(404);
    expect((await get('/admin/customers?corpid=wwNoSuchCorp')).customers).toEqual([]);
  });

  it('counts the whole store for the overview and lists corps with their apps', async () => {
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00001'] })).errcode).toBe(0);
    const overview = await get('/admin/overview');
    expect(overview).toMatchObject({ corps: 1, members: 9, customers: 13, transfers: [{ kind: 'onjob', outcome: 'waiting', count: 1 }], events: {}, clock: { frozen: false } });
    const { corps } = await get('/admin/corps');
    expect(corps).toEqual([expect.objectContaining({ corpid: CORP, name: 'Test Corp' })]);
    expect(corps[0].apps.map((a: any) => a.agentid)).toContain(AGENT);
  });

  it('renders an outbox event with its plaintext XML', async () => {
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00001'] })).errcode).toBe(0);
    await h.server.admin('POST', '/admin/customers/wmCust00001/refuse');
    const { events } = await get('/admin/events');
    expect(events.length).toBeGreaterThan(0);
    const event = await get(`/admin/events/${events[0].id}`);
    expect(event.xml).toMatch(/^<xml><ToUserName><!\[CDATA\[wwtestcorp0000001\]\]><\/ToUserName><FromUserName><!\[CDATA\[sys\]\]><\/FromUserName><CreateTime>\d+<\/CreateTime>/);
    expect(event.xml).toContain(`<ChangeType><![CDATA[${events[0].type}]]></ChangeType>`);
  });

  it('bumps the change version for a write transaction that changed a row, not for one that found nothing to do', async () => {
    const { store } = h.server.server.ctx;
    const before = await store.changeVersion();
    // What the takeover engine does on every idle poll: a write transaction that claims nothing.
    expect(await store.write((tx) => tx.claimDueTransfers(0, 10))).toEqual([]);
    expect(await store.changeVersion()).toBe(before);
    await h.server.admin('PATCH', `/admin/members/carol?corpid=${CORP}`, { customer_cap: 7 });
    expect(await store.changeVersion()).toBe(before + 1);
  });

  it('streams a change event when a write changes state, from its first version on', async () => {
    const controller = new AbortController();
    const response = await fetch(`${h.server.baseUrl}/admin/stream`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    const versions: number[] = [];
    let buffer = '';
    const nextVersion = async (): Promise<number> => {
      for (;;) {
        const match = /event: change\ndata: (\{[^\n]*\})\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]!).version as number;
        }
        const { value } = await reader.read();
        buffer += new TextDecoder().decode(value);
      }
    };
    versions.push(await nextVersion());
    await h.server.admin('PATCH', `/admin/members/carol?corpid=${CORP}`, { customer_cap: 7 });
    versions.push(await nextVersion());
    controller.abort();
    expect(versions[1]).toBeGreaterThan(versions[0]!);
  });
});

describe('console routes off loopback', () => {
  it('are refused unless HANDOVER_ADMIN_REMOTE is on, like /admin/', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await openStore(database.location);
    const config = loadConfig({}, { HANDOVER_ADMIN_TOKEN: TEST_ADMIN_TOKEN, HANDOVER_LOG_LEVEL: 'silent' });
    const ctx = { store, clock: new ServerClock(store), config, cache: new GenerationCache() };
    const build = (allowRemote: boolean) =>
      buildApp({ ctx, faults: new FaultInjector(), rateLimiter: null, admin: { token: TEST_ADMIN_TOKEN, allowRemote }, callbackVerifier: { verify: async () => undefined } });
    const closed = build(false);
    const open = build(true);
    try {
      const signIn = { method: 'POST' as const, url: '/console/session', payload: { token: TEST_ADMIN_TOKEN } };
      expect((await closed.inject({ ...signIn, remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
      expect((await closed.inject({ method: 'GET', url: '/console', remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
      expect((await closed.inject({ method: 'GET', url: '/admin/overview', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).statusCode).toBe(403);
      expect((await closed.inject({ ...signIn, remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await open.inject({ ...signIn, remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
    } finally {
      await closed.close();
      await open.close();
      await store.close();
      await database.drop();
    }
  });
});
