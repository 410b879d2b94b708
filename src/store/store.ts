import type { ConsoleReads } from './console-reads.js';
import type { StoreCapabilities } from './sql.js';
export { WriteConflict } from './sql.js';
import type { AdminPort } from './ports/admin.js';
import type { ClockPort, ClockRecord } from './ports/clock.js';
import type { HistoryPort } from './ports/history.js';
import type { OutboxPort } from './ports/outbox.js';
import type { ReadsPort } from './ports/reads.js';
import type { StartTransfersPort } from './ports/start-transfers.js';
import type { TakeoversPort } from './ports/takeovers.js';
import type { TokensPort } from './ports/tokens.js';
import type { GroupChatsPort } from './ports/group-chats.js';

export type { AdminPort, CorpSnapshot, EventFilter, StoredEvent, StoredEventStatus, StoredMessage } from './ports/admin.js';
export type { ClockPort, ClockRecord } from './ports/clock.js';
export type { HistoryPort, TransferHistoryFilter } from './ports/history.js';
export type { ClaimedDelivery, DeliveryResult, OutboxPort } from './ports/outbox.js';
export type { ReadsPort } from './ports/reads.js';
export type { NewMessage, NewTransfer, StartTransfersPort, TransferEffectsPort } from './ports/start-transfers.js';
export type { TakeoverBatchFacts, TakeoversPort } from './ports/takeovers.js';
export type { TokensPort } from './ports/tokens.js';
export type { GroupChatState, GroupChatsPort } from './ports/group-chats.js';

/**
 * The storage port, one small interface per use case (ports/): coarse, batch-shaped operations in domain
 * types. A use case names the ports it needs (`(tx: StartTransfersPort & ClockPort) => …`); every call
 * runs inside the transaction of the `StoreTx` it is called on, so a use case decides and persists atomically.
 */
export type StoreTx = ClockPort & TokensPort & StartTransfersPort & TakeoversPort & OutboxPort & ReadsPort & AdminPort & HistoryPort & GroupChatsPort;

export interface Store {
  readonly capabilities: StoreCapabilities;
  /**
   * `knownClock`: the clock record the caller read just before (the token check's). Where writers run side
   * by side (`rowLocks`), a clock read inside the transaction is no fresher than that one (READ COMMITTED,
   * the clock row is not locked), so `clockState()` answers it and the transaction skips the read; its
   * BEGIN then travels with its first statement (PostgreSQL: one round trip less per transfer call). With
   * one writer (SQLite) the transaction still reads the clock itself: there that read is exact and cheap.
   *
   * `shareTransaction`: the write may share its transaction with concurrent writes given the option (group
   * commit where writers run side by side; SQLite groups every write anyway). Only for a write that is
   * correct side by side with others under READ COMMITTED and may run again from the start; `lockOrder`
   * names the row it locks (writes of a group start in that order, so groups never lock in a cycle).
   */
  write<T>(fn: (tx: StoreTx) => Promise<T>, options?: { knownClock?: ClockRecord; shareTransaction?: { lockOrder: string } }): Promise<T>;
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Reads without a snapshot of their own: each statement sees what was committed when it ran. For a read
   * that is one statement on the usual path (the token check: the clock row, the rest from the generation
   * cache), where a transaction only adds BEGIN and COMMIT round trips on PostgreSQL.
   */
  readNow<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * The clock row as `readNow` reads it. Where writers run side by side (PostgreSQL), the callers that ask
   * before the read is sent share it (one statement for the calls a node receives together); each still
   * gets a read sent after it asked.
   */
  clockNow(): Promise<ClockRecord>;
  /** The console's reads (issue 12), in one read transaction. */
  readConsole<T>(fn: (reads: ConsoleReads) => Promise<T>): Promise<T>;
  /** Grows whenever a write transaction changed a row, whichever node wrote it (migration 0012). */
  changeVersion(): Promise<number>;
  close(): Promise<void>;
}
