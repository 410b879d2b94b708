import { createDecipheriv } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  CallbackCryptoError,
  decryptMessage,
  encryptMessage,
  openMessage,
  parseEncodingAesKey,
  signMessage,
  verifySignature,
  assertToken,
} from '../../src/callback/crypto.js';
import { encryptRaw, frame, pad, VECTOR } from './vector.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackCryptoError);
    return (error as CallbackCryptoError).code;
  }
  throw new Error('expected a CallbackCryptoError, nothing was thrown');
}

const open = (overrides: Partial<Parameters<typeof openMessage>[0]> = {}) =>
  openMessage({
    token: VECTOR.token,
    encodingAesKey: VECTOR.encodingAesKey,
    receiveId: VECTOR.corpId,
    timestamp: VECTOR.timestamp,
    nonce: VECTOR.nonce,
    msgSignature: VECTOR.msgSignature,
    encrypted: VECTOR.encrypted,
    ...overrides,
  });

function flipByte(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('official test vector (behaviour §4.4)', () => {
  it('signs to the published msg_signature', () => {
    expect(signMessage(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.encrypted)).toBe(
      '477715d11cdb4164915debcba66cb864d751f3e6',
    );
  });

  it('is 352 bytes, padded with a last byte of 30 to a 32-byte block', () => {
    const { key, iv } = parseEncodingAesKey(VECTOR.encodingAesKey);
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false);
    const raw = Buffer.concat([decipher.update(Buffer.from(VECTOR.encrypted, 'base64')), decipher.final()]);
    expect(raw.length).toBe(352);
    expect(raw[raw.length - 1]).toBe(30);
    expect(raw.readUInt32BE(16)).toBe(284);
  });

  it('decrypts to length 284, receive id wx5823bf96d3bd56c7 and the text message', () => {
    const decrypted = decryptMessage(VECTOR.encodingAesKey, VECTOR.encrypted);
    expect(Buffer.byteLength(decrypted.message)).toBe(284);
    expect(decrypted.receiveId).toBe('wx5823bf96d3bd56c7');
    expect(decrypted.message).toBe(VECTOR.message);
    expect(decrypted.random.length).toBe(16);
  });

  it('opens with signature and corpid checks', () => {
    expect(open()).toBe(VECTOR.message);
  });

  it('re-encrypts to the identical ciphertext given the same random prefix', () => {
    const { random } = decryptMessage(VECTOR.encodingAesKey, VECTOR.encrypted);
    expect(encryptMessage(VECTOR.encodingAesKey, VECTOR.message, VECTOR.corpId, random)).toBe(VECTOR.encrypted);
  });
});

describe('round trip', () => {
  it('encrypts then decrypts unicode text and an empty receive id', () => {
    const text = '<xml><Content><![CDATA[您好 ]]]]><![CDATA[> 👋]]></Content></xml>';
    const encrypted = encryptMessage(VECTOR.encodingAesKey, text, 'wwcorp01');
    expect(decryptMessage(VECTOR.encodingAesKey, encrypted)).toMatchObject({ message: text, receiveId: 'wwcorp01' });
    const anonymous = encryptMessage(VECTOR.encodingAesKey, 'x', '');
    expect(decryptMessage(VECTOR.encodingAesKey, anonymous)).toMatchObject({ message: 'x', receiveId: '' });
  });

  it('uses a fresh random prefix each time', () => {
    const a = encryptMessage(VECTOR.encodingAesKey, 'same', VECTOR.corpId);
    const b = encryptMessage(VECTOR.encodingAesKey, 'same', VECTOR.corpId);
    expect(a).not.toBe(b);
  });
});

describe('tampering', () => {
  it('a flipped ciphertext byte fails the signature', () => {
    expect(codeOf(() => open({ encrypted: flipByte(VECTOR.encrypted, 100) }))).toBe('bad_signature');
  });

  it('a flipped byte in the first block corrupts the length field', () => {
    // CBC: flipping ciphertext byte 0 flips plaintext byte 16, the top byte of msg_len.
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, flipByte(VECTOR.encrypted, 0)))).toBe('bad_length');
  });

  it('a flipped byte in the last block corrupts the padding', () => {
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, flipByte(VECTOR.encrypted, 351)))).toBe('bad_padding');
  });

  it('a flipped or foreign signature is rejected', () => {
    expect(codeOf(() => open({ msgSignature: '477715d11cdb4164915debcba66cb864d751f3e7' }))).toBe('bad_signature');
    expect(codeOf(() => open({ msgSignature: '477715D11CDB4164915DEBCBA66CB864D751F3E6' }))).toBe('bad_signature');
    expect(codeOf(() => open({ msgSignature: 'short' }))).toBe('bad_signature');
    expect(codeOf(() => open({ msgSignature: '' }))).toBe('bad_signature');
    expect(codeOf(() => open({ nonce: '1372623148' }))).toBe('bad_signature');
    expect(codeOf(() => open({ token: 'QDG6eL' }))).toBe('bad_signature');
  });

  it('a wrong corpid is rejected after a valid signature', () => {
    expect(codeOf(() => open({ receiveId: 'wwsomeoneelse' }))).toBe('bad_receive_id');
  });
});

