import Database from 'better-sqlite3';
import type { SqlDatabase, SqlDb, SqlValue, StoreCapabilities } from '../sql.js';

const capabilities: StoreCapabilities = Object.freeze({
  dialect: 'sqlite',
  skipLocked: false,
  rowLocks: false,
  // SQLite ≥ 3.32 binds up to 32,766; staying under it leaves room for a few fixed parameters.
  maxParams: 32_000,
});

const STATEMENT_CACHE_SIZE = 1000;

/**
 * One better-sqlite3 connection in WAL mode. Its calls are synchronous, but the port is async (for pg), and
 * an `await` between two statements lets another request's statements run on the same connection — inside
 * this one's transaction. So every read and write takes a FIFO lock first; SQLite has one writer anyway,
 * and because each statement is synchronous the lock is held for microseconds.
 */
export function openSqlite(path: string): SqlDatabase {
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');

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

  const db: SqlDb = {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: prepare(sql).run(...params).changes }),
  };

  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };

  const transaction = <T>(begin: string, fn: (db: SqlDb) => Promise<T>) =>
    exclusive(async () => {
      database.exec(begin);
      try {
        const value = await fn(db);
        database.exec('COMMIT');
        return value;
      } catch (error) {
        if (database.inTransaction) database.exec('ROLLBACK');
        throw error;
      }
    });

  return {
    capabilities,
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
    write: (fn) => transaction('BEGIN IMMEDIATE', fn),
    read: (fn) => transaction('BEGIN', fn),
    exec: async (sql) => {
      await exclusive(async () => database.exec(sql));
    },
    close: async () => {
      await exclusive(async () => database.close());
    },
  };
}
