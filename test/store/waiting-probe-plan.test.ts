import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfFixture } from '../../src/service/fixture-events.js';
import { loadFixtureEvents } from '../../src/service/fixture-load.js';
import { openStore } from '../../src/store/open-store.js';
import { decisionFacts } from '../../src/store/queries/start-transfers.js';
import type { SqlDb, SqlValue } from '../../src/store/sql.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

const CORP = 'wwplan';
const CUSTOMERS = 3_000;
const WAITING = 2_000;
const NOW = Date.UTC(2026, 0, 1);
const id = (i: number) => `wmPlan${String(i).padStart(6, '0')}`;

/** The SQL text and parameters a query function sends, without running it. */
async function statementOf(run: (db: SqlDb) => Promise<unknown>): Promise<{ sql: string; params: readonly SqlValue[] }> {
  let sent: { sql: string; params: readonly SqlValue[] } | undefined;
  const recording: SqlDb = {
    all: async (sql, params = []) => ((sent = { sql, params }), []),
    get: async (sql, params = []) => ((sent = { sql, params }), undefined),
    column: async (sql, params = []) => ((sent = { sql, params }), []),
    run: async (sql, params = []) => ((sent = { sql, params }), { changes: 0 }),
  };
  await run(recording);
  return sent!;
}

/**
 * The transfer facts ask whether each customer has a waiting transfer. Planned while `transfers` was empty
 * (a node's first calls after a load) and kept as a named statement's generic plan, PostgreSQL's plan took
 * the partial index `transfers_due … WHERE status = 2` for that probe and then read every waiting transfer
 * per call as they piled up (figure 6, auto_explain); it must be a probe of the customer's slot.
 */
describe.each(await testBackends())('the waiting-transfer probe of the transfer facts on %s', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    store = await openStore(database.location);
    const corp = {
      corpid: CORP,
      name: 'Plan corp',
      apps: [{ agentid: 1000002, secret: 'plan-secret' }],
      members: [{ userid: 'alice' }, { userid: 'bob', customer_cap: 1_000_000 }],
      customers: Array.from({ length: CUSTOMERS }, (_, i) => ({ external_userid: id(i), name: `客户${i}` })),
      relations: Array.from({ length: CUSTOMERS }, (_, i) => ({ userid: 'alice', external_userid: id(i), createtime: 1_700_000_000 })),
    };
    // The load ends with ANALYZE on PostgreSQL, and an operator may VACUUM after it (figure 6 does):
    // `transfers` is analysed empty.
    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [corp] }), { now: NOW, keepExisting: false }));
    if (database.location.kind === 'postgres') {
      const client = new pg.Client({ connectionString: database.location.url });
      await client.connect();
      await client.query('VACUUM (ANALYZE)').finally(() => client.end());
    }
  }, 60_000);
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const startWaitingTransfers = () =>
    store.write((tx) =>
      tx.insertWaitingTransfers(
        Array.from({ length: WAITING }, (_, i) => ({ kind: 'onjob' as const, corpid: CORP, externalUserid: id(i), handoverUserid: 'alice', takeoverUserid: 'bob', startedAt: NOW, dueAt: NOW + 86_400_000 })),
      ),
    );

  it.each([
    ['with the takeover load', 'bob'],
    ['without it', null],
  ])('probes the customer slot, never every waiting transfer (%s)', async (_, takeover) => {
    const { sql, params } = await statementOf((db) => decisionFacts(db, CORP, 'alice', takeover, [id(CUSTOMERS - 1)], NOW - 1));
    let plan: string;
    if (database.location.kind === 'postgres') {
      const client = new pg.Client({ connectionString: database.location.url });
      await client.connect();
      try {
        // As handover's connections run, and as a named statement runs once its plan is cached.
        await client.query('SET enable_seqscan = off');
        await client.query('SET plan_cache_mode = force_generic_plan');
        let n = 0;
        await client.query(`PREPARE facts AS ${sql.replace(/\?/g, () => `$${++n}`)}`);
        const literals = params.map((p) => (typeof p === 'number' ? String(p) : `'${String(p)}'`)).join(', ');
        // Planned while `transfers` is empty, as a node's first call after a load plans it, and kept.
        await client.query(`EXECUTE facts(${literals})`);
        await startWaitingTransfers();
        plan = (await client.query(`EXPLAIN (COSTS OFF) EXECUTE facts(${literals})`)).rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await client.end();
      }
    } else {
      await startWaitingTransfers();
      await store.close();
      const db = new Database(database.location.path, { readonly: true });
      plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join('\n');
      db.close();
      store = await openStore(database.location);
    }
    expect(plan).not.toContain('transfers_due');
    expect(plan).toContain('transfers_by_customer_slot');
  });
});
