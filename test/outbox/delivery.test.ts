import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT, CORP, customerIds, NARROW_AGENT, testCompany } from '../support/company.js';
import type { Harness } from '../support/harness.js';
import { useHarness } from '../support/harness.js';
import { untilIdle } from '../support/rounds.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { testBackends } from '../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, type TestReceiver, waitFor } from './receiver.js';

const [c1, c2] = customerIds(2) as [string, string];
const callbackFor = (receiver: TestReceiver) => ({ url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY });
const fast = { HANDOVER_CALLBACK_BACKOFF: '0.05,0.05,0.05', HANDOVER_CALLBACK_TIMEOUT_MS: '300' };
/**
 * A frozen server clock 5 h ahead of real time (members' logins are relative to real time, so not years),
 * on a whole second: CreateTime then provably comes from the server clock, not the wall clock.
 */
const FROZEN_SECONDS = Math.floor(Date.now() / 1000) + 5 * 3600;
const FROZEN_AT = new Date(FROZEN_SECONDS * 1000).toISOString();
const NOT_CALLABLE_AGENT = 1000004;
const THIRD_PARTY_AGENT = 1000005;

async function freezeAt(h: Harness, instant = FROZEN_AT) {
  await h.server.admin('POST', '/admin/clock', { freeze: true });
  await h.server.admin('POST', '/admin/clock', { set: instant });
}

