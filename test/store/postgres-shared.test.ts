import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/store/postgres/connect.js';
import type { SqlDatabase, SqlDb } from '../../src/store/sql.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase, testBackends } from '../support/stores.js';

/**
 * The PostgreSQL adapter's group commit (postgres/shared-writes.ts) and its shared read connection: what
 * writes given to `writeShared` at once may and may not share, seen through the transaction id each ran in.
 */
const backends = (await testBackends()).filter((backend) => backend === 'postgres');

const txid = async (db: SqlDb) => Number((await db.get<{ id: string }>('SELECT txid_current() AS id'))!.id);
const insert = (db: SqlDb, id: string) => db.run('INSERT INTO scratch (id) VALUES (?)', [id]);

describe.skipIf(backends.length === 0)('PostgreSQL shared writes and reads', () => {
  let database: TestDatabase;
  let sql: SqlDatabase;
  let share: NonNullable<SqlDatabase['writeShared']>;
  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    sql = await openPostgres((database.location as { url: string }).url);
    share = sql.writeShared!.bind(sql);
    await sql.exec('CREATE TABLE scratch (id TEXT PRIMARY KEY)');
  });
  afterEach(async () => {
    await sql.close();
    await database.drop();
  });
  const committed = async () => (await sql.readNow((db) => db.column<string>('SELECT id FROM scratch ORDER BY id'))).join(',');

  it('runs writes issued together in one transaction and commits them all', async () => {
    const runs = await Promise.all(['a', 'b', 'c', 'd'].map((id) => share(async (db) => (await insert(db, id), txid(db)), id)));
    expect(new Set(runs).size).toBe(1);
    expect(await committed()).toBe('a,b,c,d');
  });

  it('starts a group in lock order, whatever order the writes came in', async () => {
    const firstStatements: string[] = [];
    await Promise.all(
      ['c', 'a', 'd', 'b'].map((id) =>
        share(async (db) => {
          firstStatements.push(id);
          await insert(db, id);
        }, id),
      ),
    );
    expect(firstStatements).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends the writes\' statements for the COMMIT in lock order, whatever order they were given in, and answers them once committed', async () => {
    const given: string[] = [];
    const steps = { a: 3, b: 0, c: 1, d: 1 } as Record<string, number>;
    const rows = await Promise.all(
      ['d', 'c', 'b', 'a'].map((id) =>
        share(async (db, control) => {
          for (let step = 0; step < steps[id]!; step++) await txid(db);
          // c sends nothing with the COMMIT.
          if (id === 'c') return null;
          given.push(id);
          // Not awaited: it answers only once the transaction committed, after this write ended.
          const row = control.atCommit!("INSERT INTO scratch (id) SELECT ? || '@' || COUNT(*) FROM scratch RETURNING id", [id]);
          return { row };
        }, id),
      ),
    );
    expect(given).toEqual(['b', 'd', 'a']);
    // Each counted the rows before it: a, then b, then d.
    expect(await Promise.all(rows.filter((r) => r !== null).map(async (r) => ((await r!.row) as { id: string }).id))).toEqual(['d@2', 'b@1', 'a@0']);
  });

  it('rolls the group back when a statement sent with the COMMIT fails, and runs every write again alone', async () => {
    let failures = 1;
    const runs = await Promise.all(
      ['a', 'b'].map((id) =>
        share(async (db, control) => {
          // Alone (the rerun) there is no COMMIT to share: the write inserts at once.
          if (!control.atCommit) return (await insert(db, id), txid(db));
          const failing = id === 'b' && failures-- > 0;
          control.atCommit(`INSERT INTO scratch (id) VALUES (CAST(? AS TEXT) || CASE WHEN ? = 1 THEN CAST(1 / 0 AS TEXT) ELSE '' END)`, [id, failing ? 1 : 0]).catch(() => undefined);
          return txid(db);
        }, id),
      ),
    );
    // The shared run failed at its COMMIT and left nothing; each write then ran alone.
    expect(new Set(runs).size).toBe(2);
    expect(await committed()).toBe('a,b');
  });

  it('keeps two nodes\' groups out of a lock cycle however their writes gave their locking statements', async () => {
    await sql.exec("CREATE TABLE locks (id TEXT PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO locks VALUES ('x', 0), ('y', 0)");
    const other = await openPostgres((database.location as { url: string }).url);
    try {
      // Node 1's y and node 2's x give theirs first: in that order, node 1 would lock y then x and node 2 x
      // then y, a deadlock broken after 1 s by aborting one group, whose writes then run again alone.
      const group = (node: SqlDatabase, slow: string) =>
        Promise.all(
          ['x', 'y'].map((id) =>
            node.writeShared!(async (db, control) => {
              if (id === slow) await db.get('SELECT pg_sleep(0.05)');
              // Each holds its row a moment before the next statement, so the two COMMITs overlap.
              const updated = control.atCommit!('UPDATE locks SET n = n + 1 WHERE id = ? RETURNING n, pg_sleep(0.1)', [id]);
              updated.catch(() => undefined);
              // Holds the group open while the other node's group reaches its COMMIT too.
              await db.get('SELECT pg_sleep(0.2)');
              return txid(db);
            }, id),
          ),
        );
      const [first, second] = await Promise.all([group(sql, 'x'), group(other, 'y')]);
      expect(new Set(first).size).toBe(1);
      expect(new Set(second).size).toBe(1);
      expect(await sql.readNow((db) => db.column<number>('SELECT n FROM locks ORDER BY id'))).toEqual([2, 2]);
    } finally {
      await other.close();
    }
  });

  it('answers a write that failed having only read with its error and commits the others', async () => {
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c'].map((id) =>
        share(async (db) => {
          const run = await txid(db);
          if (id === 'b') throw new Error('40003 invalid takeover');
          await insert(db, id);
          return run;
        }, id),
      ),
    );
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { message: '40003 invalid takeover' } });
    const [a, c] = [outcomes[0], outcomes[2]].map((o) => (o as PromiseFulfilledResult<number>).value);
    expect(a).toBe(c);
    expect(await committed()).toBe('a,c');
  });

  it('rolls the group back when a write fails after writing and runs every write again alone', async () => {
    let failures = 1;
    const runs = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        share(async (db) => {
          await insert(db, id);
          if (id === 'b' && failures-- > 0) throw new Error('reservation lost');
          return txid(db);
        }, id),
      ),
    );
    // Each ran again in a transaction of its own; the first, shared run left nothing behind.
    expect(new Set(runs).size).toBe(3);
    expect(await committed()).toBe('a,b,c');
  });

  it('runs the others again alone when a statement fails and aborts the shared transaction', async () => {
    await share((db) => insert(db, 'taken'), 'taken');
    const outcomes = await Promise.allSettled(['a', 'taken', 'c'].map((id) => share((db) => insert(db, id), id)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { code: '23505' } });
    expect(await committed()).toBe('a,c,taken');
  });

  it('shares one connection between reads outside a transaction and replaces it when it breaks', async () => {
    const pid = (db: SqlDb) => db.get<{ pid: number }>('SELECT pg_backend_pid() AS pid').then((row) => row!.pid);
    const [first, second] = await Promise.all([sql.readNow(pid), sql.readNow(pid)]);
    expect(first).toBe(second);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [first]);
    await admin.end();
    // The read that meets the closed socket fails; the connection is dropped and the next read takes another.
    const next = await sql.readNow(pid).catch(() => sql.readNow(pid));
    expect(next).not.toBe(first);
  });
});
