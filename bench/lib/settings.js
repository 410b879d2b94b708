// Every knob of `npm run bench`, read once from the environment. The defaults are the figures;
// BENCH_QUICK=1 swaps in smaller ones (every figure still runs) so anyone can check a change in under
// 3 minutes on 2 cores; an explicit BENCH_* variable wins over either set of defaults.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const ALL_FIGURES = Object.freeze([1, 2, 3, 4, 5, 6, 7]);

/** The scale: a 1,000,000-customer company, 8 s measured per load figure. */
export const FULL_DEFAULTS = Object.freeze({
  seconds: 8,
  warmupSeconds: 2,
  takeovers: 1_000_000,
  companyCustomers: 1_000_000,
  insertRows: 1_000_000,
  /** Figure 6's company: null is the same size as everyone else's. */
  postgresCustomers: null,
  setupSeconds: 900,
});

/**
 * BENCH_QUICK=1, sized on the 2-core machine shared with other work, with the code of issue 13's start.
 * With these, at load average 12–21: 170–198 s, of which the build 41–73 s.
 * At load average 10–13 a first try (50,000 takeovers, PostgreSQL loading the 100,000-customer company)
 * took 200 s: build 39 s, the PostgreSQL fixture 34 s, figure 4 27 s, 13 timed runs of 1 + 3 s ≈ 65 s.
 * Hence 20,000 takeovers (figures 2, 3 and 7 have started most of them already) and figure 6's own
 * 30,000-customer company. Round 4 grew both to 200,000: with figure 6's quota re-count planned by key and its
 * statements pipelined, its spread 100-id run used up 30,000 customers in 1 s and its hot run found none of
 * 100,000 left. 3 s is the shortest run whose ratios still hold to ±15% on a quiet machine;
 * 200,000 customers leave figures 2 and 3 fresh customers for their whole run at today's rates (a run that
 * runs out says so in its note, and a bigger BENCH_COMPANY_CUSTOMERS fixes it).
 */
export const QUICK_DEFAULTS = Object.freeze({
  seconds: 3,
  warmupSeconds: 1,
  takeovers: 20_000,
  companyCustomers: 200_000,
  insertRows: 200_000,
  postgresCustomers: 200_000,
  setupSeconds: 180,
});

function int(env, name, fallback, min = 1) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function on(env, name, fallback) {
  const raw = env[name]?.toLowerCase();
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

/** Figure 1 (the baselines) always runs: every figure is a ratio to a baseline of the same run. */
export function parseFigures(raw) {
  if (!raw) return new Set(ALL_FIGURES);
  const wanted = raw.split(',').map((part) => Number(part.trim()));
  const unknown = wanted.find((n) => !ALL_FIGURES.includes(n));
  if (unknown !== undefined) throw new Error(`BENCH_ONLY lists figures 1–${ALL_FIGURES.length}, got "${raw}"`);
  return new Set([1, ...wanted]);
}

/** `env` is process.env in the bench; a test passes its own. `cores`/`taskset` only matter for pinning. */
export function loadSettings(env = process.env, { cores = availableParallelism(), taskset = hasTaskset } = {}) {
  const quick = on(env, 'BENCH_QUICK', false);
  const defaults = quick ? QUICK_DEFAULTS : FULL_DEFAULTS;
  const settings = {
    quick,
    seconds: int(env, 'BENCH_SECONDS', defaults.seconds),
    warmupSeconds: int(env, 'BENCH_WARMUP_SECONDS', defaults.warmupSeconds, 0),
    connections: int(env, 'BENCH_CONNECTIONS', 50),
    /** Waiting transfers for figure 4; the company is at least this big so they can all be created. */
    takeovers: int(env, 'BENCH_TAKEOVERS', defaults.takeovers),
    companyCustomers: int(env, 'BENCH_COMPANY_CUSTOMERS', defaults.companyCustomers),
    customersPerMember: 5000,
    insertRows: int(env, 'BENCH_INSERT_ROWS', defaults.insertRows),
    postgresCustomers: int(env, 'BENCH_PG_CUSTOMERS', defaults.postgresCustomers ?? 0, 0),
    /** Upper bound for each set-up step (fixture load, creating the waiting transfers, the takeover run). */
    setupSeconds: int(env, 'BENCH_SETUP_SECONDS', defaults.setupSeconds),
    // One core for the server under test, one for the load generator: without pinning, the two fight over
    // both cores and the figures swing by ±20% between runs on this 2-core machine.
    pin: on(env, 'BENCH_PIN', cores >= 2) && cores >= 2 && taskset(),
    profile: on(env, 'BENCH_PROFILE', false),
    keep: on(env, 'BENCH_KEEP', false),
    /** `npm run build` first, so the bench never measures a stale dist/ (and its time is in the total). */
    build: on(env, 'BENCH_BUILD', true),
    /** Unset: figure 6 tries DEFAULT_DATABASE_URL and is skipped, saying so, when nothing answers there. */
    databaseUrl: env.DATABASE_URL || null,
    figures: parseFigures(env.BENCH_ONLY),
    cores,
  };
  // Rounded up to whole members of 5,000, as the fixture is.
  const customers = Math.max(settings.companyCustomers, settings.takeovers);
  settings.companyCustomers = Math.ceil(customers / settings.customersPerMember) * settings.customersPerMember;
  // 0 (the full run's default): the whole company. Never more than the company: its ids are the company's.
  settings.postgresCustomers = Math.min(settings.postgresCustomers || settings.companyCustomers, settings.companyCustomers);
  return Object.freeze(settings);
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
