import type { OutboxRow } from '../domain/callback-recipients.js';
import type { TakeoverOutcome } from '../domain/takeover.js';
import type { IssuedToken } from '../domain/token-rules.js';
import type { CustomerTransferFacts } from '../domain/transfer-rules.js';
import type { App, Corp, Customer, Member, Relation, Transfer } from '../domain/types.js';
import type { OutboxEvent } from '../wire/admin.js';
import type { ConsoleReads } from './console-reads.js';
import type { StoreCapabilities } from './sql.js';

/** A whole corp as fixtures carry it. */
export interface CorpSnapshot {
  corp: Corp;
  apps: App[];
  members: Member[];
  customers: Customer[];
  relations: Relation[];
}

export interface ClockRecord {
  offsetMs: number;
  frozenAt: number | null;
  /** Changes whenever corps, apps or tokens are replaced; caches of them are valid for one generation. */
  generation: number;
}

export interface NewTransfer {
  corpid: string;
  externalUserid: string;
  handoverUserid: string;
  takeoverUserid: string;
  startedAt: number;
  dueAt: number;
}

export interface NewMessage {
  corpid: string;
  externalUserid: string;
  fromUserid: string;
  content: string;
  sentAt: number;
}

export interface StoredMessage extends NewMessage {
  id: number;
}

/** Facts the takeover engine needs about a batch of due transfers (read in the completing transaction). */
export interface TakeoverBatchFacts {
  /** Transfer ids whose handover still follows the customer. */
  handoverFollows: Set<number>;
  takeoverFriends: Set<number>;
  takeoverEarlierHandedOver: Set<number>;
  customerCounts: Map<string, number>;
  caps: Map<string, number>;
}

/** An outbox row leased for one delivery attempt, with its recipient app. */
export interface ClaimedDelivery {
  id: number;
  app: App;
  type: string;
  payload: Record<string, string>;
  /** Server-clock instant the event happened (its CreateTime). */
  createdAt: number;
  /** 1 for the first attempt. */
  attempt: number;
}

export type DeliveryResult =
  | { id: number; outcome: 'delivered' }
  | { id: number; outcome: 'retry'; nextAttemptAt: number; error: string }
  | { id: number; outcome: 'dead' | 'undeliverable'; error: string };

export interface EventFilter {
  corpid?: string;
  status?: string;
  afterId?: number;
  limit: number;
}

/**
 * The storage port: coarse, batch-shaped operations in domain types. Each call runs inside the
 * transaction of the `StoreTx` it is called on, so a use case decides and persists atomically.
 */
export interface StoreTx {
  clockState(): Promise<ClockRecord>;
  setClockState(state: ClockRecord): Promise<void>;

  corpExists(corpid: string): Promise<boolean>;
  findAppBySecret(corpid: string, secret: string): Promise<App | null>;
  getApp(corpid: string, agentid: number): Promise<App | null>;
  findLiveToken(corpid: string, agentid: number, now: number): Promise<IssuedToken | null>;
  findToken(token: string): Promise<IssuedToken | null>;
  insertToken(token: IssuedToken): Promise<void>;

  getMembers(corpid: string, userids: readonly string[]): Promise<Member[]>;
  listMembers(corpid: string): Promise<Member[]>;
  updateMember(member: Member): Promise<void>;
  listCorpsOfMember(userid: string): Promise<string[]>;
  transferFacts(corpid: string, handoverUserid: string, externalUserids: readonly string[], quotaFrom: number): Promise<Map<string, CustomerTransferFacts>>;
  /** Customers the member follows now plus waiting transfers towards it; locks the member until commit
   * where row locks exist, so concurrent calls for one takeover are judged one after the other. */
  lockTakeoverLoad(corpid: string, takeoverUserid: string): Promise<number>;
  /** The external_userids that got their waiting transfer (the others already had one: 40129). */
  insertTransfers(transfers: readonly NewTransfer[]): Promise<Set<string>>;
  insertMessages(messages: readonly NewMessage[]): Promise<void>;

  /** Due waiting transfers, oldest first; on PostgreSQL locked with SKIP LOCKED so nodes never share one. */
  claimDueTransfers(now: number, limit: number): Promise<Transfer[]>;
  takeoverFacts(transfers: readonly Transfer[]): Promise<TakeoverBatchFacts>;
  applyTakeoverOutcomes(outcomes: readonly TakeoverOutcome[]): Promise<void>;
  findWaitingTransfer(corpid: string, externalUserid: string): Promise<Transfer | null>;
  updateTransferStatus(transfer: Transfer): Promise<void>;
  /** Apps of these corps that have a callback configured. */
  callbackApps(corpids: readonly string[]): Promise<App[]>;
  insertOutboxRows(rows: readonly OutboxRow[], now: number): Promise<void>;
  claimDeliveries(realNow: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]>;
  recordDeliveries(results: readonly DeliveryResult[], realNow: number): Promise<void>;
  /** false when the row is not dead or delivered (or has no recipient). */
  redeliver(eventId: number): Promise<boolean>;
  setAppCallback(corpid: string, agentid: number, callback: App['callback']): Promise<void>;
  appsWithAgentid(agentid: number): Promise<App[]>;

  latestTransfersOfPair(corpid: string, handoverUserid: string, takeoverUserid: string, afterExternalUserid: string, limit: number): Promise<Transfer[]>;

  getCustomer(corpid: string, externalUserid: string): Promise<Customer | null>;
  getCustomers(corpid: string, externalUserids: readonly string[]): Promise<Customer[]>;
  relationsOfCustomer(corpid: string, externalUserid: string): Promise<Relation[]>;
  customerIdsOf(corpid: string, userid: string): Promise<string[]>;
  /** Relations of the members, ordered by (position of userid in `userids`, external_userid), after the cursor. */
  relationsOfMembers(corpid: string, userids: readonly string[], after: { userIndex: number; externalUserid: string }, limit: number): Promise<Relation[]>;

  corpidsOfCustomer(externalUserid: string): Promise<string[]>;
  messagesOf(corpid: string, externalUserid: string): Promise<StoredMessage[]>;
  listEvents(filter: EventFilter): Promise<OutboxEvent[]>;

  /** Replaces every corp in `corps` (and all its transfers, messages, events and tokens) with the snapshot. */
  loadCorps(corps: readonly CorpSnapshot[]): Promise<void>;
  exportCorps(): Promise<CorpSnapshot[]>;
  reset(): Promise<void>;
}

export interface Store {
  readonly capabilities: StoreCapabilities;
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** The console's reads (issue 12), in one read transaction. */
  readConsole<T>(fn: (reads: ConsoleReads) => Promise<T>): Promise<T>;
  /** Grows whenever a write transaction changed a row, whichever node wrote it (migration 0012). */
  changeVersion(): Promise<number>;
  close(): Promise<void>;
}
