import type { CallbackEvent } from '../../wire/callback-events.js';
import { CallbackCryptoError } from '../crypto.js';
import { CallbackXmlError } from '../event-xml.js';
import type { CallbackQuery, CallbackReceiver } from './receiver.js';

/** Called with each customer (`change_external_contact`) or group (`change_external_chat`) event. */
export type CallbackEventHandler = (event: CallbackEvent) => void | Promise<void>;

export interface CallbackAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/**
 * The HTTP answer to one callback request, shared by the Node handler and the Fastify plugin:
 * - GET: 200 with the plaintext only (behaviour §4.1);
 * - POST: 200 with an empty body once `onEvent` resolves (behaviour §4.5); an `onEvent` error propagates to
 *   the caller, which answers 500 so the sender retries;
 * - authentic events of kinds handover does not model: 200, skipped, so WeCom stops re-sending them;
 * - bad signature, corpid or body: 400 with the error code as text.
 */
export async function answerCallback(
  receiver: CallbackReceiver,
  method: string,
  query: CallbackQuery,
  rawBody: string | Buffer,
  onEvent: CallbackEventHandler,
): Promise<CallbackAnswer> {
  if (method !== 'GET' && method !== 'POST') {
    return { status: 405, body: 'method not allowed', headers: { ...TEXT, allow: 'GET, POST' } };
  }
  let event: CallbackEvent;
  try {
    if (method === 'GET') return { status: 200, body: receiver.verifyUrl(query), headers: TEXT };
    event = receiver.parseEvent(query, rawBody);
  } catch (error) {
    if (error instanceof CallbackXmlError && error.code === 'unsupported_event') return { status: 200, body: '' };
    if (error instanceof CallbackCryptoError || error instanceof CallbackXmlError) {
      return { status: 400, body: error.code, headers: TEXT };
    }
    throw error;
  }
  await onEvent(event);
  return { status: 200, body: '' };
}
