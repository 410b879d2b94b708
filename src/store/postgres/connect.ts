import pg from 'pg';
import type { SqlDatabase, SqlDb, SqlValue, StoreCapabilities } from '../sql.js';

const capabilities: StoreCapabilities = Object.freeze({
  dialect: 'postgres',
  skipLocked: true,
  rowLocks: true,
  // The wire protocol allows 65,535 bind parameters per statement.
  maxParams: 65_000,
});

/** `?` → `$1, $2, …`; the queries never contain a literal `?` (no JSON operators), so a plain scan is exact. */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Instants, counts and ids are int8 in PostgreSQL; they all fit a JS number (epoch ms < 2^53). */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

export async function openPostgres(url: string): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // Each distinct SQL text becomes a named prepared statement, planned once per connection: planning the
  // transfer facts query took ~3 ms, paid inside the takeover's row lock on every call. Texts that vary
  // with their row count (multi-row VALUES) are bounded by the callers' chunk sizes.
  const prepared = new Map<string, { name: string; text: string }>();
  const statement = (sql: string) => {
    let entry = prepared.get(sql);
    if (entry === undefined) {
      entry = { name: `h${prepared.size}`, text: numberPlaceholders(sql) };
      prepared.set(sql, entry);
    }
    return entry;
  };
  const query = (client: pg.PoolClient | pg.Pool, sql: string, params: readonly SqlValue[]) => {
    const { name, text } = statement(sql);
    return client.query({ name, text, values: params as SqlValue[] });
  };
  const over = (client: pg.PoolClient | pg.Pool): SqlDb => ({
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(client, sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(client, sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await query(client, sql, params)).rowCount ?? 0 }),
  });
  const once = async <T>(begin: string, fn: (db: SqlDb) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const value = await fn(over(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  // A transfer call holds its takeover's row and may wait (unique index) on a transfer the engine is
  // completing, while the engine waits for that member's counters: PostgreSQL breaks such a cycle by
  // aborting one side with 40P01. Every use case is one transaction with no effect outside it, so
  // running it again is safe; three tries bound it.
  const transaction = async <T>(begin: string, fn: (db: SqlDb) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(begin, fn);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      }
    }
  };
  return {
    capabilities,
    write: (fn) => transaction('BEGIN', fn),
    read: (fn) => transaction('BEGIN READ ONLY', fn),
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
