import { describe, expect, it } from 'vitest';
import { CORP, customerIds, NARROW_AGENT, NARROW_SECRET, SECRET } from '../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../support/harness.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { testBackends } from '../support/stores.js';

/** Regression tests for the defects of issue 11 that live in the HTTP layer, each named by its number. */

const [c1, c2] = customerIds(2) as [string, string];

interface RawAnswer {
  status: number;
  contentType: string | null;
  text: string;
}

async function raw(baseUrl: string, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: options.headers ?? {}, ...(options.body !== undefined ? { body: options.body } : {}) });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const json = { 'content-type': 'application/json' };

describe.each(await testBackends())('issue 11 hardening on %s', (backend) => {
  const h = useHarness(backend);
  const wecomGet = async (path: string, query: string) => JSON.parse((await raw(h.server.baseUrl, 'GET', `${path}?${query}`)).text);

  it('defect 1: an app may not move the customers of a handover outside its visible range (60011 naming handover_userid)', async () => {
    const narrow = await h.token(NARROW_SECRET);
    const before = await h.server.admin('GET', '/admin/fixtures');
    const answer = await h.transfer({ handover_userid: 'hank', takeover_userid: 'bob', external_userid: [c1] }, narrow);
    expect(answer).toEqual({ errcode: 60011, errmsg: expect.stringMatching(/^no privilege.*handover_userid/), customer: [] });
    // Checked just before the takeover's visibility: both outside → the handover is named.
    const both = await h.transfer({ handover_userid: 'hank', takeover_userid: 'victor', external_userid: [c1] }, narrow);
    expect(both).toMatchObject({ errcode: 60011, errmsg: expect.stringMatching(/handover_userid/), customer: [] });
    // Step 5 still comes first: an unknown takeover is 40003, handover = takeover is 40130.
    expect(await h.transfer({ handover_userid: 'hank', takeover_userid: 'ghost', external_userid: [c1] }, narrow)).toMatchObject({ errcode: 40003 });
    expect(await h.transfer({ handover_userid: 'hank', takeover_userid: 'hank', external_userid: [c1] }, narrow)).toMatchObject({ errcode: 40130 });
    // The same member, as list and transfer_result already answered.
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${narrow}&userid=hank`)).toMatchObject({ errcode: 60011 });
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    // Inside the range the call goes through.
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] }, narrow)).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
  });

  it('defect 4: a repeated query parameter takes its first value, never -1', async () => {
    const once = await wecomGet('/cgi-bin/gettoken', `corpid=${CORP}&corpsecret=${SECRET}`);
    const twice = await wecomGet('/cgi-bin/gettoken', `corpid=${CORP}&corpid=${CORP}&corpsecret=${SECRET}&corpsecret=nope`);
    expect(twice).toEqual({ errcode: 0, errmsg: 'ok', access_token: once.access_token, expires_in: expect.any(Number) });
    expect(await wecomGet('/cgi-bin/gettoken', `corpid=wwnope&corpid=${CORP}&corpsecret=${SECRET}`)).toMatchObject({ errcode: 40013 });
    const token = once.access_token as string;
    const got = await wecomGet('/cgi-bin/externalcontact/get', `access_token=${token}&external_userid=${c1}&external_userid=${c2}`);
    expect(got).toMatchObject({ errcode: 0, external_contact: { external_userid: c1 } });
    const listed = await wecomGet('/cgi-bin/externalcontact/list', `access_token=${token}&access_token=garbage&userid=alice&userid=bob`);
    expect(listed).toMatchObject({ errcode: 0, external_userid: expect.arrayContaining([c1, c2]) });
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${token}&userid=&userid=alice`)).toMatchObject({ errcode: 41009 });
    expect(await h.server.admin('GET', `/admin/customers/${c1}/messages?corpid=${CORP}&corpid=wwnope`)).toEqual({ messages: [] });
  });

  it('defect 5: an unknown path or method under /cgi-bin/ is an empty 404, whatever the body or Content-Type', async () => {
    const token = await h.token();
    const empty404 = { status: 404, text: '' };
    const cases: [string, string, string | undefined, Record<string, string>][] = [
      ['POST', `/cgi-bin/externalcontact/nope?access_token=${token}`, 'NaN', json],
      ['PATCH', `/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, '{', json],
      ['OPTIONS', `/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, 'x', { 'content-type': 'garbage/////' }],
      ['OPTIONS', '/cgi-bin/gettoken', undefined, { 'content-type': 'garbage/////' }],
      ['DELETE', '/cgi-bin/externalcontact/get', '\u0000', { 'content-type': 'text/plain' }],
      ['PUT', `/cgi-bin/externalcontact/transfer_result?access_token=${token}`, 'x'.repeat(1024 * 1024 + 1), json],
      ['POST', '/cgi-bin/nope', '{"__proto__":{"a":1}}', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['GET', '/cgi-bin/%E0%A4%A', undefined, {}],
    ];
    for (const [method, path, body, headers] of cases) {
      const answer = await raw(h.server.baseUrl, method, path, { ...(body !== undefined ? { body } : {}), headers });
      expect({ method, path: path.slice(0, 40), ...answer, contentType: undefined }).toEqual({ method, path: path.slice(0, 40), ...empty404, contentType: undefined });
    }
  });

  it('defect 6: an unparsable Content-Type on the admin API is a 415 JSON error naming the header', async () => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    for (const [method, path] of [
      ['POST', '/admin/clock'],
      ['PATCH', '/admin/members/carol'],
      ['POST', '/admin/fixtures'],
      ['PUT', `/admin/apps/${NARROW_AGENT}/callback`],
      ['POST', '/admin/faults'],
    ] as const) {
      const answer = await raw(h.server.baseUrl, method, path, { body: '{"freeze":true}', headers: { ...admin, 'content-type': 'garbage/////' } });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.text)).toEqual({ error: { field: 'content-type', message: expect.stringMatching(/Content-Type header/) } });
    }
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    expect((await h.server.admin('GET', '/admin/clock')).frozen).toBe(false);
  });

  it('defect 8: admin input with a lone surrogate is a 400 naming the field; export stays equal to state', async () => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    const patched = await raw(h.server.baseUrl, 'PATCH', '/admin/members/carol', { body: '{"name":"ca\\ud800rol"}', headers: { ...admin, ...json } });
    expect(patched.status).toBe(400);
    expect(JSON.parse(patched.text)).toEqual({ error: { field: 'name', message: expect.stringMatching(/lone UTF-16 surrogate/) } });
    const fixture = JSON.stringify(before).replace('"name":"CAROL"', '"name":"CA\\udc00ROL"');
    const loaded = await raw(h.server.baseUrl, 'POST', '/admin/fixtures', { body: fixture, headers: { ...admin, ...json } });
    expect(loaded.status).toBe(400);
    expect(JSON.parse(loaded.text).error.field).toMatch(/members\[\d+\]\.name$/);
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    // A well-formed pair (an emoji) is text like any other, and comes back as sent.
    expect(await h.server.admin('PATCH', '/admin/members/carol', { name: 'ca\ud83d\ude00rol' })).toMatchObject({ name: 'ca😀rol' });
    expect((await h.server.admin('GET', '/admin/fixtures')).corps[0].members.find((m: any) => m.userid === 'carol').name).toBe('ca😀rol');
  });

  it('defect 8: a lone surrogate in transfer_success_msg becomes U+FFFD, the same string in the answer and in the store', async () => {
    const token = await h.token();
    const body = `{"handover_userid":"alice","takeover_userid":"bob","external_userid":["${c1}"],"transfer_success_msg":"hi\\ud800there\\udfff"}`;
    const answer = JSON.parse((await raw(h.server.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, { body, headers: json })).text);
    expect(answer.customer).toEqual([{ external_userid: c1, errcode: 0 }]);
    const { messages } = await h.server.admin('GET', `/admin/customers/${c1}/messages`);
    expect(messages.map((m: any) => m.content)).toEqual(['hi\ufffdthere\ufffd']);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('defect 11: after the clock is set back, tokens issued later (or already expired) are dead: 42001, then a new one', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const t0 = Date.parse((await h.server.admin('GET', '/admin/clock')).now);
    const first = await h.token();
    await h.server.admin('POST', '/admin/clock', { set: new Date(t0 - 3600_000).toISOString() });
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${first}&userid=alice`)).toMatchObject({ errcode: 42001, external_userid: [] });
    const second = await h.token();
    expect(second).not.toBe(first);
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${second}&userid=alice`)).toMatchObject({ errcode: 0 });
    // Once past its issue instant again, the retired token stays dead.
    await h.server.admin('POST', '/admin/clock', { set: new Date(t0 + 60_000).toISOString() });
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${first}&userid=alice`)).toMatchObject({ errcode: 42001 });
    // An expired token does not come back to life when the clock goes back to inside its 7200 s.
    await h.server.admin('POST', '/admin/clock', { advance_seconds: 3 * 3600 });
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${second}&userid=alice`)).toMatchObject({ errcode: 42001 });
    const third = await h.token();
    await h.server.admin('POST', '/admin/clock', { set: new Date(t0 - 1800_000).toISOString() });
    for (const token of [first, second, third]) {
      expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${token}&userid=alice`)).toMatchObject({ errcode: 42001 });
    }
    expect(await wecomGet('/cgi-bin/externalcontact/list', `access_token=${await h.token()}&userid=alice`)).toMatchObject({ errcode: 0 });
  });
});
