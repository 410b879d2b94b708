// The PostgreSQL driver's share of a transfer call, without HTTP or any handover code: 25 callers on a pool
// of 10 pipelined connections, each call shaped like transfer_customer's 4 round trips with trivial
// statements (a pooled one-statement read; BEGIN with a read; three statements issued together; COMMIT).
// Prints calls/s and this process's CPU per call, with and without corking the socket across the
// statements issued together (what src/store/postgres/connect.ts does), alternating.
// Usage: node bench/profile/pg-call-floor.js [pairs=3]   (DATABASE_URL, or the local default)
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../lib/settings.js';

const CALLS = 5000;
const CALLERS = 25;
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

async function measure(cork) {
  const pool = new pg.Pool({ connectionString: url, max: 10, pipeline: true });
  const corked = new WeakSet();
  const coalesce = (client) => {
    const stream = client.connection.stream;
    if (!cork || corked.has(stream)) return;
    stream.cork();
    corked.add(stream);
    setImmediate(() => {
      corked.delete(stream);
      stream.uncork();
    });
  };
  const query = (client, name, values) => {
    if (client !== pool) coalesce(client);
    return client.query({ name, text: 'SELECT $1::int AS x', values });
  };
  const call = async () => {
    await query(pool, 'token', [1]);
    const client = await pool.connect();
    try {
      coalesce(client);
      const begun = client.query('BEGIN');
      await query(client, 'facts', [2]);
      await begun;
      await Promise.all([query(client, 'insert', [3]), query(client, 'recount', [4]), query(client, 'reserve', [5])]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  let started = 0;
  const callers = () => Promise.all(Array.from({ length: CALLERS }, async () => { while (started++ < CALLS) await call(); }));
  await callers(); // warm-up: connections open, statements prepared
  started = 0;
  const cpu = process.cpuUsage();
  const began = performance.now();
  await callers();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - began) / 1000;
  await pool.end();
  return { cork, callsPerSecond: Math.round(CALLS / seconds), cpuMicrosPerCall: Math.round((used.user + used.system) / CALLS) };
}

const pairs = Number(process.argv[2] ?? 3);
for (let i = 0; i < pairs; i++) {
  for (const cork of [false, true]) console.log(JSON.stringify(await measure(cork)));
}
