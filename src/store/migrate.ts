import { readdir, readFile } from 'node:fs/promises';
import type { SqlDatabase } from './sql.js';

/** Any constant works; it only has to be the same in every handover process (PostgreSQL advisory lock key). */
const MIGRATION_LOCK_KEY = 4_206_911;

/**
 * Applies the numbered `NNNN_name.sql` files of the adapter's `migrations/` folder that are not applied
 * yet, each in its own write transaction together with its row in `schema_migrations`. Where advisory locks
 * exist (PostgreSQL) the transaction first takes one, so two processes starting at once apply each file exactly once.
 */
export async function migrate(database: SqlDatabase, migrationsDir: URL): Promise<number[]> {
  const files = (await readdir(migrationsDir)).filter((name) => /^\d{4}_.+\.sql$/.test(name)).sort();
  const applied: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 4));
    const sql = await readFile(new URL(file, migrationsDir), 'utf8');
    const ran = await database.write(async (db) => {
      if (database.capabilities.advisoryLocks) await db.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      const done = await db.get('SELECT version FROM schema_migrations WHERE version = ?', [version]);
      if (done) return false;
      for (const statement of splitStatements(sql)) await db.run(statement);
      await db.run('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [version, file]);
      return true;
    });
    if (ran) applied.push(version);
  }
  return applied;
}

/** Migration files hold plain statements ended by `;` at line end (no procedural bodies), and `--` comments. */
function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
