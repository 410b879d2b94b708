// Figure 5: a 1,000,000-customer company loaded from a fixture, then externalcontact/list of a member
// with 5,000 customers, under the bench's full load and from a single client.
import { measure } from '../lib/load.js';
import { row } from '../lib/table.js';
import { below, shareOf } from '../lib/targets.js';

/** Parsing 5,000 ids costs the load generator ~1 ms: check every answer's head, and every 20th in full. */
const FULL_CHECK_EVERY = 20;

export const TARGETS = Object.freeze({
  loadRate: shareOf(0.25, 'raw INSERT'),
  loadPeakRss: below(400, 'MB'),
  // Throughput, not p99: with 50 closed-loop callers p99 is mostly queueing (issue 13 withdrew p99 < 20 ms).
  list: shareOf(0.8, 'list from memory'),
});

/**
 * The load time is start-up with the fixture minus start-up of an empty server (same binary, same
 * migrations, a fresh database each): what is left is reading, parsing and storing the fixture. Rows
 * loaded are its customers plus its relations (one per customer); its few hundred members are not counted.
 */
export function loadRows(settings, { loaded, empty, customers, baselines }) {
  const loadSeconds = loaded.readySeconds - empty.readySeconds;
  const rows = 2 * customers;
  const rate = loadSeconds > 0 ? rows / loadSeconds : null;
  const count = customers.toLocaleString('en-US');
  return [
    row({
      figure: `5 fixture load, ${count} customers + ${count} relations`,
      value: rate,
      unit: 'rows/s',
      baseline: baselines.insert.rowsPerSecond,
      baselineOf: 'raw INSERT',
      target: TARGETS.loadRate,
      valid: rate !== null,
      note: `${rows.toLocaleString('en-US')} rows in ${loadSeconds.toFixed(2)} s (start with the fixture ${loaded.readySeconds.toFixed(2)} s − empty start ${empty.readySeconds.toFixed(2)} s)`,
    }),
    row({ figure: `5 start with the ${count}-customer fixture`, value: loaded.readySeconds, unit: 's', baseline: empty.readySeconds, baselineOf: 'empty start' }),
    row({ figure: '5 peak RSS while loading it', value: loaded.peakRssMb, unit: 'MB', baseline: empty.peakRssMb, baselineOf: 'empty start', target: TARGETS.loadPeakRss }),
  ];
}

/**
 * `externalcontact/list` with the bench's connections and with one (a lone caller's latency, no queue);
 * `bad` counts answers that are not errcode 0 with `expected` ids.
 */
export async function measureList(settings, { url, path, expected }) {
  const runs = {};
  for (const connections of [settings.connections, 1]) {
    let answers = 0;
    let bad = 0;
    const onBody = (body, counted) => {
      if (!counted) return;
      answers++;
      if (!body.startsWith('{"errcode":0,')) bad++;
      else if (answers % FULL_CHECK_EVERY === 0 && JSON.parse(body).external_userid.length !== expected) bad++;
    };
    const result = await measure({ url, connections, seconds: settings.seconds, request: { method: 'GET', path }, onBody }, settings.warmupSeconds);
    runs[connections === 1 ? 'single' : 'loaded'] = { ...result, connections, answers, bad };
  }
  return runs;
}

export function describeList(label, runs) {
  return Object.values(runs)
    .map((r) => `${label}, ${r.connections} conn: ${Math.round(r.reqPerSec).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.bad} bad of ${r.answers}`)
    .join('\n');
}

export async function listRun(settings, { url, accessToken, userid, expected, baselines }) {
  const path = `/cgi-bin/externalcontact/list?access_token=${encodeURIComponent(accessToken)}&userid=${userid}`;
  const runs = await measureList(settings, { url, path, expected });
  console.log(describeList(`  list ${userid}`, runs));
  const label = `5 list of ${expected.toLocaleString('en-US')}`;
  return ['loaded', 'single'].flatMap((kind) => {
    const run = runs[kind];
    const base = baselines.list?.[kind] ?? null;
    const note = run.bad ? `INVALID: ${run.bad} of ${run.answers} answers were not errcode 0 with ${expected} ids` : null;
    const name = `${label}, ${run.connections} conn`;
    // The target is on the bench's full load; one connection shows a lone caller's latency, for information.
    const target = kind === 'loaded' ? TARGETS.list : null;
    return [
      row({ figure: name, value: run.reqPerSec, unit: 'req/s', baseline: base?.reqPerSec ?? null, baselineOf: 'list from memory', target, valid: !run.bad, note }),
      row({ figure: `${name}, p99`, value: run.p99, unit: 'ms', baseline: base?.p99 ?? null, baselineOf: 'list from memory' }),
    ];
  });
}
