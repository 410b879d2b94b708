import { type App, type AppKind, type AppPermission, type Customer, type Member, type Relation, type Tag, type Transfer, TransferStatus } from '../../domain/types.js';

/** Row shapes as both drivers return them (pg's int8 is parsed to number by the adapter). */
export interface AppRow {
  corpid: string;
  agentid: number;
  secret: string;
  kind: string;
  customer_contact_callable: number;
  permissions: string;
  visible_userids: string;
  callback_url: string | null;
  callback_token: string | null;
  callback_aes_key: string | null;
}

export function toApp(row: AppRow): App {
  return {
    corpid: row.corpid,
    agentid: Number(row.agentid),
    secret: row.secret,
    kind: row.kind as AppKind,
    customerContactCallable: Boolean(row.customer_contact_callable),
    permissions: JSON.parse(row.permissions) as AppPermission[],
    visibleUserids: JSON.parse(row.visible_userids) as string[],
    callback:
      row.callback_url && row.callback_token && row.callback_aes_key
        ? { url: row.callback_url, token: row.callback_token, encodingAesKey: row.callback_aes_key }
        : null,
  };
}

export interface MemberRow {
  corpid: string;
  userid: string;
  name: string;
  activated: number;
  real_name_verified: number;
  customer_contact_enabled: number;
  last_login_at: number;
  customer_cap: number;
  dimission_time: number | null;
}

export function toMember(row: MemberRow): Member {
  return {
    corpid: row.corpid,
    userid: row.userid,
    name: row.name,
    activated: Boolean(row.activated),
    realNameVerified: Boolean(row.real_name_verified),
    customerContactEnabled: Boolean(row.customer_contact_enabled),
    lastLoginAt: Number(row.last_login_at),
    customerCap: Number(row.customer_cap),
    dimissionTime: row.dimission_time === null || row.dimission_time === undefined ? null : Number(row.dimission_time),
  };
}

export interface CustomerRow {
  corpid: string;
  external_userid: string;
  name: string;
  type: number;
  corp_name: string | null;
  corp_full_name: string | null;
  position: string | null;
  avatar: string;
  gender: number;
  unionid: string | null;
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    corpid: row.corpid,
    externalUserid: row.external_userid,
    name: row.name,
    type: Number(row.type) === 2 ? 2 : 1,
    corpName: row.corp_name,
    corpFullName: row.corp_full_name,
    position: row.position,
    avatar: row.avatar,
    gender: Number(row.gender) as 0 | 1 | 2,
    unionid: row.unionid,
  };
}

/** Tags are kept as JSON in WeCom's own field names (the SQL copy of a takeover moves them as text). */
interface StoredTag {
  group_name: string;
  tag_name: string;
  type: 1 | 2 | 3;
  tag_id?: string;
}

function fromStoredTag(tag: StoredTag): Tag {
  return { groupName: tag.group_name, tagName: tag.tag_name, type: tag.type, ...(tag.tag_id !== undefined ? { tagId: tag.tag_id } : {}) };
}

function toStoredTag(tag: Tag): StoredTag {
  return { group_name: tag.groupName, tag_name: tag.tagName, type: tag.type, ...(tag.tagId !== undefined ? { tag_id: tag.tagId } : {}) };
}

export interface RelationRow {
  corpid: string;
  userid: string;
  external_userid: string;
  remark: string;
  description: string;
  tags: string;
  created_at: number;
  add_way: number;
  state: string | null;
  oper_userid: string;
  remark_corp_name: string | null;
  remark_mobiles: string;
}

export const RELATION_COLUMNS =
  'corpid, userid, external_userid, remark, description, tags, created_at, add_way, state, oper_userid, remark_corp_name, remark_mobiles';

export function toRelation(row: RelationRow): Relation {
  return {
    corpid: row.corpid,
    userid: row.userid,
    externalUserid: row.external_userid,
    remark: row.remark,
    description: row.description,
    tags: (JSON.parse(row.tags) as StoredTag[]).map(fromStoredTag),
    createdAt: Number(row.created_at),
    addWay: Number(row.add_way),
    state: row.state,
    operUserid: row.oper_userid,
    remarkCorpName: row.remark_corp_name,
    remarkMobiles: JSON.parse(row.remark_mobiles) as string[],
  };
}

export function relationValues(relation: Relation): (string | number | null)[] {
  return [
    relation.corpid,
    relation.userid,
    relation.externalUserid,
    relation.remark,
    relation.description,
    JSON.stringify(relation.tags.map(toStoredTag)),
    relation.createdAt,
    relation.addWay,
    relation.state,
    relation.operUserid,
    relation.remarkCorpName,
    JSON.stringify(relation.remarkMobiles),
  ];
}

export interface TransferRow {
  id: number;
  kind: string;
  corpid: string;
  external_userid: string;
  handover_userid: string;
  takeover_userid: string;
  status: number;
  started_at: number;
  due_at: number;
  ended_at: number | null;
}

export const TRANSFER_COLUMNS = 'id, kind, corpid, external_userid, handover_userid, takeover_userid, status, started_at, due_at, ended_at';

/** A transfer's instants (epoch ms; no end while it waits), customer or group transfer (group-transfers.ts) alike. */
export function transferInstants(row: Pick<TransferRow, 'started_at' | 'due_at' | 'ended_at'>): Pick<Transfer, 'startedAt' | 'dueAt' | 'endedAt'> {
  return {
    startedAt: Number(row.started_at),
    dueAt: Number(row.due_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  };
}

export function toTransfer(row: TransferRow): Transfer {
  return {
    id: Number(row.id),
    kind: row.kind === 'resigned' ? 'resigned' : 'onjob',
    corpid: row.corpid,
    externalUserid: row.external_userid,
    handoverUserid: row.handover_userid,
    takeoverUserid: row.takeover_userid,
    status: Number(row.status) as TransferStatus,
    // Last, where they always were: a serialised transfer keeps its key order.
    ...transferInstants(row),
  };
}

/**
 * "This transfer is waiting", written as the key of `transfers_by_customer_slot` (migration 0014: the slot is
 * 0 for a waiting transfer, its own id, never 0, otherwise), for lookups by customer. Written as
 * `status = 2` it also matched the partial index `transfers_due … WHERE status = 2`, which PostgreSQL costs
 * the same as the slot index while `transfers` is analysed empty (after a load) and then picked for the
 * transfer facts: every 1-id call of figure 6 read all waiting transfers (auto_explain: 6,958 rows, 987
 * buffers, 5.3 ms), so PostgreSQL's CPU per call grew through each run. With the slot's key the probe is an
 * equality on a unique index, and `transfers_due` cannot serve it.
 */
export function isWaiting(alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`;
  return `(CASE WHEN ${prefix}status = ${TransferStatus.waiting} THEN 0 ELSE ${prefix}id END) = 0`;
}
