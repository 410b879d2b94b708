import { describe, expect, it } from 'vitest';
import { customerIds } from '../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';

const TRANSFER = '/cgi-bin/externalcontact/transfer_customer';
const [c1] = customerIds(1) as [string];
const valid = { handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] };

async function raw(baseUrl: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, init);
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

describe.each(await testBackends())('WeCom wire format on %s (spec §1.1)', (backend) => {
  const h = useHarness(backend);

  it('answers an unknown path with 404 and an empty body', async () => {
    for (const path of ['/cgi-bin/externalcontact/nope', '/nope', '/cgi-bin/gettoken/extra']) {
      const answer = await raw(h.server.baseUrl, path);
      expect(answer).toMatchObject({ status: 404, text: '' });
    }
  });

  it.each([['application/x-www-form-urlencoded'], ['text/plain'], ['application/json; charset=utf-8'], ['application/octet-stream']])(
    'parses the body as JSON when labelled %s',
    async (contentType) => {
      const answer = await h.server.wecom('POST', TRANSFER, { query: { access_token: await h.token() }, body: JSON.stringify(valid), contentType });
      expect(answer.customer).toEqual([{ external_userid: c1, errcode: 0 }]);
    },
  );

  it('parses a body sent with no Content-Type at all', async () => {
    const token = await h.token();
    const response = await fetch(`${h.server.baseUrl}${TRANSFER}?access_token=${token}`, { method: 'POST', body: new Blob([JSON.stringify(valid)]) });
    expect((await response.json()).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
  });

  it('refuses a body over 1 MiB with a WeCom error (HTTP 200) and writes nothing', async () => {
    const token = await h.token();
    const huge = JSON.stringify({ ...valid, transfer_success_msg: 'x'.repeat(1024 * 1024) });
    const answer = await raw(h.server.baseUrl, `${TRANSFER}?access_token=${token}`, { method: 'POST', body: huge, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ errcode: 40058, customer: [] });
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
  });

  it.each([
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['__proto__ keys', '{"__proto__":{"polluted":true},"handover_userid":"alice","takeover_userid":"bob","external_userid":["wmCust00001"],"constructor":{"prototype":{"x":1}}}'],
    ['a null byte in an id', JSON.stringify({ ...valid, external_userid: ['wm\u0000x'] })],
    ['lone surrogates', '{"handover_userid":"\\ud800","takeover_userid":"bob","external_userid":["\\udfff"]}'],
    ['a huge userid', JSON.stringify({ ...valid, handover_userid: 'a'.repeat(100_000) })],
    ['non-UTF-8 bytes', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
  ])('never answers %s with a 500 or a stack trace', async (_name, payload) => {
    const token = await h.token();
    const answer = await raw(h.server.baseUrl, `${TRANSFER}?access_token=${token}`, { method: 'POST', body: payload as BodyInit });
    expect(answer.status).toBe(200);
    const json = JSON.parse(answer.text);
    expect(typeof json.errcode).toBe('number');
    expect(answer.text).not.toMatch(/at .*\.js:\d+/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('leaves state untouched after hostile input', async () => {
    const token = await h.token();
    await raw(h.server.baseUrl, `${TRANSFER}?access_token=${token}`, { method: 'POST', body: '{"handover_userid":"alice","takeover_userid":"bob","external_userid":["wmCust00001",{"$gt":""}]}' });
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('GET on a POST-only endpoint is 40058 after the token check', async () => {
    expect(await h.server.wecom('GET', TRANSFER, { query: { access_token: await h.token() } })).toMatchObject({ errcode: 40058, customer: [] });
    expect(await h.server.wecom('GET', TRANSFER)).toMatchObject({ errcode: 41001 });
  });

  it('GET endpoints also answer POST, reading the query string', async () => {
    const answer = await h.server.wecom('POST', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(), userid: 'victor' } });
    expect(answer).toEqual({ errcode: 0, errmsg: 'ok', external_userid: ['wmBystander'] });
  });

  it.each([
    [-1, 'system busy'],
    [45009, 'api freq out of limit'],
    [45033, 'api concurrent out of limit'],
  ])('POST /admin/faults makes the next calls answer %i with nothing started', async (errcode, text) => {
    await h.server.admin('POST', '/admin/faults', { path: TRANSFER, errcode, count: 2 });
    const token = await h.token();
    for (let i = 0; i < 2; i++) {
      const answer = await h.transfer(valid, token);
      expect(answer).toMatchObject({ errcode, customer: [] });
      expect(answer.errmsg.startsWith(text)).toBe(true);
    }
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
    expect((await h.transfer(valid, token)).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
  });

  it('refuses a fault for a path outside /cgi-bin or an errcode that cannot be injected', async () => {
    await expect(h.server.admin('POST', '/admin/faults', { path: '/admin/reset', errcode: -1 })).rejects.toThrow(/400/);
    await expect(h.server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 40014 })).rejects.toThrow(/400.*errcode/);
  });
});

describe.each(await testBackends())('rate limit on %s (spec §5.2, §9.4)', (backend) => {
  const h = useHarness(backend, { env: { HANDOVER_RATE_LIMIT: 'on', HANDOVER_RATE_LIMIT_PER_MINUTE: '5' } });

  it('answers 45009 past the per-corp, per-API limit and lets the next minute through', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const minute = Math.ceil(Date.parse((await h.server.admin('GET', '/admin/clock')).now) / 60_000) * 60_000;
    await h.server.admin('POST', '/admin/clock', { set: new Date(minute + 1000).toISOString() });
    const token = await h.token();
    const list = () => h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'victor' } });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push((await list()).errcode);
    expect(answers).toEqual([0, 0, 0, 0, 0, 45009, 45009]);
    expect((await list()).external_userid).toEqual([]);
    // Another API has its own budget.
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query: { access_token: token } })).errcode).toBe(0);
    await h.advance(60);
    expect((await list()).errcode).toBe(0);
  });
});
