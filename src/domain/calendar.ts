/**
 * Pure arithmetic on epoch-millisecond instants of the server clock. The "90 natural days" window is
 * emulated as a rolling 90 × 24 h (behaviour §8, §9.1.7): WeCom does not say whether it is calendar days.
 */
export const SECOND_MS = 1000;
export const HOUR_MS = 3600 * SECOND_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A transfer's automatic takeover happens 24 h after it starts (behaviour §0, §9.1.7). */
export const TAKEOVER_DELAY_MS = DAY_MS;

/** Members must have logged in within the last year (behaviour §0), emulated as 365 days (behaviour §9.1.6). */
export const LOGIN_RECENCY_MS = 365 * DAY_MS;

/**
 * The span of instants handover accepts from outside (admin clock, fixtures): 1970-01-01 up to the end of
 * year 9999. Beyond it ISO-8601 needs six-digit years, and past 8.64e15 ms a JS Date is invalid, which
 * turned one `advance_seconds: 1e300` into a 500 on every later request; PostgreSQL's BIGINT overflowed
 * for a fixture createtime of 1e20 s.
 */
export const EARLIEST_INSTANT_MS = 0;
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isAcceptedInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

export function dueAtFor(startedAt: number): number {
  return startedAt + TAKEOVER_DELAY_MS;
}

/** Start of the rolling quota window that ends at `now`: a transfer started at or after it counts. */
export function quotaWindowStart(now: number, windowDays: number): number {
  return now - windowDays * DAY_MS;
}

export function loggedInRecently(lastLoginAt: number, now: number): boolean {
  return now - lastLoginAt <= LOGIN_RECENCY_MS;
}

export function toUnixSeconds(ms: number): number {
  return Math.floor(ms / SECOND_MS);
}

const UTC8_OFFSET_MS = 8 * HOUR_MS;

/** Start of the calendar day in China (UTC+8, no daylight saving) that holds `now`: WeCom's "per day" limits. */
export function utc8DayStart(now: number): number {
  return Math.floor((now + UTC8_OFFSET_MS) / DAY_MS) * DAY_MS - UTC8_OFFSET_MS;
}
