import type { PollingLoop } from '../../src/scheduler/polling-loop.js';

/**
 * Waits for a round of `loop` that started after this call and found nothing to do: whatever was due by
 * then has been handled, and nothing more is due. A negative assertion after it proves something, where
 * a fixed sleep only hoped the worker had run (and failed on a loaded machine when it had not).
 */
export async function untilIdle(loop: PollingLoop | null, timeoutMs = 20_000): Promise<void> {
  if (!loop) throw new Error('that loop is switched off on this server');
  const deadline = Date.now() + timeoutMs;
  while ((await loop.nextRound()) !== 0) {
    if (Date.now() > deadline) throw new Error(`the loop still found work after ${timeoutMs} ms`);
  }
}
