// Figures 2 and 3: transfer_customer with 1 and with 100 fresh customers per call.
import { hammer } from '../lib/load.js';
import { row } from '../lib/table.js';
import { describeRejections, newTally, transferLoad } from '../lib/transfer-load.js';

/** More than 0.1% of customers answered with anything but 0 makes a figure invalid, whatever its speed. */
const MAX_REJECTED_SHARE = 0.001;

/** One measured transfer run against `urls[i]` (several servers share the pool: figure 6's two processes). */
async function transferRun(settings, { urls, accessToken, pool, ledger, perCall }) {
  if (perCall > 1) pool.align(perCall);
  const tally = newTally();
  const connections = Math.floor(settings.connections / urls.length);
  const load = transferLoad({ pool, accessToken, perCall, tally, ledger, connections: settings.connections });
  // Warm-ups first, all of them, then the counts start from zero for the measured runs side by side.
  const phase = (seconds) =>
    Promise.all(
      urls.map((url) =>
        hammer({ url, connections, seconds, request: load.request, onBody: load.onBody, maxRequests: Math.floor(load.budget() / urls.length) }),
      ),
    );
  if (settings.warmupSeconds > 0) await phase(settings.warmupSeconds);
  Object.assign(tally, newTally());
  const runs = await phase(settings.seconds);
  const seconds = Math.max(...runs.map((r) => r.seconds));
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const worst = (key) => Math.max(...runs.map((r) => r[key]));
  const answered = tally.accepted + tally.rejected;
  const valid = answered > 0 && tally.rejected / answered <= MAX_REJECTED_SHARE;
  const note = valid ? null : `INVALID: ${tally.rejected} of ${answered} customers answered ≠ 0 (${describeRejections(tally)})`;
  const result = { reqPerSec: requests / seconds, p50: worst('p50'), p99: worst('p99'), customersPerSec: tally.accepted / seconds, seconds, tally, valid, note };
  console.log(
    `  ${perCall} id(s)/call: ${Math.round(result.reqPerSec).toLocaleString('en-US')} req/s, ${Math.round(result.customersPerSec).toLocaleString('en-US')} customers/s, ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${tally.accepted} accepted, ${tally.rejected} rejected${valid ? '' : ` (${describeRejections(tally)})`}`,
  );
  return result;
}

/** Figure 2: req/s against baseline 1 (target ≥ 40%), p50, and p99 (target < 10 ms). */
export async function oneIdPerCall(settings, context, baselines, label = '2 transfer, 1 id/call') {
  const r = await transferRun(settings, { ...context, perCall: 1 });
  const echo = baselines.echo;
  return [
    row({ figure: `${label}`, value: r.reqPerSec, unit: 'req/s', baseline: echo.reqPerSec, baselineOf: 'echo', target: '≥ 40% of echo', met: r.valid && r.reqPerSec >= 0.4 * echo.reqPerSec, note: r.note }),
    row({ figure: `${label}, p50`, value: r.p50, unit: 'ms', baseline: echo.p50, baselineOf: 'echo' }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms', baseline: echo.p99, baselineOf: 'echo', target: '< 10 ms', met: r.valid && r.p99 < 10 }),
  ];
}

/** Figure 3: accepted customers/s against baseline 2's raw insert rows/s (target ≥ 100,000/s). */
export async function hundredIdsPerCall(settings, context, baselines, label = '3 transfer, 100 ids/call') {
  const r = await transferRun(settings, { ...context, perCall: 100 });
  const insert = baselines.insert.rowsPerSecond;
  return [
    row({ figure: label, value: r.customersPerSec, unit: 'customers/s', baseline: insert, baselineUnit: 'rows/s', baselineOf: 'insert', target: '≥ 100,000/s', met: r.valid && r.customersPerSec >= 100_000, note: r.note }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms', baseline: baselines.echo.p99, baselineOf: 'echo' }),
  ];
}
