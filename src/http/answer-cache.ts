/**
 * Issue 13: the serialized bytes of read answers (externalcontact/list, get, batch/get_by_user,
 * transfer_result, …), valid for one store change version only (`Store.changeVersion()`, migration 0012:
 * it changes whenever any write transaction that changed a row commits, on any node). A repeated read
 * then costs the token check and a socket write instead of SQL plus JSON: a 5,000-id list is ~175 kB of
 * JSON that took ~3 ms to query and serialize.
 *
 * Entries of an older version can never be served again, so the cache holds one version at a time: the
 * first entry stored for a new version drops the rest. Bounded by bytes (keys and answers), least recently
 * used out first; an answer larger than a quarter of the bound is not kept (it would flush the others).
 */
export class AnswerCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly computing = new Map<string, { version: number; answer: Promise<Buffer | null> }>();
  private version = Number.NaN;
  private bytes = 0;
  /** Answers served from the cache since start (tests check that a repeated read was a hit). */
  hits = 0;
  /** Answers computed for the cache (misses nobody else was computing). */
  computed = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, version: number): Buffer | undefined {
    if (version !== this.version) return undefined;
    const answer = this.entries.get(key);
    if (answer === undefined) return undefined;
    // Most recently used last: Map keeps insertion order, so re-inserting moves it to the end.
    this.entries.delete(key);
    this.entries.set(key, answer);
    this.hits++;
    return answer;
  }

  set(key: string, version: number, answer: Buffer): void {
    const size = entrySize(key, answer);
    if (size > this.maxBytes / 4) return;
    if (version !== this.version) this.clear(version);
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= entrySize(key, previous);
    }
    this.entries.set(key, answer);
    this.bytes += size;
    for (const [oldest, bytes] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entrySize(oldest, bytes);
    }
  }

  /**
   * The answer another request is computing for this key and version, if any (null once it failed). After
   * a write, the 50 callers of one read all miss at once; without this each ran the same SQL, one after the
   * other on SQLite's one connection, and the last waited for all 49 (issue 13: the 50-connection tail).
   */
  inFlight(key: string, version: number): Promise<Buffer | null> | undefined {
    const running = this.computing.get(key);
    return running && running.version === version ? running.answer : undefined;
  }

  /** Announces that this request computes the answer; call the result with it (null on an error). */
  computes(key: string, version: number): (answer: Buffer | null) => void {
    this.computed++;
    let settle!: (answer: Buffer | null) => void;
    const running = { version, answer: new Promise<Buffer | null>((resolve) => (settle = resolve)) };
    this.computing.set(key, running);
    return (answer) => {
      if (this.computing.get(key) === running) this.computing.delete(key);
      settle(answer);
    };
  }

  /** Bytes held, for tests and the docs' sizing advice. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private clear(version: number): void {
    this.entries.clear();
    this.bytes = 0;
    this.version = version;
  }
}

/** A key's string is UTF-16 in memory; plus a fixed allowance for the Map entry and the Buffer object. */
function entrySize(key: string, answer: Buffer): number {
  return 2 * key.length + answer.length + 200;
}
