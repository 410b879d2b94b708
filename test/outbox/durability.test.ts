import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { composeServer, type Server } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { StoreLocation } from '../../src/store/open-store.js';
import type { Fixture } from '../../src/wire/admin.js';
import { type ChildServer, spawnServer } from '../support/child-server.js';
import { AGENT, CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import { untilIdle } from '../support/rounds.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, type TestReceiver, waitFor } from './receiver.js';

/**
 * Waits on `server`'s delivery rounds until `until` (epoch ms) has passed, asserting that every round that
 * ended before it leased nothing: the negative holds for each round that ran, and a loaded machine that ran
 * fewer rounds cannot make it fail.
 */
async function roundsUntil(server: Server, until: number): Promise<void> {
  while (Date.now() < until) {
    const leased = await server.loops.delivery!.nextRound();
    if (Date.now() < until) expect(leased).toBe(0);
  }
}

async function start(location: StoreLocation, env: Record<string, string> = {}, beforeStart?: (server: Server) => void): Promise<{ server: Server; baseUrl: string }> {
  const flags = location.kind === 'sqlite' ? { port: 0, db: location.path } : { port: 0, databaseUrl: location.url };
  const server = await composeServer(
    loadConfig(flags, { HANDOVER_ADMIN_TOKEN: 'durable-admin-token-0123456789abcdef', HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', HANDOVER_DELIVERY_POLL_MS: '20', HANDOVER_ENGINE_POLL_MS: '50', ...env }),
  );
  beforeStart?.(server);
  return { server, baseUrl: await server.start() };
}

interface WriteTiming {
  /** The tx methods it called, e.g. `claimDeliveries`. */
  calls: string[];
  /** The transaction's own work: from its first statement's turn to the end of its callback. */
  innerMs: number;
  /**
   * How long it held the database: from its first statement's turn (no lock is taken before it) until
   * `store.write` answered, i.e. until COMMIT was acknowledged and this process got round to it. An upper
   * bound: on SQLite it includes the rest of a shared group commit, and on a busy event loop the lag
   * before each continuation (which, on PostgreSQL, really does keep the transaction open).
   */
  holdMs: number;
  /** From the `store.write(…)` call to its answer: `holdMs` plus waiting for a connection and BEGIN. */
  outerMs: number;
}

/** Times every write transaction of a server's store, labelled with the tx methods it used. */
function timeWrites(server: Server, timings: WriteTiming[]): void {
  const store = server.ctx.store;
  const write = store.write.bind(store);
  (store as { write: typeof store.write }).write = async (fn) => {
    const calls: string[] = [];
    let innerMs = 0;
    let began = Number.NaN;
    const called = performance.now();
    try {
      return await write(async (tx) => {
        const labelled = new Proxy(tx, {
          get(target, name, receiver) {
            const value = Reflect.get(target, name, receiver);
            if (typeof value !== 'function') return value;
            calls.push(String(name));
            return value.bind(target);
          },
        });
        began = performance.now();
        try {
          return await fn(labelled);
        } finally {
          innerMs = performance.now() - began;
        }
      });
    } finally {
      const answered = performance.now();
      timings.push({ calls, innerMs, holdMs: answered - began, outerMs: answered - called });
    }
  };
}

const call = async (baseUrl: string, method: string, path: string, body?: unknown) =>
  (await fetch(`${baseUrl}${path}`, { method, headers: { authorization: 'Bearer durable-admin-token-0123456789abcdef' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })).json();
const token = async (baseUrl: string) => (await call(baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).access_token as string;

/** A real `handover serve` child process, so it can be killed with SIGKILL. */
function startChild(location: StoreLocation, env: Record<string, string>): Promise<ChildServer> {
  return spawnServer(location, { HANDOVER_ADMIN_TOKEN: 'durable-admin-token-0123456789abcdef', HANDOVER_DELIVERY_POLL_MS: '20', ...env });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe.each(await testBackends())('callback durability on %s', (backend) => {
  /**
   * A fresh database and a callback receiver, with the test company whose self-built app calls back to
   * it; both are cleaned up after `test`, whatever it throws.
   */
  async function withCallbackSetup(
    company: Parameters<typeof testCompany>[0],
    test: (setup: { database: TestDatabase; receiver: TestReceiver; fixture: Fixture }) => Promise<void>,
  ): Promise<void> {
    const database = await createTestDatabase(backend);
    const receiver = await startReceiver(CORP);
    try {
      const fixture = testCompany(company);
      fixture.corps[0]!.apps![0]!.callback = { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY };
      await test({ database, receiver, fixture });
    } finally {
      await receiver.close();
      await database.drop();
    }
  }

  it('delivers after a restart what was committed but not yet sent', async () => {
    await withCallbackSetup({}, async ({ database, receiver, fixture }) => {
      const first = await start(database.location, { HANDOVER_DELIVERY: 'off' });
      await call(first.baseUrl, 'POST', '/admin/fixtures', fixture);
      await call(first.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(first.baseUrl)}`, {
        handover_userid: 'alice',
        takeover_userid: 'carol',
        external_userid: customerIds(2),
      });
      await call(first.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
      expect((await call(first.baseUrl, 'GET', '/admin/events')).events.map((e: any) => e.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
      await first.server.stop();
      expect(receiver.events).toEqual([]);

      const second = await start(database.location);
      try {
        await waitFor(() => receiver.events.length === 4);
        await waitFor(async () => (await call(second.baseUrl, 'GET', '/admin/events')).events.every((e: any) => e.status === 'delivered'));
      } finally {
        await second.server.stop();
      }
    });
  });

  it('takes a row again once the lease of a node that died with it runs out', async () => {
    await withCallbackSetup({}, async ({ database, receiver, fixture }) => {
      const node = await start(database.location, { HANDOVER_DELIVERY: 'off' });
      await call(node.baseUrl, 'POST', '/admin/fixtures', fixture);
      await call(node.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(node.baseUrl)}`, {
        handover_userid: 'alice',
        takeover_userid: 'carol',
        external_userid: customerIds(1),
      });
      await call(node.baseUrl, 'POST', `/admin/customers/${customerIds(1)[0]}/refuse`);
      // A node leases the row and dies before sending: its lease ends 2 s from now.
      const now = node.server.ctx.clock.real();
      const leaseEnd = now + 2000;
      const leased = await node.server.ctx.store.write((tx) => tx.claimDeliveries(now, leaseEnd, 10));
      expect(leased.map((d) => [d.type, d.app.agentid, d.attempt])).toEqual([['transfer_fail', AGENT, 1]]);
      await node.server.stop();

      const survivor = await start(database.location);
      try {
        // Every round of the survivor that ended inside the lease found nothing to send.
        await roundsUntil(survivor.server, leaseEnd);
        await waitFor(() => receiver.events.length === 1, 5000);
        await waitFor(async () => (await call(survivor.baseUrl, 'GET', '/admin/events')).events[0].status === 'delivered');
        const [row] = (await call(survivor.baseUrl, 'GET', '/admin/events')).events;
        expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
        // The dead node's outcome, arriving late (a node stalled past its lease), must not undo the delivery.
        const late = survivor.server.ctx.clock.real();
        await survivor.server.ctx.store.write((tx) => tx.recordDeliveries([{ id: row.id, outcome: 'dead', error: 'timeout after 5000 ms' }], late));
        await survivor.server.ctx.store.write((tx) => tx.recordDeliveries([{ id: row.id, outcome: 'retry', nextAttemptAt: late, error: 'http 502' }], late));
        expect((await call(survivor.baseUrl, 'GET', '/admin/events')).events).toMatchObject([{ status: 'delivered', attempts: 2, last_error: null }]);
      } finally {
        await survivor.server.stop();
      }
    });
  });

  it('delivers what a SIGKILLed node committed but never sent', async () => {
    await withCallbackSetup({}, async ({ database, receiver, fixture }) => {
      const child = await startChild(database.location, { HANDOVER_DELIVERY: 'off' });
      try {
        await call(child.baseUrl, 'POST', '/admin/fixtures', fixture);
        const answer = await call(child.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(child.baseUrl)}`, {
          handover_userid: 'alice',
          takeover_userid: 'carol',
          external_userid: customerIds(2),
        });
        expect(answer.customer.map((c: any) => c.errcode)).toEqual([0, 0]);
        await call(child.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
      } finally {
        await child.kill();
      }
      expect(receiver.attempts).toBe(0);

      const survivor = await start(database.location);
      try {
        await waitFor(() => receiver.events.length === 4);
        await waitFor(async () => (await call(survivor.baseUrl, 'GET', '/admin/events')).events.every((r: any) => r.status === 'delivered'));
        const [a, b] = customerIds(2);
        const received = (of: string | undefined) => receiver.events.filter((e) => e.ExternalUserID === of).map((e) => e.ChangeType);
        expect(received(a)).toEqual(['add_external_contact', 'del_external_contact']);
        expect(received(b)).toEqual(['add_external_contact', 'del_external_contact']);
      } finally {
        await survivor.server.stop();
      }
    });
  });

  it('delivers, once its lease runs out, the event a node was sending when it was SIGKILLed', async () => {
    await withCallbackSetup({}, async ({ database, receiver, fixture }) => {
      // The lease covers a whole round (waves of 16 × the timeout) plus a 5 s margin: 1 × 0.5 + 5 = 5.5 s here.
      const env = { HANDOVER_CALLBACK_TIMEOUT_MS: '500', HANDOVER_CALLBACK_BACKOFF: '0.05,0.05,0.05', HANDOVER_DELIVERY_BATCH: '16' };
      receiver.mode = 'hang';
      const child = await startChild(database.location, env);
      let killedAt = 0;
      let leaseFloor = 0;
      try {
        await call(child.baseUrl, 'POST', '/admin/fixtures', fixture);
        await call(child.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(child.baseUrl)}`, {
          handover_userid: 'alice',
          takeover_userid: 'carol',
          external_userid: customerIds(1),
        });
        // The row exists from here on, so the child leased it no earlier: its lease lasts at least until leaseFloor.
        leaseFloor = Date.now() + 5500;
        await call(child.baseUrl, 'POST', `/admin/customers/${customerIds(1)[0]}/refuse`);
        // The child has leased the row and its POST is in flight, unanswered.
        await waitFor(() => receiver.attempts === 1, 5000);
      } finally {
        await child.kill();
        killedAt = performance.now();
      }
      receiver.mode = 'ok';

      const survivor = await start(database.location, env);
      try {
        // Still leased by the dead node: every survivor round that ended inside the lease sent nothing.
        await roundsUntil(survivor.server, leaseFloor - 500);
        if (Date.now() < leaseFloor) {
          expect(receiver.attempts).toBe(1);
          expect(receiver.events).toEqual([]);
        }
        await waitFor(() => receiver.events.length === 1, 10_000);
        const waitedMs = performance.now() - killedAt;
        expect(waitedMs).toBeLessThan(8000);
        expect(receiver.events[0]).toMatchObject({ ChangeType: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: customerIds(1)[0] });
        await waitFor(async () => (await call(survivor.baseUrl, 'GET', '/admin/events')).events[0].status === 'delivered');
        expect((await call(survivor.baseUrl, 'GET', '/admin/events')).events).toMatchObject([{ status: 'delivered', attempts: 2, last_error: null }]);
      } finally {
        await survivor.server.stop();
      }
    });
  }, 30_000);

  // Several nodes on one database is PostgreSQL's mode (a SQLite file has one owner process).
  it.skipIf(backend !== 'postgres')('keeps a live node’s lease for its whole round: a second node sends nothing twice', async () => {
    const count = 150;
    await withCallbackSetup({ customers: count }, async ({ database, receiver, fixture }) => {
      fixture.corps[0]!.members!.find((m) => m.userid === 'carol')!.customer_cap = 10_000;
      const setup = await start(database.location, { HANDOVER_DELIVERY: 'off' });
      await call(setup.baseUrl, 'POST', '/admin/fixtures', fixture);
      const access = await token(setup.baseUrl);
      const ids = customerIds(count);
      for (let i = 0; i < ids.length; i += 100) {
        await call(setup.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${access}`, { handover_userid: 'alice', takeover_userid: 'carol', external_userid: ids.slice(i, i + 100) });
      }
      await call(setup.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
      await setup.server.stop();

      // Each callback takes 800 ms, well within the 2 s timeout (no retries even on a loaded machine): a
      // round of 150 adds, 16 at a time, takes 10 × 0.8 s = 8 s, longer than one timeout plus the 5 s margin.
      receiver.mode = 'slow';
      receiver.slowMs = 800;
      const env = { HANDOVER_CALLBACK_TIMEOUT_MS: '2000', HANDOVER_DELIVERY_BATCH: '200' };
      const first = await start(database.location, env);
      let second: Awaited<ReturnType<typeof start>> | undefined;
      try {
        await waitFor(() => receiver.attempts > 0);
        second = await start(database.location, env);
        await waitFor(() => receiver.events.filter((e) => e.ChangeType === 'add_external_contact').length >= count, 20_000);
        receiver.mode = 'ok';
        // Rounds of both nodes that began after the last add finished with nothing left: no send is in flight.
        await Promise.all([untilIdle(first.server.loops.delivery), untilIdle(second.server.loops.delivery)]);
        const adds = receiver.events.filter((e) => e.ChangeType === 'add_external_contact').map((e) => e.ExternalUserID);
        expect(adds.length - new Set(adds).size).toBe(0);
        expect(adds).toHaveLength(count);
      } finally {
        await second?.server.stop();
        await first.server.stop();
      }
    });
  }, 30_000);

  it('drains 1,000 events without blocking the API or holding the database for long', async () => {
    await withCallbackSetup({ customers: 500 }, async ({ database, receiver, fixture }) => {
      fixture.corps[0]!.members!.find((m) => m.userid === 'carol')!.customer_cap = 10_000;
      const node = await start(database.location, { HANDOVER_DELIVERY: 'off' });
      await call(node.baseUrl, 'POST', '/admin/fixtures', fixture);
      const access = await token(node.baseUrl);
      const ids = customerIds(500);
      for (let i = 0; i < ids.length; i += 100) {
        await call(node.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${access}`, { handover_userid: 'alice', takeover_userid: 'carol', external_userid: ids.slice(i, i + 100) });
      }
      await call(node.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
      await node.server.stop();

      const timings: WriteTiming[] = [];
      let started = 0;
      // This process's own stalls (a loaded machine, the receiver's decryption, GC): a transaction cannot
      // finish sooner than the event loop gets round to it, so they are measured and reported alongside.
      const lag = monitorEventLoopDelay({ resolution: 10 });
      const drainer = await start(database.location, {}, (server) => {
        timeWrites(server, timings);
        lag.enable();
        started = performance.now();
      });
      const latencies: number[] = [];
      const tokenLatencies: number[] = [];
      const fresh = await token(drainer.baseUrl);
      try {
        // Normally 2–7 s; the cap leaves room for a machine shared with other suites and benchmarks.
        while (receiver.events.length < 1000 && performance.now() - started < 40_000) {
          const t0 = performance.now();
          const answer = await call(drainer.baseUrl, 'GET', `/cgi-bin/externalcontact/list?access_token=${fresh}&userid=victor`);
          latencies.push(performance.now() - t0);
          expect(answer).toMatchObject({ errcode: 0, external_userid: ['wmBystander'] });
          const t1 = performance.now();
          const issued = await call(drainer.baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`);
          tokenLatencies.push(performance.now() - t1);
          expect(issued.errcode).toBe(0);
        }
        const drainMs = performance.now() - started;
        lag.disable();
        expect(receiver.events).toHaveLength(1000);
        await waitFor(async () => (await call(drainer.baseUrl, 'GET', '/admin/events?status=pending')).events.length === 0);
        const delivery = timings.filter((t) => t.calls.includes('claimDeliveries') || t.calls.includes('recordDeliveries'));
        const claims = delivery.filter((t) => t.calls.includes('claimDeliveries'));
        const records = delivery.filter((t) => t.calls.includes('recordDeliveries'));
        expect(claims.length).toBeGreaterThanOrEqual(10); // 1,000 rows, 100 per round
        expect(records.length).toBeGreaterThanOrEqual(10);
        const round = (x: number) => Number(x.toFixed(2));
        const hold = delivery.map((t) => t.holdMs);
        const inner = delivery.map((t) => t.innerMs);
        const figures = {
          backend,
          rows: 1000,
          drainMs: Math.round(drainMs),
          deliveryWriteTransactions: delivery.length,
          maxHoldMs: round(Math.max(...hold)),
          p99HoldMs: round(percentile(hold, 99)),
          medianHoldMs: round(percentile(hold, 50)),
          maxInsideMs: round(Math.max(...inner)),
          maxClaimHoldMs: round(Math.max(...claims.map((t) => t.holdMs))),
          maxRecordHoldMs: round(Math.max(...records.map((t) => t.holdMs))),
          maxCallToAnswerMs: round(Math.max(...delivery.map((t) => t.outerMs))),
          apiCallsDuringDrain: latencies.length + tokenLatencies.length,
          listP99Ms: round(percentile(latencies, 99)),
          listMaxMs: round(Math.max(...latencies)),
          gettokenP99Ms: round(percentile(tokenLatencies, 99)),
          eventLoopLagMaxMs: round(lag.max / 1e6),
          eventLoopLagP99Ms: round(lag.percentile(99) / 1e6),
        };
        const longest = delivery
          .map((t, i) => ({ i, what: t.calls.includes('claimDeliveries') ? 'claim' : 'record', hold: t.holdMs, inner: t.innerMs }))
          .sort((x, y) => y.hold - x.hold)
          .slice(0, 3)
          .map((t) => `#${t.i} ${t.what} ${t.hold.toFixed(1)}/${t.inner.toFixed(1)}`);
        console.log(`[outbox drain] ${JSON.stringify(figures)} longest (round, hold/inside ms): ${longest.join(', ')}`);
        // The guarantee: no delivery transaction holds the database long (sending happens outside them:
        // a transaction spanning a round's sends would hold it for the round, 300+ ms for 100 rows on an
        // idle machine). The bound allows for this process's worst stall, which no code here can avoid.
        expect(figures.maxHoldMs).toBeLessThan(200 + figures.eventLoopLagMaxMs);
        // API latency here shares one process and two cores with the receiver's decryption and another
        // suite, so it is reported, and only bounded loosely: every call answered, none stuck behind a drain.
        expect(figures.listP99Ms).toBeLessThan(2000 + figures.eventLoopLagMaxMs);
        expect(figures.gettokenP99Ms).toBeLessThan(2000 + figures.eventLoopLagMaxMs);
      } finally {
        await drainer.server.stop();
      }
    });
  }, 60_000);
});
