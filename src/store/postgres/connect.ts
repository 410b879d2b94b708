import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { SqlDatabase, SqlDb, SqlValue, StoreCapabilities, WriteControl } from '../sql.js';
import { sharedWrites } from './shared-writes.js';

const capabilities: StoreCapabilities = Object.freeze({
  dialect: 'postgres',
  skipLocked: true,
  rowLocks: true,
  advisoryLocks: true,
  // The wire protocol allows 65,535 bind parameters per statement.
  maxParams: 65_000,
  analyzeAfterLoad: true,
  deferIndexes: false,
});

/** serialization_failure and deadlock_detected: the transaction lost a race and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const retryable = (error: unknown) => RETRYABLE.has((error as { code?: string } | null)?.code ?? '');
const MAX_TRIES = 5;
const PREPARE_MAX_PARAMS = 200;
/**
 * Group commit (shared-writes.ts): groups one node runs at once, and the most writes in one. Figure 6 at
 * 1 id per call (quick runs, alternated): 1 group 538–725 req/s, 2 groups 511–985, 4 groups 551–835, when
 * PostgreSQL spent 0.5–2.4 ms of CPU a call; once its facts stopped reading every waiting transfer (0.3 ms
 * a call), 2 groups 1,613–1,685 req/s spread and 4 groups 1,841–1,892 (hot 1,907–2,255 and 1,884–2,038);
 * two later pairs on a quieter machine: 2 groups 2,280–2,962 spread, 4 groups 2,060–2,880, and 100 ids per
 * call alike (PostgreSQL 6.0–7.6 ms of CPU a call either way): no worse, so 4. 8 groups: no better.
 */
const SHARED_GROUPS = 4;
const SHARED_GROUP_WRITES = 64;

/** `?` → `$1, $2, …`; the queries never contain a literal `?` (no JSON operators), so a plain scan is exact. */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Instants, counts and ids are int8 in PostgreSQL; they all fit a JS number (epoch ms < 2^53). */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

const corkedStreams = new WeakSet<object>();

/**
 * Statements issued together on one connection leave in one socket write: the socket is corked until the
 * event loop's check phase (after the continuations that issue them have run). pg writes each pipelined
 * statement by itself; socket writes (writev, writeBuffer) were half of a node's busy samples at 1 id per
 * call in figure 6 (--cpu-prof sliced to the measured window), each one waking a backend. Measured with
 * `node bench/profile/pg-call-floor.js` (a transfer call's 4 round trips, trivial statements, 25 callers),
 * three alternating pairs: 2,268–2,602 → 2,622–3,066 calls/s, node CPU 272–305 → 230–243 µs a call.
 * Reaches into the client's socket (`connection.stream`, not in @types/pg); without one it does nothing.
 */
function coalesceWrites(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  if (!stream?.cork || !stream.uncork || corkedStreams.has(stream)) return;
  stream.cork();
  corkedStreams.add(stream);
  setImmediate(() => {
    corkedStreams.delete(stream);
    stream.uncork!();
  });
}

/**
 * One long-lived pooled connection for `readNow` statements (the token check), shared by every caller:
 * in pipeline mode concurrent statements queue on it and, corked, leave in one socket write, where
 * `pool.query` took a connection of its own per statement (acquire, write, wake a backend, release). A
 * statement that fails does not disturb the others (each has its own Sync); a connection that breaks is
 * dropped and the next statement takes a new one. Measured with group commit (shared-writes.ts), figure 6
 * at 1 id per call, three alternated quick runs: neither 300–434 req/s spread and 315–436 hot, both 554–751
 * and 559–695; the nodes' CPU per call 1.6–2.8 → 0.95–1.5 ms.
 */
