// autocannon driven from this process (the server under test is another process on another core).
import autocannon from 'autocannon';

/** Far above what 2 cores can answer in a bounded run (8 s × 100,000 req/s). */
const MAX_SAMPLES = 1_000_000;

/**
 * One bounded autocannon run. `request` is an autocannon request object; `onBody(body)` sees every
 * response body so a figure can refuse to count error answers. Ends after `seconds` or, when given,
 * `maxRequests` responses — whichever comes first.
 */
export async function hammer({ url, connections, seconds, request, onBody, maxRequests }) {
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    // autocannon would stop a run whose clients all hit maxOverallRequests anyway; it needs ≥ connections.
    ...(maxRequests !== undefined ? { maxOverallRequests: Math.max(maxRequests, connections) } : {}),
    requests: [{ ...request, ...(onBody ? { onResponse: (_status, body) => onBody(body) } : {}) }],
    // Pipelining would hide latency: WeCom clients send one request per connection at a time.
    pipelining: 1,
    timeout: 30,
  });
  // autocannon's own histogram keeps whole milliseconds; at 1–3 ms that is no resolution at all, so every
  // response time (a float, in ms) is kept here — bounded, since a run is bounded in time.
  const times = new Float64Array(MAX_SAMPLES);
  let samples = 0;
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    if (samples < MAX_SAMPLES) times[samples++] = responseTime;
  });
  const result = await instance;
  const sorted = times.subarray(0, samples).sort();
  const percentile = (p) => (samples === 0 ? Number.NaN : sorted[Math.min(samples - 1, Math.ceil((p / 100) * samples) - 1)]);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    reqPerSec: result.requests.total / result.duration,
    p50: percentile(50),
    p99: percentile(99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * A warm-up run (JIT, caches, SQLite pages), then the measured run with identical settings. `budget()`,
 * when given, is asked before each run how many requests are left (fresh customers run out);
 * `beforeMeasured()` resets whatever the figure counts, so the warm-up's answers are not in it.
 */
export async function measure({ budget, beforeMeasured, ...options }, warmupSeconds) {
  const limit = () => (budget ? { maxRequests: budget() } : {});
  if (warmupSeconds > 0) await hammer({ ...options, seconds: warmupSeconds, ...limit() });
  beforeMeasured?.();
  return hammer({ ...options, ...limit() });
}
