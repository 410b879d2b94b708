import type { SqlDb } from '../sql.js';
import type { ClockRecord } from '../store.js';

export async function readClockState(db: SqlDb): Promise<ClockRecord> {
  const row = await db.get<{ offset_ms: number; frozen_at: number | null; generation: number }>('SELECT offset_ms, frozen_at, generation FROM clock_state WHERE id = 1');
  return { offsetMs: Number(row?.offset_ms ?? 0), frozenAt: row?.frozen_at == null ? null : Number(row.frozen_at), generation: Number(row?.generation ?? 0) };
}

/** Invalidates every process's cached token → app lookups (see the migration 0003 comment). */
export async function bumpGeneration(db: SqlDb): Promise<void> {
  await db.run('UPDATE clock_state SET generation = generation + 1 WHERE id = 1');
}

export async function writeClockState(db: SqlDb, state: ClockRecord): Promise<void> {
  await db.run('UPDATE clock_state SET offset_ms = ?, frozen_at = ? WHERE id = 1', [state.offsetMs, state.frozenAt]);
}
