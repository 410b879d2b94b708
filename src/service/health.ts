import type { ServiceContext } from './context.js';

export type Health =
  | { ok: true; backend: string; clock: { now: number; frozen: boolean } }
  | { ok: false; backend: string; error: string };

/**
 * Whether the store answers a real read (the server clock's row) within `timeoutMs`. A PostgreSQL pool
 * waits for a connection without limit, so a health check that did not bound it would hang exactly when
 * it matters; the read that lost the race is left to finish or fail on its own.
 */
export async function checkHealth(ctx: ServiceContext, timeoutMs: number): Promise<Health> {
  const backend = ctx.store.capabilities.dialect;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const clock = await Promise.race([ctx.clock.state(), timeout]);
    return { ok: true, backend, clock };
  } catch (error) {
    return { ok: false, backend, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
