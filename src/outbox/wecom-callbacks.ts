import { deliverCallback, nextAttemptDelay, verifyCallbackUrl } from '../callback/deliver.js';
import { changeEventOf } from '../callback/change-event.js';
import { randomNonce, signEventRequest } from '../callback/sign-request.js';
import { toUnixSeconds } from '../domain/calendar.js';
import type { CallbackSender, CallbackVerifier, RetryDelay } from '../service/callback-ports.js';
import type { ClaimedDelivery } from '../store/store.js';
import type { CallbackEvent } from '../wire/callback-events.js';

/** An outbox row as the decrypted XML's fields (see changeEventOf). */
export function toCallbackEvent(delivery: ClaimedDelivery): CallbackEvent {
  return changeEventOf(delivery.app.corpid, toUnixSeconds(delivery.createdAt), delivery.type, delivery.payload);
}

/**
 * WeCom's callback transport for the delivery worker and the callback config route. The query
 * `timestamp` is wall-clock time, as receivers check it against theirs; the event's CreateTime is the
 * server clock (behaviour §9.5).
 */
export function wecomCallbacks(options: { timeoutMs: number; backoffSeconds: readonly number[]; realNow: () => number }): {
  sender: CallbackSender;
  verifier: CallbackVerifier;
  retryDelay: RetryDelay;
} {
  const seconds = () => toUnixSeconds(options.realNow());
  return {
    sender: {
      async send(delivery) {
        const callback = delivery.app.callback!;
        const request = signEventRequest({
          token: callback.token,
          encodingAesKey: callback.encodingAesKey,
          corpid: delivery.app.corpid,
          agentid: delivery.app.agentid,
          event: toCallbackEvent(delivery),
          timestamp: seconds(),
          nonce: randomNonce(),
        });
        const outcome = await deliverCallback({ url: callback.url, request, timeoutMs: options.timeoutMs });
        return outcome.ok ? { ok: true } : { ok: false, error: outcome.reason };
      },
    },
    verifier: {
      async verify(corpid, callback) {
        const outcome = await verifyCallbackUrl({
          url: callback.url,
          token: callback.token,
          encodingAesKey: callback.encodingAesKey,
          corpid,
          timestamp: seconds(),
        });
        if (!outcome.ok) throw new Error(outcome.reason);
      },
    },
    // Past the configured list nextAttemptDelay says null; the worker parks the row as dead before asking.
    retryDelay: (attempt) => nextAttemptDelay(attempt, options.backoffSeconds) ?? 0,
  };
}
