import type { DeliveryResult } from '../store/store.js';
import type { CallbackSender, RetryDelay, SendOutcome } from './callback-ports.js';
import type { ServiceContext } from './context.js';

export interface DeliveryPolicy {
  batchSize: number;
  /** Per-attempt timeout (behaviour §4.5: 5 s); the lease outlives it by a margin. */
  timeoutMs: number;
  /** How many retries after the first attempt before a row is dead (behaviour §9.5: 3). */
  retries: number;
  retryDelay: RetryDelay;
  /** Callbacks in flight at once within a batch. */
  concurrency: number;
}

const LEASE_MARGIN_MS = 5_000;

/**
 * A round's rows are all leased at its start but sent `concurrency` at a time, so the lease must outlast
 * the round's slowest case: every wave running into the timeout (100 rows, 16 at once, 5 s: 7 × 5 + 5 =
 * 40 s). Leased for one timeout only, a live node's later waves ran past their lease and a second node
 * sent them again (test/outbox/durability.test.ts: 48 of 150 adds twice with 800 ms callbacks).
 */
function leaseMs(policy: DeliveryPolicy): number {
  return Math.ceil(policy.batchSize / policy.concurrency) * policy.timeoutMs + LEASE_MARGIN_MS;
}

/**
 * One round of the delivery worker (behaviour §9.5): lease due rows in a short transaction, send them with no
 * transaction open, record the outcomes in a second short transaction. Returns how many rows it leased.
 */
export async function deliverDueEvents(ctx: ServiceContext, sender: CallbackSender, policy: DeliveryPolicy): Promise<number> {
  const leasedAt = ctx.clock.real();
  const claimed = await ctx.store.write((tx) => tx.claimDeliveries(leasedAt, leasedAt + leaseMs(policy), policy.batchSize));
  if (claimed.length === 0) return 0;

  const results: DeliveryResult[] = new Array(claimed.length);
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const index = next++;
      const delivery = claimed[index]!;
      if (!delivery.app.callback) {
        results[index] = { id: delivery.id, outcome: 'undeliverable', error: 'the app no longer has a callback configured' };
        continue;
      }
      let sent: SendOutcome;
      try {
        sent = await sender.send(delivery);
      } catch (error) {
        // Issue 11, defect 10: a row that cannot even be turned into a request (its XML or signature fails)
        // fails the same way on every attempt. It is dead at once, alone; its round-mates' outcomes stand.
        results[index] = { id: delivery.id, outcome: 'dead', error: `cannot be sent: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) };
        continue;
      }
      if (sent.ok) results[index] = { id: delivery.id, outcome: 'delivered' };
      else if (delivery.attempt > policy.retries) results[index] = { id: delivery.id, outcome: 'dead', error: sent.error };
      else results[index] = { id: delivery.id, outcome: 'retry', nextAttemptAt: ctx.clock.real() + policy.retryDelay(delivery.attempt), error: sent.error };
    }
  };
  await Promise.all(Array.from({ length: Math.min(policy.concurrency, claimed.length) }, worker));
  await ctx.store.write((tx) => tx.recordDeliveries(results, ctx.clock.real()));
  return claimed.length;
}
