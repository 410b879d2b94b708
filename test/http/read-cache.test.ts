import { describe, expect, it } from 'vitest';
import { CORP, NARROW_SECRET } from '../support/company.js';
import { groupCall, groupCompany } from '../support/groupchat-company.js';
import { useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';

/**
 * The read-answer cache (issue 13; behaviour §1.1 "Cached reads"): a repeated read is served from memory,
 * byte for byte the answer the handler gives, and the first read after any committed write is fresh.
 * The takeover engine and callback delivery are off so that nothing but the test writes between two reads
 * (the clock advance completes due takeovers itself).
 */
describe.each(await testBackends())('cached read answers on %s (issue 13)', (backend) => {
  const h = useHarness(backend, { fixture: () => groupCompany(), env: { HANDOVER_ENGINE: 'off', HANDOVER_DELIVERY: 'off' } });
  const answers = () => h.server.server.answers!;
  const list = async (userid: string, secret?: string) =>
    h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(secret), userid } });
  const followers = async (secret?: string) =>
    (await h.server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query: { access_token: await h.token(secret) } })).follow_user as string[];
  const version = () => h.server.server.ctx.store.changeVersion();

  /** Reads twice; the second read must be a cache hit with the same answer. Returns the answer. */
  async function cachedRead<T>(read: () => Promise<T>): Promise<T> {
    const first = await read();
    const hits = answers().hits;
    const second = await read();
    expect(answers().hits, 'the repeated read was served from the cache').toBe(hits + 1);
    expect(second).toEqual(first);
    return second;
  }

  it('serves a repeated read from the cache with the same bytes and headers as the handler', async () => {
    const token = await h.token();
    const raw = async () => {
      const response = await fetch(`${h.server.baseUrl}/cgi-bin/externalcontact/list?access_token=${token}&userid=alice`);
      return { text: await response.text(), type: response.headers.get('content-type'), length: response.headers.get('content-length'), status: response.status };
    };
    const miss = await raw();
    const hits = answers().hits;
    const hit = await raw();
    expect(answers().hits).toBe(hits + 1);
    expect(hit).toEqual(miss);
    expect(miss.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(miss.text)).toMatchObject({ errcode: 0, errmsg: 'ok' });
  });

  it('a transfer, a refusal and a takeover each make the next transfer_result and list fresh', async () => {
    const before = await cachedRead(() => list('alice'));
    const customer = (before.external_userid as string[])[0]!;
    expect((await cachedRead(() => h.transferResult('alice', 'bob'))).customer).toEqual([]);
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [customer] })).customer[0].errcode).toBe(0);
    expect((await cachedRead(() => h.transferResult('alice', 'bob'))).customer.map((c: any) => [c.external_userid, c.status])).toEqual([[customer, 2]]);
    await h.server.admin('POST', `/admin/customers/${customer}/refuse`);
    expect((await cachedRead(() => h.transferResult('alice', 'bob'))).customer.map((c: any) => [c.external_userid, c.status])).toEqual([[customer, 3]]);

    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [customer] })).customer[0].errcode).toBe(0);
    expect((await cachedRead(() => list('bob'))).external_userid).not.toContain(customer);
    expect((await h.advance(86_400)).completed_takeovers).toBe(1);
    expect((await cachedRead(() => list('bob'))).external_userid).toContain(customer);
    expect((await cachedRead(() => list('alice'))).external_userid).not.toContain(customer);
    expect((await cachedRead(() => h.transferResult('alice', 'bob'))).customer.map((c: any) => [c.external_userid, c.status])).toEqual([[customer, 1]]);
  });

  it('a fixture reload, a resignation and a member edit each make the next read fresh', async () => {
    const all = (await cachedRead(() => list('alice'))).external_userid as string[];
    const fixture = groupCompany();
    const dropped = all[0]!;
    fixture.corps[0]!.relations = fixture.corps[0]!.relations!.filter((r) => !(r.userid === 'alice' && r.external_userid === dropped));
    await h.server.admin('POST', '/admin/fixtures', fixture);
    expect((await cachedRead(() => list('alice'))).external_userid).toEqual(all.slice(1));

    expect(await cachedRead(() => followers())).toContain('bob');
    await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_contact_enabled: false });
    expect(await cachedRead(() => followers())).not.toContain('bob');

    expect((await cachedRead(() => list('bob'))).errcode).toBe(0);
    await h.server.admin('POST', `/admin/members/bob/resign?corpid=${CORP}`, {});
    expect((await list('bob')).errcode).toBe(40003);
  });

  it('computes an answer once for concurrent callers that all miss after a write', async () => {
    const token = await h.token();
    await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_cap: 4321 });
    const computed = answers().computed;
    const read = () => h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'alice' } });
    const all = await Promise.all(Array.from({ length: 20 }, read));
    expect(new Set(all.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(all[0]).toMatchObject({ errcode: 0 });
    expect(answers().computed).toBe(computed + 1);
  });

  it('keys answers by app: two apps with different visible ranges get their own answers', async () => {
    const wide = await cachedRead(() => followers());
    const narrow = await cachedRead(() => followers(NARROW_SECRET));
    expect(wide).toContain('hank');
    expect(narrow).not.toContain('hank');
    expect((await list('hank', NARROW_SECRET)).errcode).not.toBe(0);
  });

  it('never caches an error answer, and checks the token before the cache', async () => {
    const hits = answers().hits;
    const first = await list('nobody');
    const second = await list('nobody');
    expect([first.errcode, second.errcode]).toEqual([40003, 40003]);
    expect(answers().hits).toBe(hits);
    await cachedRead(() => list('alice'));
    const forged = await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: 'x'.repeat(64), userid: 'alice' } });
    expect(forged.errcode).toBe(40014);
  });

  it('every kind of write moves the change version the cache is keyed on', async () => {
    const writes: [string, () => Promise<unknown>][] = [
      ['a new token', () => h.token()],
      ['a transfer', async () => h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [((await list('alice')).external_userid as string[])[0]!] })],
      ['freezing the clock', () => h.server.admin('POST', '/admin/clock', { freeze: true })],
      ['setting the clock back', async () => h.server.admin('POST', '/admin/clock', { set: new Date(Date.parse((await h.server.admin('GET', '/admin/clock')).now) - 60_000).toISOString() })],
      ['a takeover', () => h.advance(86_400)],
      ['a member edit', () => h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_cap: 12_345 })],
      ['a group transfer', () => groupCall(h, 'onjob_transfer', { chat_id_list: ['wrAlice2'], new_owner: 'carol' })],
      ['a resignation', () => h.server.admin('POST', `/admin/members/carol/resign?corpid=${CORP}`, {})],
      ['a fixture load', () => h.server.admin('POST', '/admin/fixtures', groupCompany())],
      ['a reset', () => h.server.admin('POST', '/admin/reset')],
    ];
    for (const [name, write] of writes) {
      const before = await version();
      await write();
      expect(await version(), name).toBeGreaterThan(before);
    }
  });
});

describe('HANDOVER_READ_CACHE_MB=0', () => {
  const h = useHarness('sqlite', { env: { HANDOVER_READ_CACHE_MB: '0' } });

  it('switches the cache off; reads answer the same', async () => {
    expect(h.server.server.answers).toBeNull();
    const answer = await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(), userid: 'alice' } });
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok' });
  });
});
