import { DAY_MS } from './calendar.js';
import { quotaCountsFrom, type TransferQuota } from './transfer-quota.js';

export interface QuotaUse {
  used: number;
  left: number;
  /** When the oldest counted start stops counting; null when none counts. */
  nextFreesAt: number | null;
}

/**
 * How much of a customer's 90-day quota (behaviour §9.1.7) its accepted starts use at `now`, and when the next
 * place frees up: a start counts while it is at or after the window start, so it stops 1 ms after
 * start + window. What the console prints beside a 40128 ("next possible on …").
 */
export function quotaUse(startedAts: readonly number[], now: number, quota: TransferQuota): QuotaUse {
  const from = quotaCountsFrom(now, quota);
  const counted = startedAts.filter((at) => at >= from && at <= now).sort((a, b) => a - b);
  const oldest = counted[0];
  return {
    used: counted.length,
    left: Math.max(0, quota.maxTransfers - counted.length),
    nextFreesAt: oldest === undefined ? null : oldest + quota.windowDays * DAY_MS + 1,
  };
}
