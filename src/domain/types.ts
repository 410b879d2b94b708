/**
 * Glossary
 * - Corp: a WeCom company, known by its corpid.
 * - App: an application of a corp; each has its own secret and its own access tokens.
 * - Member: a staff member (userid). The handover member gives customers away; the takeover member receives them.
 * - Customer: an external contact (external_userid) of the corp.
 * - Relation (follow): a member following a customer, with the member's own remark, description and tags.
 * - Transfer: one customer moving from handover to takeover; waits 24 h (status 2) then ends as
 *   done (1), refused by the customer (3) or failed because the takeover was full (4). Its kind is
 *   `onjob` (在职继承, the handover is in service) or `resigned` (离职继承, the handover has resigned).
 * - Resigned member: a member with a dimission time; it still holds its customers until a resigned
 *   transfer ends them. A customer it holds with no waiting transfer is unassigned (behaviour §10.1).
 * All instants are epoch milliseconds of the server clock.
 */

export type EpochMs = number;

export type AppKind = 'self_built' | 'third_party';

/** Permissions a third-party app may hold (behaviour §9.1.2, §10.2, §10.6); self-built apps use the callable list. */
export const APP_PERMISSIONS = ['onjob_transfer', 'resigned_transfer', 'customer_basic', 'onjob_groupchat_transfer', 'resigned_groupchat_transfer'] as const;
export type AppPermission = (typeof APP_PERMISSIONS)[number];

/** Where and how an app receives callbacks (behaviour §4). */
export interface CallbackConfig {
  url: string;
  token: string;
  encodingAesKey: string;
}

export interface Corp {
  corpid: string;
  name: string;
}

export interface App {
  corpid: string;
  agentid: number;
  secret: string;
  kind: AppKind;
  customerContactCallable: boolean;
  permissions: AppPermission[];
  /** `['*']` = the whole corp. */
  visibleUserids: string[];
  callback: CallbackConfig | null;
}

export interface Member {
  corpid: string;
  userid: string;
  name: string;
  activated: boolean;
  realNameVerified: boolean;
  customerContactEnabled: boolean;
  lastLoginAt: EpochMs;
  customerCap: number;
  /** When the member resigned (behaviour §10.1); null while in service. A resigned member still holds its
   * customer relations until a resigned transfer ends them. */
  dimissionTime: EpochMs | null;
}

export interface Customer {
  corpid: string;
  externalUserid: string;
  name: string;
  type: 1 | 2;
  corpName: string | null;
  corpFullName: string | null;
  position: string | null;
  avatar: string;
  gender: 0 | 1 | 2;
  unionid: string | null;
}

/** A tag on a relation: corp tags (type 1, 3) carry an id, personal tags (type 2) none (behaviour §6.3). */
export interface Tag {
  groupName: string;
  tagName: string;
  type: 1 | 2 | 3;
  tagId?: string;
}

export interface Relation {
  corpid: string;
  userid: string;
  externalUserid: string;
  remark: string;
  description: string;
  tags: Tag[];
  /** Epoch ms the relation was created. */
  createdAt: EpochMs;
  addWay: number;
  state: string | null;
  operUserid: string;
  remarkCorpName: string | null;
  remarkMobiles: string[];
}

export const TransferStatus = {
  done: 1,
  waiting: 2,
  refused: 3,
  takeoverFull: 4,
} as const;
export type TransferStatus = (typeof TransferStatus)[keyof typeof TransferStatus];

export const TRANSFER_KINDS = ['onjob', 'resigned'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export interface Transfer {
  id: number;
  kind: TransferKind;
  corpid: string;
  externalUserid: string;
  handoverUserid: string;
  takeoverUserid: string;
  status: TransferStatus;
  startedAt: EpochMs;
  /** When the automatic takeover falls due (start + 24 h). */
  dueAt: EpochMs;
  /** When the transfer ended (done, refused or full); null while waiting. */
  endedAt: EpochMs | null;
}

/** `add_way` of a relation created by a completed transfer: 管理员/负责人分配 (behaviour §6.3, §9.2). */
export const ADD_WAY_ASSIGNED_BY_ADMIN = 202;

/** Key of a member across corps, for maps that span a batch of several corps. */
export function memberKey(corpid: string, userid: string): string {
  return `${corpid}\u0000${userid}`;
}
