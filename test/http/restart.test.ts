import { describe, expect, it } from 'vitest';
import { composeServer, type Server } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { StoreLocation } from '../../src/store/open-store.js';
import { CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import { createTestDatabase, testBackends } from '../support/stores.js';
import { untilIdle } from '../support/rounds.js';

async function start(location: StoreLocation, env: Record<string, string> = {}): Promise<{ server: Server; baseUrl: string }> {
  const flags = location.kind === 'sqlite' ? { port: 0, db: location.path } : { port: 0, databaseUrl: location.url };
  const server = await composeServer(
    loadConfig(flags, { HANDOVER_ADMIN_TOKEN: 'durable-admin-token-0123456789abcdef', HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', HANDOVER_ENGINE_POLL_MS: '50', ...env }),
  );
  return { server, baseUrl: await server.start() };
}

async function call(baseUrl: string, method: string, path: string, body?: unknown, admin = false) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: admin ? { authorization: 'Bearer durable-admin-token-0123456789abcdef' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

async function token(baseUrl: string) {
  return (await call(baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).access_token as string;
}

async function result(baseUrl: string) {
  const answer = await call(baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_result?access_token=${await token(baseUrl)}`, { handover_userid: 'alice', takeover_userid: 'carol' });
  return answer.customer.map((c: any) => c.status);
}

describe.each(await testBackends())('restart on %s', (backend) => {
  it('loses nothing: a transfer started before a restart completes after it, once', async () => {
    const database = await createTestDatabase(backend);
    try {
      const first = await start(database.location);
      await call(first.baseUrl, 'POST', '/admin/fixtures', testCompany(), true);
      const answer = await call(first.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(first.baseUrl)}`, {
        handover_userid: 'alice',
        takeover_userid: 'carol',
        external_userid: customerIds(3),
      });
      expect(answer.customer.map((c: any) => c.errcode)).toEqual([0, 0, 0]);
      await call(first.baseUrl, 'POST', '/admin/clock', { advance_seconds: 23 * 3600 }, true);
      await first.server.stop();

      const second = await start(database.location);
      try {
        expect(await result(second.baseUrl)).toEqual([2, 2, 2]);
        // The advance answers after every due takeover is complete; this node's own engine may have
        // completed some of them first (it polls every 50 ms), so the call's own count is at most 3 and
        // "once" is proven by the statuses and the six events below.
        expect((await call(second.baseUrl, 'POST', '/admin/clock', { advance_seconds: 3600 }, true)).completed_takeovers).toBeLessThanOrEqual(3);
        expect(await result(second.baseUrl)).toEqual([1, 1, 1]);
        const events = (await call(second.baseUrl, 'GET', '/admin/events', undefined, true)).events;
        expect(events).toHaveLength(6);
      } finally {
        await second.server.stop();
      }
    } finally {
      await database.drop();
    }
  });

  it('completes on start what fell due while it was down, exactly once', async () => {
    const database = await createTestDatabase(backend);
    try {
      const first = await start(database.location, { HANDOVER_ENGINE: 'off' });
      await call(first.baseUrl, 'POST', '/admin/fixtures', testCompany(), true);
      await call(first.baseUrl, 'POST', '/admin/clock', { freeze: true }, true);
      await call(first.baseUrl, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(first.baseUrl)}`, {
        handover_userid: 'alice',
        takeover_userid: 'carol',
        external_userid: customerIds(2),
      });
      // While no server runs, a day passes on the server clock (written as another node would).
      await first.server.ctx.store.write(async (tx) => {
        const state = await tx.clockState();
        await tx.setClockState({ ...state, frozenAt: state.frozenAt! + 25 * 3600 * 1000 }, state);
      });
      await first.server.stop();

      const second = await start(database.location);
      try {
        // Its engine's rounds: one completes both, a later one finds nothing left.
        await untilIdle(second.server.loops.engine);
        expect(await result(second.baseUrl)).toEqual([1, 1]);
        const events = (await call(second.baseUrl, 'GET', '/admin/events', undefined, true)).events;
        expect(events.map((e: any) => e.type).sort()).toEqual(['add_external_contact', 'add_external_contact', 'del_external_contact', 'del_external_contact']);
      } finally {
        await second.server.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
