import { composeServer, type Server } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Fixture } from '../../src/wire/admin.js';
import { AnswerChecker } from './openapi-answers.js';
import { type Backend, createTestDatabase } from './stores.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer {
  baseUrl: string;
  adminToken: string;
  server: Server;
  /** Calls an admin route; throws with the answer when the status is not 2xx. */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Calls a WeCom route and returns the parsed JSON answer (whatever its errcode). */
  wecom<T = any>(method: 'GET' | 'POST', path: string, options?: { query?: Record<string, string>; body?: unknown; contentType?: string }): Promise<T>;
  /** gettoken for an app of the fixture. */
  token(corpid: string, secret: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  fixture?: Fixture;
  backend?: Backend;
  /** Extra environment settings (HANDOVER_*), as a user would set them. */
  env?: Record<string, string>;
}

/**
 * A real handover server on 127.0.0.1, port 0, on a fresh database: what the SDK, CLI and HTTP suites
 * talk to. Rate limiting is off (as behaviour §9.4 says for tests); the takeover engine polls every 50 ms.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(options.backend ?? 'sqlite');
  const env = {
    HANDOVER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    HANDOVER_RATE_LIMIT: 'off',
    HANDOVER_ENGINE_POLL_MS: '50',
    HANDOVER_DELIVERY_POLL_MS: '50',
    HANDOVER_LOG_LEVEL: 'silent',
    ...options.env,
  };
  const location = database.location;
  const config = loadConfig(
    location.kind === 'sqlite' ? { port: 0, host: '127.0.0.1', db: location.path } : { port: 0, host: '127.0.0.1', databaseUrl: location.url },
    env,
  );
  const server = await composeServer(config);
  const baseUrl = await server.start();
  // Every answer the helpers below receive is checked against the server's /openapi.json.
  let checker: Promise<AnswerChecker> | undefined;
  const checkAnswer = async (method: string, path: string, status: number, body: unknown) =>
    (await (checker ??= AnswerChecker.load(baseUrl))).check(method, path, status, body);

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    await checkAnswer(method, path, response.status, text ? JSON.parse(text) : undefined);
    if (!response.ok) throw new Error(`admin ${method} ${path} → ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const wecom = async (method: 'GET' | 'POST', path: string, call: { query?: Record<string, string>; body?: unknown; contentType?: string } = {}) => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method,
      ...(call.body !== undefined
        ? { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body), headers: { 'content-type': call.contentType ?? 'application/json' } }
        : {}),
    });
    const answer = JSON.parse(await response.text());
    await checkAnswer(method, path, response.status, answer);
    return answer;
  };
  if (options.fixture) await admin('POST', '/admin/fixtures', options.fixture);
  return {
    baseUrl,
    adminToken: TEST_ADMIN_TOKEN,
    server,
    admin,
    wecom,
    token: async (corpid, secret) => {
      const answer = await wecom('GET', '/cgi-bin/gettoken', { query: { corpid, corpsecret: secret } });
      if (answer.errcode !== 0) throw new Error(`gettoken failed: ${JSON.stringify(answer)}`);
      return answer.access_token as string;
    },
    close: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
