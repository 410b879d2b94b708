// Figure 6: figures 2 and 3 again with PostgreSQL (DATABASE_URL) behind two server processes, the
// multi-process mode handover is built for (architecture principle 6).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CustomerPool } from '../lib/customer-pool.js';
import { startHandover } from '../lib/servers.js';
import { row } from '../lib/table.js';
import { accessToken } from '../lib/wecom.js';
import { hundredIdsPerCall, oneIdPerCall } from './transfer-throughput.js';

/** A throw-away database next to DATABASE_URL's, so the bench never touches data it did not make. */
async function scratchDatabase(databaseUrl) {
  const name = `handover_bench_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
  };
  return { url: url.toString(), drop };
}

export async function postgresRuns(settings, { fixture, customers, ids, adminToken, baselines }) {
  const database = await scratchDatabase(settings.databaseUrl);
  const servers = [];
  try {
    // The first process migrates and loads the company; the second joins the same database.
    servers.push(await startHandover(settings, { label: 'handover-pg-1', adminToken, databaseUrl: database.url, fixture }));
    servers.push(await startHandover(settings, { label: 'handover-pg-2', adminToken, databaseUrl: database.url }));
    console.log(`  PostgreSQL: fixture loaded in ${servers[0].readySeconds.toFixed(1)} s`);
    const context = { urls: servers.map((s) => s.url), accessToken: await accessToken(servers[0].url), pool: new CustomerPool(ids, settings.customersPerMember) };
    return [
      row({ figure: `6 pg start with ${customers.toLocaleString('en-US')}-customer fixture`, value: servers[0].readySeconds, unit: 's' }),
      ...(await oneIdPerCall(settings, context, baselines, '6 pg ×2, transfer 1 id/call')),
      ...(await hundredIdsPerCall(settings, context, baselines, '6 pg ×2, transfer 100 ids/call')),
    ];
  } finally {
    for (const server of servers) await server.stop();
    await database.drop().catch((error) => console.error(`  could not drop the scratch database: ${error.message}`));
  }
}
