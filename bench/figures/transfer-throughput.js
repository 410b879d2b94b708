// Figures 2 and 3: transfer_customer with 1 and with 100 fresh customers per call (figure 6 runs the
// same load against PostgreSQL).
import { hammer, mergeTimes, percentile } from '../lib/load.js';
import { row } from '../lib/table.js';
import { below, shareOf } from '../lib/targets.js';
import { describeRejections, newTally, transferLoad } from '../lib/transfer-load.js';

/** More than 0.1% of customers answered with anything but 0 makes a figure invalid, whatever its speed. */
const MAX_REJECTED_SHARE = 0.001;
/** A measured run that ran out of fresh customers before this share of its time says so in its note. */
const SHORT_RUN_SHARE = 0.5;
/** Fewer answers than this in the measured window, and the figure is mostly the window's edges. */
const FEW_CALLS = 30;

export const TARGETS = Object.freeze({
  oneId: shareOf(0.4, 'echo'),
  oneIdP99: below(10, 'ms'),
  hundredIds: shareOf(0.12, 'raw INSERT'),
});

/**
 * One measured transfer run against `urls[i]` (several servers share the pool: figure 6's two
 * processes). `takeover` picks each call's takeover (transfer-load.js); `meter`, when given, measures the
 * CPU of the measured run only (cpu.js).
 */
export async function transferRun(settings, { urls, accessToken, pool, ledger, perCall, takeover, meter }) {
  if (perCall > 1) pool.align(perCall);
  const tally = newTally();
  const connections = Math.floor(settings.connections / urls.length);
  const load = transferLoad({ pool, accessToken, perCall, tally, ledger, connections: settings.connections, takeover });
  // One run per server, side by side, warm-up and measured window without a break (load.js says why);
  // the CPU meter covers the measured window.
  const maxRequests = Math.floor(load.budget() / urls.length);
  const metering = meter ? new Promise((resolve) => setTimeout(resolve, settings.warmupSeconds * 1000)).then(() => meter.start()) : null;
  const runs = await Promise.all(
    urls.map((url) => hammer({ url, connections, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, request: load.request, onBody: load.onBody, maxRequests })),
  );
  await metering;
  const cpu = (await meter?.stop()) ?? null;
  const seconds = Math.max(...runs.map((r) => r.seconds));
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const times = mergeTimes(runs);
  const answered = tally.accepted + tally.rejected;
  const valid = answered > 0 && tally.rejected / answered <= MAX_REJECTED_SHARE;
  const notes = [];
  if (!valid) notes.push(`INVALID: ${tally.rejected} of ${answered} customers answered ≠ 0 (${describeRejections(tally)})`);
  if (requests < FEW_CALLS) notes.push(`only ${requests} calls answered in the measured ${seconds.toFixed(1)} s: too few to be a figure (a longer BENCH_SECONDS)`);
  if (seconds < SHORT_RUN_SHARE * settings.seconds) notes.push(`ran out of fresh customers after ${seconds.toFixed(1)} s of ${settings.seconds}: a bigger BENCH_COMPANY_CUSTOMERS measures longer`);
  const result = { requests, reqPerSec: requests / seconds, p50: percentile(times, 50), p99: percentile(times, 99), customersPerSec: tally.accepted / seconds, seconds, tally, valid, cpu, note: notes.join('; ') || null };
  console.log(
    `  ${perCall} id(s)/call: ${Math.round(result.reqPerSec).toLocaleString('en-US')} req/s, ${Math.round(result.customersPerSec).toLocaleString('en-US')} customers/s, ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${tally.accepted} accepted, ${tally.rejected} rejected${valid ? '' : ` (${describeRejections(tally)})`}`,
  );
  return result;
}

/** Figure 2: req/s against baseline 1 (target ≥ 40%), p50, and p99 (target < 10 ms). Keeps its req/s for figure 6. */
export async function oneIdPerCall(settings, context, baselines) {
  const label = '2 transfer_customer, 1 id per call';
  const r = await transferRun(settings, { ...context, perCall: 1 });
  const echo = baselines.echo;
  if (r.valid) baselines.figure2 = r.reqPerSec;
  return [
    row({ figure: label, value: r.reqPerSec, unit: 'req/s', baseline: echo.reqPerSec, baselineOf: 'echo', target: TARGETS.oneId, valid: r.valid, note: r.note }),
    row({ figure: `${label}, p50`, value: r.p50, unit: 'ms', baseline: echo.p50, baselineOf: 'echo' }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms', baseline: echo.p99, baselineOf: 'echo', target: TARGETS.oneIdP99, valid: r.valid }),
  ];
}

/** Figure 3: accepted customers/s against baseline 2's raw INSERT rows/s (target ≥ 12%). Keeps its rate for figure 6. */
export async function hundredIdsPerCall(settings, context, baselines) {
  const label = '3 transfer_customer, 100 ids per call';
  const r = await transferRun(settings, { ...context, perCall: 100 });
  if (r.valid) baselines.figure3 = r.customersPerSec;
  return [
    row({ figure: label, value: r.customersPerSec, unit: 'customers/s', baseline: baselines.insert.rowsPerSecond, baselineUnit: 'rows/s', baselineOf: 'raw INSERT', target: TARGETS.hundredIds, valid: r.valid, note: r.note }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms', baseline: baselines.echo.p99, baselineOf: 'echo' }),
  ];
}
