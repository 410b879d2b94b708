import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, it, expect } from 'vitest';
import { encryptMessage, signMessage } from '../../src/callback/crypto.js';
import { buildEnvelopeXml, buildEventXml } from '../../src/callback/event-xml.js';
import { signEventRequest, signUrlVerification } from '../../src/callback/sign-request.js';
import {
  CallbackCryptoError,
  CallbackXmlError,
  callbackReceiverPlugin,
  createCallbackReceiver,
  createNodeCallbackHandler,
  type CallbackEvent,
  type ChangeExternalChatEvent,
} from '../../src/callback/receiver/index.js';
import type { AddExternalContactEvent } from '../../src/wire/callback-events.js';
import { VECTOR } from './vector.js';

const options = { token: VECTOR.token, encodingAesKey: VECTOR.encodingAesKey, corpId: 'wwcorp01' };
const secrets = { token: VECTOR.token, encodingAesKey: VECTOR.encodingAesKey, corpid: 'wwcorp01' };
const event: AddExternalContactEvent = {
  ToUserName: 'wwcorp01',
  FromUserName: 'sys',
  CreateTime: 1700000000,
  MsgType: 'event',
  Event: 'change_external_contact',
  ChangeType: 'add_external_contact',
  UserID: 'lisi',
  ExternalUserID: 'wmEXT1',
};
const signed = signEventRequest({ ...secrets, agentid: 1000002, event, timestamp: 1700000001, nonce: '5' });
/** A group's owner change as handover sends it (behaviour §10.6). */
const chatEvent: ChangeExternalChatEvent = {
  ToUserName: 'wwcorp01',
  FromUserName: 'sys',
  CreateTime: 1700000002,
  MsgType: 'event',
  Event: 'change_external_chat',
  ChatId: 'wrGROUP1',
  ChangeType: 'update',
  UpdateDetail: 'change_owner',
};
const signedChat = signEventRequest({ ...secrets, agentid: 1000002, event: chatEvent, timestamp: 1700000003, nonce: '7' });
const verification = signUrlVerification({ ...secrets, timestamp: 1700000001, nonce: '6', echo: '8732619283746501234' });
const qs = (query: Record<string, string>) => new URLSearchParams(query).toString();
const tampered = { ...signed.query, msg_signature: signed.query.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };

function errorOf(fn: () => unknown): Error & { code: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('nothing was thrown');
}

describe('createCallbackReceiver', () => {
  const receiver = createCallbackReceiver(options);

  it('verifyUrl returns the echo plaintext', () => {
    expect(receiver.verifyUrl(new URLSearchParams(verification.query))).toBe('8732619283746501234');
    expect(receiver.verifyUrl({ ...verification.query })).toBe('8732619283746501234');
  });

  it('verifyUrl accepts an echostr whose + was decoded to a space', () => {
    const query = new URLSearchParams(qs(verification.query).replaceAll('%2B', '+'));
    expect(verification.query.echostr.includes('+') ? query.get('echostr')?.includes(' ') : true).toBe(true);
    expect(receiver.verifyUrl(query)).toBe('8732619283746501234');
  });

  it('parseEvent returns the typed event with CreateTime as a number', () => {
    const parsed: CallbackEvent = receiver.parseEvent(signed.query, signed.body);
    expect(parsed).toEqual(event);
    expect(receiver.parseEvent(signed.query, Buffer.from(signed.body))).toEqual(event);
  });

  it('parseEvent returns a group owner change typed, told apart by Event', () => {
    const parsed = receiver.parseEvent(signedChat.query, signedChat.body);
    expect(parsed).toEqual(chatEvent);
    if (parsed.Event !== 'change_external_chat') throw new Error(`expected a group event, got ${parsed.Event}`);
    expect([parsed.ChatId, parsed.ChangeType, parsed.UpdateDetail]).toEqual(['wrGROUP1', 'update', 'change_owner']);
  });

  it('rejects a bad signature, a wrong corpid, a missing parameter and a malformed body', () => {
    expect(errorOf(() => receiver.parseEvent(tampered, signed.body))).toMatchObject({ code: 'bad_signature' });
    const other = createCallbackReceiver({ ...options, corpId: 'wwother' });
    const wrong = errorOf(() => other.parseEvent(signed.query, signed.body));
    expect(wrong).toBeInstanceOf(CallbackCryptoError);
    expect(wrong).toMatchObject({ code: 'bad_receive_id' });
    expect(errorOf(() => receiver.verifyUrl({ ...verification.query, echostr: undefined }))).toMatchObject({ code: 'malformed' });
    expect(errorOf(() => receiver.parseEvent({ ...signed.query, nonce: ['5', '6'] }, signed.body))).toMatchObject({
      code: 'malformed',
    });
    const garbage = errorOf(() => receiver.parseEvent(signed.query, '{"json":true}'));
    expect(garbage).toBeInstanceOf(CallbackXmlError);
    expect(garbage).toMatchObject({ code: 'malformed_xml' });
  });

  it('checks its options at once', () => {
    expect(errorOf(() => createCallbackReceiver({ ...options, encodingAesKey: 'abc' }))).toMatchObject({ code: 'bad_key' });
    expect(errorOf(() => createCallbackReceiver({ ...options, token: 'x'.repeat(33) }))).toMatchObject({ code: 'bad_token' });
  });
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))),
  );
});

async function nodeServer(onEvent: (e: CallbackEvent) => Promise<void>): Promise<string> {
  const server = createServer(createNodeCallbackHandler(options, onEvent));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
}

