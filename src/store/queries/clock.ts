import { type SqlDb, WriteConflict } from '../sql.js';
import type { ClockRecord } from '../store.js';

/** Parameterless, so an adapter can send it with the transaction's BEGIN (see sql-store.ts). */
export const CLOCK_STATE_SQL = 'SELECT offset_ms, frozen_at, generation FROM clock_state WHERE id = 1';

export type ClockStateRow = { offset_ms: number; frozen_at: number | null; generation: number } | undefined;

export function toClockRecord(row: ClockStateRow): ClockRecord {
  return { offsetMs: Number(row?.offset_ms ?? 0), frozenAt: row?.frozen_at == null ? null : Number(row.frozen_at), generation: Number(row?.generation ?? 0) };
}

export async function readClockState(db: SqlDb): Promise<ClockRecord> {
  return toClockRecord(await db.get<NonNullable<ClockStateRow>>(CLOCK_STATE_SQL));
}

/** Invalidates every process's cached token → app lookups (see the migration 0003 comment). */
export async function bumpGeneration(db: SqlDb): Promise<void> {
  await db.run('UPDATE clock_state SET generation = generation + 1 WHERE id = 1');
}

/**
 * With `expected` (the record this transaction read, where writers run side by side) the write is a
 * compare-and-set: two admins advancing the clock by 24 h on two nodes at once must move it 48 h, not 24.
 * A row changed meanwhile throws WriteConflict, and the adapter runs the transaction again on the new row.
 */
export async function writeClockState(db: SqlDb, state: ClockRecord, expected: ClockRecord | null = null): Promise<void> {
  if (expected === null) {
    await db.run('UPDATE clock_state SET offset_ms = ?, frozen_at = ? WHERE id = 1', [state.offsetMs, state.frozenAt]);
    return;
  }
  const { changes } = await db.run('UPDATE clock_state SET offset_ms = ?, frozen_at = ? WHERE id = 1 AND offset_ms = ? AND frozen_at IS NOT DISTINCT FROM ?', [
    state.offsetMs,
    state.frozenAt,
    expected.offsetMs,
    expected.frozenAt,
  ]);
  if (changes === 0) throw new WriteConflict('the server clock changed since this transaction read it');
}
