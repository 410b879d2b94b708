import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { createTestDatabase, type TestDatabase } from '../support/stores.js';

export interface Node {
  baseUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const BIN = join(import.meta.dirname, '../../bin/handover.js');
export const ADMIN = 'multinode-admin';

/** Every child this suite started and that has not exited yet: afterAll kills them all, whatever failed. */
const running = new Set<ChildProcess>();

/** SIGKILLs every node still running (a test that failed before stopping its node must not leak it). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
}

/** A real `handover serve` process on port 0 against `databaseUrl` (the suite runs after `npm run build`). */
export async function startNode(databaseUrl: string, env: Record<string, string> = {}): Promise<Node> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--database-url', databaseUrl], {
    env: { ...process.env, HANDOVER_ADMIN_TOKEN: ADMIN, HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', HANDOVER_ENGINE_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node did not start: ${stderr}`));
    }, 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /handover listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // A node that does not finish its graceful shutdown in time is killed: afterAll must not hang.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

/** Runs `task` for indexes 0…count−1 with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

/** Two nodes on one fresh PostgreSQL database, and a direct client to check invariants in the database. */
export interface TwoNodes {
  readonly nodes: Node[];
  readonly db: pg.Client;
  readonly url: string;
}

/**
 * For a suite: a fresh PostgreSQL database, two nodes started at once (their migrations must serialise
 * under the advisory lock) and the fixture loaded through the first; afterAll stops and kills every node
 * and drops the database, whatever failed.
 */
export function useTwoNodes(fixture: () => Fixture): TwoNodes {
  let database: TestDatabase | undefined;
  let client: pg.Client | undefined;
  let nodes: Node[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const url = (database.location as { url: string }).url;
    nodes = await Promise.all([startNode(url), startNode(url)]);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await call(nodes[0]!.baseUrl, 'POST', '/admin/fixtures', fixture());
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await Promise.all(nodes.map((n) => n.stop()));
    await killAll();
    await database?.drop();
  });
  return {
    get nodes() {
      return nodes;
    },
    get db() {
      return client!;
    },
    get url() {
      return (database!.location as { url: string }).url;
    },
  };
}
