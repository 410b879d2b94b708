// Figure 7: transfer_result answering a full page (1,000 records) of one handover/takeover pair, under the
// bench's full load, against baseline 1 (echo). Issue 13: a CRM polls this page after every batch.
import { TAKER, memberOf } from '../lib/company.js';
import { measure } from '../lib/load.js';
import { row } from '../lib/table.js';
import { shareOf } from '../lib/targets.js';
import { post } from '../lib/wecom.js';

export const PAGE = 1000;
export const TARGETS = Object.freeze({ reqPerSec: shareOf(0.25, 'echo') });
const TRANSFER_RESULT = '/cgi-bin/externalcontact/transfer_result';
const TRANSFER_CUSTOMER = '/cgi-bin/externalcontact/transfer_customer';
/**
 * Parsing 1,000 records costs the load generator ~0.3 ms, which at thousands of answers a second would
 * make this a figure of the load generator's core: every answer's records are counted in its text, and
 * every 10th is parsed in full (errcode, count, each record's fields).
 */
const FULL_CHECK_EVERY = 10;
const RECORD_KEY = '"external_userid":';

function count(text, needle) {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** A full, valid first page: errcode 0 and exactly PAGE records, each with an id, a status and a time. */
export function isFullPage(answer) {
  return (
    answer.errcode === 0 &&
    Array.isArray(answer.customer) &&
    answer.customer.length === PAGE &&
    answer.customer.every((c) => typeof c.external_userid === 'string' && Number.isInteger(c.status) && Number.isInteger(c.takeover_time))
  );
}

/**
 * A pair with at least PAGE transfers. After figures 2–4, the first member's customers have all gone
 * to `taker`; when they have not (BENCH_ONLY=7, or figures that failed), a member whose customers are
 * all still fresh transfers PAGE of them to `taker` now, 100 per call, noted in `ledger` for figure 4.
 */
async function fullPagePair(settings, { url, accessToken, pool, ledger }) {
  const firstPage = (handover) => post(url, accessToken, TRANSFER_RESULT, { handover_userid: handover, takeover_userid: TAKER });
  const existing = memberOf(0, settings.customersPerMember);
  if ((await firstPage(existing)).customer?.length === PAGE) return existing;
  pool.align(settings.customersPerMember);
  let handover = null;
  for (let sent = 0; sent < PAGE; sent += 100) {
    const batch = pool.take(100);
    if (!batch || (handover && batch.handover !== handover)) throw new Error('no member with 1,000 fresh customers is left for figure 7: a bigger BENCH_COMPANY_CUSTOMERS');
    handover = batch.handover;
    const answer = await post(url, accessToken, TRANSFER_CUSTOMER, { handover_userid: handover, takeover_userid: TAKER, external_userid: batch.ids });
    if (answer.errcode !== 0) throw new Error(`transfer_customer for figure 7 answered ${answer.errcode} ${answer.errmsg}`);
    for (const customer of answer.customer) ledger?.note(customer.external_userid, customer.errcode);
  }
  const page = await firstPage(handover);
  if (page.customer?.length !== PAGE) throw new Error(`transfer_result of ${handover} → ${TAKER} lists ${page.customer?.length} records after ${PAGE} transfers`);
  return handover;
}

export async function transferResultRun(settings, { url, accessToken, pool, ledger, baselines }) {
  const handover = await fullPagePair(settings, { url, accessToken, pool, ledger });
  let answers = 0;
  let bad = 0;
  const onBody = (text, counted) => {
    if (!counted) return;
    answers++;
    if (count(text, RECORD_KEY) !== PAGE) bad++;
    else if (answers % FULL_CHECK_EVERY === 0 && !isFullPage(JSON.parse(text))) bad++;
  };
  const request = {
    method: 'POST',
    path: `${TRANSFER_RESULT}?access_token=${encodeURIComponent(accessToken)}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handover_userid: handover, takeover_userid: TAKER }),
  };
  const r = await measure({ url, connections: settings.connections, seconds: settings.seconds, request, onBody }, settings.warmupSeconds);
  console.log(`  transfer_result ${handover} → ${TAKER}: ${Math.round(r.reqPerSec).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${bad} bad of ${answers}`);
  const valid = answers > 0 && bad === 0 && r.errors === 0 && r.non2xx === 0;
  const note = valid ? null : `INVALID: ${bad} of ${answers} answers were not errcode 0 with ${PAGE} records (${r.errors} errors, ${r.non2xx} non-2xx)`;
  const label = '7 transfer_result, full 1,000-record page';
  return [
    row({ figure: label, value: r.reqPerSec, unit: 'req/s', baseline: baselines.echo.reqPerSec, baselineOf: 'echo', target: TARGETS.reqPerSec, valid, note }),
    row({ figure: `${label}, p99`, value: r.p99, unit: 'ms', baseline: baselines.echo.p99, baselineOf: 'echo' }),
  ];
}
