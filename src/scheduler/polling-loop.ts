import { setTimeout as sleep } from 'node:timers/promises';

export interface LoopEvents {
  /** One run finished having processed `count` items. */
  onRun?: (count: number, ms: number) => void;
  onError?: (error: unknown) => void;
}

/**
 * The loop behind the takeover engine and the delivery worker, top-down:
 * run one batch → a full batch means more is waiting, so run again at once → otherwise sleep `pollMs`
 * (or until `nudge()`) → repeat until `stop()`. A failed run is reported and retried after the sleep;
 * each batch is one transaction that either committed or rolled back, so nothing is ever half-claimed
 * ("always release": a claim lives only as long as its transaction).
 */
export class PollingLoop {
  private stopping = new AbortController();
  private wake = new AbortController();
  private running: Promise<void> | null = null;
  private runsStarted = 0;
  private waiters: { after: number; resolve: (count: number) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly runBatch: () => Promise<number>,
    private readonly batchSize: number,
    private readonly pollMs: number,
    private readonly events: LoopEvents = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = this.loop();
  }

  /** Runs the next batch now instead of after the sleep. */
  nudge(): void {
    this.wake.abort();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake.abort();
    await this.running;
    this.running = null;
    this.settle(Number.POSITIVE_INFINITY, (waiter) => waiter.reject(new Error('the loop stopped')));
  }

  /**
   * Resolves with the count of the first run that starts after this call, once it has finished (a run
   * already under way does not count: it may have read the database before the caller's change). A failed
   * run rejects. Tests wait on this instead of sleeping: "a round that began after X found nothing" proves
   * nothing more is due, on a loaded machine too.
   */
  nextRound(): Promise<number> {
    return new Promise((resolve, reject) => this.waiters.push({ after: this.runsStarted, resolve, reject }));
  }

  private settle(run: number, finish: (waiter: PollingLoop['waiters'][number]) => void): void {
    const due = this.waiters.filter((waiter) => waiter.after < run);
    this.waiters = this.waiters.filter((waiter) => waiter.after >= run);
    for (const waiter of due) finish(waiter);
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let count = 0;
      const run = ++this.runsStarted;
      try {
        const started = this.now();
        count = await this.runBatch();
        this.events.onRun?.(count, this.now() - started);
        this.settle(run, (waiter) => waiter.resolve(count));
      } catch (error) {
        this.events.onError?.(error);
        this.settle(run, (waiter) => waiter.reject(error));
      }
      if (count >= this.batchSize || this.stopping.signal.aborted) continue;
      this.wake = new AbortController();
      await sleep(this.pollMs, undefined, { signal: AbortSignal.any([this.stopping.signal, this.wake.signal]) }).catch(() => undefined);
    }
  }
}
