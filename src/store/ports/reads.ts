import type { UnassignedCustomer } from '../../domain/resigned-members.js';
import type { Customer, Member, Relation, Transfer, TransferKind } from '../../domain/types.js';

/** Where a page of get_unassigned_list starts: after a row (cursor), or at an offset (legacy page_id). */
export type UnassignedFrom = { after: UnassignedCustomer | null } | { offset: number };

/** The read APIs (behaviour §6, §9.3, §10.5, §10.7). */
export interface ReadsPort {
  getMembers(corpid: string, userids: readonly string[]): Promise<Member[]>;
  listMembers(corpid: string): Promise<Member[]>;
  getCustomer(corpid: string, externalUserid: string): Promise<Customer | null>;
  getCustomers(corpid: string, externalUserids: readonly string[]): Promise<Customer[]>;
  relationsOfCustomer(corpid: string, externalUserid: string): Promise<Relation[]>;
  customerIdsOf(corpid: string, userid: string): Promise<string[]>;
  /** Relations of the members, ordered by (position of userid in `userids`, external_userid), after the cursor. */
  relationsOfMembers(corpid: string, userids: readonly string[], after: { userIndex: number; externalUserid: string }, limit: number): Promise<Relation[]>;
  latestTransfersOfPair(kind: TransferKind, corpid: string, handoverUserid: string, takeoverUserid: string, afterExternalUserid: string, limit: number): Promise<Transfer[]>;
  unassignedCustomers(corpid: string, from: UnassignedFrom, limit: number): Promise<UnassignedCustomer[]>;
  latestTransferOfCustomer(corpid: string, handoverUserid: string, takeoverUserid: string, externalUserid: string): Promise<Transfer | null>;
}
