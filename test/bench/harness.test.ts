// The benchmark harness's own pure logic (targets, quick-mode settings, the customer pools, /proc parsing).
// No benchmark runs here: `npm run bench` is never part of `npm test`.
import { describe, expect, it } from 'vitest';
import { parseCpuLine, parseProcStat } from '../../bench/lib/cpu.js';
import { CustomerPool, StripedPool } from '../../bench/lib/customer-pool.js';
import { FULL_DEFAULTS, QUICK_DEFAULTS, loadSettings, parseFigures } from '../../bench/lib/settings.js';
import { below, judge, ratioOf, shareOf } from '../../bench/lib/targets.js';

const noPinning = { cores: 1, taskset: () => false };

describe('bench targets', () => {
  it('meets a share target at the share exactly, not below it', () => {
    const target = shareOf(0.4, 'echo');
    expect(target.text).toBe('≥ 40% of echo');
    expect(judge(target, { value: 400, baseline: 1000 })).toBe(true);
    expect(judge(target, { value: 399, baseline: 1000 })).toBe(false);
    expect(shareOf(0.125, 'raw INSERT').text).toBe('≥ 12.5% of raw INSERT');
  });

  it('never meets a target with an invalid run or without a value, and cannot judge a share without its baseline', () => {
    const target = shareOf(0.25, 'SQLite');
    expect(judge(target, { value: 900, baseline: 1000, valid: false })).toBe(false);
    expect(judge(target, { value: null, baseline: 1000 })).toBe(false);
    expect(judge(target, { value: 900, baseline: null })).toBeNull();
    expect(judge(null, { value: 900, baseline: 1000 })).toBeNull();
  });

  it('bounds the value itself for a limit target, whatever the baseline', () => {
    const target = below(10, 'ms');
    expect(target.text).toBe('< 10 ms');
    expect(judge(target, { value: 9.99, baseline: 0.5 })).toBe(true);
    expect(judge(target, { value: 10, baseline: 50 })).toBe(false);
    expect(judge(target, { value: Number.NaN })).toBe(false);
  });

  it('gives no ratio without both numbers', () => {
    expect(ratioOf(50, 200)).toBe(0.25);
    expect(ratioOf(50, 0)).toBeNull();
    expect(ratioOf(null, 200)).toBeNull();
    expect(ratioOf(50, null)).toBeNull();
  });
});

describe('bench settings', () => {
  it('uses the issue scale by default and the quick scale with BENCH_QUICK=1', () => {
    const full = loadSettings({}, noPinning);
    expect(full.quick).toBe(false);
    expect(full).toMatchObject({ ...FULL_DEFAULTS, postgresCustomers: FULL_DEFAULTS.companyCustomers });
    const quick = loadSettings({ BENCH_QUICK: '1' }, noPinning);
    expect(quick.quick).toBe(true);
    expect(quick).toMatchObject(QUICK_DEFAULTS);
    expect(quick.figures).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
  });

  it('lets an explicit BENCH_* variable win over the quick defaults', () => {
    const settings = loadSettings({ BENCH_QUICK: 'on', BENCH_SECONDS: '5', BENCH_TAKEOVERS: '20_000' }, noPinning);
    expect(settings.seconds).toBe(5);
    expect(settings.takeovers).toBe(20_000);
    expect(settings.warmupSeconds).toBe(QUICK_DEFAULTS.warmupSeconds);
  });

  it('keeps the company big enough for the takeovers, in whole members of 5,000, and figure 6 within it', () => {
    expect(loadSettings({ BENCH_QUICK: '1', BENCH_COMPANY_CUSTOMERS: '20000' }, noPinning).postgresCustomers).toBe(20_000);
    expect(loadSettings({ BENCH_QUICK: '1', BENCH_TAKEOVERS: '223456' }, noPinning).companyCustomers).toBe(225_000);
    expect(loadSettings({ BENCH_COMPANY_CUSTOMERS: '7001', BENCH_TAKEOVERS: '1' }, noPinning).companyCustomers).toBe(10_000);
  });

  it('always runs the baselines and knows figure 7', () => {
    expect(parseFigures('6, 7')).toEqual(new Set([1, 6, 7]));
    expect(() => parseFigures('8')).toThrow(/figures 1–7/);
    expect(() => loadSettings({ BENCH_SECONDS: '0' }, noPinning)).toThrow(/BENCH_SECONDS/);
  });
});

describe('bench customer pools', () => {
  const ids = Array.from({ length: 25 }, (_, i) => `c${i}`);

  it('hands out each customer once, one member per batch, member after member in turn (StripedPool)', () => {
    const pool = new StripedPool(ids, 10);
    const batches = [pool.take(4), pool.take(4), pool.take(4), pool.take(4)];
    expect(batches.map((b) => b?.handover)).toEqual(['m0000', 'm0001', 'm0002', 'm0000']);
    expect(batches[2]?.ids).toEqual(['c20', 'c21', 'c22', 'c23']);
    expect(batches[3]?.ids).toEqual(['c4', 'c5', 'c6', 'c7']);
    const seen = batches.flatMap((b) => b?.ids ?? []);
    for (let batch = pool.take(4); batch; batch = pool.take(4)) {
      expect(new Set(batch.ids.map((id) => Math.floor(Number(id.slice(1)) / 10)))).toEqual(new Set([Number(batch.handover.slice(1))]));
      seen.push(...batch.ids);
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect(pool.remaining).toBe(0);
  });

  it('never lets a batch straddle two members (CustomerPool)', () => {
    const pool = new CustomerPool(ids, 10);
    expect(pool.handedOutBelow).toBe(0);
    expect(pool.take(8)?.ids).toHaveLength(8);
    expect(pool.handedOutBelow).toBe(8);
    expect(pool.take(8)).toEqual({ handover: 'm0000', ids: ['c8', 'c9'] });
    pool.align(5);
    expect(pool.take(5)?.ids[0]).toBe('c10');
  });
});

describe('bench CPU accounting', () => {
  it('reads utime + stime from /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    const line = '4242 (node (a) b) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 56 0 0 20 0 11 0 3460 0 0\n';
    expect(parseProcStat(line)).toBe(1290);
    expect(() => parseProcStat('garbage')).toThrow();
  });

  it('reads the whole machine from /proc/stat: busy counts user, nice, system, irq, softirq and steal, not idle or iowait', () => {
    const stat = 'cpu  100 2 30 400 5 6 7 8 9 0\ncpu0 50 1 15 200 2 3 3 4 0 0\n';
    expect(parseCpuLine(stat)).toEqual({ busy: 153, idle: 400, iowait: 5, softirq: 7, steal: 8 });
    expect(() => parseCpuLine('cpu0 1 2 3 4 5 6 7 8')).toThrow();
    expect(() => parseCpuLine('cpu  1 2 x 4 5 6 7 8')).toThrow();
  });
});
