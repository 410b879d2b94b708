import { describe, expect, it } from 'vitest';
import { DAY_MS, dueAtFor, loggedInRecently, toUnixSeconds } from '../../src/domain/calendar.js';
import { transferMessage } from '../../src/domain/customer-message.js';
import { RateLimiter } from '../../src/domain/rate-limit.js';
import { isTokenExpired, secondsLeft, tokenExpiresAt } from '../../src/domain/token-rules.js';
import { quotaCountsFrom, quotaExhausted } from '../../src/domain/transfer-quota.js';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);

describe('calendar', () => {
  it('is due 24 h after the start and counts a rolling 90 × 24 h window', () => {
    expect(dueAtFor(NOW) - NOW).toBe(86_400_000);
    expect(quotaCountsFrom(NOW, { windowDays: 90, maxTransfers: 2 })).toBe(NOW - 90 * DAY_MS);
    expect(quotaExhausted(1, { windowDays: 90, maxTransfers: 2 })).toBe(false);
    expect(quotaExhausted(2, { windowDays: 90, maxTransfers: 2 })).toBe(true);
    expect(loggedInRecently(NOW - 365 * DAY_MS, NOW)).toBe(true);
    expect(loggedInRecently(NOW - 365 * DAY_MS - 1, NOW)).toBe(false);
    expect(toUnixSeconds(1_700_000_000_999)).toBe(1_700_000_000);
  });
});

describe('token rules (behaviour §5.1)', () => {
  const token = { token: 't', corpid: 'c', agentid: 1, issuedAt: NOW, expiresAt: tokenExpiresAt(NOW) };
  it('lives 7200 s and reports what is left, at least 1 s', () => {
    expect(secondsLeft(token, NOW)).toBe(7200);
    expect(secondsLeft(token, NOW + 7_199_500)).toBe(1);
    expect(isTokenExpired(token, NOW + 7_199_999)).toBe(false);
    expect(isTokenExpired(token, NOW + 7_200_000)).toBe(true);
  });
});

describe('transfer message (behaviour §9.2)', () => {
  it('uses the explicit text, else the template with the takeover name', () => {
    expect(transferMessage('hi', 'x {takeover_name}', 'Bob')).toBe('hi');
    expect(transferMessage(null, '由{takeover_name}接替，{takeover_name}为您服务', '李四')).toBe('由李四接替，李四为您服务');
  });
});

describe('RateLimiter (behaviour §5.2)', () => {
  it('allows perMinute calls a minute per corp and API, then again in the next minute', () => {
    const limiter = new RateLimiter(3, 100);
    const minute = Math.floor(NOW / 60_000) * 60_000;
    expect([1, 2, 3, 4].map(() => limiter.allow('c', 'transferCustomer', minute))).toEqual([true, true, true, false]);
    expect(limiter.allow('c', 'list', minute)).toBe(true);
    expect(limiter.allow('other', 'transferCustomer', minute)).toBe(true);
    expect(limiter.allow('c', 'transferCustomer', minute + 60_000)).toBe(true);
  });

  it('also holds the hourly limit across minutes', () => {
    const limiter = new RateLimiter(100, 2);
    const hour = Math.floor(NOW / 3_600_000) * 3_600_000;
    expect(limiter.allow('c', 'a', hour)).toBe(true);
    expect(limiter.allow('c', 'a', hour + 60_000)).toBe(true);
    expect(limiter.allow('c', 'a', hour + 120_000)).toBe(false);
    expect(limiter.allow('c', 'a', hour + 3_600_000)).toBe(true);
  });
});
