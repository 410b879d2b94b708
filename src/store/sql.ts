/**
 * The one thing both adapters must provide: run portable SQL with `?` placeholders. Queries under
 * queries/ are written once against this; the PostgreSQL adapter rewrites `?` to `$n`.
 *
 * Why not Kysely: the SQLite hot paths (transfer_customer at 1 id per call, the takeover engine) need
 * prepared statements cached per SQL text, which Kysely's SQLite driver does not do (it prepares on every
 * query); with portable hand-written SQL both adapters stay this thin.
 */
export type SqlValue = string | number | null;

export interface SqlDb {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** A SELECT's first column, one value per row: no object per row (a 5,000-id list read in 1.3 ms of CPU
   * instead of 3.5 ms on SQLite, measured interleaved with better-sqlite3's pluck()). */
  column<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

/** What differs between adapters, declared instead of branched on a dialect name (architecture rule 2). */
export interface StoreCapabilities {
  dialect: 'sqlite' | 'postgres';
  /** `FOR UPDATE SKIP LOCKED` exists: several processes can claim due work side by side. */
  skipLocked: boolean;
  /** Row locks (`FOR UPDATE`) exist; without them the adapter serialises every write transaction. Where
   * they exist, write transactions run side by side, so a write must re-check what its decision read. */
  rowLocks: boolean;
  /** `pg_advisory_xact_lock` exists: processes starting at once take turns applying migrations. */
  advisoryLocks: boolean;
  /** Most bound parameters one statement may carry. */
  maxParams: number;
  /** The planner needs ANALYZE after a bulk load to plan by key (PostgreSQL; see planner-statistics.ts). */
  analyzeAfterLoad: boolean;
  /** One process owns the database, so a big fixture load may drop secondary indexes and build them again
   * before its commit (issue 13); elsewhere DROP INDEX would lock the table against the other nodes. */
  deferIndexes: boolean;
}

/**
 * Thrown by a write that finds what its transaction read has changed under it (another process committed
 * in between). It carries PostgreSQL's serialization_failure code, so the adapter runs the whole
 * transaction again exactly as it does for a conflict PostgreSQL detects itself.
 */
export class WriteConflict extends Error {
  readonly code = '40001';
}

export interface WriteControl {
  /** The first row of the write's `first` statement (undefined without one, or when it found no row). */
  readonly first: Record<string, unknown> | undefined;
  finish(sql: string): void;
  /**
   * Only in a shared transaction: `sql` is sent in the COMMIT's round trip, after every statement of the
   * group's writes and in the writes' lock order, and answers its first row once the transaction
   * committed. Its failure fails the commit (the writes then run again, each alone); the promise then
   * rejects. For the statement that takes the row lock a write's `lockOrder` names.
   */
  atCommit?(sql: string, params: readonly SqlValue[]): Promise<Record<string, unknown> | undefined>;
  /**
   * Only in a shared transaction: another write of it names the same `lockOrder`. Their statements with the
   * COMMIT then run while the transaction already holds that row's lock, so whatever they do besides taking
   * it lengthens a hold every other transaction for that row queues behind.
   */
  readonly lockShared?: boolean;
}

export interface SqlDatabase {
  readonly capabilities: StoreCapabilities;
  /**
   * A write transaction: commits when `fn` resolves, rolls back when it throws. `first`, a statement without
   * parameters, runs first and `fn` gets its first row (PostgreSQL sends it with the BEGIN, one round trip);
   * `control.finish(sql)` names one statement without parameters to run last, right before the COMMIT
   * (PostgreSQL sends both in one round trip).
   */
  write<T>(fn: (db: SqlDb, control: WriteControl) => Promise<T>, first?: string): Promise<T>;
  /**
   * A write that may share its transaction with other writes given to `writeShared` at the same time
   * (group commit, postgres/shared-writes.ts), started in `lockOrder` order. Only for writes that are
   * correct side by side under READ COMMITTED and may run again from the start. Absent where every write
   * is already grouped (SQLite).
   */
  writeShared?<T>(fn: (db: SqlDb, control: WriteControl) => Promise<T>, lockOrder: string): Promise<T>;
  /** A read that sees only committed data. */
  read<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  /** Statements outside a transaction, each seeing what was committed when it ran. */
  readNow<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  /** Statements outside any transaction (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** `(?, ?, ?), (?, ?, ?)` for a multi-row VALUES list. */
export function valuesPlaceholders(rows: number, columns: number): string {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

/** `CAST(? AS BIGINT)`: PostgreSQL types bare parameters inside VALUES as text; SQLite accepts the cast too. */
const BIGINT = 'CAST(? AS BIGINT)';

/** A multi-row VALUES list whose integer columns are typed, so they compare with integer columns on PostgreSQL. */
export function typedValues(rows: number, columns: readonly ('text' | 'bigint')[]): string {
  const row = `(${columns.map((c) => (c === 'bigint' ? BIGINT : '?')).join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

/** `?, ?, ?` for an IN list. */
export function listPlaceholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

/** Splits `items` so that each chunk binds at most `maxParams` parameters of `paramsPerItem` each. */
export function chunkForParams<T>(items: readonly T[], paramsPerItem: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / paramsPerItem));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * One fixed order of identifiers for taking row locks: every node sorts the rows it writes with it, so
 * two transactions never wait on each other's rows in opposite orders (a deadlock PostgreSQL breaks only
 * after deadlock_timeout). Plain code-unit order, as for the (COLLATE "C") identifier columns.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
