import type { WecomResponse } from './envelope.js';

/** Tag on a follow relation; `tag_id` is absent for personal tags (type 2) (behaviour §6.3). */
export interface FollowUserTag {
  group_name: string;
  tag_name: string;
  /** 1 corp tag, 2 personal tag, 3 rule-group tag. */
  type: 1 | 2 | 3;
  tag_id?: string;
}

/** The customer as `externalcontact/get` shows it (behaviour §6.3). */
export interface ExternalContact {
  external_userid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  avatar: string;
  /** 0 unknown, 1 male, 2 female. */
  gender: 0 | 1 | 2;
  unionid?: string;
  position?: string;
  corp_name?: string;
  corp_full_name?: string;
}

/** One member following the customer, as `externalcontact/get` lists it (behaviour §6.3). */
export interface FollowUser {
  userid: string;
  remark: string;
  description: string;
  /** Unix seconds the relation was created. */
  createtime: number;
  tags: FollowUserTag[];
  remark_corp_name?: string;
  remark_mobiles: string[];
  oper_userid: string;
  /** How the relation came about; 202 = assigned by an admin/leader, which is how a completed transfer shows. */
  add_way: number;
  state?: string;
}

/** `GET /cgi-bin/externalcontact/get_follow_user_list` (behaviour §6.1). */
export interface GetFollowUserListResponse extends WecomResponse {
  follow_user: string[];
}

/** `GET /cgi-bin/externalcontact/list?userid=` (behaviour §6.2). */
export interface ListExternalContactsResponse extends WecomResponse {
  external_userid: string[];
}

/** `GET /cgi-bin/externalcontact/get?external_userid=&cursor=` (behaviour §6.3). */
export interface GetExternalContactResponse extends WecomResponse {
  external_contact?: ExternalContact;
  follow_user: FollowUser[];
  /** Present only when the customer has more followers than one page (500) holds. */
  next_cursor?: string;
}

/** Followers per page of `externalcontact/get` (behaviour §6.3). */
export const GET_CONTACT_FOLLOWERS_PAGE_SIZE = 500;

/** Body of `POST /cgi-bin/externalcontact/batch/get_by_user` (behaviour §6.4). */
export interface BatchGetByUserRequest {
  userid_list: string[];
  cursor?: string;
  /** Default 50, at most 100 (larger values are clamped). */
  limit?: number;
}

export const BATCH_GET_BY_USER_MAX_USERIDS = 100;
export const BATCH_GET_BY_USER_DEFAULT_LIMIT = 50;
export const BATCH_GET_BY_USER_MAX_LIMIT = 100;

/** The requested member's side of the relation: a single object, tag ids only, personal tags left out (behaviour §6.4). */
export interface FollowInfo {
  userid: string;
  remark: string;
  description: string;
  createtime: number;
  tag_id: string[];
  remark_corp_name?: string;
  remark_mobiles: string[];
  oper_userid: string;
  add_way: number;
  state?: string;
}

export interface BatchGetByUserResponse extends WecomResponse {
  external_contact_list: { external_contact: ExternalContact; follow_info: FollowInfo }[];
  /** `""` when there is nothing more. */
  next_cursor: string;
}