describe('malformed ciphertexts', () => {
  it('rejects garbage, empty and non-canonical base64', () => {
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, 'not base64 at all!'))).toBe('malformed');
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, ''))).toBe('malformed');
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, VECTOR.encrypted.slice(0, -2)))).toBe('malformed');
  });

  it('rejects a truncated ciphertext that is no whole number of AES blocks', () => {
    const truncated = Buffer.from(VECTOR.encrypted, 'base64').subarray(0, 100).toString('base64');
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, truncated))).toBe('malformed');
  });

  it('rejects a ciphertext padded to 16-byte blocks (not WeCom)', () => {
    // 40 plaintext bytes pad to 48 with 16-byte blocks; WeCom would pad to 64.
    const plain = frame('<xml></xml>', 'wwcorp01a');
    expect(plain.length).toBe(40);
    const sixteen = encryptRaw(VECTOR.encodingAesKey, pad(plain, 16));
    expect(Buffer.from(sixteen, 'base64').length).toBe(48);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, sixteen))).toBe('bad_padding');
  });

  it('rejects pad values outside 1..32 and unequal pad bytes', () => {
    const plain = frame('hello', 'wwcorp');
    const zero = Buffer.concat([plain, Buffer.alloc(64 - plain.length, 0)]);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, zero)))).toBe('bad_padding');
    const big = Buffer.concat([plain, Buffer.alloc(64 - plain.length, 33)]);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, big)))).toBe('bad_padding');
    const uneven = pad(frame('hi', 'wwcorp'), 32);
    expect(uneven[uneven.length - 1]).toBe(4);
    uneven[uneven.length - 2] = 1;
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, uneven)))).toBe('bad_padding');
  });

  it('rejects a length field that overruns the plaintext', () => {
    const lying = pad(frame('hello', 'wwcorp', 200), 32);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, lying)))).toBe('bad_length');
  });

  it('rejects a plaintext shorter than its header', () => {
    const tiny = pad(Buffer.alloc(10, 1), 32);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, tiny)))).toBe('bad_length');
  });

  it('rejects a message that is not UTF-8', () => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(2, 0);
    const plain = pad(Buffer.concat([Buffer.alloc(16), len, Buffer.from([0xff, 0xfe]), Buffer.from('wwcorp')]), 32);
    expect(codeOf(() => decryptMessage(VECTOR.encodingAesKey, encryptRaw(VECTOR.encodingAesKey, plain)))).toBe('malformed');
  });
});

describe('configuration checks (behaviour §4)', () => {
  it('EncodingAESKey is exactly 43 letters or digits', () => {
    expect(parseEncodingAesKey(VECTOR.encodingAesKey).key.length).toBe(32);
    expect(codeOf(() => parseEncodingAesKey(VECTOR.encodingAesKey.slice(0, 42)))).toBe('bad_key');
    expect(codeOf(() => parseEncodingAesKey(`${VECTOR.encodingAesKey}A`))).toBe('bad_key');
    expect(codeOf(() => parseEncodingAesKey(`${VECTOR.encodingAesKey.slice(0, 42)}+`))).toBe('bad_key');
    expect(codeOf(() => encryptMessage('short', 'x', 'y'))).toBe('bad_key');
  });

  it('token is 1 to 32 letters or digits', () => {
    expect(() => assertToken('a'.repeat(32))).not.toThrow();
    expect(codeOf(() => assertToken('a'.repeat(33)))).toBe('bad_token');
    expect(codeOf(() => assertToken(''))).toBe('bad_token');
    expect(codeOf(() => assertToken('to-ken'))).toBe('bad_token');
    expect(codeOf(() => verifySignature('bad token', '1', '2', 'x', VECTOR.msgSignature))).toBe('bad_token');
  });

  it('errors carry a readable message', () => {
    try {
      open({ receiveId: 'wwother' });
    } catch (error) {
      expect((error as Error).message).toBe('message is addressed to "wx5823bf96d3bd56c7", expected "wwother"');
      expect((error as Error).name).toBe('CallbackCryptoError');
    }
    expect.assertions(2);
  });
});
