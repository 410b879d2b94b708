import type { Fixture } from '../../src/wire/admin.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { testCompany } from './company.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * One real server for a test file (SQLite), emptied and loaded before every test with the test company
 * of `customers` customers on alice, carol able to take 10,000 of them so her cap (40099) never decides
 * an SDK or CLI test. The handle forwards to the server once `beforeAll` has started it.
 */
export function useCompanyServer(customers: number): TestServer {
  return useFixtureServer(() => {
    const fixture = testCompany({ customers });
    fixture.corps[0]!.members!.find((m) => m.userid === 'carol')!.customer_cap = 10_000;
    return fixture;
  });
}

/** One real server for a test file (SQLite), emptied and loaded with `fixture()` before every test. */
export function useFixtureServer(fixture: () => Fixture): TestServer {
  let started: TestServer | undefined;
  const current = () => {
    if (!started) throw new Error('useCompanyServer: the server starts in beforeAll; use it inside a test or hook');
    return started;
  };
  beforeAll(async () => {
    started = await startTestServer();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    await current().admin('POST', '/admin/reset');
    await current().admin('POST', '/admin/fixtures', fixture());
  });
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get adminToken() {
      return current().adminToken;
    },
    get server() {
      return current().server;
    },
    admin: (method, path, body) => current().admin(method, path, body),
    wecom: (method, path, options) => current().wecom(method, path, options),
    token: (corpid, secret) => current().token(corpid, secret),
    close: () => current().close(),
  };
}
