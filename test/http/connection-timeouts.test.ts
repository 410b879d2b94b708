import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORP, SECRET, testCompany } from '../support/company.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Issue 11, defect 2: a body that never arrives, and idle keep-alive connections, are bounded. */
const REQUEST_TIMEOUT_MS = 1500;
const KEEP_ALIVE_MS = 500;
/** How long past its timeout a connection may stay open (Node checks 4 times per timeout). */
const SLACK_MS = 3000;

interface RawConnection {
  socket: Socket;
  /** Everything the server sent, once it closed the connection; rejects when it is still open after `withinMs`. */
  closed(withinMs: number): Promise<{ answer: string; afterMs: number }>;
  /** Resolves with what was received as soon as it contains `text`. */
  received(text: string): Promise<string>;
}

function open(server: TestServer): Promise<RawConnection> {
  const { hostname, port } = new URL(server.baseUrl);
  const socket = connect(Number(port), hostname);
  let answer = '';
  const waiting: (() => void)[] = [];
  socket.on('data', (chunk) => {
    answer += chunk.toString('latin1');
    for (const wake of waiting.splice(0)) wake();
  });
  socket.on('error', () => undefined);
  const started = performance.now();
  const end = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return new Promise((resolve) =>
    socket.once('connect', () =>
      resolve({
        socket,
        closed: async (withinMs) => {
          // A bound, not a pause: the test ends as soon as the server closes the connection.
          const bound = new AbortController();
          const outcome = await Promise.race([end.then(() => 'closed' as const), delay(withinMs, 'open' as const, { signal: bound.signal })]);
          bound.abort();
          if (outcome === 'open') {
            socket.destroy();
            throw new Error(`connection still open after ${Math.round(performance.now() - started)} ms; received ${JSON.stringify(answer)}`);
          }
          return { answer, afterMs: performance.now() - started };
        },
        received: async (text) => {
          while (!answer.includes(text)) await new Promise<void>((wake) => waiting.push(wake));
          return answer;
        },
      }),
    ),
  );
}

const head = (path: string, length: number, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('connection timeouts (HANDOVER_REQUEST_TIMEOUT_MS, HANDOVER_KEEP_ALIVE_TIMEOUT_MS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      fixture: testCompany(),
      env: { HANDOVER_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HANDOVER_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) },
    });
  });
  afterAll(() => server.close());

  it('closes a connection whose body stops short of its Content-Length soon after the request timeout', async () => {
    // A valid token: the token is checked before the body, so only then does the server wait for the body.
    const token = await server.token(CORP, SECRET);
    const connection = await open(server);
    connection.socket.write(`${head(`/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, 100_000)}{"handover`);
    const { answer, afterMs } = await connection.closed(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    // Node answers 408 when it cuts a request it is still reading.
    expect(answer === '' || answer.startsWith('HTTP/1.1 408'), answer).toBe(true);
  });

  it('closes a connection that never finishes its headers', async () => {
    const connection = await open(server);
    connection.socket.write('GET /cgi-bin/gettoken HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await connection.closed(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const connection = await open(server);
    connection.socket.write(`GET /cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    expect(await connection.received('access_token')).toMatch(/^HTTP\/1\.1 200/);
    await connection.closed(KEEP_ALIVE_MS + SLACK_MS);
  });

  it('still takes a slow body that arrives in time', async () => {
    const token = await server.token(CORP, SECRET);
    const body = JSON.stringify({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: ['wmNobody'] });
    const connection = await open(server);
    connection.socket.write(head(`/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, Buffer.byteLength(body), 'Connection: close\r\n'));
    // Three pieces a tenth of the timeout apart: slow, but well inside it.
    const third = Math.ceil(body.length / 3);
    for (let i = 0; i < 3; i++) {
      connection.socket.write(body.slice(i * third, (i + 1) * third));
      await delay(REQUEST_TIMEOUT_MS / 10);
    }
    const answer = await connection.received('"customer"');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"external_userid":"wmNobody","errcode":40096');
  });
});
