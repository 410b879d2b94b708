import { afterEach, describe, it, expect } from 'vitest';
import { decryptMessage } from '../../src/callback/crypto.js';
import {
  callbackUrl,
  DEFAULT_BACKOFF_SECONDS,
  deliverCallback,
  nextAttemptDelay,
  verifyCallbackUrl,
} from '../../src/callback/deliver.js';
import { parseEnvelopeXml, parseEventXml } from '../../src/callback/event-xml.js';
import { createCallbackReceiver } from '../../src/callback/receiver/index.js';
import { signEventRequest } from '../../src/callback/sign-request.js';
import type { DelExternalContactEvent } from '../../src/wire/callback-events.js';
import { closedPortUrl, startServer, type LocalServer } from './local-server.js';
import { VECTOR } from './vector.js';

const secrets = { token: VECTOR.token, encodingAesKey: VECTOR.encodingAesKey, corpid: 'wwcorp01' };
const event: DelExternalContactEvent = {
  ToUserName: 'wwcorp01',
  FromUserName: 'sys',
  CreateTime: 1700000000,
  MsgType: 'event',
  Event: 'change_external_contact',
  ChangeType: 'del_external_contact',
  UserID: 'zhangsan',
  ExternalUserID: 'wmEXT1',
  Source: 'DELETE_BY_TRANSFER',
};
const request = signEventRequest({ ...secrets, agentid: '1000002', event, timestamp: 1700000005, nonce: '99' });

const servers: LocalServer[] = [];
async function serve(...args: Parameters<typeof startServer>): Promise<LocalServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('deliverCallback (behaviour §4.5, §9.5)', () => {
  it('POSTs the signed body to the URL and succeeds on 200', async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const outcome = await deliverCallback({ url: `${server.url}/hook?app=crm`, request });
    expect(outcome).toEqual({ ok: true, status: 200 });
    expect(server.requests).toHaveLength(1);
    const [got] = server.requests;
    expect(got?.method).toBe('POST');
    expect(got?.contentType).toBe('text/xml');
    expect(got?.body).toBe(request.body);
    const query = new URL(got?.url ?? '', server.url).searchParams;
    expect(query.get('app')).toBe('crm');
    expect(query.get('msg_signature')).toBe(request.query.msg_signature);
    expect(query.get('timestamp')).toBe('1700000005');
    expect(query.get('nonce')).toBe('99');
    const encrypted = parseEnvelopeXml(got?.body ?? '').Encrypt;
    expect(parseEventXml(decryptMessage(VECTOR.encodingAesKey, encrypted).message)).toEqual(event);
  });

  it('the POST passes the receiver helper end to end', async () => {
    const receiver = createCallbackReceiver({ ...secrets, corpId: 'wwcorp01' });
    const server = await serve((_req, res) => res.writeHead(200).end());
    await deliverCallback({ url: server.url, request });
    const got = server.requests[0]!;
    expect(receiver.parseEvent(new URL(got.url, server.url).searchParams, got.body)).toEqual(event);
  });

  it('fails on any status but 200, including other 2xx and redirects', async () => {
    for (const status of [500, 204, 302, 404]) {
      const server = await serve((_req, res) => res.writeHead(status, { location: '/elsewhere' }).end('no'));
      expect(await deliverCallback({ url: server.url, request })).toEqual({ ok: false, reason: `http ${status}`, status });
    }
  });

  it('fails with a timeout when the receiver is slower than the limit', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 1_000);
    });
    const started = performance.now();
    const outcome = await deliverCallback({ url: server.url, request, timeoutMs: 200 });
    expect(outcome).toEqual({ ok: false, reason: 'timeout after 200 ms' });
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('times out a receiver that sends headers but stalls the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12');
    });
    expect(await deliverCallback({ url: server.url, request, timeoutMs: 200 })).toEqual({
      ok: false,
      reason: 'timeout after 200 ms',
    });
  });

  it('fails with the socket error code on a closed port', async () => {
    expect(await deliverCallback({ url: await closedPortUrl(), request })).toEqual({ ok: false, reason: 'ECONNREFUSED' });
  });
});

