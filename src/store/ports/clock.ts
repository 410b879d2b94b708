export interface ClockRecord {
  offsetMs: number;
  frozenAt: number | null;
  /** Changes whenever corps, apps or tokens are replaced; caches of them are valid for one generation. */
  generation: number;
}

/** The server clock's one row (behaviour §9.4). */
export interface ClockPort {
  clockState(): Promise<ClockRecord>;
  /** The clock and `Store.changeVersion()` read together, in one statement of this transaction's snapshot:
   * the read-answer cache (issue 13) keys on the version a request's token check saw. */
  clockStateAndChangeVersion(): Promise<ClockRecord & { changeVersion: number }>;
  /** `read` is the record this transaction decided on: where writers run side by side the write is a
   * compare-and-set against it (two nodes advancing 24 h at once must move the clock 48 h). */
  setClockState(state: ClockRecord, read: ClockRecord): Promise<void>;
}