async function adminStatus(baseUrl: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

describe.each(await testBackends())('callback delivery on %s (behaviour §3, §4, §9.5)', (backend) => {
  const h = useHarness(backend, { env: fast });
  let receiver: TestReceiver;
  beforeEach(async () => {
    receiver = await startReceiver(CORP);
  });
  afterEach(async () => {
    await receiver.close();
  });
  const configure = () => h.server.admin('PUT', `/admin/apps/${AGENT}/callback?corpid=${CORP}`, callbackFor(receiver));
  const rows = async () => (await h.server.admin('GET', '/admin/events')).events;
  /** A delivery round that began after this call leased nothing: nothing else is on its way to the receiver. */
  const idle = () => untilIdle(h.server.server.loops.delivery);

  it('saves a callback only after URL verification succeeds', async () => {
    expect(await configure()).toEqual({ corpid: CORP, agentid: AGENT, callback: callbackFor(receiver) });
    receiver.mode = 'wrong-echo';
    const refused = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, callbackFor(receiver));
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toBe('URL verification failed: echo mismatch: answered 14 bytes that are not the plaintext, expected the 19-byte echostr plaintext');
    const closed = await startReceiver(CORP);
    await closed.close();
    const down = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, { ...callbackFor(receiver), url: closed.url });
    expect(down.status).toBe(422);
    expect(down.json.error).toMatchObject({ field: 'url', message: expect.stringMatching(/^URL verification failed: ECONNREFUSED/) });
    // A failed re-verification leaves the app's saved callback as it was.
    const replaced = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${AGENT}/callback?corpid=${CORP}`, { ...callbackFor(receiver), token: 'anotherToken' });
    expect(replaced.status).toBe(422);
    const badKey = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, { ...callbackFor(receiver), encoding_aes_key: 'a'.repeat(42) });
    expect(badKey).toMatchObject({ status: 400, json: { error: { field: 'encoding_aes_key' } } });
    expect(badKey.json.error.message).toMatch(/43/);
    const apps = (await h.server.admin('GET', '/admin/fixtures')).corps[0].apps;
    expect(apps.find((a: any) => a.agentid === NARROW_AGENT).callback).toBeUndefined();
    expect(apps.find((a: any) => a.agentid === AGENT).callback).toEqual(callbackFor(receiver));
  });

  it('delivers the takeover’s add and the handover’s del, as WeCom sends them', async () => {
    await configure();
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    const moved = await h.advance(86_400);
    const createTime = Math.floor(Date.parse(moved.now) / 1000);
    await waitFor(() => receiver.events.length === 2);
    expect(receiver.events).toEqual([
      { ToUserName: CORP, FromUserName: 'sys', CreateTime: createTime, MsgType: 'event', Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: 'carol', ExternalUserID: c1 },
      {
        ToUserName: CORP,
        FromUserName: 'sys',
        CreateTime: createTime,
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'del_external_contact',
        UserID: 'alice',
        ExternalUserID: c1,
        Source: 'DELETE_BY_TRANSFER',
      },
    ]);
    expect(receiver.agentIds).toEqual([String(AGENT), String(AGENT)]);
    await waitFor(async () => (await rows()).every((r: any) => r.status === 'delivered'));
    await idle();
    expect(receiver.events).toHaveLength(2);
    expect((await rows()).map((r: any) => [r.type, r.agentid, r.status, r.attempts, r.last_error])).toEqual([
      ['add_external_contact', AGENT, 'delivered', 1, null],
      ['del_external_contact', AGENT, 'delivered', 1, null],
    ]);
  });

  it('delivers transfer_fail customer_refused to the takeover, and nothing to the handover', async () => {
    await configure();
    await freezeAt(h);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await waitFor(() => receiver.events.length === 1);
    await idle();
    expect(receiver.events).toEqual([
      {
        ToUserName: CORP,
        FromUserName: 'sys',
        CreateTime: FROZEN_SECONDS,
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        FailReason: 'customer_refused',
        UserID: 'carol',
        ExternalUserID: c1,
      },
    ]);
    expect(receiver.agentIds).toEqual([String(AGENT)]);
  });

  it('delivers transfer_fail customer_limit_exceed when the takeover is full at the due time', async () => {
    await configure();
    await freezeAt(h);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 0 });
    await h.advance(86_400);
    await waitFor(() => receiver.events.length === 1);
    await idle();
    expect(receiver.events).toEqual([
      {
        ToUserName: CORP,
        FromUserName: 'sys',
        CreateTime: FROZEN_SECONDS + 86_400,
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        FailReason: 'customer_limit_exceed',
        UserID: 'carol',
        ExternalUserID: c1,
      },
    ]);
    expect((await rows()).map((r: any) => [r.type, r.agentid, r.status, r.attempts])).toEqual([['transfer_fail', AGENT, 'delivered', 1]]);
  });

  it('sends an app only the events about members in its visible range', async () => {
    await h.server.admin('PUT', `/admin/apps/${NARROW_AGENT}/callback?corpid=${CORP}`, callbackFor(receiver));
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'hank', external_userid: [c1] });
    await h.advance(86_400);
    await waitFor(() => receiver.events.length === 1);
    await idle();
    expect(receiver.events.map((e) => [e.ChangeType, e.UserID])).toEqual([['del_external_contact', 'alice']]);
    expect((await rows()).map((r: any) => [r.type, r.agentid, r.status])).toEqual([
      ['add_external_contact', null, 'undeliverable'],
      ['del_external_contact', NARROW_AGENT, 'delivered'],
    ]);
  });

  it('sends nothing to apps that may not receive customer-contact events', async () => {
    // Verification passes for any app; whether it may receive events is decided per event.
    for (const agentid of [NOT_CALLABLE_AGENT, THIRD_PARTY_AGENT]) {
      await h.server.admin('PUT', `/admin/apps/${agentid}/callback?corpid=${CORP}`, callbackFor(receiver));
    }
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.advance(86_400);
    await idle();
    expect(receiver.events).toEqual([]);
    expect(receiver.attempts).toBe(0);
    expect((await rows()).map((r: any) => [r.type, r.agentid, r.status, r.attempts])).toEqual([
      ['add_external_contact', null, 'undeliverable', 0],
      ['del_external_contact', null, 'undeliverable', 0],
    ]);
  });

  it('gives every app that may receive an event its own row; a third-party app needs customer_basic or onjob_transfer', async () => {
    const fixture = testCompany();
    const apps = fixture.corps[0]!.apps!;
    apps.find((a) => a.agentid === THIRD_PARTY_AGENT)!.permissions = ['customer_basic'];
    apps.push({ agentid: 1000006, secret: 'test-secret-third-party-onjob', kind: 'third_party', permissions: ['onjob_transfer'] });
    apps.push({ agentid: 1000007, secret: 'test-secret-third-party-resigned', kind: 'third_party', permissions: ['resigned_transfer'] });
    for (const app of apps) app.callback = callbackFor(receiver);
    await h.server.admin('POST', '/admin/fixtures', fixture);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'hank', external_userid: [c1] });
    await h.advance(86_400);
    await waitFor(() => receiver.events.length === 7);
    await idle();
    // add (hank): the whole-corp apps only, as hank is outside NARROW's range; del (alice): NARROW as well.
    const received = receiver.events.map((e, i) => `${e.ChangeType}:${e.UserID}@${receiver.agentIds[i]}`).sort();
    expect(received).toEqual(
      [
        `add_external_contact:hank@${AGENT}`,
        `add_external_contact:hank@${THIRD_PARTY_AGENT}`,
        'add_external_contact:hank@1000006',
        `del_external_contact:alice@${AGENT}`,
        `del_external_contact:alice@${NARROW_AGENT}`,
        `del_external_contact:alice@${THIRD_PARTY_AGENT}`,
        'del_external_contact:alice@1000006',
      ].sort(),
    );
    const outbox = await rows();
    expect(outbox.every((r: any) => r.status === 'delivered')).toBe(true);
    expect(outbox.map((r: any) => r.agentid)).not.toContain(NOT_CALLABLE_AGENT);
    expect(outbox.map((r: any) => r.agentid)).not.toContain(1000007);
  });

  it('retries a failing receiver, then parks the row as dead; redelivery sends it again', async () => {
    await configure();
    receiver.mode = 'fail';
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await waitFor(async () => (await rows())[0].status === 'dead');
    const [dead] = await rows();
    expect(dead).toMatchObject({ status: 'dead', attempts: 4, last_error: 'http 500' });
    expect(receiver.attempts).toBe(4);
    receiver.mode = 'ok';
    expect(await h.server.admin('POST', `/admin/events/${dead.id}/redeliver`)).toEqual({ id: dead.id, status: 'pending' });
    await waitFor(() => receiver.events.length === 1);
    await waitFor(async () => (await rows())[0].status === 'delivered');
    const again = await adminStatus(h.server.baseUrl, 'POST', `/admin/events/${dead.id}/redeliver`, {});
    expect(again.status).toBe(200);
  });

  it('keeps one customer’s events in order even when the first one fails a few times', async () => {
    await configure();
    receiver.mode = 'fail';
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1, c2] });
    await h.advance(86_400);
    // Each customer's add fails twice (attempts 1 and 2 of 4); meanwhile its del, queued behind it, is not tried.
    await waitFor(async () => (await rows()).filter((r: any) => r.type === 'add_external_contact').every((r: any) => r.attempts >= 2));
    receiver.mode = 'ok';
    const during = await rows();
    expect(during.filter((r: any) => r.type === 'del_external_contact').map((r: any) => [r.status, r.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    await waitFor(() => receiver.events.length === 4);
    const ofC1 = receiver.events.filter((e) => e.ExternalUserID === c1).map((e) => e.ChangeType);
    const ofC2 = receiver.events.filter((e) => e.ExternalUserID === c2).map((e) => e.ChangeType);
    expect(ofC1).toEqual(['add_external_contact', 'del_external_contact']);
    expect(ofC2).toEqual(['add_external_contact', 'del_external_contact']);
  });

  it('takes the callback from the fixture as well', async () => {
    const fixture = testCompany();
    fixture.corps[0]!.apps![0]!.callback = callbackFor(receiver);
    await h.server.admin('POST', '/admin/fixtures', fixture);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await waitFor(() => receiver.events.length === 1);
    expect(receiver.events[0]).toMatchObject({ ToUserName: CORP, ChangeType: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: c1 });
    expect(receiver.agentIds).toEqual([String(AGENT)]);
  });

  describe('with a 200 ms timeout', () => {
    const slow = useHarness(backend, { env: { ...fast, HANDOVER_CALLBACK_TIMEOUT_MS: '200' } });

    it('counts a receiver slower than the timeout as a failure, and retries', async () => {
      await slow.server.admin('PUT', `/admin/apps/${AGENT}/callback?corpid=${CORP}`, callbackFor(receiver));
      receiver.mode = 'slow';
      receiver.slowMs = 500;
      await slow.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
      await slow.server.admin('POST', `/admin/customers/${c1}/refuse`);
      const slowRows = async () => (await slow.server.admin('GET', '/admin/events')).events;
      await waitFor(async () => (await slowRows())[0].attempts >= 2, 5000);
      expect((await slowRows())[0]).toMatchObject({ status: 'pending', last_error: 'timeout after 200 ms' });
      receiver.mode = 'ok';
      await waitFor(async () => (await slowRows())[0].status === 'delivered', 5000);
      expect((await slowRows())[0]).toMatchObject({ status: 'delivered', last_error: null });
    });
  });

  describe('with delivery off', () => {
    const idle = useHarness(backend, { env: { ...fast, HANDOVER_DELIVERY: 'off' } });

    it('refuses to redeliver a pending, undeliverable or unknown row (409)', async () => {
      await idle.server.admin('PUT', `/admin/apps/${NARROW_AGENT}/callback?corpid=${CORP}`, callbackFor(receiver));
      await idle.transfer({ handover_userid: 'alice', takeover_userid: 'hank', external_userid: [c1] });
      await idle.advance(86_400);
      const [undeliverable, pending] = (await idle.server.admin('GET', '/admin/events')).events;
      expect([undeliverable.status, pending.status]).toEqual(['undeliverable', 'pending']);
      for (const id of [pending.id, undeliverable.id, 999_999]) {
        const answer = await adminStatus(idle.server.baseUrl, 'POST', `/admin/events/${id}/redeliver`, {});
        expect(answer.status).toBe(409);
        expect(answer.json.error.field).toBe('id');
      }
      expect((await idle.server.admin('GET', '/admin/events')).events.map((r: any) => [r.status, r.attempts])).toEqual([
        ['undeliverable', 0],
        ['pending', 0],
      ]);
    });
  });
});