describe('verifyCallbackUrl (behaviour §4.1)', () => {
  const receiver = createCallbackReceiver({ ...secrets, corpId: 'wwcorp01' });
  const echoing = (transform: (plain: string) => string, delayMs = 0) =>
    serve((req, res) => {
      const plain = receiver.verifyUrl(new URL(req.url ?? '', 'http://x').searchParams);
      setTimeout(() => res.writeHead(200).end(transform(plain)), delayMs);
    });

  it('succeeds when the receiver echoes the exact plaintext', async () => {
    const server = await echoing((p) => p);
    const outcome = await verifyCallbackUrl({ ...secrets, url: server.url, timestamp: 1700000000, echo: '1234567890123456789' });
    expect(outcome).toEqual({ ok: true, status: 200 });
    expect(server.requests[0]?.method).toBe('GET');
    const query = new URL(server.requests[0]?.url ?? '', server.url).searchParams;
    expect(query.get('timestamp')).toBe('1700000000');
    expect(query.get('echostr')).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('fails on a quoted or newline-terminated echo', async () => {
    const quoted = await echoing((p) => JSON.stringify(p));
    expect(await verifyCallbackUrl({ ...secrets, url: quoted.url, timestamp: 1, echo: '42' })).toEqual({
      ok: false,
      reason: 'echo mismatch: answered the plaintext in quotes, expected the 2-byte echostr plaintext bare',
      status: 200,
    });
    const newline = await echoing((p) => `${p}\n`);
    expect(await verifyCallbackUrl({ ...secrets, url: newline.url, timestamp: 1, echo: '42' })).toEqual({
      ok: false,
      reason: 'echo mismatch: answered the plaintext with a BOM or whitespace around it, expected the 2-byte echostr plaintext bare',
      status: 200,
    });
  });

  // Issue 11, defect 3: a callback URL can name any service handover reaches; its answer must not come back.
  it('never repeats what the far side answered, only its byte count', async () => {
    const secret = 'root:x:0:0:a-local-service-answer-that-must-not-leak';
    const other = await serve((_req, res) => res.writeHead(200).end(secret));
    const outcome = await verifyCallbackUrl({ ...secrets, url: other.url, timestamp: 1, echo: '42' });
    expect(outcome).toEqual({ ok: false, reason: `echo mismatch: answered ${secret.length} bytes that are not the plaintext, expected the 2-byte echostr plaintext`, status: 200 });
    for (const fragment of ['root', 'local-service', 'leak']) expect(JSON.stringify(outcome)).not.toContain(fragment);
    const huge = await serve((_req, res) => res.writeHead(200).end('x'.repeat(200_000)));
    expect(await verifyCallbackUrl({ ...secrets, url: huge.url, timestamp: 1, echo: '42' })).toEqual({
      ok: false,
      reason: 'echo mismatch: answered more than 65536 bytes, expected the 2-byte echostr plaintext',
      status: 200,
    });
    const failing = await serve((_req, res) => res.writeHead(500).end(secret));
    expect(await verifyCallbackUrl({ ...secrets, url: failing.url, timestamp: 1 })).toEqual({ ok: false, reason: 'http 500', status: 500 });
  });

  it('fails when the echo arrives after the timeout (1 s by default)', async () => {
    const slow = await echoing((p) => p, 400);
    expect(await verifyCallbackUrl({ ...secrets, url: slow.url, timestamp: 1, timeoutMs: 150 })).toEqual({
      ok: false,
      reason: 'timeout after 150 ms',
    });
    const tooSlow = await echoing((p) => p, 1_300);
    expect(await verifyCallbackUrl({ ...secrets, url: tooSlow.url, timestamp: 1 })).toEqual({
      ok: false,
      reason: 'timeout after 1000 ms',
    });
  });

  it('fails on a non-200 answer and on a closed port', async () => {
    const server = await serve((_req, res) => res.writeHead(403).end());
    expect(await verifyCallbackUrl({ ...secrets, url: server.url, timestamp: 1 })).toEqual({ ok: false, reason: 'http 403', status: 403 });
    expect(await verifyCallbackUrl({ ...secrets, url: await closedPortUrl(), timestamp: 1 })).toEqual({
      ok: false,
      reason: 'ECONNREFUSED',
    });
  });
});

describe('nextAttemptDelay (behaviour §9.5)', () => {
  it('follows 5 s, 30 s, 120 s, then gives up', () => {
    expect(DEFAULT_BACKOFF_SECONDS).toEqual([5, 30, 120]);
    expect(nextAttemptDelay(1, undefined, 0.5)).toBe(5_000);
    expect(nextAttemptDelay(2, undefined, 0.5)).toBe(30_000);
    expect(nextAttemptDelay(3, undefined, 0.5)).toBe(120_000);
    expect(nextAttemptDelay(4, undefined, 0.5)).toBeNull();
  });

  it('jitters by ±20 %', () => {
    expect(nextAttemptDelay(1, [10], 0)).toBe(8_000);
    expect(nextAttemptDelay(1, [10], 0.999999)).toBe(12_000);
    for (let i = 0; i < 100; i++) {
      const delay = nextAttemptDelay(2) ?? -1;
      expect(delay).toBeGreaterThanOrEqual(24_000);
      expect(delay).toBeLessThanOrEqual(36_000);
    }
  });

  it('takes a configured list and rejects nonsense attempts', () => {
    expect(nextAttemptDelay(1, [1, 2], 0.5)).toBe(1_000);
    expect(nextAttemptDelay(3, [1, 2], 0.5)).toBeNull();
    expect(nextAttemptDelay(1, [], 0.5)).toBeNull();
    expect(() => nextAttemptDelay(0)).toThrow(RangeError);
  });
});

describe('callbackUrl', () => {
  it('keeps the existing query and overrides signed names', () => {
    expect(callbackUrl('https://crm.example.com/cb?a=1&nonce=old', { nonce: '2', msg_signature: 'ab+/' })).toBe(
      'https://crm.example.com/cb?a=1&nonce=2&msg_signature=ab%2B%2F',
    );
  });
});
