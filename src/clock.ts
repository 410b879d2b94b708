import type { ClockRecord, Store, StoreTx } from './store/store.js';

/** Real time, the only place handover reads it (architecture rule 4). */
export const systemTime = (): number => Date.now();

/**
 * The server clock every rule reads (behaviour §9.4): real time plus an offset, or frozen at an instant.
 * Its state lives in the database, so every server process on one database shares one clock; it is read
 * inside the transaction that uses it.
 */
export class ServerClock {
  constructor(
    private readonly store: Store,
    private readonly realNow: () => number = systemTime,
  ) {}

  /** Real time, for what runs on wall-clock time whatever the server clock says (callback retries, leases). */
  real(): number {
    return this.realNow();
  }

  async now(tx: StoreTx): Promise<number> {
    return this.instantOf(await tx.clockState());
  }

  /** The clock outside any use case (start-up banners, scheduler sleeps). */
  current(): Promise<number> {
    return this.store.read((tx) => this.now(tx));
  }

  async state(): Promise<{ now: number; frozen: boolean }> {
    return this.store.read(async (tx) => {
      const record = await tx.clockState();
      return { now: this.instantOf(record), frozen: record.frozenAt !== null };
    });
  }

  advance(ms: number): Promise<number> {
    return this.update((record) =>
      record.frozenAt !== null ? { ...record, frozenAt: record.frozenAt + ms } : { ...record, offsetMs: record.offsetMs + ms },
    );
  }

  set(instant: number): Promise<number> {
    return this.update((record) =>
      record.frozenAt !== null ? { ...record, frozenAt: instant } : { ...record, offsetMs: instant - this.realNow(), frozenAt: null },
    );
  }

  freeze(frozen: boolean): Promise<number> {
    return this.update((record) => {
      const now = this.instantOf(record);
      return frozen ? { ...record, frozenAt: now } : { ...record, offsetMs: now - this.realNow(), frozenAt: null };
    });
  }

  /** The instant a clock record stands for now. */
  instantOf(record: ClockRecord): number {
    return record.frozenAt ?? this.realNow() + record.offsetMs;
  }

  private update(change: (record: ClockRecord) => ClockRecord): Promise<number> {
    return this.store.write(async (tx) => {
      const previous = await tx.clockState();
      const before = this.instantOf(previous);
      const next = change(previous);
      await tx.setClockState(next, previous);
      const after = this.instantOf(next);
      if (after < before) await tx.retireTokensAfterSetBack(after, before);
      return after;
    });
  }
}
