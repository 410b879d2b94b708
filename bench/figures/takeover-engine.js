// Figure 4: the takeover engine. N waiting transfers (created over the API, 100 per call), then one clock
// advance past all of them, in a fresh server process so its peak RSS is the takeover run's own.
import { CustomerPool } from '../lib/customer-pool.js';
import { TAKER } from '../lib/company.js';
import { hammer } from '../lib/load.js';
import { startHandover } from '../lib/servers.js';
import { row } from '../lib/table.js';
import { below, shareOf } from '../lib/targets.js';
import { describeRejections, newTally, transferLoad } from '../lib/transfer-load.js';
import { accessToken, admin, listCustomers } from '../lib/wecom.js';

/** Each round re-sends only what the previous one left unknown (a call cut off by the time bound). */
const MAX_ROUNDS = 5;
export const TARGETS = Object.freeze({ rate: shareOf(0.12, 'raw INSERT'), peakRss: below(300, 'MB') });
/** Past every due time: transfers fall due 24 h after they start, and all started within the last hour. */
const ADVANCE_SECONDS = 25 * 3600;

/**
 * Tops the waiting transfers up to `target`, counting only what the answers confirm (0 or 40129). First,
 * every customer below `handedOut` (the earlier figures' pool) whose answer was never seen is sent again:
 * its call may have been cut off at the end of a run after the server started it, and a count short of
 * those would not match the takeovers completed (a quick run with a small target found 2,900 such).
 */
export async function createWaitingTransfers(settings, { url, accessToken: token, ids, ledger, target, handedOut }) {
  const deadline = performance.now() + settings.setupSeconds * 1000;
  const toSend = () => {
    const unknown = ledger.unknown();
    const unresolved = unknown.filter((i) => i < handedOut);
    const fresh = unknown.filter((i) => i >= handedOut).slice(0, Math.max(0, target - ledger.count - unresolved.length));
    return [...unresolved, ...fresh];
  };
  for (let round = 1, indices = toSend(); round <= MAX_ROUNDS && indices.length > 0; round++, indices = toSend()) {
    const seconds = Math.floor((deadline - performance.now()) / 1000);
    if (seconds < 1) break;
    const pool = new CustomerPool(ids, settings.customersPerMember, indices);
    const batches = [];
    for (let batch = pool.take(100); batch; batch = pool.take(100)) batches.push(batch);
    const queue = { take: () => batches.shift() ?? null, remaining: 0 };
    const tally = newTally();
    const connections = Math.min(settings.connections, batches.length);
    const load = transferLoad({ pool: queue, accessToken: token, perCall: 100, tally, ledger, connections });
    const started = performance.now();
    await hammer({ url, connections, seconds, request: load.request, onBody: load.onBody, maxRequests: Math.max(batches.length, connections) });
    console.log(
      `  round ${round}: ${tally.calls} calls in ${((performance.now() - started) / 1000).toFixed(1)} s, ${ledger.count.toLocaleString('en-US')} waiting` +
        (tally.rejected ? ` (other answers: ${describeRejections(tally)}; 40129 = started by a call cut off earlier, so waiting)` : ''),
    );
  }
  return ledger.count;
}

/** Restarts on the same database with the engine loop off, so the advance call does — and counts — all the work. */
export async function takeoverRun(settings, { db, adminToken, waiting, baselines }) {
  const server = await startHandover(settings, { label: 'handover-takeovers', adminToken, db, engine: false });
  try {
    const idleMb = server.peakRssMb();
    const control = admin(server.url, adminToken, settings.setupSeconds);
    const began = performance.now();
    const first = await control.advance(ADVANCE_SECONDS);
    const settle = await control.advance(0);
    const seconds = (performance.now() - began) / 1000;
    const peakMb = server.peakRssMb();
    const completed = first.completed_takeovers + settle.completed_takeovers;
    const rate = completed / seconds;
    console.log(`  ${completed.toLocaleString('en-US')} takeovers in ${seconds.toFixed(2)} s → ${Math.round(rate).toLocaleString('en-US')}/s, peak RSS ${peakMb.toFixed(0)} MB (idle ${idleMb.toFixed(0)} MB)`);

    // Read after the RSS figure: the answer lists every customer the takeover now has.
    const taken = (await listCustomers(server.url, await accessToken(server.url), TAKER, settings.setupSeconds)).length;
    const problems = [];
    if (completed !== waiting) problems.push(`${completed} completed of ${waiting} waiting`);
    if (taken !== waiting) problems.push(`externalcontact/list shows ${taken} customers on the takeover, expected ${waiting}`);
    if (settle.completed_takeovers !== 0) problems.push(`${settle.completed_takeovers} were still due after the advance returned`);
    const note = problems.length ? `INVALID: ${problems.join('; ')}` : null;
    const label = `4 takeover engine, ${waiting.toLocaleString('en-US')} due`;
    return [
      row({ figure: label, value: rate, unit: 'takeovers/s', baseline: baselines.insert.rowsPerSecond, baselineUnit: 'rows/s', baselineOf: 'raw INSERT', target: TARGETS.rate, valid: !note, note }),
      row({ figure: '4 time until all complete', value: seconds, unit: 's' }),
      row({ figure: '4 peak RSS of the server', value: peakMb, unit: 'MB', baseline: idleMb, baselineOf: 'idle after start', target: TARGETS.peakRss }),
    ];
  } finally {
    await server.stop();
  }
}
