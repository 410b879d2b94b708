import type { GroupChat, GroupTransfer, NewGroupTransfer } from '../domain/group-chat.js';
import type { SqlDb, StoreCapabilities } from './sql.js';
import * as groupChats from './queries/group-chats.js';
import * as groupTransfers from './queries/group-transfers.js';

/** A group as stored, with the one fact the status needs that the group row does not hold. */
export interface GroupChatState {
  group: GroupChat;
  inheritanceInProgress: boolean;
}

/**
 * The customer-group use cases' storage port (spec §10.6): reads for list/get, starting transfers,
 * completing inheritances. Every method runs in the transaction of the `StoreTx` it came from
 * (`tx.groupChats`), so a group change, its transfer record and its outbox rows commit together.
 */
export interface GroupChatTx {
  states(corpid: string, chatIds: readonly string[]): Promise<GroupChatState[]>;
  page(corpid: string, owners: readonly string[] | null, afterChatId: string, limit: number): Promise<GroupChatState[]>;
  /** Serialises group transfer calls of one corp until commit (see queries/group-transfers.ts). */
  lockCorp(corpid: string): Promise<void>;
  onjobStartsSince(corpid: string, chatIds: readonly string[], from: number): Promise<Map<string, number>>;
  assignedSince(corpid: string, owners: readonly string[], from: number): Promise<Map<string, number>>;
  insertTransfers(transfers: readonly NewGroupTransfer[]): Promise<GroupTransfer[]>;
  /** Writes a group whose owner changed from `previousOwner`; a concurrent change makes the transaction run again. */
  update(group: GroupChat, previousOwner: string): Promise<void>;
  claimDue(now: number, limit: number): Promise<GroupTransfer[]>;
  completeTransfers(transfers: readonly GroupTransfer[]): Promise<void>;
  inProgressTransfersOf(corpid: string, userid: string): Promise<GroupTransfer[]>;
}

export function bindGroupChatTx(db: SqlDb, caps: StoreCapabilities): GroupChatTx {
  return {
    states: (corpid, chatIds) => groupChats.groupChatStates(db, corpid, chatIds),
    page: (corpid, owners, after, limit) => groupChats.pageGroupChatStates(db, corpid, owners, after, limit),
    lockCorp: (corpid) => groupTransfers.lockCorpGroupTransfers(db, caps, corpid),
    onjobStartsSince: (corpid, chatIds, from) => groupTransfers.onjobStartsSince(db, corpid, chatIds, from),
    assignedSince: (corpid, owners, from) => groupTransfers.assignedSince(db, corpid, owners, from),
    insertTransfers: (transfers) => groupTransfers.insertGroupTransfers(db, transfers),
    update: (group, previousOwner) => groupChats.updateGroupChat(db, group, previousOwner),
    claimDue: (now, limit) => groupTransfers.claimDueGroupTransfers(db, caps, now, limit),
    completeTransfers: (transfers) => groupTransfers.completeGroupTransfers(db, transfers),
    inProgressTransfersOf: (corpid, userid) => groupTransfers.inProgressGroupTransfersOf(db, corpid, userid),
  };
}
