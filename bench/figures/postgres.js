// Figure 6: transfer_customer with PostgreSQL behind two server processes, the multi-process mode handover
// is built for (architecture principle 6), in two shapes: traffic spread over 50 takeover members, and all
// of it to one ("hot", the worst case for the takeover's cap and lock). Each run also measures the CPU
// every tier spends per call, so a reader can see what one machine per tier would do.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { SPREAD_TAKERS, writeCompanyFixture } from '../lib/company.js';
import { ALL_CPUS, LOAD_CPU, pinSelf } from '../lib/child.js';
import { cpuMeter, waitIdle } from '../lib/cpu.js';
import { StripedPool } from '../lib/customer-pool.js';
import { startHandover } from '../lib/servers.js';
import { DEFAULT_DATABASE_URL } from '../lib/settings.js';
import { row } from '../lib/table.js';
import { shareOf } from '../lib/targets.js';
import { hot, spread } from '../lib/transfer-load.js';
import { accessToken } from '../lib/wecom.js';
import { transferRun } from './transfer-throughput.js';

/** Issue 13: shares of the SQLite figure (2 or 3) of the same run, although here PostgreSQL, both nodes and the load share 2 cores. */
export const TARGETS = Object.freeze({ spread: shareOf(0.5, 'SQLite'), hot: shareOf(0.25, 'SQLite') });
const SHAPES = Object.freeze({
  spread: { name: `spread over ${SPREAD_TAKERS.length} takeovers`, takeover: () => spread(SPREAD_TAKERS), target: TARGETS.spread },
  hot: { name: 'hot (one takeover)', takeover: () => hot, target: TARGETS.hot },
});
/** Spread and hot side by side for each call size: the pair compared in the same minute. */
const RUNS = [
  ['spread', 1],
  ['hot', 1],
  ['spread', 100],
  ['hot', 100],
];
const TIERS = ['node servers', 'PostgreSQL backends', 'load generator'];
/**
 * Figure 6's company has 500 customers per member instead of 5,000: calls in flight side by side then
 * name different handover members too (the pool takes members in turn), even in the quick run's 30,000
 * customers (60 members), so only the takeover side makes the difference between spread and hot.
 */
const CUSTOMERS_PER_MEMBER = 500;

/**
 * DATABASE_URL, or when it is unset the local default if something answers there; null (figure 6
 * skipped, saying so) otherwise.
 */
