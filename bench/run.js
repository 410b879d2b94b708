// `npm run bench`: every figure of issues 6 and 13 in one run, each next to a baseline measured in the same
// run, ending with the table (figure, value, baseline, ratio, target, met?) and bench/results/latest.json.
// It builds first (BENCH_BUILD=0 skips that), so the total wall time it prints is the whole check.
// BENCH_QUICK=1 runs every figure at a smaller scale. What each figure means: bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { echoBaseline, insertBaseline, listBaseline } from './figures/baselines.js';
import { listRun, loadRows } from './figures/data-scale.js';
import { findDatabase, postgresRuns } from './figures/postgres.js';
import { createWaitingTransfers, takeoverRun } from './figures/takeover-engine.js';
import { transferResultRun } from './figures/transfer-result.js';
import { hundredIdsPerCall, oneIdPerCall } from './figures/transfer-throughput.js';
import { customerIds, memberOf, writeCompanyFixture } from './lib/company.js';
import { CustomerPool, WaitingLedger } from './lib/customer-pool.js';
import { LOAD_CPU, pinSelf } from './lib/child.js';
import { PROFILE_DIR, ROOT, startHandover } from './lib/servers.js';
import { DEFAULT_DATABASE_URL, loadSettings } from './lib/settings.js';
import { formatTable, row, writeJson } from './lib/table.js';
import { accessToken } from './lib/wecom.js';
import { printProfiles } from './profile/report.js';

/** Beyond ±15% between the two looks at baseline 1, the run's ratios are suspect. */
const DRIFT_WARNING = 0.15;

const settings = loadSettings();
const rows = [];
const started = new Date();
const gb = (bytes) => Math.round((bytes / 2 ** 30) * 10) / 10;
const machine = { cores: settings.cores, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: gb(totalmem()), availableGb: gb(freemem()), node: process.version, loadAverageAtStart: loadavg()[0] };

/** Runs `work`, prints how long it took; answers its result, or its seconds when it has none. */
async function timed(label, work) {
  const began = performance.now();
  const result = await work();
  const seconds = (performance.now() - began) / 1000;
  console.log(`${label}: ${seconds.toFixed(1)} s`);
  return result === undefined ? seconds : result;
}

/** latest.json may be shared: a password in DATABASE_URL stays out of it. */
function redact(url) {
  if (!url) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable)';
  }
}

/** A figure that throws becomes a failed row; the figures after it still run. */
async function figure(name, work) {
  console.log(`\n== ${name}`);
  globalThis.gc?.();
  try {
    rows.push(...(await work()));
  } catch (error) {
    console.error(error);
    rows.push(row({ figure: name, value: null, unit: '', met: false, note: `FAILED: ${error.message.split('\n')[0]}` }));
  }
}

/** Each figure gets its own server process on the shared database: a per-figure profile and peak RSS. */
async function withServer(options, work) {
  const server = await startHandover(settings, { adminToken, ...options });
  try {
    return await work(server, await accessToken(server.url));
  } finally {
    await server.stop();
  }
}

// Before pinning: the build gets both cores (a pinned process's children inherit its one core).
const buildSeconds = settings.build
  ? await timed('npm run build', () => {
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    })
  : null;
// Profiles of an earlier run would be summarised as if they were this run's.
if (settings.profile) rmSync(PROFILE_DIR, { recursive: true, force: true });
if (settings.pin) pinSelf(LOAD_CPU);
const dir = mkdtempSync(join(tmpdir(), 'handover-bench-'));
const adminToken = `bench-${process.pid}-${Date.now()}`;
console.log(
  `handover bench: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, node ${machine.node}; ` +
    `${settings.quick ? 'QUICK: ' : ''}${settings.seconds} s per figure after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections; ` +
    `${settings.pin ? 'server on core 1, load generator on core 0 (figure 6: nothing pinned)' : 'no CPU pinning'}; scratch ${dir}`,
);

