import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerRequest, Work } from 'node-easywechat';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT, CORP, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { CALLBACK_SECRETS, type CallbackSink, type DecodedEvent, startCallbackSink } from './callback-sink.js';

const CACHE_ROOT = mkdtempSync(join(tmpdir(), 'handover-easywechat-'));

/**
 * node-easywechat 3.6.2's Work application as its users configure it: `http` is passed to axios, so
 * `http.baseURL` moves every call, gettoken included, to handover. `http.throw: false` returns WeCom
 * errors as answers instead of throwing, so the tests can read the errcode. Its token cache is a
 * file cache: one directory per application, because handover's database (and its tokens) is reloaded
 * before every test.
 */
function workApp(baseUrl: string) {
  return new Work({
    corp_id: CORP,
    secret: SECRET,
    token: CALLBACK_SECRETS.token,
    aes_key: CALLBACK_SECRETS.encodingAesKey,
    http: { baseURL: `${baseUrl}/`, throw: false },
    file_cache: { path: mkdtempSync(join(CACHE_ROOT, 'cache-')), dirMode: 0o700, fileMode: 0o600, ext: '.cache' },
  });
}

describe('node-easywechat 3.6.2 against handover', () => {
  const server = useCompanyServer(10);
  let sink: CallbackSink | undefined;

  afterAll(async () => {
    await sink?.close();
    rmSync(CACHE_ROOT, { recursive: true, force: true });
  });

  it('token, transfer_customer, transfer_result and the read APIs; after 24 h of server clock its cached token is 42001 until refreshed', async () => {
    const app = workApp(server.baseUrl);
    const client = app.getClient();
    const post = async (path: string, body: object) => (await client.postJson(`cgi-bin/externalcontact/${path}`, body)).toObject();
    const get = async (path: string, params: Record<string, string> = {}) => (await client.get(`cgi-bin/externalcontact/${path}`, { params })).toObject();

    const token = await app.getAccessToken().getToken();
    expect(token).toMatch(/^\S{16,}$/);

    expect(await post('transfer_customer', { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00001', 'wmCust00002', 'wmNope'] })).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer: [
        { external_userid: 'wmCust00001', errcode: 0 },
        { external_userid: 'wmCust00002', errcode: 0 },
        { external_userid: 'wmNope', errcode: 40096 },
      ],
    });
    const waiting = await post('transfer_result', { handover_userid: 'alice', takeover_userid: 'bob' });
    expect(waiting.customer.map((c: any) => [c.external_userid, c.status])).toEqual([['wmCust00001', 2], ['wmCust00002', 2]]);

    const list = await get('list', { userid: 'alice' });
    expect(list.errcode).toBe(0);
    expect(list.external_userid).toEqual(expect.arrayContaining(['wmCust00001', 'wmCust00010', 'wmShared']));
    const contact = await get('get', { external_userid: 'wmCust00001' });
    expect(contact.follow_user.map((f: any) => f.userid)).toEqual(['alice']);
    expect((await get('get_follow_user_list')).follow_user).toEqual(expect.arrayContaining(['alice', 'bob']));
    const batch = await post('batch/get_by_user', { userid_list: ['alice'], limit: 100 });
    expect(batch.errcode).toBe(0);
    expect(batch.external_contact_list.map((c: any) => c.follow_info.userid)).toContain('alice');

    // The admin call completes what fell due before it answers (the engine, polling, may take some first).
    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
    // The file cache keeps the token for expires_in seconds of real time and nothing renews it on 42001.
    expect((await post('transfer_result', { handover_userid: 'alice', takeover_userid: 'bob' })).errcode).toBe(42001);
    // refresh() is on Work's AccessToken class but not on the interface getAccessToken() is typed with.
    const fresh = await (app.getAccessToken() as unknown as { refresh(): Promise<string> }).refresh();
    expect(fresh).not.toBe(token);
    expect(await app.getAccessToken().getToken()).toBe(fresh);
    const done = await post('transfer_result', { handover_userid: 'alice', takeover_userid: 'bob' });
    expect(done.customer.map((c: any) => c.status)).toEqual([1, 1]);
    expect((await get('get', { external_userid: 'wmCust00001' })).follow_user.map((f: any) => f.userid)).toEqual(['bob']);
  });

  it('its Work server verifies the callback URL and decrypts add, del and transfer_fail events', async () => {
    sink = await startCallbackSink(async ({ req, body }) => {
      // One application per request: a Work server prepends a decrypting step bound to the request's
      // query on every serve(), so a second request through the same server fails "Invalid request
      // signature." against the first one's signature (an SDK quirk, see docs/sdks.md).
      const app = workApp(server.baseUrl);
      app.setRequest(await ServerRequest.createFromIncomingMessage(req, body));
      let event: DecodedEvent | undefined;
      const endpoint = app.getServer();
      endpoint.addEventListener('change_external_contact' as never, async (message: any, next: any) => {
        event = message.toObject() as DecodedEvent;
        return next(message);
      });
      // The SDK's own request handling: echostr for URL verification, signature check, decryption, parsing.
      const response = await endpoint.serve();
      return { status: response.getStatusCode(), body: String(response.getBody() ?? ''), ...(event ? { event } : {}) };
    });
    await server.admin('PUT', `/admin/apps/${AGENT}/callback`, { url: sink.url, token: CALLBACK_SECRETS.token, encoding_aes_key: CALLBACK_SECRETS.encodingAesKey });

    const client = workApp(server.baseUrl).getClient();
    const started = (await client.postJson('cgi-bin/externalcontact/transfer_customer', { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00003', 'wmCust00004'] })).toObject();
    expect(started.customer.map((c: any) => c.errcode)).toEqual([0, 0]);
    await server.admin('POST', '/admin/customers/wmCust00004/refuse');
    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });

    const is = (type: string, customer: string) => (e: DecodedEvent) => e['ChangeType'] === type && e['ExternalUserID'] === customer;
    const [added, deleted, failed] = await Promise.all([
      sink.waitFor(is('add_external_contact', 'wmCust00003')),
      sink.waitFor(is('del_external_contact', 'wmCust00003')),
      sink.waitFor(is('transfer_fail', 'wmCust00004')),
    ]);
    expect(added).toMatchObject({ ToUserName: CORP, MsgType: 'event', Event: 'change_external_contact', UserID: 'bob' });
    expect(deleted).toMatchObject({ Event: 'change_external_contact', UserID: 'alice', Source: 'DELETE_BY_TRANSFER' });
    expect(failed).toMatchObject({ Event: 'change_external_contact', UserID: 'bob', FailReason: 'customer_refused' });
    expect(sink.failures).toEqual([]);
  });
});
