import { HOUR_MS } from './calendar.js';

const MINUTE_MS = 60_000;

/**
 * Behaviour §5.2, §9.4: per corp, per API, at most `perMinute` calls a minute and `perHour` an hour (fixed
 * windows of the server clock); over either answers 45009 until the window ends, which is exactly the
 * interception length WeCom documents (minute → 60 s, hour → 60 min). Counts are per process.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { minute: number; minuteCount: number; hour: number; hourCount: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly perHour: number,
  ) {}

  /** Counts one call; false when it is over the limit. */
  allow(corpid: string, api: string, now: number): boolean {
    const key = `${corpid} ${api}`;
    const minute = Math.floor(now / MINUTE_MS);
    const hour = Math.floor(now / HOUR_MS);
    const window = this.windows.get(key) ?? { minute, minuteCount: 0, hour, hourCount: 0 };
    if (window.minute !== minute) Object.assign(window, { minute, minuteCount: 0 });
    if (window.hour !== hour) Object.assign(window, { hour, hourCount: 0 });
    window.minuteCount += 1;
    window.hourCount += 1;
    this.windows.set(key, window);
    return window.minuteCount <= this.perMinute && window.hourCount <= this.perHour;
  }
}
