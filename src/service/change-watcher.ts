import type { Store } from '../store/store.js';

type Listener = (version: number) => void;

/**
 * One poll of the store's change version for all open consoles of this process (not one per browser):
 * an 8-row SUM every `intervalMs`, and only while someone listens. Because the version lives in the
 * database, a write on another node wakes this node's consoles within one interval.
 */
export class ChangeWatcher {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private version = -1;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `listener` with the current version at once, then whenever it changes; returns the unsubscribe. */
  async subscribe(listener: Listener): Promise<() => void> {
    if (this.version < 0) this.version = await this.store.changeVersion();
    this.listeners.add(listener);
    listener(this.version);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.listeners.size === 0) return;
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }

  private async poll(): Promise<void> {
    try {
      const version = await this.store.changeVersion();
      if (version !== this.version) {
        this.version = version;
        for (const listener of this.listeners) listener(version);
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.timer = null;
      if (this.listeners.size === 0) this.version = -1;
      this.schedule();
    }
  }
}
