import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/service/context.js';
import { checkHealth } from '../../src/service/health.js';
import { startTestServer } from '../support/server.js';
import { testBackends } from '../support/stores.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function healthz(baseUrl: string) {
  const response = await fetch(`${baseUrl}/healthz`);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
}

describe.each(await testBackends())('GET /healthz on %s', (backend) => {
  it('answers 200 with backend, version and the server clock, without the admin token', async () => {
    const server = await startTestServer({ backend });
    try {
      const before = await healthz(server.baseUrl);
      expect(before.status).toBe(200);
      expect(before.type).toMatch(/^application\/json/);
      expect(before.body).toEqual({ status: 'ok', backend, version: VERSION, clock: { now: expect.any(String), frozen: false } });
      expect(Math.abs(Date.parse(before.body.clock.now) - Date.now())).toBeLessThan(60_000);

      // The clock it reports is the server clock, not the machine's.
      await server.admin('POST', '/admin/clock', { set: '2030-01-02T03:04:05.000Z' });
      await server.admin('POST', '/admin/clock', { freeze: true });
      const moved = await healthz(server.baseUrl);
      expect(moved.status).toBe(200);
      expect(moved.body.clock.frozen).toBe(true);
      expect(Date.parse(moved.body.clock.now)).toBeGreaterThanOrEqual(Date.parse('2030-01-02T03:04:05.000Z'));
      expect(Date.parse(moved.body.clock.now)).toBeLessThan(Date.parse('2030-01-02T03:05:05.000Z'));
    } finally {
      await server.close();
    }
  });

  it('answers 503 naming the failure once the store no longer answers, and does not leak the location', async () => {
    // No background loops: a batch caught between the store closing and stop() would wait on it.
    const server = await startTestServer({ backend, env: { HANDOVER_ENGINE: 'off', HANDOVER_DELIVERY: 'off' } });
    const store = server.server.ctx.store;
    try {
      await store.close();
      const answer = await healthz(server.baseUrl);
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ status: 'unavailable', backend, version: VERSION, error: expect.stringMatching(/^the store did not answer: ./) });
      expect(JSON.stringify(answer.body)).not.toMatch(/handover\.sqlite|postgres:\/\//);
    } finally {
      // The store is already closed, so stop() fails at its last step after stopping the loops and the
      // listener; the database is still dropped.
      store.close = async () => undefined;
      await server.close();
    }
  });
});

describe('checkHealth', () => {
  it('gives up on a store that never answers after the timeout instead of hanging', async () => {
    const ctx = { store: { capabilities: { dialect: 'postgres' } }, clock: { state: () => new Promise(() => undefined) } } as unknown as ServiceContext;
    expect(await checkHealth(ctx, 50)).toEqual({ ok: false, backend: 'postgres', error: 'no answer within 50 ms' });
  });
});
