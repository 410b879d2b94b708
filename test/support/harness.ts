import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { CORP, SECRET, testCompany } from './company.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';
import type { Backend } from './stores.js';

export interface Harness {
  server: TestServer;
  /** A fresh token of the main self-built app (tokens die with every reload). */
  token(secret?: string): Promise<string>;
  transfer(body: unknown, token?: string): Promise<any>;
  transferResult(handover: string, takeover: string, cursor?: string): Promise<any>;
  advance(seconds: number): Promise<any>;
  /** The bystander's relation and state, for "unchanged" assertions (architecture rule 10). */
  bystander(): Promise<unknown>;
}

/**
 * One server per describe block, reset to a fresh `testCompany()` (or `fixture()`) before each test:
 * the cast with its bystander, on the given backend.
 */
export function useHarness(backend: Backend, options: { fixture?: () => Fixture; env?: TestServerOptions['env'] } = {}): Harness {
  const state = {} as { server: TestServer };
  beforeAll(async () => {
    state.server = await startTestServer({ backend, ...(options.env ? { env: options.env } : {}) });
  });
  afterAll(async () => {
    await state.server?.close();
  });
  beforeEach(async () => {
    await state.server.admin('POST', '/admin/reset');
    await state.server.admin('POST', '/admin/fixtures', (options.fixture ?? (() => testCompany()))());
  });
  const harness: Harness = {
    get server() {
      return state.server;
    },
    token: (secret = SECRET) => state.server.token(CORP, secret),
    async transfer(body, token) {
      return state.server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', { query: { access_token: token ?? (await harness.token()) }, body });
    },
    async transferResult(handover, takeover, cursor) {
      return state.server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', {
        query: { access_token: await harness.token() },
        body: { handover_userid: handover, takeover_userid: takeover, ...(cursor !== undefined ? { cursor } : {}) },
      });
    },
    advance: (seconds) => state.server.admin('POST', '/admin/clock', { advance_seconds: seconds }),
    async bystander() {
      const token = await harness.token();
      const contact = await state.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: token, external_userid: 'wmBystander' } });
      const list = await state.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'victor' } });
      const messages = await state.server.admin('GET', '/admin/customers/wmBystander/messages');
      return { follow_user: contact.follow_user, list: list.external_userid, messages: messages.messages };
    },
  };
  return harness;
}

export const BYSTANDER_STATE = {
  follow_user: [
    { userid: 'victor', remark: 'untouched', description: '', createtime: 1_700_000_000, tags: [], remark_mobiles: [], oper_userid: 'victor', add_way: 1 },
  ],
  list: ['wmBystander'],
  messages: [],
};
