import type pg from 'pg';
import { compareIds, type SqlDb, type SqlValue, type WriteControl } from '../sql.js';

type WriteFn<T> = (db: SqlDb, control: WriteControl) => Promise<T>;

/** A statement a write sends with the COMMIT (`WriteControl.atCommit`). */
interface Late {
  write: number;
  sql: string;
  params: readonly SqlValue[];
  resolve(row: Record<string, unknown> | undefined): void;
  reject(error: unknown): void;
}

interface Job {
  fn: WriteFn<unknown>;
  lockOrder: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface SharedWritesOptions {
  /** A pooled connection, corked so that statements issued together leave in one write. */
  connect(): Promise<pg.PoolClient>;
  /** `SqlDb` over `client`; `observe` sees each statement's text and whether it failed. */
  over(client: pg.PoolClient, observe: (sql: string, failed: boolean) => void): SqlDb;
  /** Cork the client's socket until the check phase (connect.ts). */
  coalesce(client: pg.PoolClient): void;
  /** The write alone, in its own transaction, with the adapter's retries. */
  alone<T>(fn: WriteFn<T>): Promise<T>;
  /** Whether an error is a lost race that running again may win (the adapter's retry rule). */
  retryable(error: unknown): boolean;
  /** Groups that may run at once on one node (each on its own connection). */
  maxGroups: number;
  /** Most writes in one group. */
  maxJobs: number;
}

/** Only plain SELECTs leave nothing behind in a transaction that a rollback would have to undo. */
const READ_ONLY = /^\s*SELECT\b/i;

/**
 * Group commit for PostgreSQL (issue 13, figure 6 at 1 id per call): writes that arrive while a group is
 * forming share one transaction on one connection and run side by side in it. Pipeline mode and the cork
 * put the group's statements of each step in one socket write (one round trip for the group instead of one
 * per write), and the group pays one BEGIN and one COMMIT (one WAL flush) between them.
 *
 * Correctness: the writes of a group are the kind that already run side by side on separate connections
 * (the transfer calls), written for READ COMMITTED: each re-checks in its writes what it decided on (the
 * waiting slot's unique index, the quota re-count, the takeover's conditional reservation). In one
 * transaction a statement sees the statements run before it, the others' included, which is what a
 * re-check needs. What one transaction cannot do is undo one write alone:
 * - a write that fails having only read (a member check's errcode) is answered with its error and the
 *   others commit; one that failed after writing, a statement that failed (the transaction is then
 *   aborted) or a failed COMMIT rolls the whole group back and every write of it runs again alone, in its
 *   own transaction, exactly as without groups;
 * - a group waits for all its writes to settle before COMMIT or ROLLBACK: a statement issued after either
 *   would run outside any transaction.
 * Lock order: writes start in `lockOrder` order (the row each locks, the takeover member of a transfer
 * call) and send the statement that locks it with the COMMIT (`control.atCommit`), where the group's late
 * statements go in that order, so a group takes its row locks in that order and two groups on two nodes
 * never wait on each other in a cycle (a deadlock PostgreSQL breaks only after deadlock_timeout, 1 s).
 * Writes advance in step only while they take the same steps: one that first read a member the node had
 * not cached yet locked a round trip after the writes behind it when it locked as it went (figure 6 at 1
 * id per call met such deadlocks: 571 req/s at a p99 of 1,199 ms in a quick run).
 */
export function sharedWrites(options: SharedWritesOptions): <T>(fn: WriteFn<T>, lockOrder: string) => Promise<T> {
  const pending: Job[] = [];
  let running = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || running >= options.maxGroups || pending.length === 0) return;
    scheduled = true;
    // After the poll phase, so every request the event loop has read joins this group.
    setImmediate(() => {
      scheduled = false;
      const group = pending.splice(0, options.maxJobs).sort((a, b) => compareIds(a.lockOrder, b.lockOrder));
      running++;
      runGroup(group)
        .catch((error) => group.forEach((job) => job.reject(error)))
        .finally(() => {
          running--;
          schedule();
        });
      schedule();
    });
  };

  const runAlone = (jobs: readonly Job[]) => {
    for (const job of jobs) options.alone(job.fn).then(job.resolve, job.reject);
  };

  const runGroup = async (group: Job[]): Promise<void> => {
    if (group.length === 1) return runAlone(group);
    const client = await options.connect();
    let broken: Error | undefined;
    let statementFailed = false;
    try {
      options.coalesce(client);
      const begun = client.query('BEGIN');
      begun.catch(() => undefined);
      let last: string | undefined;
      const wrote = group.map(() => false);
      const late: Late[] = [];
      const sharing = new Map<string, number>();
      for (const job of group) sharing.set(job.lockOrder, (sharing.get(job.lockOrder) ?? 0) + 1);
      const settled = await Promise.allSettled(
        group.map((job, i) => {
          const db = options.over(client, (sql, failed) => {
            if (failed) statementFailed = true;
            if (!READ_ONLY.test(sql)) wrote[i] = true;
          });
          const atCommit = (sql: string, params: readonly SqlValue[]) => {
            // A write to come: a write that fails after this is not one that only read.
            wrote[i] = true;
            return new Promise<Record<string, unknown> | undefined>((resolve, reject) => late.push({ write: i, sql, params, resolve, reject }));
          };
          return job.fn(db, { first: undefined, finish: (sql) => (last = sql), atCommit, lockShared: sharing.get(job.lockOrder)! > 1 });
        }),
      );
      await begun.catch(() => (statementFailed = true));
      // Failed having only read, with a final answer: that write's answer is its error.
      const answeredAlone = (i: number) => {
        const outcome = settled[i]!;
        return outcome.status === 'rejected' && !wrote[i] && !options.retryable(outcome.reason);
      };
      const commit = !statementFailed && settled.every((outcome, i) => outcome.status === 'fulfilled' || answeredAlone(i));
      if (commit) {
        // Late statements in lock order (the writes' order), then the COMMIT: one round trip, corked.
        const db = options.over(client, () => undefined);
        const sent = late.sort((a, b) => a.write - b.write).map((statement) => db.get<Record<string, unknown>>(statement.sql, statement.params));
        const committed = client.query(last === undefined ? 'COMMIT' : `${last}; COMMIT`);
        const outcomes = await Promise.allSettled([...sent, committed]);
        if (outcomes.some((outcome) => outcome.status === 'rejected')) statementFailed = true;
        else late.forEach((statement, k) => statement.resolve((outcomes[k] as PromiseFulfilledResult<Record<string, unknown> | undefined>).value));
      }
      if (!commit || statementFailed) {
        const notCommitted = new Error('the shared transaction did not commit: its writes run again alone');
        for (const statement of late) statement.reject(notCommitted);
        await client.query('ROLLBACK').catch((error: Error) => (broken = error));
        const again: Job[] = [];
        group.forEach((job, i) => {
          // A failed statement aborted the transaction: even a read-only failure may be its echo.
          if (!statementFailed && answeredAlone(i)) job.reject((settled[i] as PromiseRejectedResult).reason);
          else again.push(job);
        });
        runAlone(again);
        return;
      }
      group.forEach((job, i) => {
        const outcome = settled[i]!;
        if (outcome.status === 'fulfilled') job.resolve(outcome.value);
        else job.reject(outcome.reason);
      });
    } finally {
      client.release(broken);
    }
  };

  return <T>(fn: WriteFn<T>, lockOrder: string) =>
    new Promise<T>((resolve, reject) => {
      pending.push({ fn: fn as WriteFn<unknown>, lockOrder, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
}
