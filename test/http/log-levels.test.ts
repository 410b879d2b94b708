import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { FaultInjector } from '../../src/service/faults.js';
import { GenerationCache } from '../../src/service/generation-cache.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { createTestDatabase, type TestDatabase } from '../support/stores.js';

interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
}

const INFO = 30;
const ERROR = 50;

/**
 * Issue 11, defect 9: every oversize body or bad Content-Type was logged at error level with a stack, as
 * "unexpected error answered as system busy" (806 entries in one barrage run), burying real faults.
 * A client's bad request is logged at info without a stack; a real fault keeps error level and its stack.
 */
describe('log levels of refused requests and of real faults', () => {
  let database: TestDatabase;
  let store: Store;
  const lines: LogLine[] = [];
  let app: ReturnType<typeof buildApp>;
  let failing = false;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    store = await openStore(database.location);
    // The same store, except that its writes can be made to fail as a broken disk would.
    const flaky: Store = Object.create(store, {
      write: { value: (work: Parameters<Store['write']>[0]) => (failing ? Promise.reject(new Error('disk on fire')) : store.write(work)) },
    });
    const config = loadConfig({}, { HANDOVER_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    const ctx = { store: flaky, clock: new ServerClock(flaky), config, cache: new GenerationCache() };
    app = buildApp(
      { ctx, faults: new FaultInjector(), rateLimiter: null, admin: { token: TEST_ADMIN_TOKEN, allowRemote: false }, callbackVerifier: { verify: async () => undefined } },
      { logLevel: 'info', logStream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } },
    );
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await database.drop();
  });

  const refusals = () => lines.filter((line) => line.level >= INFO && line.msg !== 'incoming request' && line.msg !== 'request completed');

  it('logs an oversize body and an unparsable Content-Type at info, without a stack', async () => {
    lines.length = 0;
    // gettoken needs no access_token, so its body is read (other routes refuse a bad token before the body).
    const requests = [
      { method: 'POST' as const, url: '/cgi-bin/gettoken?corpid=wwcorp&corpsecret=s', payload: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'application/json' } },
      { method: 'POST' as const, url: '/cgi-bin/gettoken?corpid=wwcorp&corpsecret=s', payload: '{}', headers: { 'content-type': 'garbage/////' } },
      { method: 'POST' as const, url: '/admin/clock', payload: '{}', headers: { 'content-type': 'garbage/////', authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
      { method: 'POST' as const, url: '/admin/clock', payload: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
      { method: 'OPTIONS' as const, url: '/cgi-bin/nope', payload: 'x', headers: { 'content-type': 'garbage/////' } },
    ];
    for (const request of requests) expect((await app.inject({ ...request, remoteAddress: '127.0.0.1' })).statusCode).toBeLessThan(500);
    expect(refusals().filter((line) => line.level >= ERROR)).toEqual([]);
    const refused = refusals().filter((line) => line.msg === 'bad request refused');
    expect(refused).toHaveLength(requests.length);
    for (const line of refused) {
      expect(line.level).toBe(INFO);
      expect(JSON.stringify(line)).not.toMatch(/\n\s+at /);
    }
  });

  it('keeps error level and the stack for a real fault', async () => {
    lines.length = 0;
    failing = true;
    try {
      const answer = await app.inject({ method: 'GET', url: '/cgi-bin/gettoken?corpid=wwcorp&corpsecret=s' });
      expect(answer.json()).toMatchObject({ errcode: -1 });
    } finally {
      failing = false;
    }
    const faults = lines.filter((line) => line.level === ERROR);
    expect(faults.map((line) => line.msg)).toEqual(['unexpected error answered as system busy']);
    expect(faults[0]!.err?.stack).toMatch(/disk on fire/);
  });
});
