import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreLocation } from '../../src/store/open-store.js';

export type Backend = 'sqlite' | 'postgres';

/** Where the PostgreSQL suites connect to create their throw-away databases. */
export const POSTGRES_ADMIN_URL = process.env['HANDOVER_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The backends a suite runs against: `STORES=sqlite,postgres` narrows them (architecture rule 3).
 * PostgreSQL is skipped, with a line saying so, when nothing answers at HANDOVER_TEST_POSTGRES_URL.
 */
export async function testBackends(): Promise<Backend[]> {
  const wanted = (process.env['STORES'] ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as Backend[];
  const backends: Backend[] = [];
  if (wanted.includes('sqlite')) backends.push('sqlite');
  if (wanted.includes('postgres')) {
    if (await postgresReachable()) backends.push('postgres');
    else if (process.env['REQUIRE_POSTGRES'] === '1') throw new Error(`PostgreSQL is required but not reachable at ${POSTGRES_ADMIN_URL}`);
    else console.warn(`[handover tests] PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: the PostgreSQL suite is SKIPPED`);
  }
  return backends;
}

export interface TestDatabase {
  location: StoreLocation;
  drop(): Promise<void>;
}

/** A fresh, empty database of that backend: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'handover-test-'));
    return { location: { kind: 'sqlite', path: join(dir, 'handover.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `handover_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    location: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
