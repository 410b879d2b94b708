import type { App, Corp, Customer, Member, Relation } from '../../domain/types.js';
import type { GroupChat } from '../../domain/group-chat.js';
import type { NewMessage } from './start-transfers.js';

/** A whole corp as fixtures carry it. */
export interface CorpSnapshot {
  corp: Corp;
  apps: App[];
  members: Member[];
  customers: Customer[];
  relations: Relation[];
  groupChats: GroupChat[];
}

export interface StoredMessage extends NewMessage {
  id: number;
}

export type StoredEventStatus = 'pending' | 'delivered' | 'dead' | 'undeliverable';

/** An outbox row as the admin API lists it. */
export interface StoredEvent {
  id: number;
  corpid: string;
  agentid: number | null;
  type: string;
  payload: Record<string, string>;
  status: StoredEventStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
}

export interface EventFilter {
  corpid?: string;
  status?: string;
  afterId?: number;
  limit: number;
}

/** Fixtures, reset, members and what the admin API shows of customers and events (issue 2). */
export interface AdminPort {
  getMembers(corpid: string, userids: readonly string[]): Promise<Member[]>;
  updateMember(member: Member): Promise<void>;
  listCorpsOfMember(userid: string): Promise<string[]>;
  /** Whether the member has a waiting transfer of any kind, in or out (behaviour §10.1). */
  hasWaitingTransfers(corpid: string, userid: string): Promise<boolean>;
  corpidsOfCustomer(externalUserid: string): Promise<string[]>;
  messagesOf(corpid: string, externalUserid: string): Promise<StoredMessage[]>;
  listEvents(filter: EventFilter): Promise<StoredEvent[]>;
  /** Replaces every corp in `corps` (and all its transfers, messages, events and tokens) with the snapshot. */
  loadCorps(corps: readonly CorpSnapshot[]): Promise<void>;
  /**
   * The steps of loadCorps, for a fixture streamed one batch at a time (issue 13): begin (the corp's old
   * data goes), apps, members, customers and relations in any number of batches, then finish (groups and
   * member counts). Validation is the caller's: these only write.
   */
  beginCorpLoad(corp: Corp): Promise<void>;
  renameCorp(corpid: string, name: string): Promise<void>;
  insertApps(apps: readonly App[]): Promise<void>;
  insertMembers(members: readonly Member[]): Promise<void>;
  insertCustomers(customers: readonly Customer[]): Promise<void>;
  insertRelations(relations: readonly Relation[]): Promise<void>;
  finishCorpLoad(corpid: string, groupChats: readonly GroupChat[]): Promise<void>;
  /**
   * Drops customers' plain secondary indexes (where one process owns the store, and while the `loadedRows`
   * customers this load wrote outweigh the rows already there), answering the statements that restore them;
   * none when it dropped none.
   */
  deferLoadIndexes(loadedRows: number): Promise<string[]>;
  restoreLoadIndexes(statements: readonly string[]): Promise<void>;
  exportCorps(): Promise<CorpSnapshot[]>;
  reset(): Promise<void>;
}
