// autocannon driven from this process (the server under test is another process on another core).
import autocannon from 'autocannon';

/** Far above what 2 cores can answer in a bounded run (8 s × 100,000 req/s). */
const MAX_SAMPLES = 1_000_000;

/** The p-th percentile of ascending `sorted` (NaN when empty). */
export function percentile(sorted, p) {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Several runs side by side (figure 6's two servers) as one: their response times merged, ascending. */
export function mergeTimes(runs) {
  const all = new Float64Array(runs.reduce((n, r) => n + r.times.length, 0));
  let at = 0;
  for (const r of runs) {
    all.set(r.times, at);
    at += r.times.length;
  }
  return all.sort();
}

/**
 * One bounded autocannon run: `warmupSeconds` of warm-up (JIT, caches, SQLite pages), then `seconds`
 * measured, without a break in between. Only answers that arrive inside the measured window count, in
 * every figure: a separate warm-up run would end with its calls in flight abandoned but still worked on by
 * the server, which then eats the start of the measured run — seconds when a call takes seconds
 * (PostgreSQL with 100 ids per call). `onBody(body, counted)` sees every response body, `counted` telling
 * whether it arrived in the window, so a figure can refuse to count error answers. Ends after the window
 * or, when given, `maxRequests` responses in all — whichever comes first; the window then ends with it.
 */
export async function hammer({ url, connections, seconds, warmupSeconds = 0, request, onBody, maxRequests }) {
  const began = performance.now();
  const from = began + warmupSeconds * 1000;
  const until = from + seconds * 1000;
  const inWindow = () => {
    const now = performance.now();
    return now >= from && now <= until;
  };
  const instance = autocannon({
    url,
    connections,
    duration: warmupSeconds + seconds,
    // autocannon would stop a run whose clients all hit maxOverallRequests anyway; it needs ≥ connections.
    ...(maxRequests !== undefined ? { maxOverallRequests: Math.max(maxRequests, connections) } : {}),
    requests: [{ ...request, ...(onBody ? { onResponse: (_status, body) => onBody(body, inWindow()) } : {}) }],
    // Pipelining would hide latency: WeCom clients send one request per connection at a time.
    pipelining: 1,
    timeout: 30,
  });
  // autocannon's own histogram keeps whole milliseconds; at 1–3 ms that is no resolution at all, so every
  // response time (a float, in ms) is kept here — bounded, since a run is bounded in time.
  const times = new Float64Array(MAX_SAMPLES);
  let samples = 0;
  let answered = 0;
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    if (!inWindow()) return;
    answered++;
    if (samples < MAX_SAMPLES) times[samples++] = responseTime;
  });
  const result = await instance;
  const windowSeconds = Math.max(0, (Math.min(until, performance.now()) - from) / 1000);
  const sorted = times.slice(0, samples).sort();
  return {
    requests: answered,
    seconds: windowSeconds,
    reqPerSec: windowSeconds > 0 ? answered / windowSeconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    /** Every response time in the window, ascending, in ms. */
    times: sorted,
    // Over the whole run, warm-up included: an error anywhere makes a figure suspect.
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** hammer() with a warm-up; `budget()`, when given, says how many requests fresh customers allow in all. */
export function measure({ budget, ...options }, warmupSeconds) {
  return hammer({ ...options, warmupSeconds, ...(budget ? { maxRequests: budget() } : {}) });
}
