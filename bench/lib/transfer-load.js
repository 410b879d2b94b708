// transfer_customer under load: every request names fresh customers of the pool, and every answer is
// read, because a benchmark of error answers is worthless — only per-customer errcode 0 counts.
import { TAKER } from './company.js';

export function newTally() {
  return { calls: 0, accepted: 0, rejected: 0, codes: {} };
}

function reject(tally, code, n = 1) {
  tally.codes[code] = (tally.codes[code] ?? 0) + n;
  tally.rejected += n;
}

/** Every call to the one takeover `taker` (figures 2–4, figure 6 "hot"). */
export const hot = () => TAKER;

/** Each call to the next of `takers` in turn (figure 6 "spread"). */
export function spread(takers) {
  let next = 0;
  return () => takers[next++ % takers.length];
}

/**
 * The autocannon request for `perCall` ids per call to the takeover `takeover()` names, the check of each
 * answer (into `tally`, and into `ledger` when given) and the budget that keeps a run from reaching the
 * end of the pool.
 */
export function transferLoad({ pool, accessToken, perCall, tally, ledger, connections, takeover = hot }) {
  return {
    request: {
      method: 'POST',
      path: `/cgi-bin/externalcontact/transfer_customer?access_token=${encodeURIComponent(accessToken)}`,
      headers: { 'content-type': 'application/json' },
      setupRequest(request) {
        // The budget keeps runs short of the pool's end; if one got there anyway, the empty list is
        // answered 41035 and shows up as rejected instead of silently re-sending a transferred id.
        const batch = pool.take(perCall) ?? { handover: 'm0000', ids: [] };
        request.body = JSON.stringify({ handover_userid: batch.handover, takeover_userid: takeover(), external_userid: batch.ids });
        return request;
      },
    },
    /** `counted`: the answer arrived in the measured window (load.js); the ledger notes every answer. */
    onBody(body, counted = true) {
      let answer;
      try {
        answer = JSON.parse(body);
      } catch {
        return counted ? reject(tally, 'not JSON') : undefined;
      }
      for (const customer of answer.customer ?? []) ledger?.note(customer.external_userid, customer.errcode);
      if (!counted) return;
      tally.calls++;
      if (answer.errcode !== 0) return reject(tally, answer.errcode, perCall);
      for (const customer of answer.customer) {
        if (customer.errcode === 0) tally.accepted++;
        else reject(tally, customer.errcode);
      }
    },
    // Each connection may have one call built and unanswered when a run ends: keep that much spare.
    budget: () => Math.max(0, Math.floor(pool.remaining / perCall) - 2 * connections),
  };
}

/** "40129×3, 41035×1": what the server answered instead of 0. */
export function describeRejections(tally) {
  return Object.entries(tally.codes).map(([code, n]) => `${code}×${n}`).join(', ');
}
