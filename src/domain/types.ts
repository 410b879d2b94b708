/**
 * Glossary
 * - Corp: a WeCom company, known by its corpid.
 * - App: an application of a corp; each has its own secret and its own access tokens.
 * - Member: a staff member (userid). The handover member gives customers away; the takeover member receives them.
 * - Customer: an external contact (external_userid) of the corp.
 * - Relation (follow): a member following a customer, with the member's own remark, description and tags.
 * - Transfer: one customer moving from handover to takeover; waits 24 h (status 2) then ends as
 *   done (1), refused by the customer (3) or failed because the takeover was full (4).
 * All instants are epoch milliseconds of the server clock.
 */
import type { AppKind, AppPermission, FixtureCallback, FixtureTag } from '../wire/admin.js';

export type EpochMs = number;

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
  callback: FixtureCallback | null;
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

export type Tag = FixtureTag;

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

export interface Transfer {
  id: number;
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
