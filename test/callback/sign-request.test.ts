import { describe, it, expect } from 'vitest';
import { decryptMessage, signMessage } from '../../src/callback/crypto.js';
import { parseEnvelopeXml, parseEventXml } from '../../src/callback/event-xml.js';
import { randomNonce, signEventRequest, signUrlVerification } from '../../src/callback/sign-request.js';
import type { TransferFailEvent } from '../../src/wire/callback-events.js';
import { VECTOR } from './vector.js';

const event: TransferFailEvent = {
  ToUserName: 'wwcorp01',
  FromUserName: 'sys',
  CreateTime: 1700000000,
  MsgType: 'event',
  Event: 'change_external_contact',
  ChangeType: 'transfer_fail',
  FailReason: 'customer_limit_exceed',
  UserID: 'lisi',
  ExternalUserID: 'wmEXT1',
};

const secrets = { token: VECTOR.token, encodingAesKey: VECTOR.encodingAesKey, corpid: 'wwcorp01' };

describe('signEventRequest (behaviour §4.2–4.4)', () => {
  it('builds the signed query and envelope around the encrypted event', () => {
    const random = Buffer.alloc(16, 9);
    const { query, body } = signEventRequest({ ...secrets, agentid: 1000002, event, timestamp: 1700000001, nonce: '42', random });
    const envelope = parseEnvelopeXml(body);
    expect(envelope.ToUserName).toBe('wwcorp01');
    expect(envelope.AgentID).toBe('1000002');
    expect(body).toBe(
      `<xml><ToUserName><![CDATA[wwcorp01]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${envelope.Encrypt}]]></Encrypt></xml>`,
    );
    expect(query).toEqual({
      msg_signature: signMessage(VECTOR.token, '1700000001', '42', envelope.Encrypt),
      timestamp: '1700000001',
      nonce: '42',
    });
    const decrypted = decryptMessage(VECTOR.encodingAesKey, envelope.Encrypt);
    expect(decrypted.receiveId).toBe('wwcorp01');
    expect(decrypted.random.equals(random)).toBe(true);
    expect(parseEventXml(decrypted.message)).toEqual(event);
  });

  it('is deterministic given the random prefix, and omits AgentID when not given', () => {
    const input = { ...secrets, event, timestamp: '1700000001', nonce: '42', random: Buffer.alloc(16, 1) };
    expect(signEventRequest(input)).toEqual(signEventRequest(input));
    expect(signEventRequest(input).body).not.toContain('AgentID');
  });
});

describe('signUrlVerification (behaviour §4.1)', () => {
  it('encrypts the echo for the corpid and signs the echostr', () => {
    const { query, plaintext } = signUrlVerification({ ...secrets, timestamp: 1700000001, nonce: '7', echo: '1616140317555161061' });
    expect(plaintext).toBe('1616140317555161061');
    expect(query.msg_signature).toBe(signMessage(VECTOR.token, '1700000001', '7', query.echostr));
    expect(query.timestamp).toBe('1700000001');
    expect(query.nonce).toBe('7');
    expect(decryptMessage(VECTOR.encodingAesKey, query.echostr)).toMatchObject({ message: plaintext, receiveId: 'wwcorp01' });
  });

  it('makes up a 19-digit echo and a decimal nonce when none is given', () => {
    const a = signUrlVerification({ ...secrets, timestamp: 1, nonce: randomNonce() });
    const b = signUrlVerification({ ...secrets, timestamp: 1, nonce: randomNonce() });
    expect(a.plaintext).toMatch(/^[1-9]\d{18}$/);
    expect(a.plaintext).not.toBe(b.plaintext);
    expect(a.query.nonce).toMatch(/^\d+$/);
  });
});
