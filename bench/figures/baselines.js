// The two baselines every figure is divided by, measured in the same run on the same machine.
import { join } from 'node:path';
import { CustomerPool } from '../lib/customer-pool.js';
import { measure } from '../lib/load.js';
import { describeList, measureList } from './data-scale.js';
import { runJsonScript, startEchoBaseline } from '../lib/servers.js';
import { newTally, transferLoad } from '../lib/transfer-load.js';

const LIST_SIZE = 5000;

/** Baseline 2: rows/s of a plain prepared INSERT in one transaction (bench/baseline/sqlite-insert.js). */
export async function insertBaseline(settings, dir) {
  const result = await runJsonScript(settings, 'baseline/sqlite-insert.js', [join(dir, 'baseline-insert.sqlite'), String(settings.insertRows), '120']);
  console.log(`baseline 2: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(2)} s → ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s`);
  return result;
}

/**
 * Baseline 1: the echo server under exactly figure 2's load — same connections, same request builder
 * (a fresh 1-id body each time), same JSON.parse of every answer — so only the server side differs.
 * With `withList`, also its in-memory `externalcontact/list` under figure 5's load.
 */
export async function echoBaseline(settings, ids, withList) {
  const server = await startEchoBaseline(settings, LIST_SIZE);
  try {
    const tally = newTally();
    const load = transferLoad({ pool: new CustomerPool(ids, settings.customersPerMember), accessToken: 'x', perCall: 1, tally, connections: settings.connections });
    const onBody = (body) => {
      tally.calls++;
      if (JSON.parse(body).external_userid?.length === 1) tally.accepted++;
      else tally.rejected++;
    };
    const result = await measure(
      { url: server.url, connections: settings.connections, seconds: settings.seconds, request: load.request, onBody, budget: load.budget, beforeMeasured: () => Object.assign(tally, newTally()) },
      settings.warmupSeconds,
    );
    console.log(`baseline 1: ${Math.round(result.reqPerSec).toLocaleString('en-US')} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (${tally.rejected} bad echoes)`);
    // Figure 5's yardstick: the same process answering a 5,000-id list from memory (no store, no token).
    const list = withList ? await measureList(settings, { url: server.url, path: '/cgi-bin/externalcontact/list', expected: LIST_SIZE }) : null;
    if (list) console.log(describeList(`baseline 1, list of ${LIST_SIZE} from memory`, list));
    return { echo: { ...result, badEchoes: tally.rejected }, list };
  } finally {
    await server.stop();
  }
}
