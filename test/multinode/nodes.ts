import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { type ChildServer, killAllChildServers, spawnServer } from '../support/child-server.js';
import { createTestDatabase, type TestDatabase } from '../support/stores.js';

/** A node of the multi-process suites: a `handover serve` child on a PostgreSQL database. */
export type Node = ChildServer;

export const ADMIN = 'multinode-admin-token-0123456789abcdef';

/** SIGKILLs every node still running (a test that failed before stopping its node must not leak it). */
export const killAll = killAllChildServers;

/** A real `handover serve` process on port 0 against `databaseUrl` (the suite runs after `npm run build`). */
export function startNode(databaseUrl: string, env: Record<string, string> = {}): Promise<Node> {
  return spawnServer({ kind: 'postgres', url: databaseUrl }, { HANDOVER_ADMIN_TOKEN: ADMIN, HANDOVER_ENGINE_POLL_MS: '100', ...env });
}

export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

/** One corp with one self-built app (agentid 1), members `alice` and `bob`, and `customers` all held by alice. */
export function aliceAndBobCorp(corpid: string, secret: string, customers: readonly string[]): Fixture {
  return {
    corps: [
      {
        corpid,
        apps: [{ agentid: 1, secret, kind: 'self_built' }],
        members: [{ userid: 'alice' }, { userid: 'bob' }],
        customers: customers.map((external_userid) => ({ external_userid, name: external_userid })),
        relations: customers.map((external_userid) => ({ userid: 'alice', external_userid, createtime: 1_700_000_000, add_way: 1 })),
      },
    ],
  };
}

/** A token of that app from the node at `baseUrl` (gettoken). */
export async function appToken(baseUrl: string, corpid: string, secret: string): Promise<string> {
  return (await call(baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${secret}`)).access_token as string;
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

/** A small deterministic generator, so a failing run of a race suite can be replayed. */
export function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
