import type { GroupChat, GroupTransfer, NewGroupTransfer } from '../../domain/group-chat.js';

/** A group as stored, with the one fact its status needs that the group row does not hold. */
export interface GroupChatState {
  group: GroupChat;
  inheritanceInProgress: boolean;
}

/** Customer groups (behaviour §10.6): reads for list/get, starting group transfers, completing inheritances. */
export interface GroupChatsPort {
  groupChatStates(corpid: string, chatIds: readonly string[]): Promise<GroupChatState[]>;
  /** A page of the corp's groups in chat_id order after `afterChatId`; `owners` null = every owner. */
  pageGroupChats(corpid: string, owners: readonly string[] | null, afterChatId: string, limit: number): Promise<GroupChatState[]>;
  /** Serialises group transfer calls of one corp until commit (see queries/group-transfers.ts). */
  lockCorpGroupTransfers(corpid: string): Promise<void>;
  groupOnjobStartsSince(corpid: string, chatIds: readonly string[], from: number): Promise<Map<string, number>>;
  groupsAssignedSince(corpid: string, owners: readonly string[], from: number): Promise<Map<string, number>>;
  insertGroupTransfers(transfers: readonly NewGroupTransfer[]): Promise<GroupTransfer[]>;
  /** Writes a group whose owner changed from `previousOwner`; a concurrent change makes the transaction run again. */
  updateGroupChat(group: GroupChat, previousOwner: string): Promise<void>;
  claimDueGroupTransfers(now: number, limit: number): Promise<GroupTransfer[]>;
  completeGroupTransfers(transfers: readonly GroupTransfer[]): Promise<void>;
  inProgressGroupTransfersOf(corpid: string, userid: string): Promise<GroupTransfer[]>;
}