describe('createNodeCallbackHandler over http', () => {
  it('answers GET verification with the bare plaintext', async () => {
    const url = await nodeServer(async () => {});
    const res = await fetch(`${url}?${qs(verification.query)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('8732619283746501234');
  });

  it('answers a good POST with 200 and an empty body after onEvent', async () => {
    const seen: CallbackEvent[] = [];
    const url = await nodeServer(async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(e);
    });
    const res = await fetch(`${url}?${qs({ ...signed.query })}`, { method: 'POST', body: signed.body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(seen).toEqual([event]);
  });

  it('answers a bad signature with 400 and does not call onEvent', async () => {
    const seen: CallbackEvent[] = [];
    const url = await nodeServer(async (e) => void seen.push(e));
    const res = await fetch(`${url}?${qs(tampered)}`, { method: 'POST', body: signed.body });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('bad_signature');
    const get = await fetch(`${url}?${qs({ ...verification.query, msg_signature: tampered.msg_signature })}`);
    expect(get.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('answers a malformed body with 400, an unmodelled event with 200, a throwing onEvent with 500', async () => {
    const url = await nodeServer(async () => {
      throw new Error('crm down');
    });
    const bad = await fetch(`${url}?${qs({ ...signed.query })}`, { method: 'POST', body: 'not xml' });
    expect([bad.status, await bad.text()]).toEqual([400, 'malformed_xml']);
    const failing = await fetch(`${url}?${qs({ ...signed.query })}`, { method: 'POST', body: signed.body });
    expect(failing.status).toBe(500);
    const editXml = buildEventXml(event).replace('[add_external_contact]', '[edit_external_contact]');
    const encrypted = encryptMessage(VECTOR.encodingAesKey, editXml, 'wwcorp01');
    const editQuery = { msg_signature: signMessage(VECTOR.token, '1', '1', encrypted), timestamp: '1', nonce: '1' };
    const editBody = buildEnvelopeXml({ ToUserName: 'wwcorp01', Encrypt: encrypted });
    const skipped = await fetch(`${url}?${qs(editQuery)}`, { method: 'POST', body: editBody });
    expect([skipped.status, await skipped.text()]).toEqual([200, '']);
    const put = await fetch(url, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
  });

  it('passes a group owner change to onEvent; acknowledges a group ChangeType handover does not model without calling it', async () => {
    const seen: CallbackEvent[] = [];
    const url = await nodeServer(async (e) => void seen.push(e));
    const res = await fetch(`${url}?${qs({ ...signedChat.query })}`, { method: 'POST', body: signedChat.body });
    expect([res.status, await res.text()]).toEqual([200, '']);
    const dismissXml = buildEventXml(chatEvent).replace('[update]', '[dismiss]');
    const encrypted = encryptMessage(VECTOR.encodingAesKey, dismissXml, 'wwcorp01');
    const dismissQuery = { msg_signature: signMessage(VECTOR.token, '1', '1', encrypted), timestamp: '1', nonce: '1' };
    const skipped = await fetch(`${url}?${qs(dismissQuery)}`, { method: 'POST', body: buildEnvelopeXml({ ToUserName: 'wwcorp01', Encrypt: encrypted }) });
    expect([skipped.status, await skipped.text()]).toEqual([200, '']);
    expect(seen).toEqual([chatEvent]);
  });
});

describe('callbackReceiverPlugin (Fastify)', () => {
  async function app(onEvent: (e: CallbackEvent) => Promise<void>) {
    const instance = Fastify();
    await instance.register(callbackReceiverPlugin, { ...options, path: '/wecom/callback', onEvent });
    instance.post('/json', async (request) => ({ echoed: request.body }));
    return instance;
  }

  it('answers GET verification with the bare plaintext', async () => {
    const instance = await app(async () => {});
    const res = await instance.inject({ method: 'GET', url: `/wecom/callback?${qs(verification.query)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('8732619283746501234');
  });

  it('takes the XML body under any content type, or none, and calls onEvent', async () => {
    const seen: CallbackEvent[] = [];
    const instance = await app(async (e) => void seen.push(e));
    for (const contentType of ['text/xml', 'application/xml', 'application/json', undefined]) {
      const res = await instance.inject({
        method: 'POST',
        url: `/wecom/callback?${qs({ ...signed.query })}`,
        payload: signed.body,
        headers: contentType === undefined ? {} : { 'content-type': contentType },
      });
      expect([res.statusCode, res.body]).toEqual([200, '']);
    }
    expect(seen).toEqual([event, event, event, event]);
  });

  it('answers 400 on a bad signature or wrong corpid, without calling onEvent', async () => {
    const seen: CallbackEvent[] = [];
    const instance = await app(async (e) => void seen.push(e));
    const res = await instance.inject({ method: 'POST', url: `/wecom/callback?${qs(tampered)}`, payload: signed.body, headers: { 'content-type': 'text/xml' } });
    expect([res.statusCode, res.body]).toEqual([400, 'bad_signature']);
    const foreign = signEventRequest({ ...secrets, corpid: 'wwother', event, timestamp: 1, nonce: '2' });
    const wrong = await instance.inject({ method: 'POST', url: `/wecom/callback?${qs({ ...foreign.query })}`, payload: foreign.body });
    expect([wrong.statusCode, wrong.body]).toEqual([400, 'bad_receive_id']);
    expect(seen).toEqual([]);
  });

  it('keeps its body parser inside the plugin', async () => {
    const instance = await app(async () => {});
    const res = await instance.inject({ method: 'POST', url: '/json', payload: { a: 1 } });
    expect(res.json()).toEqual({ echoed: { a: 1 } });
  });

  it('lets an onEvent error become a 500', async () => {
    const instance = await app(async () => {
      throw new Error('crm down');
    });
    const res = await instance.inject({ method: 'POST', url: `/wecom/callback?${qs({ ...signed.query })}`, payload: signed.body });
    expect(res.statusCode).toBe(500);
  });
});
