import { ERRCODES } from '../domain/errcodes.js';
import { AdminInputError, FieldReader } from './fixture-input.js';

const INJECTABLE = new Set<number>([ERRCODES.SYSTEM_BUSY.code, ERRCODES.API_FREQ_OUT_OF_LIMIT.code, ERRCODES.API_CONCURRENT_OUT_OF_LIMIT.code]);

/**
 * `POST /admin/faults`: the next `count` calls to `path` answer `errcode` for the whole call with nothing
 * done, as WeCom does when busy or rate-limited — so SDK retry logic can be tested. Per process (a test
 * drives one node), cleared by `POST /admin/reset`.
 */
export class FaultInjector {
  private readonly pending = new Map<string, { errcode: number; remaining: number }>();

  add(body: unknown): { path: string; errcode: number; count: number } {
    const reader = FieldReader.object(body, '');
    const path = reader.string('path', { pattern: /^\/cgi-bin\/\S+$/ });
    const errcode = reader.integer('errcode');
    if (!INJECTABLE.has(errcode)) throw new AdminInputError('errcode', `errcode must be one of ${[...INJECTABLE].join(', ')}`);
    const count = reader.integer('count', { fallback: 1, min: 1 });
    this.pending.set(path, { errcode, remaining: count });
    return { path, errcode, count };
  }

  /** The errcode to answer this call with, if a fault is pending for its path. */
  take(path: string): number | undefined {
    const fault = this.pending.get(path);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.delete(path);
    return fault.errcode;
  }

  clear(): void {
    this.pending.clear();
  }
}
