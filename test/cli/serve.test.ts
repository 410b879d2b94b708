import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildServers, spawnServer } from '../support/child-server.js';
import { createTestDatabase } from '../support/stores.js';

/**
 * `handover serve` as a user meets it (issue 11 defect 7 and first-run rough edges, issue 14 first
 * impressions): real processes from dist/ (`npm test` builds first).
 */
const BIN = join(import.meta.dirname, '../../bin/handover.js');
const TOKEN = 'serve-suite-admin-token-0123456789abcdef';

/** Runs `handover ARGS` to its end. */
function run(args: string[], env: Record<string, string> = {}, cwd = tmpdir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, HANDOVER_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const scratch = () => mkdtempSync(join(tmpdir(), 'handover-serve-'));

afterAll(killAllChildServers);

describe('handover serve: admin token and bind address (issue 11, defect 7)', { timeout: 90_000 }, () => {
  it('refuses a token under 16 characters, and under 32 when admin is remote, with exit code 2', async () => {
    const dir = scratch();
    const short = await run(['serve', '--port', '0', '--db', join(dir, 'a.sqlite')], { HANDOVER_ADMIN_TOKEN: 'a'.repeat(15) });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/HANDOVER_ADMIN_TOKEN is 15 characters; it must be at least 16/);
    const remote = await run(['serve', '--port', '0', '--host', '0.0.0.0', '--db', join(dir, 'a.sqlite')], { HANDOVER_ADMIN_TOKEN: 'a'.repeat(31), HANDOVER_ADMIN_REMOTE: 'on' });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/at least 32 with HANDOVER_ADMIN_REMOTE=on/);
    expect(existsSync(join(dir, 'a.sqlite'))).toBe(false);
  });

  it('never prints a token from the environment, prints the real bind address and warns when admin is remote', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await spawnServer(database.location, { HANDOVER_ADMIN_TOKEN: TOKEN, HANDOVER_ADMIN_REMOTE: 'on' }, { args: ['--host', '0.0.0.0'] });
    try {
      expect(server.baseUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const clock = await fetch(`${server.baseUrl}/admin/clock`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(clock.status).toBe(200);
      expect(server.output()).not.toContain(TOKEN);
      expect(server.output()).toMatch(/WARNING: \/admin\/ is served to remote clients/);
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it('prints a generated token (the only way to learn it), long enough for remote admin', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await spawnServer(database.location, { HANDOVER_ADMIN_TOKEN: '' });
    try {
      const token = /admin token: (\S+)/.exec(server.output())![1]!;
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect((await fetch(`${server.baseUrl}/admin/clock`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

describe('handover serve: what it says at start and stop (issue 14)', { timeout: 90_000 }, () => {
  it('prints the version, the store, the engine and a clock that is not real time; on stop what it did', async () => {
    const database = await createTestDatabase('sqlite');
    const first = await spawnServer(database.location, { HANDOVER_ADMIN_TOKEN: TOKEN });
    const admin = (base: string, body: unknown) =>
      fetch(`${base}/admin/clock`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      expect(first.output()).toMatch(/^handover \d+\.\d+\.\d+, store: SQLite .*handover\.sqlite$/m);
      expect(first.output()).toMatch(/^takeover engine: on \(every \d+ ms\)$/m);
      expect(first.output()).not.toMatch(/^clock:/m);
      await admin(first.baseUrl, { freeze: true });
      await admin(first.baseUrl, { set: '2030-01-02T03:04:05Z' });
    } finally {
      await first.stop();
    }
    expect(first.output()).toMatch(/SIGTERM: stopped after \d+ s: 2 requests answered, 0 takeovers completed by the engine, 0 callback deliveries attempted/);
    const second = await spawnServer(database.location, { HANDOVER_ADMIN_TOKEN: TOKEN, HANDOVER_ENGINE: 'off' });
    try {
      expect(second.output()).toMatch(/^clock: frozen at 2030-01-02T03:04:05\.000Z/m);
      expect(second.output()).toMatch(/^takeover engine: off/m);
    } finally {
      await second.stop();
      await database.drop();
    }
  });

  it('names the PostgreSQL host and database, never the password', async () => {
    // Nothing needs to answer: the banner is never reached, the error names no password either.
    const result = await run(['serve', '--port', '0', '--database-url', 'postgres://someone:s3cret-pw@127.0.0.1:1/handover_db'], { HANDOVER_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain('s3cret-pw');
  });

  it('answers --version on every command', async () => {
    for (const args of [['--version'], ['serve', '--version'], ['transfer', '--version'], ['transfer', 'status', '--version']]) {
      const result = await run(args);
      expect({ args, code: result.code, out: result.stdout.trim() }).toEqual({ args, code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    }
  });
});

describe('handover serve: start-up failures say what to do (issue 11, first-run rough edges)', { timeout: 90_000 }, () => {
  it('a port in use suggests --port and creates no database file', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dir = scratch();
    try {
      const result = await run(['serve', '--port', String(port), '--db', join(dir, 'h.sqlite')], { HANDOVER_ADMIN_TOKEN: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
      expect(existsSync(join(dir, 'h.sqlite'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('a missing database directory is named, exit code 2', async () => {
    const dir = scratch();
    const result = await run(['serve', '--port', '0', '--db', join(dir, 'missing', 'h.sqlite')], { HANDOVER_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`directory ${join(dir, 'missing')} does not exist`);
  });

  it('a second process on one SQLite file says the file is held by another handover', async () => {
    const database = await createTestDatabase('sqlite');
    const first = await spawnServer(database.location, { HANDOVER_ADMIN_TOKEN: TOKEN });
    try {
      const second = await run(['serve', '--port', '0', '--db', (database.location as { path: string }).path], { HANDOVER_ADMIN_TOKEN: TOKEN });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/handover\.sqlite is held by another handover process/);
    } finally {
      await first.stop();
      await database.drop();
    }
  });

  it('a malformed fixture gives line and column, exit code 2, and creates no database file', async () => {
    const dir = scratch();
    const fixture = join(dir, 'company.json');
    writeFileSync(fixture, '{"corps": [\n  {"corpid": "ww1",\n    "name": "x",,\n  }]}\n');
    const result = await run(['serve', '--port', '0', '--db', join(dir, 'h.sqlite'), '--fixture', fixture], { HANDOVER_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fixture .*company\.json is not valid JSON: line 3, column 17/);
    expect(existsSync(join(dir, 'h.sqlite'))).toBe(false);
  });

  it('a usage error exits 2', async () => {
    const result = await run(['serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
  });
});
