import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// TNWX 2.5.6 as its users install it (the umbrella package re-exports @tnwx/*).
import { ApiConfig, AxiosHttpKit, CryptoKit, DefaultCache, HttpKit, type HttpDelegate, QyAccessTokenApi, QyApiConfigKit, QyExContact, QyWeChat } from 'tnwx';
import { AGENT, CORP, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { CALLBACK_SECRETS, type CallbackSink, startCallbackSink } from './callback-sink.js';

const WECOM = 'https://qyapi.weixin.qq.com';

/**
 * TNWX builds every URL from a hard-coded `https://qyapi.weixin.qq.com/…` string, so the one way to
 * point it at handover in-process is its own extension point: `HttpKit.setHttpDelegate`, here a
 * delegate that rewrites the host and hands the call to TNWX's default AxiosHttpKit.
 */
function redirectingDelegate(baseUrl: string, seen: string[]): HttpDelegate {
  const axios = new AxiosHttpKit();
  const to = (url: string) => {
    seen.push(url);
    if (!url.startsWith(WECOM)) throw new Error(`TNWX called an unexpected host: ${url}`);
    return baseUrl + url.slice(WECOM.length);
  };
  return {
    httpGet: (url, options) => axios.httpGet(to(url), options),
    httpGetToResponse: (url, options) => axios.httpGetToResponse(to(url), options),
    httpPost: (url, data, options) => axios.httpPost(to(url), data, options),
    httpPostToResponse: (url, data, options) => axios.httpPostToResponse(to(url), data, options),
    httpDeleteToResponse: (url, options) => axios.httpDeleteToResponse(to(url), options),
    httpPostWithCert: (url, data, cert, passphrase) => axios.httpPostWithCert(to(url), data, cert, passphrase),
    upload: (url, filePath, params) => axios.upload(to(url), filePath, params),
    uploadToResponse: (url, filePath, data, options) => axios.uploadToResponse(to(url), filePath, data, options),
    httpPutToResponse: (url, data, options) => axios.httpPutToResponse(to(url), data, options),
  };
}

/** TNWX 2.5.6 has no method for transfer_customer, transfer_result or batch/get_by_user: its users post through the same delegate. */
function post(path: string, token: string, body: unknown): Promise<any> {
  return HttpKit.getHttpDelegate.httpPost(`${WECOM}/cgi-bin/externalcontact/${path}?access_token=${token}`, JSON.stringify(body));
}

describe('TNWX 2.5.6 against handover', () => {
  const server = useCompanyServer(10);
  const seen: string[] = [];
  const config = new ApiConfig(String(AGENT), SECRET, CALLBACK_SECRETS.token, true, CALLBACK_SECRETS.encodingAesKey, CORP);
  let sink: CallbackSink | undefined;
  let quietDebug: typeof console.debug;

  beforeAll(() => {
    // QyApiConfigKit.getCorpId logs every call with console.debug.
    quietDebug = console.debug;
    console.debug = () => undefined;
    HttpKit.setHttpDelegate = redirectingDelegate(server.baseUrl, seen);
    QyApiConfigKit.putApiConfig(config);
    QyApiConfigKit.setCurrentAppId(String(AGENT), CORP);
  });
  beforeEach(() => {
    // The server's database is reloaded before each test, which drops its tokens; TNWX's cache would not know.
    QyApiConfigKit.setCache = new DefaultCache();
    seen.length = 0;
  });
  afterAll(async () => {
    console.debug = quietDebug;
    await sink?.close();
  });

  it('token, transfer_customer, transfer_result and the read APIs; after 24 h of server clock its cached token is 42001 until refreshed', async () => {
    const token = (await QyAccessTokenApi.getAccessToken()).getAccessToken;
    expect(token).toMatch(/^\S{16,}$/);
    expect((await QyAccessTokenApi.getAccessToken()).getAccessToken).toBe(token);

    const started = await post('transfer_customer', token, { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00001', 'wmCust00002', 'wmNope'] });
    expect(started).toEqual({ errcode: 0, errmsg: 'ok', customer: [
      { external_userid: 'wmCust00001', errcode: 0 },
      { external_userid: 'wmCust00002', errcode: 0 },
      { external_userid: 'wmNope', errcode: 40096 },
    ] });
    const waiting = await post('transfer_result', token, { handover_userid: 'alice', takeover_userid: 'bob' });
    expect(waiting.errcode).toBe(0);
    expect(waiting.customer.map((c: any) => [c.external_userid, c.status])).toEqual([['wmCust00001', 2], ['wmCust00002', 2]]);

    const list = await QyExContact.getUserList('alice');
    expect(list.errcode).toBe(0);
    expect(list.external_userid).toEqual(expect.arrayContaining(['wmCust00001', 'wmCust00010', 'wmShared']));
    const contact = await QyExContact.getUserInfo('wmCust00001');
    expect(contact.external_contact.external_userid).toBe('wmCust00001');
    expect(contact.follow_user.map((f: any) => f.userid)).toEqual(['alice']);
    const followers = await QyExContact.getFollowUserList();
    expect(followers.follow_user).toEqual(expect.arrayContaining(['alice', 'bob']));
    const batch = await post('batch/get_by_user', token, { userid_list: ['alice'], limit: 100 });
    expect(batch.errcode).toBe(0);
    expect(batch.external_contact_list.map((c: any) => c.follow_info.userid)).toContain('alice');

    // The admin call completes what fell due before it answers (the engine, polling, may take some first).
    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
    // TNWX's cache counts the token's 7,200 s in real time and never retries on 42001: the stale token
    // comes back as the answer. Its own refresh is the way out.
    const cachedToken = (await QyAccessTokenApi.getAccessToken()).getAccessToken;
    expect(cachedToken).toBe(token);
    expect((await post('transfer_result', cachedToken, { handover_userid: 'alice', takeover_userid: 'bob' })).errcode).toBe(42001);
    const fresh = (await QyAccessTokenApi.refreshAccessToken(QyApiConfigKit.getApiConfig)).getAccessToken;
    expect(fresh).not.toBe(token);
    const done = await post('transfer_result', fresh, { handover_userid: 'alice', takeover_userid: 'bob' });
    expect(done.customer.map((c: any) => c.status)).toEqual([1, 1]);
    expect((await QyExContact.getUserInfo('wmCust00001')).follow_user.map((f: any) => f.userid)).toEqual(['bob']);

    // Every call left TNWX with the real host and reached handover only through the delegate.
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen.every((url) => url.startsWith(`${WECOM}/cgi-bin/`))).toBe(true);
  });

  it('verifies the callback URL and decrypts add, del and transfer_fail events with its own CryptoKit', async () => {
    sink = await startCallbackSink(async ({ req, query, body }) => {
      const [signature, timestamp, nonce] = ['msg_signature', 'timestamp', 'nonce'].map((name) => query.get(name) ?? '') as [string, string, string];
      const kit = new CryptoKit(config, signature, timestamp, nonce);
      if (req.method === 'GET') {
        const echostr = query.get('echostr') ?? '';
        // QyWeChat.checkSignature decrypts without checking the signature (a TNWX quirk): check it first.
        if (kit.getMsgSignature(echostr) !== signature) return { status: 403, body: 'bad signature' };
        return { status: 200, body: QyWeChat.checkSignature(signature, timestamp, nonce, echostr) };
      }
      const envelope = kit.parseXmlToObj(body) as Record<string, string>;
      // decryptMsg checks msg_signature and throws on a mismatch, then parses the XML to an object.
      return { status: 200, body: 'success', event: kit.decryptMsg(envelope['Encrypt']!) as Record<string, string> };
    });
    await server.admin('PUT', `/admin/apps/${AGENT}/callback`, { url: sink.url, token: CALLBACK_SECRETS.token, encoding_aes_key: CALLBACK_SECRETS.encodingAesKey });

    const token = (await QyAccessTokenApi.getAccessToken()).getAccessToken;
    const started = await post('transfer_customer', token, { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wmCust00003', 'wmCust00004'] });
    expect(started.customer.map((c: any) => c.errcode)).toEqual([0, 0]);
    await server.admin('POST', '/admin/customers/wmCust00004/refuse');
    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });

    const is = (type: string, customer: string) => (e: Record<string, string>) => e['ChangeType'] === type && e['ExternalUserID'] === customer;
    const [added, deleted, failed] = await Promise.all([
      sink.waitFor(is('add_external_contact', 'wmCust00003')),
      sink.waitFor(is('del_external_contact', 'wmCust00003')),
      sink.waitFor(is('transfer_fail', 'wmCust00004')),
    ]);
    expect(added).toMatchObject({ ToUserName: CORP, MsgType: 'event', Event: 'change_external_contact', UserID: 'bob' });
    expect(Number(added['CreateTime'])).toBeGreaterThan(0);
    expect(deleted).toMatchObject({ Event: 'change_external_contact', UserID: 'alice', Source: 'DELETE_BY_TRANSFER' });
    expect(failed).toMatchObject({ Event: 'change_external_contact', UserID: 'bob', FailReason: 'customer_refused' });
    expect(sink.failures).toEqual([]);
  });
});
