import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AGENT, CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import type { Fixture } from '../../src/wire/admin.js';
import { hostileRequests, hostileRoutes, type HostileRequest } from '../support/hostile-requests.js';
import { startTestServer, TEST_ADMIN_TOKEN } from '../support/server.js';
import { testBackends } from '../support/stores.js';

/**
 * Issue 11: a hostile barrage across every route must get no 5xx, WeCom's shape on every `/cgi-bin/`
 * answer (an errcode other than -1, or the empty 404), a 4xx JSON error (or the empty 404) on the admin
 * API, no stack trace anywhere, no state change, and flat memory. HANDOVER_HOSTILE_SEED replays a run.
 */
const COUNT = Number(process.env['HANDOVER_HOSTILE_COUNT'] ?? 5_000);
/**
 * PostgreSQL answers each request over a socket: 5,000 took 63 s on the loaded 2-core machine (SQLite: 25 s).
 * It gets the first 1,000 of the same sequence; the answers depend on the routes, not the store, and the
 * store-specific failures found so far (NUL, lone surrogates, year 275760) all show within them.
 */
const COUNT_ON_POSTGRES = Number(process.env['HANDOVER_HOSTILE_COUNT_POSTGRES'] ?? 1_000);
const SEED = Number(process.env['HANDOVER_HOSTILE_SEED'] ?? 20261130);
/** Growth of RSS allowed between the second and the last quarter of the run (a kept 1 MiB body per 100 requests would be 50). */
const RSS_GROWTH_LIMIT_MB = 32;
/** A full collection before each RSS sample, so the samples show what is kept, not when GC last ran. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|"stack"\s*:/;

interface Answer {
  status: number;
  body: string;
}

/** What is wrong with one answer, or null. */
function problemWith(request: HostileRequest, answer: Answer): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (STACK_TRACE.test(answer.body)) return 'a stack trace in the answer';
  const empty404 = answer.status === 404 && answer.body === '';
  if (request.method === 'HEAD') return answer.body === '' ? null : 'a body on HEAD';
  if (request.route.family === 'wecom') {
    if (empty404) return null;
    if (answer.status !== 200) return `HTTP ${answer.status} under /cgi-bin/`;
    let json: { errcode?: unknown; errmsg?: unknown };
    try {
      json = JSON.parse(answer.body);
    } catch {
      return 'not JSON under /cgi-bin/';
    }
    if (typeof json.errcode !== 'number' || typeof json.errmsg !== 'string') return 'no errcode/errmsg';
    if (json.errcode === -1) return 'errcode -1 (system busy) for bad input';
    return null;
  }
  if (empty404) return null;
  let json: { error?: { message?: unknown } };
  try {
    json = JSON.parse(answer.body);
  } catch {
    return 'not JSON on the admin API';
  }
  if (answer.status >= 400 && typeof json.error?.message !== 'string') return 'a 4xx without {error: {message}}';
  return null;
}

/**
 * The test company plus what the resigned and group routes read: rita resigned with a customer waiting to be
 * assigned and a group waiting for inheritance; alice owns a group. Nothing the barrage sends may move them.
 */
function hostileCompany(): Fixture {
  const fixture = testCompany();
  const corp = fixture.corps[0]!;
  corp.members!.push({ userid: 'rita', name: 'RITA', dimission_time: 1_700_000_000 });
  corp.customers!.push({ external_userid: 'wmRita', name: 'Rita’s customer', type: 1 });
  corp.relations!.push({ userid: 'rita', external_userid: 'wmRita', createtime: 1_600_000_000, add_way: 1 });
  corp.groupchats = [
    { chat_id: 'wrAlice', owner: 'alice', members: [{ userid: 'alice', type: 1 }] },
    { chat_id: 'wrRita', owner: 'rita', members: [{ userid: 'rita', type: 1 }] },
  ];
  return fixture;
}

describe.each(await testBackends())('hostile input on %s (issue 11)', (backend) => {
  const count = backend === 'postgres' ? Math.min(COUNT, COUNT_ON_POSTGRES) : COUNT;
  it(`answers ${count} generated bad requests without a 5xx, in WeCom's shape, changing nothing`, async () => {
    const server = await startTestServer({ backend, fixture: hostileCompany() });
    try {
      const app = server.server.app;
      const snapshot = async () => ({
        fixture: await server.admin('GET', '/admin/fixtures'),
        clock: (await server.admin('GET', '/admin/clock')).frozen,
        events: await server.admin('GET', '/admin/events'),
        messages: await server.admin('GET', `/admin/customers/${customerIds(1)[0]}/messages`),
        transfers: await server.admin('GET', '/admin/transfers'),
      });
      const before = await snapshot();
      const accessToken = await server.token(CORP, SECRET);
      const routes = hostileRoutes({ customer: customerIds(1)[0]!, agentid: AGENT });

      const problems: string[] = [];
      const kinds = new Map<string, number>();
      const rss: number[] = [];
      let index = 0;
      for (const request of hostileRequests({ seed: SEED, count, routes, accessToken, adminToken: TEST_ADMIN_TOKEN })) {
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.body !== undefined ? { payload: request.body } : {}),
        });
        const problem = problemWith(request, { status: response.statusCode, body: response.body });
        if (problem && problems.length < 20) {
          problems.push(`#${index} ${request.kind} ${request.method} ${request.url.slice(0, 120)} ${JSON.stringify(request.headers).slice(0, 120)} body ${(request.body ?? '').slice(0, 120)} → ${problem}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
        const key = `${request.route.family}:${request.kind}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
        if (index % 250 === 0) {
          collectGarbage();
          rss.push(process.memoryUsage().rss);
        }
        index++;
      }
      expect(problems).toEqual([]);
      expect(index).toBe(count);
      // Every attack kind reached both families of routes.
      for (const kind of ['bad-fields', 'unparsable', 'garbage-content-type', 'odd-method', 'over-1MiB', 'near-1MiB']) {
        for (const family of ['wecom', 'admin']) expect(kinds.get(`${family}:${kind}`) ?? 0, `${family}:${kind}`).toBeGreaterThan(0);
      }
      expect(await snapshot()).toEqual(before);
      // The token still works: nothing the barrage sent turned into an injected fault or a dead token.
      expect((await server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: accessToken, userid: 'alice' } })).errcode).toBe(0);

      // Sampled after a full GC every 250 requests (measured on SQLite: 99 MB at the start, then 122–136 MB
      // flat, +6 MB): the first quarter is warm-up; the second quarter's median against the last's is growth.
      const quarter = Math.max(1, Math.floor(rss.length / 4));
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const growthMb = (median(rss.slice(-quarter)) - median(rss.slice(quarter, 2 * quarter))) / (1024 * 1024);
      if (process.env['HANDOVER_HOSTILE_REPORT']) console.log(JSON.stringify({ backend, count, kinds: Object.fromEntries(kinds), rssMb: rss.map((v) => Math.round(v / 1048576)), growthMb }));
      expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
    } finally {
      await server.close();
    }
  }, 120_000);
});
