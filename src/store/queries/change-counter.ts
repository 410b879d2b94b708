import type { SqlDb, SqlValue, StoreCapabilities } from '../sql.js';
import type { ClockRecord } from '../ports/clock.js';

const PG_SHARDS = 64;

// `SELECT … FOR UPDATE` reads; these change rows.
const WRITING_STATEMENT = /^\s*(?:WITH\b[\s\S]*?\b)?(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b/i;

/**
 * Wraps a write transaction's connection to notice whether any statement changed a row, so that the
 * takeover engine's and delivery worker's empty polls (a write transaction every 50–500 ms that finds
 * nothing due) do not wake every open console.
 */
export function trackChanges(db: SqlDb): { db: SqlDb; changed(): boolean; statements(): number } {
  let changed = false;
  let statements = 0;
  const note = <T>(sql: string, rows: T[]): T[] => {
    if (rows.length > 0 && WRITING_STATEMENT.test(sql)) changed = true;
    return rows;
  };
  return {
    db: {
      all: async <T>(sql: string, params?: readonly SqlValue[]) => {
        statements++;
        return note(sql, await db.all<T>(sql, params));
      },
      get: async <T>(sql: string, params?: readonly SqlValue[]) => {
        statements++;
        const row = await db.get<T>(sql, params);
        if (row !== undefined) note(sql, [row]);
        return row;
      },
      // Only SELECTs read a column: nothing to notice.
      column: <T>(sql: string, params?: readonly SqlValue[]) => db.column<T>(sql, params),
      run: async (sql: string, params?: readonly SqlValue[]) => {
        statements++;
        const result = await db.run(sql, params);
        if (result.changes > 0) changed = true;
        return result;
      },
    },
    changed: () => changed,
    statements: () => statements,
  };
}

/**
 * The last statement of a write transaction that changed something (see migrations 0012, 0013), without
 * parameters so that the adapter can send it in one round trip with the COMMIT. SQLite has one writer at a
 * time, so one shard is enough there. PostgreSQL bumps its connection's own shard of 64: a connection runs
 * one transaction at a time, so writers queue on a shard (locked from the bump through the commit's fsync)
 * only when two backends' pids agree mod 64; 8 shards picked at random made ~20 concurrent writers (two
 * nodes' pools) meet on one every few calls.
 */
export function changeCounterBump(caps: StoreCapabilities): string {
  return caps.rowLocks
    ? `UPDATE change_counter SET version = version + 1 WHERE shard = pg_backend_pid() % ${PG_SHARDS}`
    : 'UPDATE change_counter SET version = version + 1 WHERE shard = 0';
}

export async function readChangeVersion(db: SqlDb): Promise<number> {
  const row = await db.get<{ version: number | string | null }>('SELECT SUM(version) AS version FROM change_counter');
  return Number(row?.version ?? 0);
}

/** The clock row with the version in one statement: one round trip on PostgreSQL, one snapshot on both. */
export async function readClockStateAndChangeVersion(db: SqlDb): Promise<ClockRecord & { changeVersion: number }> {
  const row = await db.get<{ offset_ms: number; frozen_at: number | null; generation: number; change_version: number | string | null }>(
    'SELECT offset_ms, frozen_at, generation, (SELECT SUM(version) FROM change_counter) AS change_version FROM clock_state WHERE id = 1',
  );
  return {
    offsetMs: Number(row?.offset_ms ?? 0),
    frozenAt: row?.frozen_at == null ? null : Number(row.frozen_at),
    generation: Number(row?.generation ?? 0),
    changeVersion: Number(row?.change_version ?? 0),
  };
}