export async function findDatabase(settings) {
  if (settings.databaseUrl) return settings.databaseUrl;
  const client = new pg.Client({ connectionString: DEFAULT_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return DEFAULT_DATABASE_URL;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A throw-away database next to `databaseUrl`'s, so the bench never touches data it did not make. */
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
  return { name, url: url.toString(), drop };
}

const rate = (n) => (!Number.isFinite(n) ? '∞' : n < 10 ? n.toPrecision(2) : Math.round(n).toLocaleString('en-US'));

function cpuRows(label, r, perCall) {
  if (!r.cpu || r.requests === 0) return [];
  const { cpu, wallSeconds, machine } = r.cpu;
  const msPerCall = (seconds) => (seconds === null ? null : (seconds * 1000) / r.requests);
  // What one core per tier would answer if nothing else bound it: how the figure grows with machines.
  const perCore = TIERS.filter((t) => cpu[t] !== null)
    .map((t) => `${t} ${rate(1000 / msPerCall(cpu[t]))}`)
    .join(', ');
  const busy = TIERS.filter((t) => cpu[t] !== null)
    .map((t) => `${t} ${(cpu[t] / wallSeconds).toFixed(2)}`)
    .join(', ');
  const note =
    `cores busy during the run: ${busy}; calls/s one core of each tier would answer: ${perCore}` +
    (perCall > 1 ? ` (${perCall} customers per call)` : '') +
    (machine ? `; whole machine (/proc/stat): ${machine.busy.toFixed(2)} cores busy, of which softirq ${machine.softirq.toFixed(2)} and steal ${machine.steal.toFixed(2)}; idle ${machine.idle.toFixed(2)}, iowait ${machine.iowait.toFixed(2)}` : '') +
    (cpu['PostgreSQL backends'] === null ? '; PostgreSQL is not on this machine: its CPU is not measured' : '');
  return TIERS.map((tier, i) => row({ figure: `${label}: CPU per call, ${tier}`, value: msPerCall(cpu[tier]), unit: 'ms CPU/call', note: i === 0 ? note : null }));
}

function runRows(shape, perCall, r, baselines) {
  const label = `6 PostgreSQL ×2, ${SHAPES[shape].name}, ${perCall === 1 ? '1 id per call' : `${perCall} ids per call`}`;
  const [value, unit, sqlite, of] = perCall === 1 ? [r.reqPerSec, 'req/s', baselines.figure2, 'figure 2, SQLite'] : [r.customersPerSec, 'customers/s', baselines.figure3, 'figure 3, SQLite'];
  const notes = [r.note, sqlite === undefined ? `${of.split(',')[0]} did not run or was invalid: nothing to compare with` : null].filter(Boolean);
  return [
    row({ figure: label, value, unit, baseline: sqlite ?? null, baselineOf: of, target: SHAPES[shape].target, valid: r.valid, note: notes.join('; ') || null }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms' }),
    ...cpuRows(label, r, perCall),
  ];
}

async function timedVacuum(url) {
  const began = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
  return (performance.now() - began) / 1000;
}

export async function postgresRuns(settings, { databaseUrl, dir, ids, adminToken, baselines }) {
  const customers = settings.postgresCustomers;
  const fixture = join(dir, 'company-postgres.json');
  await writeCompanyFixture(fixture, ids.slice(0, customers), CUSTOMERS_PER_MEMBER);
  const database = await scratchDatabase(databaseUrl);
  const servers = [];
  const activity = new pg.Client({ connectionString: databaseUrl });
  // "PostgreSQL, both nodes and the load share 2 cores": the load generator floats too, like the nodes
  // (servers.js). Both had run on core 0 alone, PostgreSQL on both: three alternated pairs of quick runs,
  // the machine 0.25–0.35 cores idle that way and 0.04–0.15 with every tier floating, 1 id per call spread
  // 1,379–1,797 → 1,663–1,897 req/s (every pair higher).
  if (settings.pin) pinSelf(ALL_CPUS);
  try {
    await activity.connect();
    // The first process migrates and loads the company; the second joins the same database.
    servers.push(await startHandover(settings, { label: 'handover-pg-1', adminToken, databaseUrl: database.url, fixture }));
    servers.push(await startHandover(settings, { label: 'handover-pg-2', adminToken, databaseUrl: database.url }));
    console.log(`  PostgreSQL: fixture loaded in ${servers[0].readySeconds.toFixed(1)} s`);
    // A bulk load leaves its tables to autovacuum, which then ran inside the measured runs: in the first
    // full run, 100 ids per call showed this database's backends 1.9 cores busy and 108–210 ms of CPU a
    // call while the node servers idled (0.08 cores); the statements themselves plan on the primary keys
    // (2.8 ms for the 100-id facts query at 1,000,000 customers, EXPLAIN ANALYZE). Vacuumed first, as after
    // any bulk load, the runs measure the calls.
    const vacuumed = await timedVacuum(database.url);
    console.log(`  PostgreSQL: VACUUM (ANALYZE) after the load took ${vacuumed.toFixed(1)} s`);
    const nodePids = () => servers.map((s) => s.pid);
    // Only this database's backends: other databases on the same server are not this figure's work.
    const backendPids = async () => (await activity.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database.name])).rows.map((r) => r.pid);
    const meter = cpuMeter({ 'node servers': nodePids, 'PostgreSQL backends': backendPids, 'load generator': () => [process.pid] });
    // One pool for all four runs: every call names customers no run has transferred yet.
    const context = { urls: servers.map((s) => s.url), accessToken: await accessToken(servers[0].url), pool: new StripedPool(ids.slice(0, customers), CUSTOMERS_PER_MEMBER), meter };
    const rows = [row({ figure: `6 PostgreSQL start with its ${customers.toLocaleString('en-US')}-customer fixture`, value: servers[0].readySeconds, unit: 's' })];
    // The warm-up window is in seconds, and these two processes answer in it a fraction of the calls figure
    // 2's server does (~500 each against ~7,000), so the first measured run met code V8 had not optimised
    // yet: quick runs measured the nodes at 0.91 ms of CPU a call in the first 1-id run against 0.48 in the
    // second, whichever shape ran first. One unmeasured 1-id run first (both shapes run the same code).
    console.log('  warm-up run, not a figure:');
    await transferRun(settings, { ...context, meter: undefined, perCall: 1, takeover: SHAPES.spread.takeover() });
    for (const [shape, perCall] of RUNS) {
      const idle = await waitIdle(async () => [...nodePids(), ...(await backendPids())]);
      console.log(`  ${SHAPES[shape].name} (after ${idle.toFixed(1)} s for the servers to finish the calls in flight before):`);
      const r = await transferRun(settings, { ...context, perCall, takeover: SHAPES[shape].takeover() });
      rows.push(...runRows(shape, perCall, r, baselines));
    }
    return rows;
  } finally {
    if (settings.pin) pinSelf(LOAD_CPU);
    for (const server of servers) await server.stop();
    await activity.end().catch(() => undefined);
    await database.drop().catch((error) => console.error(`  could not drop the scratch database: ${error.message}`));
  }
}
