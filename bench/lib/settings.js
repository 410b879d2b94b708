// Every knob of `npm run bench`, read once from the environment. The defaults are the figures;
// the knobs exist so a quick run (BENCH_SECONDS=2 BENCH_TAKEOVERS=100000) can check the harness itself.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function int(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function on(name, fallback) {
  const raw = process.env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'on', 'yes'].includes(raw);
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Figures 1 and 2 always run together: every figure is a ratio to a baseline of the same run. */
function figures() {
  const raw = process.env.BENCH_ONLY;
  const all = [1, 2, 3, 4, 5, 6];
  if (!raw) return new Set(all);
  const wanted = raw.split(',').map((part) => Number(part.trim()));
  const unknown = wanted.find((n) => !all.includes(n));
  if (unknown !== undefined) throw new Error(`BENCH_ONLY lists figures 1–6, got "${raw}"`);
  return new Set([1, ...wanted]);
}

export function loadSettings() {
  const cores = availableParallelism();
  const settings = {
    seconds: int('BENCH_SECONDS', 8),
    warmupSeconds: int('BENCH_WARMUP_SECONDS', 2, 0),
    connections: int('BENCH_CONNECTIONS', 50),
    /** Waiting transfers for figure 4; the company of figure 5 is at least this big so they can all be created. */
    takeovers: int('BENCH_TAKEOVERS', 1_000_000),
    companyCustomers: int('BENCH_COMPANY_CUSTOMERS', 1_000_000),
    customersPerMember: 5000,
    insertRows: int('BENCH_INSERT_ROWS', 1_000_000),
    /** Upper bound for each set-up step (fixture load, creating the waiting transfers, the takeover run). */
    setupSeconds: int('BENCH_SETUP_SECONDS', 900),
    // One core for the server under test, one for the load generator: without pinning, the two fight over
    // both cores and the figures swing by ±20% between runs on this 2-core machine.
    pin: on('BENCH_PIN', cores >= 2) && cores >= 2 && hasTaskset(),
    profile: on('BENCH_PROFILE', false),
    keep: on('BENCH_KEEP', false),
    databaseUrl: process.env.DATABASE_URL || null,
    figures: figures(),
    cores,
  };
  settings.companyCustomers = Math.max(settings.companyCustomers, settings.takeovers);
  return Object.freeze(settings);
}
