import type { CallbackEvent } from '../../wire/callback-events.js';
import { assertToken, CallbackCryptoError, openMessage, parseEncodingAesKey } from '../crypto.js';
import { parseEnvelopeXml, parseEventXml } from '../event-xml.js';

export interface CallbackReceiverOptions {
  /** The Token configured for the callback URL: letters/digits, at most 32 (behaviour §4). */
  token: string;
  /** The EncodingAESKey configured for the callback URL: exactly 43 letters/digits (behaviour §4). */
  encodingAesKey: string;
  /** Your corpid; every message must be encrypted for it (behaviour §4.4, receiveid). */
  corpId: string;
}

/** Query parameters as `URLSearchParams` or as a parsed object (Fastify's `request.query`, Express's `req.query`). */
export type CallbackQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export interface CallbackReceiver {
  /** Checks a GET URL-verification request and returns the plaintext to answer with, as is (behaviour §4.1). */
  verifyUrl(query: CallbackQuery): string;
  /**
   * Checks and decrypts an event POST and returns the typed event (behaviour §4.2, §3): a customer's
   * `change_external_contact` or a group's `change_external_chat` (§10.6); `Event` tells them apart.
   */
  parseEvent(query: CallbackQuery, rawBody: string | Buffer): CallbackEvent;
}

function queryParam(query: CallbackQuery, name: string): string | undefined {
  const all = query instanceof URLSearchParams ? query.getAll(name) : query[name];
  const value = Array.isArray(all) && all.length <= 1 ? all[0] : all;
  if (Array.isArray(value)) {
    throw new CallbackCryptoError('malformed', `query parameter ${name} is repeated`);
  }
  return value;
}

function requireParam(query: CallbackQuery, name: string): string {
  const value = queryParam(query, name);
  if (value === undefined || value === '') {
    throw new CallbackCryptoError(name === 'msg_signature' ? 'bad_signature' : 'malformed', `query parameter ${name} is missing`);
  }
  return value;
}

/**
 * Base64 never contains a space, but a sender that leaves `+` unescaped has it decoded to one by every
 * query parser; restoring it keeps such requests verifiable (behaviour §4.1: the receiver URL-decodes).
 */
function base64Param(query: CallbackQuery, name: string): string {
  return requireParam(query, name).replaceAll(' ', '+');
}

/**
 * Verifies and decrypts WeCom (or handover) callbacks for a self-built app. Options are checked at once,
 * so a mistyped key fails at start-up rather than on the first callback. Errors are
 * `CallbackCryptoError` (signature, corpid, ciphertext) or `CallbackXmlError` (body, event fields),
 * each with a `code`.
 *
 * @example
 * import { createCallbackReceiver } from 'handover/receiver';
 *
 * const receiver = createCallbackReceiver({ token: 'QDG6eK', encodingAesKey, corpId: 'wwcorp' });
 * // GET  /callback?msg_signature=…&timestamp=…&nonce=…&echostr=…
 * res.end(receiver.verifyUrl(url.searchParams));
 * // POST /callback?msg_signature=…&timestamp=…&nonce=…
 * const event = receiver.parseEvent(url.searchParams, rawBody);
 * if (event.ChangeType === 'transfer_fail') console.log(event.UserID, event.FailReason);
 * if (event.Event === 'change_external_chat') console.log(event.ChatId, event.UpdateDetail); // 'change_owner'
 */
export function createCallbackReceiver(options: CallbackReceiverOptions): CallbackReceiver {
  const { token, encodingAesKey, corpId } = options;
  assertToken(token);
  parseEncodingAesKey(encodingAesKey);
  if (corpId === '') throw new CallbackCryptoError('bad_receive_id', 'corpId must not be empty');

  const open = (query: CallbackQuery, encrypted: string): string =>
    openMessage({
      token,
      encodingAesKey,
      receiveId: corpId,
      timestamp: requireParam(query, 'timestamp'),
      nonce: requireParam(query, 'nonce'),
      msgSignature: requireParam(query, 'msg_signature'),
      encrypted,
    });

  return {
    verifyUrl(query) {
      return open(query, base64Param(query, 'echostr'));
    },
    parseEvent(query, rawBody) {
      const envelope = parseEnvelopeXml(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
      return parseEventXml(open(query, envelope.Encrypt));
    },
  };
}
