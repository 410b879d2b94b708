import { randomBytes, randomInt } from 'node:crypto';
import type { CallbackEvent } from '../wire/callback-events.js';
import { encryptMessage, signMessage } from './crypto.js';
import { buildEnvelopeXml, buildEventXml } from './event-xml.js';

/**
 * What handover's delivery worker sends: an encrypted, signed event POST (behaviour §4.2–4.4) and the GET
 * URL-verification request (behaviour §4.1). Time comes in as `timestamp`; nothing here reads a clock.
 */

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** Receive id inside the ciphertext and `ToUserName` of the envelope (behaviour §4.2, §4.4). */
  corpid: string;
}

export interface SignedEventRequestInput extends CallbackSecrets {
  /** Receiving app id; omitted from the envelope when undefined (behaviour §4.2). */
  agentid?: string | number;
  event: CallbackEvent;
  /** Epoch seconds. */
  timestamp: number | string;
  nonce: string;
  /** 16 random bytes of the plaintext prefix; random by default, fixed in tests. */
  random?: Buffer;
}

/** A type alias, not an interface, so it is assignable to `Record<string, string>` and `URLSearchParams` inits. */
export type SignedQuery = {
  msg_signature: string;
  timestamp: string;
  nonce: string;
};

export interface SignedEventRequest {
  query: SignedQuery;
  /** XML POST body, sent as `text/xml`. */
  body: string;
}

/**
 * Encrypts the event XML for `corpid`, wraps it in the POST envelope and signs it.
 *
 * @example
 * const { query, body } = signEventRequest({ token, encodingAesKey, corpid, agentid: 1000002, event, timestamp, nonce: randomNonce() });
 * // POST `${url}?msg_signature=${query.msg_signature}&timestamp=…&nonce=…` with `body` — deliverCallback does this
 */
export function signEventRequest(input: SignedEventRequestInput): SignedEventRequest {
  const timestamp = String(input.timestamp);
  const encrypted = encryptMessage(input.encodingAesKey, buildEventXml(input.event), input.corpid, input.random);
  const body = buildEnvelopeXml({
    ToUserName: input.corpid,
    ...(input.agentid === undefined ? {} : { AgentID: String(input.agentid) }),
    Encrypt: encrypted,
  });
  return {
    query: { msg_signature: signMessage(input.token, timestamp, input.nonce, encrypted), timestamp, nonce: input.nonce },
    body,
  };
}

export interface UrlVerificationInput extends CallbackSecrets {
  timestamp: number | string;
  nonce: string;
  /** The plaintext the receiver must echo; a random digit string by default. */
  echo?: string;
  random?: Buffer;
}

export interface UrlVerificationRequest {
  query: SignedQuery & { echostr: string };
  /** The exact body a correct receiver answers with (behaviour §4.1). */
  plaintext: string;
}

/**
 * The GET URL-verification query and the plaintext a correct receiver must echo.
 *
 * @example
 * const { query, plaintext } = signUrlVerification({ token, encodingAesKey, corpid, timestamp, nonce: randomNonce() });
 * // GET `${url}?${new URLSearchParams(query)}` must answer exactly `plaintext` — verifyCallbackUrl does this
 */
export function signUrlVerification(input: UrlVerificationInput): UrlVerificationRequest {
  const timestamp = String(input.timestamp);
  const plaintext = input.echo ?? randomEcho();
  const echostr = encryptMessage(input.encodingAesKey, plaintext, input.corpid, input.random);
  return {
    query: { msg_signature: signMessage(input.token, timestamp, input.nonce, echostr), timestamp, nonce: input.nonce, echostr },
    plaintext,
  };
}

/** WeCom's echo plaintexts are long decimal strings; 19 digits keeps that shape. */
function randomEcho(): string {
  return String(randomInt(1, 10)) + Array.from({ length: 18 }, () => randomInt(0, 10)).join('');
}

/** A fresh nonce for a request; WeCom's are decimal strings. */
export function randomNonce(): string {
  return String(randomBytes(4).readUInt32BE(0));
}
