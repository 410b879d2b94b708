import { describe, expect, it } from 'vitest';
import { composeServer, type Server } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { StoreLocation } from '../../src/store/open-store.js';
import { AGENT, CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import { createTestDatabase, testBackends } from '../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, waitFor } from './receiver.js';

async function start(location: StoreLocation, env: Record<string, string> = {}): Promise<{ server: Server; baseUrl: string }> {
  const flags = location.kind === 'sqlite' ? { port: 0, db: location.path } : { port: 0, databaseUrl: location.url };
  const server = await composeServer(
    loadConfig(flags, { HANDOVER_ADMIN_TOKEN: 'a', HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', HANDOVER_DELIVERY_POLL_MS: '20', HANDOVER_ENGINE_POLL_MS: '50', ...env }),
  );
  return { server, baseUrl: await server.start() };
}

const call = async (baseUrl: string, method: string, path: string, body?: unknown) =>
  (await fetch(`${baseUrl}${path}`, { method, headers: { authorization: 'Bearer a' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })).json();
const token = async (baseUrl: string) => (await call(baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).access_token as string;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe.each(await testBackends())('callback durability on %s', (backend) => {
  it('delivers after a restart what was committed but not yet sent', async () => {
    const database = await createTestDatabase(backend);
    const receiver = await startReceiver(CORP);
    try {
      const fixture = testCompany();
      fixture.corps[0]!.apps![0]!.callback = { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY };
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
    } finally {
      await receiver.close();
      await database.drop();
    }
  });

  it('takes a row again once the lease of a node that died with it runs out', async () => {
    const database = await createTestDatabase(backend);
    const receiver = await startReceiver(CORP);
    try {
      const fixture = testCompany();
      fixture.corps[0]!.apps![0]!.callback = { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY };
      const node = await start(database.location, { HANDOVER_DELIVERY: 'off' });
      await call(node.baseUrl, 'POST', '/admin/fixtures', fixture);
      await call(node.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(node.baseUrl)}`, {
        handover_userid: 'alice',
        takeover_userid: 'carol',
        external_userid: customerIds(1),
      });
      await call(node.baseUrl, 'POST', `/admin/customers/${customerIds(1)[0]}/refuse`);
      // A node leases the row and dies before sending: its lease ends 1 s from now.
      const now = node.server.ctx.clock.real();
      const leased = await node.server.ctx.store.write((tx) => tx.claimDeliveries(now, now + 1000, 10));
      expect(leased.map((d) => [d.type, d.app.agentid, d.attempt])).toEqual([['transfer_fail', AGENT, 1]]);
      await node.server.stop();

      const survivor = await start(database.location);
      try {
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(receiver.events).toEqual([]);
        await waitFor(() => receiver.events.length === 1, 3000);
        const [row] = (await call(survivor.baseUrl, 'GET', '/admin/events')).events;
        expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
      } finally {
        await survivor.server.stop();
      }
    } finally {
      await receiver.close();
      await database.drop();
    }
  });

  it('drains 1,000 events without blocking the API or holding the database for long', async () => {
    const database = await createTestDatabase(backend);
    const receiver = await startReceiver(CORP);
    try {
      const fixture = testCompany({ customers: 500 });
      fixture.corps[0]!.apps![0]!.callback = { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY };
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

      const drainer = await start(database.location);
      const holds: number[] = [];
      const store = drainer.server.ctx.store;
      const write = store.write.bind(store);
      (store as { write: typeof store.write }).write = (fn) =>
        write(async (tx) => {
          const began = performance.now();
          try {
            return await fn(tx);
          } finally {
            holds.push(performance.now() - began);
          }
        });
      const started = performance.now();
      const latencies: number[] = [];
      const fresh = await token(drainer.baseUrl);
      try {
        while (receiver.events.length < 1000 && performance.now() - started < 20_000) {
          const t0 = performance.now();
          const answer = await call(drainer.baseUrl, 'GET', `/cgi-bin/externalcontact/list?access_token=${fresh}&userid=victor`);
          latencies.push(performance.now() - t0);
          expect(answer.errcode).toBe(0);
        }
        const drainMs = performance.now() - started;
        expect(receiver.events).toHaveLength(1000);
        const figures = {
          backend,
          rows: 1000,
          drainMs: Math.round(drainMs),
          writeTransactions: holds.length,
          maxHoldMs: Number(Math.max(...holds).toFixed(2)),
          p99HoldMs: Number(percentile(holds, 99).toFixed(2)),
          apiCallsDuringDrain: latencies.length,
          apiP99Ms: Number(percentile(latencies, 99).toFixed(2)),
        };
        console.log(`[outbox drain] ${JSON.stringify(figures)} longest: ${[...holds].sort((a, b) => b - a).slice(0, 5).map((x) => x.toFixed(1)).join(", ")}`);
        // The guarantee: no delivery transaction holds the database long (sending happens outside them).
        expect(figures.maxHoldMs).toBeLessThan(200);
        // API latency here shares one process and two cores with the receiver's decryption and another
        // suite, so it is reported, and only bounded loosely: every call answered, none stuck behind a drain.
        expect(figures.apiP99Ms).toBeLessThan(2000);
      } finally {
        await drainer.server.stop();
      }
    } finally {
      await receiver.close();
      await database.drop();
    }
  });
});
