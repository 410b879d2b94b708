import type { WecomResponse } from '../wire/envelope.js';

/** errcodes that mean "nothing was done, try again later" (behaviour §1.2, §5.2). */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/** errcodes that mean "the access_token is bad": drop it, fetch a new one, send the call once more. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 });

/** What to do with an answer: return it, retry after a backoff, renew the token, or throw. */
export type AnswerClass = 'ok' | 'retry' | 'token' | 'error';

/**
 * Classifies one answer. A busy / rate-limited answer is retried only when it says nothing started:
 * a `customer` list with entries means per-customer outcomes exist, and sending again could start
 * transfers twice (or answer 40129 for the ones that did start), so it is an error instead.
 *
 * @example
 * classifyAnswer({ errcode: -1, errmsg: 'system busy', customer: [] }); // 'retry'
 * classifyAnswer({ errcode: 42001, errmsg: 'access_token expired' });  // 'token'
 */
export function classifyAnswer(answer: WecomResponse, accept: readonly number[] = []): AnswerClass {
  if (answer.errcode === 0 || accept.includes(answer.errcode)) return 'ok';
  if (TOKEN_ERRCODES.has(answer.errcode)) return 'token';
  if (RETRYABLE_ERRCODES.has(answer.errcode)) {
    // A group transfer lists its failed chats the same way: entries mean the call did something.
    const { customer, failed_chat_list } = answer as { customer?: unknown; failed_chat_list?: unknown };
    const listsEntries = (list: unknown) => Array.isArray(list) && list.length > 0;
    return listsEntries(customer) || listsEntries(failed_chat_list) ? 'error' : 'retry';
  }
  return 'error';
}

/**
 * May a request that failed on the network be sent again? Idempotent calls: yes. `transfer_customer`:
 * only when the request provably never reached the server (connection refused, name not resolved).
 */
export function mayRetryTransportFailure(idempotent: boolean, maybeSent: boolean): boolean {
  return idempotent || !maybeSent;
}

/** Full-jitter exponential backoff: a random delay in [0, min(max, base × 2^(attempt−1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
