import { signUrlVerification, randomNonce, type SignedEventRequest, type CallbackSecrets } from './sign-request.js';

/**
 * One HTTP exchange with a callback URL, classified. Retrying and parking as dead belong to the outbox
 * worker; {@link nextAttemptDelay} gives it the schedule (behaviour §9.5).
 */

/** WeCom drops a callback not answered within 5 s (behaviour §4.5). */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;
/** A receiver must echo the URL-verification plaintext within 1 s (behaviour §4.1). */
export const DEFAULT_VERIFY_TIMEOUT_MS = 1_000;
/** Waits before retries 1, 2 and 3; the attempt after the last entry is final (behaviour §9.5, configurable). */
export const DEFAULT_BACKOFF_SECONDS: readonly number[] = [5, 30, 120];
/** ±20 %: events of one takeover batch fail together and would otherwise retry in lockstep. */
const JITTER = 0.2;

export type DeliveryOutcome = { ok: true; status: 200 } | { ok: false; reason: string; status?: number };

/** Appends the signed query to the configured URL, keeping any query it already has. */
export function callbackUrl(url: string, query: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  return target.toString();
}

interface Exchange {
  status: number;
  /** The first {@link MAX_ANSWER_BYTES} bytes of the answer; `bytes` counts them all, up to one past the cap. */
  body: Buffer;
  bytes: number;
}

/** An echo is a short decimal string; reading more only lets a far side make handover hold its answer. */
const MAX_ANSWER_BYTES = 64 * 1024;

async function readCapped(response: Response): Promise<{ body: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (!response.body) return { body: Buffer.alloc(0), bytes };
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (bytes > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined);
      break;
    }
    chunks.push(Buffer.from(chunk));
  }
  return { body: Buffer.concat(chunks), bytes };
}

/** Runs one request under an abort deadline that covers headers and body alike. */
async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Exchange | { failure: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // redirect 'manual': success is a 200 from the configured URL itself, not from wherever it points.
    const response = await fetch(url, { ...init, redirect: 'manual', signal: controller.signal });
    return { status: response.status, ...(await readCapped(response)) };
  } catch (error) {
    if (controller.signal.aborted) return { failure: `timeout after ${timeoutMs} ms` };
    return { failure: networkReason(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** undici wraps the socket error as `TypeError('fetch failed', { cause })`; the cause's code is the useful part. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export interface DeliverOptions {
  /** The receiver's callback URL as configured. */
  url: string;
  request: SignedEventRequest;
  timeoutMs?: number;
}

/**
 * POSTs one signed event. Only HTTP 200 counts as delivered (behaviour §4.5, §9.5); any other status, a
 * timeout or a network error is a failure with a short reason such as `http 500`, `timeout after 5000 ms`
 * or `ECONNREFUSED`.
 *
 * @example
 * const request = signEventRequest({ token, encodingAesKey, corpid, agentid, event, timestamp, nonce });
 * const outcome = await deliverCallback({ url: 'https://crm.example.com/wecom/callback', request });
 * if (!outcome.ok) console.log(outcome.reason); // e.g. "http 502"
 */
export async function deliverCallback(options: DeliverOptions): Promise<DeliveryOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const result = await exchange(
    callbackUrl(options.url, { ...options.request.query }),
    { method: 'POST', headers: { 'content-type': 'text/xml' }, body: options.request.body },
    timeoutMs,
  );
  if ('failure' in result) return { ok: false, reason: result.failure };
  if (result.status !== 200) return { ok: false, reason: `http ${result.status}`, status: result.status };
  return { ok: true, status: 200 };
}

export interface VerifyCallbackUrlOptions extends CallbackSecrets {
  url: string;
  /** Epoch seconds from the server clock. */
  timestamp: number | string;
  nonce?: string;
  echo?: string;
  timeoutMs?: number;
}

/**
 * WeCom's URL verification (behaviour §4.1): GET with a signed, encrypted `echostr`; the receiver passes
 * only if it answers 200 with exactly the plaintext (no quotes, BOM or newline) within the timeout.
 *
 * @example
 * const outcome = await verifyCallbackUrl({ url, token, encodingAesKey, corpid, timestamp: clock.nowSeconds() });
 * // { ok: false, reason: 'echo mismatch: answered the plaintext in quotes, …' } when the receiver quoted its answer
 */
export async function verifyCallbackUrl(options: VerifyCallbackUrlOptions): Promise<DeliveryOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const { query, plaintext } = signUrlVerification({
    token: options.token,
    encodingAesKey: options.encodingAesKey,
    corpid: options.corpid,
    timestamp: options.timestamp,
    nonce: options.nonce ?? randomNonce(),
    ...(options.echo === undefined ? {} : { echo: options.echo }),
  });
  const result = await exchange(callbackUrl(options.url, { ...query }), { method: 'GET' }, timeoutMs);
  if ('failure' in result) return { ok: false, reason: result.failure };
  if (result.status !== 200) return { ok: false, reason: `http ${result.status}`, status: result.status };
  const answer = result.body.toString('utf8');
  if (answer !== plaintext) return { ok: false, reason: `echo mismatch: ${echoMismatch(answer, result.bytes, plaintext)}`, status: 200 };
  return { ok: true, status: 200 };
}

/**
 * Why an answer is not the echo, without a byte of what the far side said (issue 11, defect 3): a URL may
 * point at any service handover can reach, and quoting its answer made this a read oracle. The hints compare
 * against handover's own plaintext, so they tell nothing else about the answer.
 */
function echoMismatch(answer: string, bytes: number, plaintext: string): string {
  const expected = `expected the ${Buffer.byteLength(plaintext)}-byte echostr plaintext`;
  if (bytes > MAX_ANSWER_BYTES) return `answered more than ${MAX_ANSWER_BYTES} bytes, ${expected}`;
  if (answer === JSON.stringify(plaintext)) return `answered the plaintext in quotes, ${expected} bare`;
  if (answer.replace(/^\uFEFF/, '').trim() === plaintext) return `answered the plaintext with a BOM or whitespace around it, ${expected} bare`;
  return `answered ${bytes} bytes that are not the plaintext, ${expected}`;
}

/**
 * Milliseconds to wait before the next attempt after `attempt` attempts have failed (1 = the first
 * delivery), or `null` once the retries are used up and the event is dead (behaviour §9.5: default 5 s, 30 s,
 * 120 s, so 4 attempts in all). `random` in [0, 1) picks the jitter; pass a fixed value for determinism.
 *
 * @example
 * nextAttemptDelay(1, [5, 30, 120], 0.5); // 5000
 * nextAttemptDelay(4);                    // null: park as dead
 */
export function nextAttemptDelay(
  attempt: number,
  backoffSeconds: readonly number[] = DEFAULT_BACKOFF_SECONDS,
  random: number = Math.random(),
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  const base = backoffSeconds[attempt - 1];
  if (base === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * Math.min(Math.max(random, 0), 1);
  return Math.round(base * 1000 * factor);
}
