// Figure 6's shape at 1 id per call with none of handover's work: two server processes, each a bare Fastify
// route that runs a transfer call's 4 PostgreSQL round trips with trivial statements (a pooled read; BEGIN
// with a read; three statements issued together; COMMIT) on a pool of 10 pipelined connections, loaded by
// autocannon with 25 connections each. Prints req/s and the servers' CPU per request: the floor of the
// node tier in figure 6 on this machine, to compare with its measured CPU per call.
//   node bench/profile/pg-http-floor.js      (DATABASE_URL, or the local default)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_DATABASE_URL } from '../lib/settings.js';

const WARMUP_SECONDS = 2;
const SECONDS = 6;

async function serve() {
  const { default: Fastify } = await import('fastify');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL || DEFAULT_DATABASE_URL, max: 10, pipeline: true });
  const query = (client, name, value) => client.query({ name, text: 'SELECT $1::int AS x', values: [value] });
  const app = Fastify({ logger: false });
  app.post('/transfer', async () => {
    await query(pool, 'token', 1);
    const client = await pool.connect();
    try {
      const begun = client.query('BEGIN');
      await query(client, 'facts', 2);
      await begun;
      await Promise.all([query(client, 'insert', 3), query(client, 'recount', 4), query(client, 'reserve', 5)]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return { errcode: 0, errmsg: 'ok', customer: [{ external_userid: 'wm0', errcode: 0 }] };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.send({ address });
  process.on('message', (message) => {
    if (message === 'cpu') {
      const used = process.cpuUsage();
      process.send({ cpu: used.user + used.system });
    }
  });
}

async function measure() {
  const servers = [0, 1].map(() => fork(fileURLToPath(import.meta.url), ['serve']));
  const ask = (child, message) => new Promise((resolve) => { child.once('message', resolve); if (message) child.send(message); });
  const addresses = (await Promise.all(servers.map((child) => ask(child)))).map((m) => m.address);
  const cpu = () => Promise.all(servers.map((child) => ask(child, 'cpu').then((m) => m.cpu)));
  const load = (seconds) =>
    Promise.all(
      addresses.map(
        (address) =>
          new Promise((resolve, reject) =>
            autocannon(
              { url: `${address}/transfer`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"external_userid":["wm0"]}', connections: 25, duration: seconds },
              (error, result) => (error ? reject(error) : resolve(result)),
            ),
          ),
      ),
    );
  await load(WARMUP_SECONDS);
  const before = await cpu();
  const results = await load(SECONDS);
  const after = await cpu();
  for (const child of servers) child.kill();
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  const refused = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  const used = after.reduce((sum, value, i) => sum + value - before[i], 0);
  console.log(JSON.stringify({ requestsPerSecond: Math.round(requests / SECONDS), serverCpuMicrosPerRequest: Math.round(used / requests), refused }));
}

await (process.argv[2] === 'serve' ? serve() : measure());
