import type { SqlDb } from '../sql.js';
import type { ClockRecord } from '../store.js';

export async function readClockState(db: SqlDb): Promise<ClockRecord> {
  const row = await db.get<{ offset_ms: number; frozen_at: number | null }>('SELECT offset_ms, frozen_at FROM clock_state WHERE id = 1');
  return { offsetMs: Number(row?.offset_ms ?? 0), frozenAt: row?.frozen_at == null ? null : Number(row.frozen_at) };
}

export async function writeClockState(db: SqlDb, state: ClockRecord): Promise<void> {
  await db.run('UPDATE clock_state SET offset_ms = ?, frozen_at = ? WHERE id = 1', [state.offsetMs, state.frozenAt]);
}
