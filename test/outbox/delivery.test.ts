import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT, CORP, customerIds, NARROW_AGENT, testCompany } from '../support/company.js';
import { useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, type TestReceiver, waitFor } from './receiver.js';

const [c1, c2] = customerIds(2) as [string, string];
const callbackFor = (receiver: TestReceiver) => ({ url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY });
const fast = { HANDOVER_CALLBACK_BACKOFF: '0.05,0.05,0.05', HANDOVER_CALLBACK_TIMEOUT_MS: '300' };

async function adminStatus(baseUrl: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: 'Bearer test-admin-token' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

describe.each(await testBackends())('callback delivery on %s (spec §3, §4, §9.5)', (backend) => {
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

  it('saves a callback only after URL verification succeeds', async () => {
    expect(await configure()).toEqual({ corpid: CORP, agentid: AGENT, callback: callbackFor(receiver) });
    receiver.mode = 'wrong-echo';
    const refused = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, callbackFor(receiver));
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toMatch(/URL verification failed: echo mismatch/);
    const down = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, { ...callbackFor(receiver), url: 'http://127.0.0.1:9/cb' });
    expect(down.status).toBe(422);
    const badKey = await adminStatus(h.server.baseUrl, 'PUT', `/admin/apps/${NARROW_AGENT}/callback`, { ...callbackFor(receiver), encoding_aes_key: 'a'.repeat(42) });
    expect(badKey).toMatchObject({ status: 400, json: { error: { field: 'encoding_aes_key' } } });
    const apps = (await h.server.admin('GET', '/admin/fixtures')).corps[0].apps;
    expect(apps.find((a: any) => a.agentid === NARROW_AGENT).callback).toBeUndefined();
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
  });

  it('delivers transfer_fail customer_refused to the takeover', async () => {
    await configure();
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await waitFor(() => receiver.events.length === 1);
    expect(receiver.events[0]).toMatchObject({ ChangeType: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: c1 });
  });

  it('sends an app only the events about members in its visible range', async () => {
    await h.server.admin('PUT', `/admin/apps/${NARROW_AGENT}/callback?corpid=${CORP}`, callbackFor(receiver));
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'hank', external_userid: [c1] });
    await h.advance(86_400);
    await waitFor(() => receiver.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.events.map((e) => [e.ChangeType, e.UserID])).toEqual([['del_external_contact', 'alice']]);
    expect((await rows()).map((r: any) => [r.type, r.agentid, r.status])).toEqual([
      ['add_external_contact', null, 'undeliverable'],
      ['del_external_contact', NARROW_AGENT, 'delivered'],
    ]);
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

  it('counts a receiver slower than the timeout as a failure', async () => {
    await configure();
    receiver.mode = 'slow';
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1] });
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await waitFor(async () => (await rows())[0].attempts >= 2, 5000);
    expect((await rows())[0].last_error).toBe('timeout after 300 ms');
    receiver.mode = 'ok';
    await waitFor(async () => (await rows())[0].status === 'delivered', 5000);
  });

  it('keeps one customer’s events in order even when the first one fails a few times', async () => {
    await configure();
    receiver.mode = 'fail';
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: [c1, c2] });
    await h.advance(86_400);
    await waitFor(() => receiver.attempts >= 2);
    receiver.mode = 'ok';
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
  });
});
