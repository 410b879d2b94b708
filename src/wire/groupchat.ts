import type { WecomResponse } from './envelope.js';

/** Paths of the customer-group family (spec §10.6), same as WeCom's. */
export const GROUPCHAT_PATHS = {
  groupchatList: '/cgi-bin/externalcontact/groupchat/list',
  groupchatGet: '/cgi-bin/externalcontact/groupchat/get',
  groupchatOnjobTransfer: '/cgi-bin/externalcontact/groupchat/onjob_transfer',
  groupchatTransfer: '/cgi-bin/externalcontact/groupchat/transfer',
} as const;

/** `limit` of `groupchat/list`: required, 1–1000 (spec §10.6). */
export const GROUPCHAT_LIST_MAX_LIMIT = 1000;
/** `chat_id_list` of a group transfer holds 1–100 ids (spec §7.4). */
export const MAX_CHAT_IDS_PER_TRANSFER = 100;

/** 0 normal, 1 resigned owner waiting for inheritance, 2 inheritance in progress, 3 inheritance done. */
export type GroupChatStatus = 0 | 1 | 2 | 3;

export const GROUPCHAT_STATUS = { normal: 0, waiting: 1, inProgress: 2, done: 3 } as const satisfies Record<string, GroupChatStatus>;

/** Body of `POST /cgi-bin/externalcontact/groupchat/list`. */
export interface GroupChatListRequest {
  /** 0 or absent: every group; 1–3: only groups in that status. */
  status_filter?: GroupChatStatus;
  owner_filter?: { userid_list: string[] };
  cursor?: string;
  /** Required, 1–1000; missing or out of range → 40058. */
  limit: number;
}

export interface GroupChatListEntry {
  chat_id: string;
  status: GroupChatStatus;
}

export interface GroupChatListResponse extends WecomResponse {
  group_chat_list: GroupChatListEntry[];
  /** `""` at the end. */
  next_cursor: string;
}

/** Body of `POST /cgi-bin/externalcontact/groupchat/get`; unknown chat → 40050. */
export interface GroupChatGetRequest {
  chat_id: string;
  /** 1: member entries carry `name`. */
  need_name?: 0 | 1;
}

export interface GroupChatMember {
  userid: string;
  /** 1 member of the corp, 2 external customer. */
  type: 1 | 2;
  join_time: number;
  join_scene: number;
  invitor?: { userid: string };
  group_nickname: string;
  /** Only with `need_name: 1`. */
  name?: string;
}

export interface GroupChat {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  member_list: GroupChatMember[];
  admin_list: { userid: string }[];
}

export interface GroupChatGetResponse extends WecomResponse {
  group_chat: GroupChat;
}

/** Body of both `groupchat/onjob_transfer` and `groupchat/transfer` (resigned owners). */
export interface GroupChatTransferRequest {
  chat_id_list: string[];
  new_owner: string;
}

export interface FailedChat {
  chat_id: string;
  errcode: number;
  errmsg: string;
}

/** Lists failures only (`[]` when none failed): a chat that is not listed was transferred. */
export interface GroupChatTransferResponse extends WecomResponse {
  failed_chat_list: FailedChat[];
}