function sharedReader(pool: pg.Pool): { client(): Promise<pg.PoolClient>; close(): void } {
  let current: Promise<pg.PoolClient> | undefined;
  let closed = false;
  let held: pg.PoolClient | undefined;
  const drop = (client: pg.PoolClient, error?: Error) => {
    if (held !== client) return;
    held = undefined;
    current = undefined;
    client.release(error ?? true);
  };
  return {
    client: () => {
      if (closed) return Promise.reject(new Error('the store is closed'));
      current ??= pool.connect().then(
        (client) => {
          held = client;
          client.on('error', (error) => drop(client, error));
          client.on('end', () => drop(client));
          return client;
        },
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
      return current;
    },
    close: () => {
      closed = true;
      current?.then((client) => drop(client), () => undefined);
    },
  };
}

export async function openPostgres(url: string): Promise<SqlDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types,
    // Pipeline mode: a statement is written as soon as it is issued instead of after the previous one's
    // answer, so statements a use case issues together (BEGIN with the first statement, a transfer call's
    // insert, quota re-count and reservation) cost one round trip. Each still has its own Sync, so each runs
    // (and in READ COMMITTED takes its snapshot) after the one before it, exactly as when sent one by one.
    // Figure 6 at 1 id per call: the backends waited on the node ("idle in transaction") in 70% of samples;
    // a round trip cost the node ~0.25 ms of CPU on this 2-core VM (the wake-ups of two processes).
    pipeline: true,
    application_name: 'handover',
    // Every statement handover sends is meant as key probes (scalar subqueries, primary keys, the slot and
    // pair indexes), but the planner picks a sequential scan for a table it last analysed small, and a
    // named statement keeps that plan: `transfers` is analysed nearly empty after a load and grows by
    // thousands of rows a minute, so until autovacuum analysed it again (up to a minute or more) every
    // transfer call read the whole table (figure 6, 1 id per call: 6,491 sequential scans of `transfers`
    // reading 9.3 million rows in 10 s). With sequential scans off the planner takes an index wherever
    // one serves the statement. Figure 6 at 1 id per call, two alternated pairs of quick runs: PostgreSQL
    // CPU per call 0.74–0.77 → 0.52–0.64 ms, 642–792 → 943–972 req/s spread.
    options: '-c enable_seqscan=off',
    // A node that stops between two statements (SIGSTOP, a debugger, a hung event loop) would hold its row
    // locks, say a takeover's, and every node's calls would queue behind it; after 30 s the server ends
    // that transaction instead (a killed node's socket closes, which ends it at once). Time inside a
    // statement does not count, so a long fixture load is not cut.
    idle_in_transaction_session_timeout: 30_000,
  });
  // An idle pooled connection that the server drops (restart, pg_terminate_backend) is reported here and
  // discarded by the pool; without a listener the 'error' event would end the whole process.
  pool.on('error', () => undefined);
  // A distinct SQL text becomes a named prepared statement, planned once per connection: planning the
  // transfer facts query took ~3 ms, paid inside the takeover's row lock on every call. Texts vary with
  // their row count (IN lists, multi-row VALUES), and each named one stays prepared on every connection
  // for its life, so only texts of at most PREPARE_MAX_PARAMS parameters are named: that bounds them to a
  // few hundred per connection, while a bulk statement plans in far less time than it runs.
  const prepared = new Map<string, { name?: string; text: string }>();
  const statement = (sql: string) => {
    let entry = prepared.get(sql);
    if (entry === undefined) {
      const text = numberPlaceholders(sql);
      entry = text.includes(`$${PREPARE_MAX_PARAMS + 1}`) ? { text } : { name: `h${prepared.size}`, text };
      prepared.set(sql, entry);
    }
    return entry;
  };
  type Observe = (sql: string, failed: boolean) => void;
  const query = async (client: pg.PoolClient, sql: string, params: readonly SqlValue[], observe?: Observe) => {
    coalesceWrites(client);
    const { name, text } = statement(sql);
    const sent = name === undefined ? client.query(text, params as SqlValue[]) : client.query({ name, text, values: params as SqlValue[] });
    if (observe === undefined) return sent;
    try {
      const result = await sent;
      observe(sql, false);
      return result;
    } catch (error) {
      observe(sql, true);
      throw error;
    }
  };
  const over = (client: pg.PoolClient, observe?: Observe): SqlDb => ({
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(client, sql, params, observe)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(client, sql, params, observe)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await query(client, sql, params, observe)).rowCount ?? 0 }),
    column: async <T>(sql: string, params: readonly SqlValue[] = []) => {
      const { rows, fields } = await query(client, sql, params, observe);
      const name = fields[0]?.name ?? '';
      return rows.map((row) => (row as Record<string, T>)[name]!);
    },
  });
  const once = async <T>(begin: string, fn: (db: SqlDb, control: WriteControl) => Promise<T>, first?: string): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      let firstRow: Record<string, unknown> | undefined;
      let begun: Promise<unknown> | undefined;
      if (first === undefined) {
        // Not awaited: pipelined, BEGIN travels with the transaction's first statement. If it fails, that
        // statement fails too (and is what `fn` sees); its own rejection is read below, never left unhandled.
        coalesceWrites(client);
        begun = client.query(begin);
        begun.catch(() => undefined);
      } else {
        // Simple-query protocol: BEGIN and the parameterless first statement in one round trip.
        const results = (await client.query(`${begin}; ${first}`)) as unknown as pg.QueryResult[];
        firstRow = results[1]?.rows[0] as Record<string, unknown> | undefined;
      }
      let last: string | undefined;
      const value = await fn(over(client), { first: firstRow, finish: (sql) => (last = sql) });
      await begun;
      // Simple-query protocol, two statements in one round trip; an error in the first skips the COMMIT.
      await client.query(last === undefined ? 'COMMIT' : `${last}; COMMIT`);
      return value;
    } catch (error) {
      // A connection that cannot even roll back (server restarted, socket cut) must not go back to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  };
  // Write transactions run side by side here, and PostgreSQL aborts one side of a lock cycle (40P01) or a
  // write that finds its judgement stale (40001, also thrown as WriteConflict by the queries' re-checks).
  // Every use case is one transaction with no effect outside it, so running it again from the start is
  // safe. The lock orders (see queries/start-transfers.ts and queries/takeovers.ts) leave few cycles; the
  // jittered pause keeps two victims from meeting again at once; five tries bound it.
  const transaction = async <T>(begin: string, fn: (db: SqlDb, control: WriteControl) => Promise<T>, first?: string): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(begin, fn, first);
      } catch (error) {
        if (attempt >= MAX_TRIES || !retryable(error)) throw error;
        await sleep(attempt * (5 + Math.random() * 20));
      }
    }
  };
  const readers = sharedReader(pool);
  const writeShared = sharedWrites({
    connect: () => pool.connect(),
    over,
    coalesce: coalesceWrites,
    alone: (fn) => transaction('BEGIN', fn),
    retryable,
    maxGroups: SHARED_GROUPS,
    maxJobs: SHARED_GROUP_WRITES,
  });
  return {
    capabilities,
    write: (fn, first) => transaction('BEGIN', fn, first),
    writeShared,
    // One snapshot for every statement of a read (an export, a page of results): READ COMMITTED would let a
    // commit land between two of its statements. Read-only REPEATABLE READ never fails to serialise.
    read: (fn) => transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    // No transaction: one round trip for a one-statement read instead of three, on the shared connection.
    readNow: async (fn) => fn(over(await readers.client())),
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: async () => {
      readers.close();
      await pool.end();
    },
  };
}
