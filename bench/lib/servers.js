// The processes under test: handover itself (bin/handover.js, as users run it) and the two baselines.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ALL_CPUS, SERVER_CPU, startChild } from './child.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PROFILE_DIR = join(ROOT, 'bench', 'results', 'profiles');

/** The environment a server child sees: ours minus anything that would pick its store or settings for it. */
function cleanEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name !== 'DATABASE_URL' && !name.startsWith('HANDOVER_') && !name.startsWith('BENCH_')) env[name] = value;
  }
  return { ...env, ...extra };
}

/** With BENCH_PROFILE: a CPU profile, and for handover (`sql`) the time of every SQL statement. */
function profiling(settings, label, sql) {
  if (!settings.profile) return { nodeFlags: [], env: {} };
  mkdirSync(PROFILE_DIR, { recursive: true });
  const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${label}.cpuprofile`];
  if (!sql) return { nodeFlags, env: {} };
  return {
    nodeFlags: [...nodeFlags, '--import', pathToFileURL(join(ROOT, 'bench', 'profile', 'sql-timing.js')).href],
    env: { BENCH_SQL_TIMING_FILE: join(PROFILE_DIR, `${label}.sql.json`) },
  };
}

/**
 * `handover serve` on port 0 with SQLite at `db` or PostgreSQL at `databaseUrl`. The rate limit is off:
 * WeCom's 10,000 calls a minute would make every figure a measurement of 45009 answers.
 */
export function startHandover(settings, { label, adminToken, db, databaseUrl, fixture, engine = true }) {
  const args = [join(ROOT, 'bin', 'handover.js'), 'serve', '--port', '0'];
  args.push(...(databaseUrl ? ['--database-url', databaseUrl] : ['--db', db]));
  if (fixture) args.push('--fixture', fixture);
  const profile = profiling(settings, label, !databaseUrl);
  return startChild({
    label,
    args,
    cwd: ROOT,
    env: cleanEnv({ HANDOVER_ADMIN_TOKEN: adminToken, HANDOVER_RATE_LIMIT: 'off', HANDOVER_ENGINE: engine ? 'on' : 'off', ...profile.env }),
    // With PostgreSQL (figure 6) the nodes share every core with the database and the load; said explicitly,
    // since a child inherits the bench's own pinning to core 0: until round 7 both nodes and the load
    // generator ran on core 0 alone while PostgreSQL had both (quick runs: the machine 0.25–0.35 cores idle).
    cpus: settings.pin ? (databaseUrl ? ALL_CPUS : SERVER_CPU) : null,
    nodeFlags: profile.nodeFlags,
    readyPattern: /handover listening on (http:\/\/\S+)/,
    timeoutSeconds: settings.setupSeconds,
  });
}

export function startEchoBaseline(settings, listSize) {
  return startChild({
    label: 'baseline-echo',
    args: [join(ROOT, 'bench', 'baseline', 'echo-server.js'), String(listSize)],
    cwd: ROOT,
    env: cleanEnv({}),
    cpus: settings.pin ? SERVER_CPU : null,
    nodeFlags: profiling(settings, 'baseline-echo', false).nodeFlags,
    readyPattern: /listening on (http:\/\/\S+)/,
    timeoutSeconds: 60,
  });
}

/** Runs a script to completion (pinned like the servers) and parses the JSON line it prints. */
export function runJsonScript(settings, script, args) {
  const argv = [join(ROOT, 'bench', script), ...args];
  const child = spawn(settings.pin ? 'taskset' : process.execPath, settings.pin ? ['-c', SERVER_CPU, process.execPath, ...argv] : argv, {
    cwd: ROOT,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      } catch {
        reject(new Error(`${script} printed no JSON: ${stdout.slice(0, 300)}`));
      }
    });
  });
}
