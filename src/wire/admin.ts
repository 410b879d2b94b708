/**
 * The admin API's wire contract (issue 2): fixture format, clock, customer actions, outbox events.
 * Admin routes live under `/admin/`, need `Authorization: Bearer <admin token>` and answer errors as
 * `{"error": {"field"?: string, "message": string}}` with a 4xx status.
 */
import type { FixtureGroupChat } from './group-chats.js';

export type AppKind = 'self_built' | 'third_party';

/** Permission names a third-party app may hold; self-built apps are governed by `customer_contact_callable`. */
export type AppPermission = 'onjob_transfer' | 'resigned_transfer' | 'customer_basic' | 'onjob_groupchat_transfer' | 'resigned_groupchat_transfer';

export interface FixtureCallback {
  url: string;
  /** Letters and digits, at most 32 characters. */
  token: string;
  /** Letters and digits, exactly 43 characters. */
  encoding_aes_key: string;
}

export interface FixtureApp {
  agentid: number;
  secret: string;
  kind: AppKind;
  customer_contact_callable?: boolean;
  permissions?: AppPermission[];
  /** `["*"]` for the whole corp, else the userids the app can see. */
  visible_userids?: string[];
  callback?: FixtureCallback | null;
}

export interface FixtureMember {
  userid: string;
  name?: string;
  activated?: boolean;
  real_name_verified?: boolean;
  customer_contact_enabled?: boolean;
  /** ISO-8601; omitted = "just now" on the server clock, the permissive value. */
  last_login_at?: string;
  /** Default 5000. */
  customer_cap?: number;
  /** Unix seconds the member resigned (behaviour §10.1); absent or null = in service. */
  dimission_time?: number | null;
}

export interface FixtureCustomer {
  external_userid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type?: 1 | 2;
  corp_name?: string;
  corp_full_name?: string;
  position?: string;
  avatar?: string;
  gender?: 0 | 1 | 2;
  unionid?: string;
}

export interface FixtureTag {
  group_name: string;
  tag_name: string;
  type: 1 | 2 | 3;
  tag_id?: string;
}

export interface FixtureRelation {
  userid: string;
  external_userid: string;
  remark?: string;
  description?: string;
  tags?: FixtureTag[];
  /** Unix seconds or ISO-8601; exported as Unix seconds. Omitted = the server clock at load time. */
  createtime?: number | string;
  add_way?: number;
  state?: string;
  oper_userid?: string;
  remark_corp_name?: string;
  remark_mobiles?: string[];
}

export interface FixtureCorp {
  corpid: string;
  name?: string;
  apps?: FixtureApp[];
  members?: FixtureMember[];
  customers?: FixtureCustomer[];
  relations?: FixtureRelation[];
  /** Customer groups (behaviour §10.6). */
  groupchats?: FixtureGroupChat[];
}

/** The fixture document: loaded by `handover serve --fixture` and `POST /admin/fixtures`, produced by `GET /admin/fixtures`. */
export interface Fixture {
  corps: FixtureCorp[];
}

export interface AdminError {
  error: { field?: string; message: string };
}

export interface ClockState {
  /** ISO-8601 of the server clock. */
  now: string;
  frozen: boolean;
}

/** `POST /admin/clock`: exactly one of these. */
export type ClockCommand = { advance_seconds: number } | { set: string } | { freeze: boolean };

export interface CustomerMessage {
  corpid: string;
  external_userid: string;
  from_userid: string;
  content: string;
  /** ISO-8601 */
  sent_at: string;
}

export type OutboxEventStatus = 'pending' | 'delivered' | 'dead' | 'undeliverable';

export interface OutboxEvent {
  id: number;
  corpid: string;
  /** The app this row is delivered to; null when no app may receive the event (status undeliverable). */
  agentid: number | null;
  /** The change type: add_external_contact, del_external_contact or transfer_fail. */
  type: string;
  /** The event's own fields as they appear in the callback XML (UserID, ExternalUserID, Source, FailReason, …). */
  payload: Record<string, string>;
  status: OutboxEventStatus;
  attempts: number;
  last_error: string | null;
  /** ISO-8601 on the server clock. */
  created_at: string;
}
