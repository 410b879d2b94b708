import type { App, Corp, Customer, Member, Relation, Transfer, TransferKind, TransferStatus } from '../domain/types.js';
import type { StoredEvent } from './ports/admin.js';

/** A member with the counters the console shows beside its flags. */
export interface MemberLoad {
  member: Member;
  customers: number;
  waitingIncoming: number;
  waitingOutgoing: number;
}

export interface CustomerFilter {
  corpid: string;
  /** Exactly this customer (the detail screen). */
  externalUserid?: string;
  /** Matches the external_userid's start or any part of the name. */
  text?: string;
  /** Customers this member follows. */
  userid?: string;
  /** Customers with this tag name on any follower's relation. */
  tag?: string;
  /** Keyset paging: customers whose external_userid sorts after this one. */
  after?: string;
  limit: number;
}

export interface CustomerListing {
  customer: Customer;
  followers: string[];
  waiting: Transfer | null;
}

export interface StateCounts {
  corps: number;
  members: number;
  customers: number;
  transfers: { kind: TransferKind; status: TransferStatus; count: number }[];
  events: { status: string; count: number }[];
}

/**
 * The console's reads (issue 12), a port of their own so the hot-path ports stay as they are: each is
 * one page or one record, so a company of 100,000 customers costs the same as one of ten.
 */
export interface ConsoleReads {
  counts(): Promise<StateCounts>;
  corpsWithApps(): Promise<{ corp: Corp; apps: App[] }[]>;
  membersPage(corpid: string, afterUserid: string, limit: number): Promise<MemberLoad[]>;
  customersPage(filter: CustomerFilter): Promise<CustomerListing[]>;
  relationsOfCustomer(corpid: string, externalUserid: string): Promise<Relation[]>;
  transfersOfCustomer(corpid: string, externalUserid: string): Promise<Transfer[]>;
  event(id: number): Promise<StoredEvent | null>;
}
