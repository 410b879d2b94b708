import { quotaWindowStart } from './calendar.js';

/**
 * "Within 90 natural days each customer of an in-service member can be transferred at most 2 times"
 * (behaviour §0, 40128). handover counts every accepted start in a rolling window, whatever its outcome
 * (behaviour §9.1.7); both numbers are settings.
 */
export interface TransferQuota {
  windowDays: number;
  maxTransfers: number;
}

export const DEFAULT_TRANSFER_QUOTA: TransferQuota = Object.freeze({ windowDays: 90, maxTransfers: 2 });

/** Accepted starts at or after this instant count toward the quota at `now`. */
export function quotaCountsFrom(now: number, quota: TransferQuota): number {
  return quotaWindowStart(now, quota.windowDays);
}

export function quotaExhausted(acceptedInWindow: number, quota: TransferQuota): boolean {
  return acceptedInWindow >= quota.maxTransfers;
}