const wants = (n) => settings.figures.has(n);
try {
  const baselines = {};
  await figure('1 baseline: raw INSERT', async () => {
    baselines.insert = await insertBaseline(settings, dir);
    return [row({ figure: '1 baseline: raw INSERT, 1 transaction', value: baselines.insert.rowsPerSecond, unit: 'rows/s' })];
  });
  const customers = settings.companyCustomers;
  const ids = await timed(`${customers.toLocaleString('en-US')} customer ids`, () => customerIds(customers));
  // Each baseline is measured right before the figures divided by it: on a shared machine, minutes apart
  // can mean a different machine.
  const echo = () =>
    figure('1 baseline: echo', async () => {
      baselines.echo = await echoBaseline(settings, ids);
      return [
        row({ figure: '1 baseline: echo, same body', value: baselines.echo.reqPerSec, unit: 'req/s' }),
        row({ figure: '1 baseline: echo, p50', value: baselines.echo.p50, unit: 'ms' }),
        row({ figure: '1 baseline: echo, p99', value: baselines.echo.p99, unit: 'ms' }),
      ];
    });
  const fixture = join(dir, 'company.json');
  if ([2, 3, 4, 5, 7].some(wants)) {
    await timed(`fixture of ${customers.toLocaleString('en-US')} customers written`, () => writeCompanyFixture(fixture, ids, settings.customersPerMember));
  }
  if ([2, 3, 4, 5, 7].some(wants)) {
    const db = join(dir, 'handover.sqlite');
    const pool = new CustomerPool(ids, settings.customersPerMember);
    const ledger = wants(4) ? new WaitingLedger(ids) : null;
    const context = (server, token) => ({ urls: [server.url], accessToken: token, pool, ledger });

    if (wants(5)) {
      await figure('1 baseline: list from memory', async () => {
        baselines.list = await listBaseline(settings);
        return ['loaded', 'single'].map((kind) =>
          row({ figure: `1 baseline: list of 5,000 from memory, ${baselines.list[kind].connections} conn, p99`, value: baselines.list[kind].p99, unit: 'ms' }),
        );
      });
    }
    await figure('5 data scale', async () => {
      const empty = await startHandover(settings, { label: 'handover-empty', adminToken, db: join(dir, 'empty.sqlite') });
      const emptyStart = { readySeconds: empty.readySeconds, peakRssMb: empty.peakRssMb() };
      await empty.stop();
      return withServer({ label: 'handover-fixture-and-list', db, fixture }, async (server, token) => {
        const loaded = { readySeconds: server.readySeconds, peakRssMb: server.peakRssMb() };
        // The last member's customers are the last the transfer figures use, so they are all still there.
        const userid = memberOf(customers - 1, settings.customersPerMember);
        const list = wants(5) ? await listRun(settings, { url: server.url, accessToken: token, userid, expected: settings.customersPerMember, baselines }) : [];
        return [...loadRows(settings, { loaded, empty: emptyStart, customers, baselines }), ...list];
      });
    });
    await echo();
    if (wants(2)) {
      await figure('2 transfer_customer, 1 id per call', () =>
        withServer({ label: 'handover-transfer-1', db }, (server, token) => oneIdPerCall(settings, context(server, token), baselines)),
      );
    }
    if (wants(3)) {
      await figure('3 transfer_customer, 100 ids per call', () =>
        withServer({ label: 'handover-transfer-100', db }, (server, token) => hundredIdsPerCall(settings, context(server, token), baselines)),
      );
    }
    if (wants(7)) {
      await figure('7 transfer_result, full 1,000-record page', () =>
        withServer({ label: 'handover-transfer-result', db }, (server, token) => transferResultRun(settings, { url: server.url, accessToken: token, pool, ledger, baselines })),
      );
    }
    if (wants(4)) {
      await figure('4 takeover engine', async () => {
        const waiting = await withServer({ label: 'handover-create-waiting', db }, (server, token) =>
          timed(`${settings.takeovers.toLocaleString('en-US')} waiting transfers`, () =>
            createWaitingTransfers(settings, { url: server.url, accessToken: token, ids, ledger, target: settings.takeovers, handedOut: pool.handedOutBelow }),
          ),
        );
        return takeoverRun(settings, { db, adminToken, waiting, baselines });
      });
    }
  }
  if (!baselines.echo) await echo();
  if (wants(6)) {
    const databaseUrl = await findDatabase(settings);
    if (databaseUrl) {
      await figure('6 PostgreSQL ×2, spread and hot', () => postgresRuns(settings, { databaseUrl, dir, ids, adminToken, baselines }));
    } else {
      const why = `DATABASE_URL is not set and nothing answers at ${DEFAULT_DATABASE_URL}`;
      console.log(`\n== 6 PostgreSQL: SKIPPED (${why})`);
      rows.push(row({ figure: '6 PostgreSQL ×2', value: null, unit: '', note: `skipped: ${why}` }));
    }
  }
  // Other work on a shared 2-core machine moves every figure; a second look at baseline 1 shows how much.
  await figure('1 baseline: echo again', async () => {
    const again = await echoBaseline(settings, ids);
    const drift = baselines.echo ? again.reqPerSec / baselines.echo.reqPerSec - 1 : 0;
    const note = Math.abs(drift) > DRIFT_WARNING ? `the machine's speed moved ${(drift * 100).toFixed(0)}% during the run: other load on it; compare ratios, and rerun` : null;
    return [row({ figure: '1 baseline: echo again at the end', value: again.reqPerSec, unit: 'req/s', baseline: baselines.echo?.reqPerSec ?? null, baselineOf: 'first echo', note })];
  });
} finally {
  if (settings.keep) console.log(`\nscratch kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// performance.now() counts from this process's start: the build, every figure, everything.
const wallSeconds = performance.now() / 1000;
const load = loadavg().map((n) => n.toFixed(2));
const results = join(ROOT, 'bench', 'results', 'latest.json');
writeJson(results, {
  started: started.toISOString(),
  wallSeconds,
  buildSeconds,
  machine: { ...machine, loadAverageAtEnd: loadavg()[0] },
  settings: { ...settings, databaseUrl: redact(settings.databaseUrl), figures: [...settings.figures] },
  rows,
});
console.log(`\n${formatTable(rows)}\n\nmachine: ${machine.cores} cores, ${machine.memoryGb} GB (${machine.cpu}), node ${machine.node}\nwritten: ${results}`);
if (settings.profile) printProfiles(PROFILE_DIR);
const minutes = `${Math.floor(wallSeconds / 60)} min ${Math.round(wallSeconds % 60)} s`;
console.log(
  `\ntotal wall time: ${minutes} (${wallSeconds.toFixed(0)} s${buildSeconds !== null ? `, of which npm run build ${buildSeconds.toFixed(0)} s` : ''})` +
    `${settings.quick ? `, quick mode (budget 180 s${wallSeconds > 180 ? ': OVER' : ''})` : ''}; load average at the end ${load.join(', ')} (1, 5, 15 min)`,
);
