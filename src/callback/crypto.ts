import { createDecipheriv, timingSafeEqual } from 'node:crypto';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';

/**
 * WeCom's callback cryptography (behaviour §4.3, §4.4) on top of WeCom's own `@wecom/crypto`, plus the checks
 * that package leaves out. Every failure is a {@link CallbackCryptoError}; nothing here returns a
 * half-decrypted value.
 */

export type CallbackCryptoErrorCode =
  | 'bad_signature'
  | 'bad_receive_id'
  | 'bad_padding'
  | 'bad_length'
  | 'bad_key'
  | 'bad_token'
  | 'malformed';

export class CallbackCryptoError extends Error {
  override readonly name = 'CallbackCryptoError';
  constructor(
    readonly code: CallbackCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** AES-256-CBC works on 16-byte blocks, but WeCom pads to 32 (docs/behaviour/callbacks.md §4.4). */
const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const HEADER_BYTES = RANDOM_BYTES + LENGTH_BYTES;

const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const TOKEN = /^[A-Za-z0-9]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SIGNATURE = /^[0-9a-f]{40}$/;

/** Token: letters/digits, at most 32 characters (behaviour §4, configuration). */
export function assertToken(token: string): void {
  if (!TOKEN.test(token)) {
    throw new CallbackCryptoError('bad_token', 'token must be 1 to 32 letters or digits (docs/behaviour/callbacks.md §4)');
  }
}

/** EncodingAESKey: exactly 43 letters/digits; AESKey = Base64_Decode(key + "="), IV = AESKey[0..16) (behaviour §4.4). */
export function parseEncodingAesKey(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new CallbackCryptoError('bad_key', 'EncodingAESKey must be exactly 43 letters or digits (docs/behaviour/callbacks.md §4)');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return { key, iv: key.subarray(0, AES_BLOCK) };
}

/** `msg_signature` = sha1 of the sorted, concatenated token, timestamp, nonce and ciphertext (behaviour §4.3). */
export function signMessage(token: string, timestamp: string | number, nonce: string, encrypted: string): string {
  assertToken(token);
  return getSignature(token, String(timestamp), nonce, encrypted);
}

/** Throws `bad_signature` unless `signature` is the expected lowercase hex digest; compared in constant time. */
export function verifySignature(
  token: string,
  timestamp: string | number,
  nonce: string,
  encrypted: string,
  signature: string,
): void {
  const expected = Buffer.from(signMessage(token, timestamp, nonce, encrypted), 'latin1');
  const given = Buffer.from(signature, 'latin1');
  // timingSafeEqual demands equal lengths; a malformed signature is rejected before it is compared.
  if (!SIGNATURE.test(signature) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CallbackCryptoError('bad_signature', 'msg_signature does not match token, timestamp, nonce and ciphertext');
  }
}

/**
 * `Base64(AES-256-CBC(random16 + len32be + message + receiveId))`, padded to 32 bytes (behaviour §4.4).
 * `random` is injectable so tests and the official vector are reproducible.
 */
export function encryptMessage(encodingAesKey: string, message: string, receiveId: string, random?: Buffer): string {
  parseEncodingAesKey(encodingAesKey);
  if (random !== undefined && random.length !== RANDOM_BYTES) {
    throw new CallbackCryptoError('malformed', `random prefix must be ${RANDOM_BYTES} bytes, got ${random.length}`);
  }
  return random === undefined ? wecomEncrypt(encodingAesKey, message, receiveId) : wecomEncrypt(encodingAesKey, message, receiveId, random);
}

export interface DecryptedMessage {
  message: string;
  receiveId: string;
  random: Buffer;
}

/**
 * Decrypts and validates framing, but proves nothing about origin: only the signature does (use
 * {@link openMessage}). Deciphering is done here with node:crypto rather than `@wecom/crypto`'s `decrypt`
 * because that function returns the data unchanged when the pad value is outside 1..32, never checks that
 * all pad bytes are equal, and slices by the length field without bounds checks, so a tampered ciphertext
 * comes back as garbage instead of an error.
 */
export function decryptMessage(encodingAesKey: string, encrypted: string): DecryptedMessage {
  const { key, iv } = parseEncodingAesKey(encodingAesKey);
  if (encrypted.length === 0 || !BASE64.test(encrypted)) {
    throw new CallbackCryptoError('malformed', 'ciphertext is not canonical base64');
  }
  const cipherBytes = Buffer.from(encrypted, 'base64');
  if (cipherBytes.length % AES_BLOCK !== 0) {
    throw new CallbackCryptoError('malformed', `ciphertext is ${cipherBytes.length} bytes, not a whole number of AES blocks`);
  }
  if (cipherBytes.length % PAD_BLOCK !== 0) {
    throw new CallbackCryptoError(
      'bad_padding',
      `ciphertext is ${cipherBytes.length} bytes: padded to 16-byte blocks, WeCom pads to 32 (docs/behaviour/callbacks.md §4.4)`,
    );
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);

  const body = unpad(plain);
  if (body.length < HEADER_BYTES) {
    throw new CallbackCryptoError('bad_length', `plaintext is ${body.length} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  }
  const messageLength = body.readUInt32BE(RANDOM_BYTES);
  if (messageLength > body.length - HEADER_BYTES) {
    throw new CallbackCryptoError(
      'bad_length',
      `length field says ${messageLength} bytes but only ${body.length - HEADER_BYTES} follow the header`,
    );
  }
  const messageEnd = HEADER_BYTES + messageLength;
  return {
    message: utf8(body.subarray(HEADER_BYTES, messageEnd), 'message'),
    receiveId: utf8(body.subarray(messageEnd), 'receive id'),
    random: Buffer.from(body.subarray(0, RANDOM_BYTES)),
  };
}

function unpad(plain: Buffer): Buffer {
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
    throw new CallbackCryptoError('bad_padding', `PKCS#7 pad value ${pad} is outside 1..${PAD_BLOCK}`);
  }
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) {
      throw new CallbackCryptoError('bad_padding', `PKCS#7 pad bytes are not all equal to ${pad}`);
    }
  }
  return plain.subarray(0, plain.length - pad);
}

function utf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CallbackCryptoError('malformed', `decrypted ${what} is not valid UTF-8`);
  }
}

export interface OpenMessageInput {
  token: string;
  encodingAesKey: string;
  /** The corpid the message must be addressed to (behaviour §4.4, receiveid). */
  receiveId: string;
  timestamp: string;
  nonce: string;
  msgSignature: string;
  encrypted: string;
}

/** Verifies `msg_signature`, decrypts, and checks the receive id; returns the plaintext message. */
export function openMessage(input: OpenMessageInput): string {
  verifySignature(input.token, input.timestamp, input.nonce, input.encrypted, input.msgSignature);
  const { message, receiveId } = decryptMessage(input.encodingAesKey, input.encrypted);
  if (receiveId !== input.receiveId) {
    throw new CallbackCryptoError('bad_receive_id', `message is addressed to "${receiveId}", expected "${input.receiveId}"`);
  }
  return message;
}
