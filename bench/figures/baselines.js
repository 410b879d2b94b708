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
 */
export async function echoBaseline(settings, ids) {
  const server = await startEchoBaseline(settings, LIST_SIZE);
  try {
    const tally = newTally();
    const load = transferLoad({ pool: new CustomerPool(ids, settings.customersPerMember), accessToken: 'x', perCall: 1, tally, connections: settings.connections });
    const onBody = (body, counted) => {
      if (!counted) return;
      tally.calls++;
      if (JSON.parse(body).external_userid?.length === 1) tally.accepted++;
      else tally.rejected++;
    };
    const result = await measure(
      { url: server.url, connections: settings.connections, seconds: settings.seconds, request: load.request, onBody, budget: load.budget },
      settings.warmupSeconds,
    );
    console.log(`baseline 1: ${Math.round(result.reqPerSec).toLocaleString('en-US')} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (${tally.rejected} bad echoes)`);
    return { ...result, badEchoes: tally.rejected };
  } finally {
    await server.stop();
  }
}

/** Figure 5's yardstick: the same process answering a 5,000-id list from memory (no store, no token). */
export async function listBaseline(settings) {
  const server = await startEchoBaseline(settings, LIST_SIZE);
  try {
    const list = await measureList(settings, { url: server.url, path: '/cgi-bin/externalcontact/list', expected: LIST_SIZE });
    console.log(describeList(`baseline, list of ${LIST_SIZE} from memory`, list));
    return list;
  } finally {
    await server.stop();
  }
}
