// PostgreSQL's own CPU for a call shaped like transfer_customer at 1 id per call, with the least work each
// statement can do: 25 callers on 10 pipelined connections, each call a one-statement read (the token
// check), then in a transaction one read (the facts), three statements issued together (insert, quota
// re-count, reservation) and COMMIT: 5 statements. Three shapes, alternated:
//   read       trivial SELECTs only (COMMIT writes no WAL);
//   write      the insert adds a row to an indexed table and the reservation updates one of 50 rows, so
//              COMMIT flushes WAL (synchronous_commit stays on);
//   write ×8   the same calls, 8 to a transaction, as handover's group commit shares one.
// Prints calls/s and the CPU per call of this process and of its PostgreSQL backends: the floor under
// figure 6's PostgreSQL CPU per call on this machine.
//   node bench/profile/pg-statement-floor.js [pairs=2]   (DATABASE_URL, or the local default)
import pg from 'pg';
import { cpuSeconds } from '../lib/cpu.js';
import { DEFAULT_DATABASE_URL } from '../lib/settings.js';

const CALLS = 6000;
const CALLERS = 25;
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const APP = `pg-statement-floor-${process.pid}`;

async function prepareTables() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS floor_rows, floor_members;
    CREATE TABLE floor_rows (id BIGSERIAL PRIMARY KEY, customer TEXT NOT NULL, takeover INT NOT NULL);
    CREATE INDEX floor_rows_by_customer ON floor_rows (customer);
    CREATE TABLE floor_members (id INT PRIMARY KEY, n BIGINT NOT NULL);
    INSERT INTO floor_members SELECT i, 0 FROM generate_series(0, 49) i;`);
  return client;
}

async function measure(shape) {
  const pool = new pg.Pool({ connectionString: url, max: 10, pipeline: true, application_name: APP });
  const writes = shape !== 'read';
  const perTransaction = shape === 'write ×8' ? 8 : 1;
  const statements = {
    token: 'SELECT $1::int AS x',
    facts: 'SELECT $1::int AS x',
    insert: writes ? 'INSERT INTO floor_rows (customer, takeover) VALUES ($1::text, 1)' : 'SELECT $1::text AS x',
    recount: 'SELECT $1::int AS x',
    reserve: writes ? 'UPDATE floor_members SET n = n + 1 WHERE id = $1' : 'SELECT $1::int AS x',
  };
  const query = (client, name, values) => client.query({ name, text: statements[name], values });
  let next = 0;
  const oneCall = async (client) => {
    const n = next++;
    await query(client, 'facts', [n]);
    await Promise.all([query(client, 'insert', [`wm${n}`]), query(client, 'recount', [n]), query(client, 'reserve', [n % 50])]);
  };
  const transaction = async (size) => {
    await Promise.all(Array.from({ length: size }, () => query(pool, 'token', [1])));
    const client = await pool.connect();
    try {
      const begun = client.query('BEGIN');
      await Promise.all(Array.from({ length: size }, () => oneCall(client)));
      await begun;
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  let started = 0;
  const callers = () =>
    Promise.all(
      Array.from({ length: Math.max(1, Math.round(CALLERS / perTransaction)) }, async () => {
        while (started < CALLS) {
          started += perTransaction;
          await transaction(perTransaction);
        }
      }),
    );
  await callers(); // warm-up: connections open, statements prepared
  const backends = (await pool.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP])).rows.map((r) => r.pid);
  const backendCpu = () => backends.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  started = 0;
  const cpu = process.cpuUsage();
  const pgBefore = backendCpu();
  const began = performance.now();
  await callers();
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  const pgUsed = backendCpu() - pgBefore;
  await pool.end();
  return {
    shape,
    callsPerSecond: Math.round(CALLS / seconds),
    nodeCpuMicrosPerCall: Math.round((used.user + used.system) / CALLS),
    postgresCpuMicrosPerCall: Math.round((pgUsed * 1e6) / CALLS),
  };
}

const admin = await prepareTables();
try {
  const pairs = Number(process.argv[2] ?? 2);
  for (let i = 0; i < pairs; i++) {
    for (const shape of ['read', 'write', 'write ×8']) console.log(JSON.stringify(await measure(shape)));
  }
} finally {
  await admin.query('DROP TABLE IF EXISTS floor_rows, floor_members');
  await admin.end();
}
