import type { WecomResponse } from './envelope.js';

/**
 * Customer groups (客户群) on the wire (behaviour §7.4–7.5, §10.6): the four group APIs and the fixture's
 * `groupchats` field. Instants are Unix seconds, as WeCom sends them.
 */

/** `groupchat/list` body; `limit` 1–1000 is required. */
export interface GroupChatListRequest {
  /** 0 or absent: every group; 1 owner resigned, 2 inheritance in progress, 3 inherited. */
  status_filter?: 0 | 1 | 2 | 3;
  owner_filter?: { userid_list?: string[] };
  cursor?: string;
  limit: number;
}

export interface GroupChatListResponse extends WecomResponse {
  group_chat_list: { chat_id: string; status: 0 | 1 | 2 | 3 }[];
  /** `""` on the last page. */
  next_cursor: string;
}

export interface GroupChatGetRequest {
  chat_id: string;
  /** 1: each member carries its `name`. */
  need_name?: 0 | 1;
}

export interface GroupChatMemberInfo {
  userid: string;
  /** 1 member of the corp, 2 external customer. */
  type: 1 | 2;
  join_time: number;
  join_scene: number;
  invitor?: { userid: string };
  group_nickname: string;
  name?: string;
}

export interface GroupChatInfo {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  member_list: GroupChatMemberInfo[];
  admin_list: { userid: string }[];
}

export interface GroupChatGetResponse extends WecomResponse {
  group_chat: GroupChatInfo;
}

/** Body of `groupchat/onjob_transfer` and `groupchat/transfer`. */
export interface GroupChatTransferRequest {
  /** 1–100 ids. */
  chat_id_list: string[];
  new_owner: string;
}

export interface GroupChatTransferFailure {
  chat_id: string;
  errcode: number;
  errmsg: string;
}

/** Only the groups that failed are listed; `[]` when none did. */
export interface GroupChatTransferResponse extends WecomResponse {
  failed_chat_list: GroupChatTransferFailure[];
}

/** A member of a fixture group. */
export interface FixtureGroupChatMember {
  userid: string;
  type: 1 | 2;
  /** Unix seconds or ISO-8601; omitted = the server clock at load time. */
  join_time?: number | string;
  /** Default 1 (invited directly). */
  join_scene?: number;
  invitor?: string;
  group_nickname?: string;
}

/** A corp's customer group in a fixture; `owner` must be a member of the corp. */
export interface FixtureGroupChat {
  chat_id: string;
  name?: string;
  owner: string;
  /** Unix seconds or ISO-8601; omitted = the server clock at load time. */
  create_time?: number | string;
  notice?: string;
  members?: FixtureGroupChatMember[];
  admins?: string[];
  /** A resigned owner's inheritance of this group completed (status 3); exported so a reload keeps it. */
  inherited?: boolean;
}

/** `limit` of `groupchat/list` is 1–1000 (behaviour §10.6); the SDK's iterator asks for full pages. */
export const GROUPCHAT_LIST_MAX_LIMIT = 1000;
/** `chat_id_list` of a group transfer holds 1–100 ids (behaviour §7.4); the SDK batches by it. */
export const MAX_CHAT_IDS_PER_TRANSFER = 100;
/** A group's status: 0 normal, 1 resigned owner waiting for inheritance, 2 inheritance in progress, 3 inherited. */
export type GroupChatStatus = GroupChatListResponse['group_chat_list'][number]['status'];
