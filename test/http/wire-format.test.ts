import { afterEach, describe, expect, it } from 'vitest';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';

const TRANSFER = '/cgi-bin/externalcontact/transfer_customer';
const [c1] = customerIds(1) as [string];
const codesOf = (answer: { customer: { errcode: number }[] }) => answer.customer.map((c) => c.errcode);
const valid = { handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] };

const ERRMSG = /^[^,]+(: [^,]*)?, hint: \[\d+_\d+_[0-9a-f]{32}\], from ip: [^,]+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=(-?\d+)$/;

/** Every WeCom endpoint with its method and the list field its error answers still carry (behaviour §1.1). */
const ENDPOINTS = [
  ['transfer_customer', 'POST', 'customer'],
  ['transfer_result', 'POST', 'customer'],
  ['list', 'GET', 'external_userid'],
  ['get', 'GET', 'follow_user'],
  ['batch/get_by_user', 'POST', 'external_contact_list'],
  ['get_follow_user_list', 'GET', 'follow_user'],
] as const;

/** Architecture rule 10, and nothing started: no transfer alice → bob, no message to c1. */
function checkUntouchedAfterEach(h: Harness): void {
  afterEach(async () => {
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
}

async function expectNothingStarted(h: Harness): Promise<void> {
  expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
  expect((await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages).toEqual([]);
  expect((await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events).toEqual([]);
}

async function raw(baseUrl: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, init);
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

describe.each(await testBackends())('WeCom wire format on %s (behaviour §1.1)', (backend) => {
  const h = useHarness(backend);
  checkUntouchedAfterEach(h);

  it.each(ENDPOINTS)('%s (%s): an error is HTTP 200 JSON {errcode, errmsg, %s: []} with WeCom’s errmsg format', async (name, method, field) => {
    for (const [token, code] of [
      [undefined, 41001],
      ['garbage!', 40014],
      ['A'.repeat(64), 40014],
    ] as const) {
      const query = token === undefined ? '' : `?access_token=${token}`;
      const answer = await raw(h.server.baseUrl, `/cgi-bin/externalcontact/${name}${query}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^application\/json/);
      const json = JSON.parse(answer.text);
      expect(json).toEqual({ errcode: code, errmsg: expect.stringMatching(ERRMSG), [field]: [] });
      expect(Object.keys(json)).toEqual(['errcode', 'errmsg', field]);
      expect(ERRMSG.exec(json.errmsg)![2]).toBe(String(code));
      expect(json.errmsg).toMatch(/from ip: (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1), /);
    }
  });

  it('gettoken errors are HTTP 200 JSON with exactly {errcode, errmsg}', async () => {
    const answer = await raw(h.server.baseUrl, `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=wrong`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({ errcode: 40001, errmsg: expect.stringMatching(ERRMSG) });
    const ok = JSON.parse((await raw(h.server.baseUrl, `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).text);
    expect(Object.keys(ok)).toEqual(['errcode', 'errmsg', 'access_token', 'expires_in']);
  });

  it('answers an unknown path with 404 and an empty body', async () => {
    for (const path of ['/cgi-bin/externalcontact/nope', '/nope', '/cgi-bin/gettoken/extra', '/cgi-bin/externalcontact/transfer_customer/x', '/', '/cgi-bin/externalcontact/resigned/nope']) {
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
    expect(JSON.parse(answer.text)).toEqual({ errcode: 40058, errmsg: expect.stringMatching(ERRMSG), customer: [] });
    await expectNothingStarted(h);
    // The token is still checked first, and the read endpoints refuse it the same way.
    const anonymous = await raw(h.server.baseUrl, TRANSFER, { method: 'POST', body: huge });
    expect(JSON.parse(anonymous.text)).toMatchObject({ errcode: 41001, customer: [] });
    const batch = await raw(h.server.baseUrl, `/cgi-bin/externalcontact/batch/get_by_user?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ userid_list: ['alice'], pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(batch.status).toBe(200);
    expect(JSON.parse(batch.text)).toMatchObject({ errcode: 40058, external_contact_list: [] });
    await expectNothingStarted(h);
  });

  it('accepts a body just under 1 MiB', async () => {
    const token = await h.token();
    const body = JSON.stringify({ ...valid, pad: '' });
    const padded = body.replace('"pad":""', `"pad":"${'x'.repeat(1024 * 1024 - body.length - 1)}"`);
    expect(Buffer.byteLength(padded)).toBeLessThan(1024 * 1024);
    const answer = await raw(h.server.baseUrl, `${TRANSFER}?access_token=${token}`, { method: 'POST', body: padded });
    expect(JSON.parse(answer.text).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
  });

  it.each([
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['__proto__ as a field', '{"__proto__":{"handover_userid":"alice","takeover_userid":"bob","external_userid":["wmCust00001"]},"userid_list":{"__proto__":["alice"]}}'],
    ['a null byte in an id', JSON.stringify({ ...valid, external_userid: ['wm\u0000x'] })],
    ['lone surrogates', '{"handover_userid":"\\ud800","takeover_userid":"bob","external_userid":["\\udfff"]}'],
    ['a huge userid', JSON.stringify({ ...valid, handover_userid: 'a'.repeat(100_000) })],
    ['non-UTF-8 bytes', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['a NUL byte in the message', JSON.stringify({ ...valid, transfer_success_msg: 'a\u0000b' })],
    ['a NUL byte in a userid', JSON.stringify({ ...valid, takeover_userid: 'bob\u0000' })],
    ['ids that are objects', '{"handover_userid":"alice","takeover_userid":"bob","external_userid":[{"$gt":""}]}'],
    ['a huge number of ids', JSON.stringify({ ...valid, external_userid: Array.from({ length: 50_000 }, (_, i) => `wm${i}`) })],
    ['a UTF-8 BOM before garbage', '\uFEFF{'],
  ])('never answers %s with a 500 or a stack trace, and starts nothing', async (_name, payload) => {
    const token = await h.token();
    for (const path of [TRANSFER, '/cgi-bin/externalcontact/transfer_result', '/cgi-bin/externalcontact/batch/get_by_user']) {
      const answer = await raw(h.server.baseUrl, `${path}?access_token=${token}`, { method: 'POST', body: payload as BodyInit });
      expect(answer.status).toBe(200);
      const json = JSON.parse(answer.text);
      expect(typeof json.errcode).toBe('number');
      expect(json.errcode).not.toBe(-1);
      expect(answer.text).not.toMatch(/at .*\.js:\d+|Error:|\/src\//);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    await expectNothingStarted(h);
  });

  it('__proto__ and constructor keys are plain data: the call is served and no prototype changes', async () => {
    const payload = '{"__proto__":{"polluted":true},"handover_userid":"alice","takeover_userid":"bob","external_userid":["wmCust00001"],"constructor":{"prototype":{"x":1}}}';
    const answer = await raw(h.server.baseUrl, `${TRANSFER}?access_token=${await h.token()}`, { method: 'POST', body: payload });
    expect(JSON.parse(answer.text)).toEqual({ errcode: 0, errmsg: 'ok', customer: [{ external_userid: c1, errcode: 0 }] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it.each([
    ['list', { userid: 'alice\u0000' }, 40003],
    ['list', { userid: 'a'.repeat(5000) }, 40003],
    ['get', { external_userid: 'wm\u0000' }, 40096],
    ['get', { external_userid: 'wm'.repeat(3000) }, 40096],
    ['get', { external_userid: c1, cursor: '\u0000' }, 40035],
    ['list', { userid: '%00' }, 40003],
  ])('hostile query strings: %s %j → %s', async (path, query, code) => {
    const answer = await h.server.wecom('GET', `/cgi-bin/externalcontact/${path}`, { query: { access_token: await h.token(), ...query } });
    expect(answer.errcode).toBe(code);
  });

  it('leaves state untouched after hostile input', async () => {
    const token = await h.token();
    await raw(h.server.baseUrl, `${TRANSFER}?access_token=${token}`, { method: 'POST', body: '{"handover_userid":"alice","takeover_userid":"bob","external_userid":["wmCust00001",{"$gt":""}]}' });
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it.each([
    [TRANSFER, 'customer'],
    ['/cgi-bin/externalcontact/transfer_result', 'customer'],
    ['/cgi-bin/externalcontact/batch/get_by_user', 'external_contact_list'],
  ])('GET on the POST-only %s is 40058 after the token check', async (path, field) => {
    expect(await h.server.wecom('GET', path, { query: { access_token: await h.token() } })).toEqual({ errcode: 40058, errmsg: expect.stringMatching(ERRMSG), [field]: [] });
    expect(await h.server.wecom('GET', path)).toEqual({ errcode: 41001, errmsg: expect.any(String), [field]: [] });
    expect(await h.server.wecom('GET', path, { query: { access_token: 'garbage!' } })).toMatchObject({ errcode: 40014 });
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

  it('a fault answers with the endpoint’s list field and only on its own path', async () => {
    await h.server.admin('POST', '/admin/faults', { path: '/cgi-bin/externalcontact/list', errcode: 45009, count: 1 });
    const token = await h.token();
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: token, external_userid: 'wmBystander' } })).errcode).toBe(0);
    expect(await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'victor' } })).toEqual({
      errcode: 45009,
      errmsg: expect.stringMatching(ERRMSG),
      external_userid: [],
    });
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'victor' } })).errcode).toBe(0);
  });

  it('refuses a fault for a path outside /cgi-bin or an errcode that cannot be injected', async () => {
    await expect(h.server.admin('POST', '/admin/faults', { path: '/admin/reset', errcode: -1 })).rejects.toThrow(/400/);
    await expect(h.server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 40014 })).rejects.toThrow(/400.*errcode/);
  });
});

describe.each(await testBackends())('rate limit on %s (behaviour §5.2, §9.4)', (backend) => {
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

  it('a rate-limited transfer_customer starts nothing', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const minute = Math.ceil(Date.parse((await h.server.admin('GET', '/admin/clock')).now) / 60_000) * 60_000;
    await h.server.admin('POST', '/admin/clock', { set: new Date(minute + 1000).toISOString() });
    const token = await h.token();
    for (let i = 0; i < 5; i++) expect(codesOf(await h.transfer({ ...valid, external_userid: ['wmNope'] }, token))).toEqual([40096]);
    expect(await h.transfer(valid, token)).toEqual({ errcode: 45009, errmsg: expect.stringMatching(/^api freq out of limit/), customer: [] });
    await h.advance(60);
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([]);
    expect((await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages).toEqual([]);
  });
});
