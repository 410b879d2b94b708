import { migrate } from './migrate.js';
import { sqlStore } from './sql-store.js';
import { openSqlite } from './sqlite/connect.js';
import type { Store } from './store.js';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Opens the configured database and brings its schema up to date. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPostgres } = await import('./postgres/connect.js');
    const database = await openPostgres(location.url);
    await migrate(database, new URL('./postgres/migrations/', import.meta.url));
    return sqlStore(database);
  }
  const database = openSqlite(location.path);
  await migrate(database, new URL('./sqlite/migrations/', import.meta.url));
  return sqlStore(database);
}
