import Database from 'better-sqlite3';
import type { SqlDatabase, SqlDb, SqlValue, StoreCapabilities, WriteControl } from '../sql.js';

const capabilities: StoreCapabilities = Object.freeze({
  dialect: 'sqlite',
  skipLocked: false,
  rowLocks: false,
  advisoryLocks: false,
  // SQLite ≥ 3.32 binds up to 32,766; staying under it leaves room for a few fixed parameters.
  maxParams: 32_000,
  analyzeAfterLoad: false,
  deferIndexes: true,
});

const STATEMENT_CACHE_SIZE = 1000;
/** Bounds how long one group holds the connection (and so how long reads wait behind it). */
const MAX_GROUP_SIZE = 256;

/**
 * One better-sqlite3 connection in WAL mode. Its calls are synchronous, but the port is async (for pg), and
 * an `await` between two statements lets another request's statements run on the same connection — inside
 * this one's transaction. So every read and write takes a FIFO lock first; SQLite has one writer anyway,
 * and because each statement is synchronous the lock is held for microseconds.
 */
export function openSqlite(path: string): SqlDatabase {
  const database = new Database(path);
  // One process owns the file (PostgreSQL is the multi-process mode). EXCLUSIVE locking keeps the WAL index
  // in process memory: without it every statement outside a transaction paid the -shm file locks (fcntl),
  // 15% of server CPU at 1 id per call (--cpu-prof). Set before WAL so WAL never needs shared memory.
  database.pragma('locking_mode = EXCLUSIVE');
  try {
    database.pragma('journal_mode = WAL');
  } catch (error) {
    database.close();
    // Another process holds the exclusive lock: better-sqlite3 waits 5 s, then says only "database is locked".
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`${path} is held by another handover process (a SQLite file serves one process; stop the other one, or use PostgreSQL for several nodes)`);
    }
    throw error;
  }
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  // Savepoint sub-journals (group commit, below) and sort spills stay in memory instead of temp files.
  database.pragma('temp_store = MEMORY');

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      // Multi-row statements vary with their row count; keep the cache bounded (oldest out first).
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const plucked = new Map<string, Database.Statement>();
  const preparePlucked = (sql: string): Database.Statement => {
    let statement = plucked.get(sql);
    if (!statement) {
      if (plucked.size >= STATEMENT_CACHE_SIZE) plucked.delete(plucked.keys().next().value as string);
      statement = database.prepare(sql).pluck();
      plucked.set(sql, statement);
    }
    return statement;
  };

  const db: SqlDb = {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: prepare(sql).run(...params).changes }),
    column: async <T>(sql: string, params: readonly SqlValue[] = []) => preparePlucked(sql).all(...params) as T[],
  };

  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };

  const begin = database.prepare('BEGIN IMMEDIATE');
  const commit = database.prepare('COMMIT');
  const rollback = database.prepare('ROLLBACK');
  const savepoint = database.prepare('SAVEPOINT handover_write');
  const release = database.prepare('RELEASE handover_write');
  const rollbackToSavepoint = database.prepare('ROLLBACK TO handover_write');

  // Group commit: a COMMIT costs more than a whole transfer_customer call (it writes every touched page
  // to the WAL: ~40% of server CPU at 1 id per call, measured with --cpu-prof). Write transactions that
  // queue up while one runs share the next BEGIN … COMMIT; each runs inside its own SAVEPOINT, so one
  // that throws is rolled back alone, and every caller is answered only after the shared COMMIT.
  const pending: { fn: (db: SqlDb, control: WriteControl) => Promise<unknown>; first: string | undefined; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;
  const runGroup = async () => {
    const group = pending.splice(0, MAX_GROUP_SIZE);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      // Inside the try: on a closed database BEGIN throws, and the group's jobs must be rejected, not left
      // pending for ever (server.stop() waited behind such a write).
      begin.run();
      for (const [index, job] of group.entries()) {
        // Let the event loop read sockets between two jobs. Run back to back, a group of 100-id calls held
        // the loop for ~100 ms, and connections opened meanwhile got their first request read one per
        // group: with 50 new connections the last waited 4.7 s (figure 3's p99 was 3.1 s, p50 0.2 s).
        // Requests read now join the next group; the transaction stays open and nothing else can use the
        // connection (reads queue on the FIFO lock, writes on `pending`).
        if (index > 0) await new Promise((resume) => setImmediate(resume));
        savepoint.run();
        try {
          let last: string | undefined;
          const first = job.first === undefined ? undefined : (prepare(job.first).get() as Record<string, unknown> | undefined);
          const value = await job.fn(db, { first, finish: (sql) => (last = sql) });
          if (last !== undefined) prepare(last).run();
          outcomes.push({ ok: true, value });
          release.run();
        } catch (error) {
          rollbackToSavepoint.run();
          release.run();
          outcomes.push({ ok: false, error });
        }
      }
      commit.run();
    } catch (error) {
      if (database.inTransaction) rollback.run();
      for (const job of group) job.reject(error);
      return;
    } finally {
      // Reads queued meanwhile go before the next group; the next group then takes whatever queued up.
      scheduled = false;
      if (pending.length > 0) schedule();
    }
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  };
  // The group starts after the event loop has read every request that is ready (setImmediate runs after
  // the poll phase); started at once, groups stayed at one transaction each (measured: 1.0005 on average).
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void exclusive(runGroup));
  };

  return {
    capabilities,
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
    write: <T>(fn: (db: SqlDb, control: WriteControl) => Promise<T>, first?: string) =>
      new Promise<T>((resolve, reject) => {
        pending.push({ fn, first, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      }),
    // One process owns the file and the lock keeps every other statement off the connection, so a read
    // sees only committed data without a transaction of its own (two statements saved per request).
    read: (fn) => exclusive(() => fn(db)),
    readNow: (fn) => exclusive(() => fn(db)),
    exec: async (sql) => {
      await exclusive(async () => database.exec(sql));
    },
    close: async () => {
      await exclusive(async () => database.close());
    },
  };
}
