import { toUnixSeconds } from '../domain/calendar.js';
import { isVisible } from '../domain/permissions.js';
import { isResigned, requireInService } from '../domain/resigned-members.js';
import { isStringArray, optionalString, requireBodyObject } from '../domain/request-fields.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import type { App, Customer, Relation } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { WecomError, wecomError } from '../domain/wecom-error.js';
import {
  BATCH_GET_BY_USER_DEFAULT_LIMIT,
  BATCH_GET_BY_USER_MAX_LIMIT,
  BATCH_GET_BY_USER_MAX_USERIDS,
  type BatchGetByUserResponse,
  type ExternalContact,
  type FollowInfo,
  type FollowUser,
  GET_CONTACT_FOLLOWERS_PAGE_SIZE,
} from '../wire/contacts.js';
import type { ServiceContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toFixtureTag } from './fixture.js';

export function toExternalContact(customer: Customer): ExternalContact {
  const contact: ExternalContact = {
    external_userid: customer.externalUserid,
    name: customer.name,
    type: customer.type,
    avatar: customer.avatar,
    gender: customer.gender,
  };
  if (customer.unionid) contact.unionid = customer.unionid;
  if (customer.position) contact.position = customer.position;
  if (customer.corpName) contact.corp_name = customer.corpName;
  if (customer.corpFullName) contact.corp_full_name = customer.corpFullName;
  return contact;
}

function toFollowUser(relation: Relation): FollowUser {
  const follow: FollowUser = {
    userid: relation.userid,
    remark: relation.remark,
    description: relation.description,
    createtime: toUnixSeconds(relation.createdAt),
    // Personal tags (type 2) carry no tag_id (behaviour §6.3).
    tags: relation.tags.map((tag) => (tag.type === 2 ? { group_name: tag.groupName, tag_name: tag.tagName, type: 2 } : toFixtureTag(tag))),
    remark_mobiles: relation.remarkMobiles,
    oper_userid: relation.operUserid,
    add_way: relation.addWay,
  };
  if (relation.remarkCorpName) follow.remark_corp_name = relation.remarkCorpName;
  if (relation.state) follow.state = relation.state;
  return follow;
}

function toFollowInfo(relation: Relation): FollowInfo {
  const { tags, ...rest } = toFollowUser(relation);
  // batch/get_by_user gives tag ids only, and no personal tags (behaviour §6.4).
  return { ...rest, tag_id: tags.flatMap((tag) => (tag.tag_id ? [tag.tag_id] : [])) };
}

/** `get_follow_user_list` (behaviour §6.1): members with customer contact, within the app's visible range, in service (§10.1). */
export async function followUserList(ctx: ServiceContext, app: App): Promise<string[]> {
  const members = await ctx.store.read((tx) => tx.listMembers(app.corpid));
  return members.filter((m) => m.customerContactEnabled && !isResigned(m) && isVisible(app, m.userid)).map((m) => m.userid);
}

/** `list?userid=` (behaviour §6.2): a member with no customers answers 84061. */
export async function listCustomerIds(ctx: ServiceContext, app: App, userid: string | undefined): Promise<string[]> {
  if (!userid) throw wecomError('USERID_MISSING', 'userid');
  if (!isValidUserid(userid)) throw wecomError('INVALID_USERID', 'userid');
  const ids = await ctx.store.read(async (tx) => {
    const [member] = await tx.getMembers(app.corpid, [userid]);
    requireInService(member ?? null, 'userid');
    if (!isVisible(app, userid)) throw wecomError('NO_PRIVILEGE', 'userid is not in the app visible range');
    return tx.customerIdsOf(app.corpid, userid);
  });
  if (ids.length === 0) throw wecomError('NOT_EXTERNAL_CONTACT');
  return ids;
}

/** `get?external_userid=&cursor=` (behaviour §6.3): followers in the visible range and in service (§10.1), 500 per page. */
export async function getContact(ctx: ServiceContext, app: App, externalUserid: string | undefined, cursor: string | undefined) {
  if (!externalUserid) throw wecomError('EXTERNAL_USERID_MISSING');
  const offset = cursor ? decodeCursor(cursor, 'f') : 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw wecomError('INVALID_PARAMETER', 'cursor');
  if (!mayNameARecord(externalUserid)) throw wecomError('INVALID_EXTERNAL_USERID');
  const { customer, relations, resigned } = await ctx.store.read(async (tx) => {
    const relations = await tx.relationsOfCustomer(app.corpid, externalUserid);
    const members = await tx.getMembers(app.corpid, relations.map((r) => r.userid));
    return {
      customer: await tx.getCustomer(app.corpid, externalUserid),
      relations,
      resigned: new Set(members.filter(isResigned).map((m) => m.userid)),
    };
  });
  if (!customer) throw wecomError('INVALID_EXTERNAL_USERID');
  const visible = relations.filter((r) => isVisible(app, r.userid) && !resigned.has(r.userid));
  if (visible.length === 0) throw wecomError('NOT_EXTERNAL_CONTACT');
  const page = visible.slice(offset, offset + GET_CONTACT_FOLLOWERS_PAGE_SIZE);
  const next = offset + GET_CONTACT_FOLLOWERS_PAGE_SIZE < visible.length ? encodeCursor('f', offset + GET_CONTACT_FOLLOWERS_PAGE_SIZE) : undefined;
  return { externalContact: toExternalContact(customer), followUser: page.map(toFollowUser), nextCursor: next };
}

function clampLimit(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw <= 0) return BATCH_GET_BY_USER_DEFAULT_LIMIT;
  return Math.min(raw, BATCH_GET_BY_USER_MAX_LIMIT);
}

/** `batch/get_by_user` (behaviour §6.4): pages over the members' customers, member by member. */
export async function batchGetByUser(ctx: ServiceContext, app: App, body: unknown): Promise<Omit<BatchGetByUserResponse, 'errcode' | 'errmsg'>> {
  const fields = requireBodyObject(body);
  // Behaviour §10.7: older SDKs (wechatpy) send one `userid` instead of `userid_list`.
  const userids = fields['userid_list'] === undefined && typeof fields['userid'] === 'string' && fields['userid'] !== '' ? [fields['userid']] : fields['userid_list'];
  if (!isStringArray(userids) || userids.length === 0) {
    throw new WecomError('USERID_MISSING', { detail: 'userid_list', wrongJsonFormat: userids !== undefined && !Array.isArray(userids) });
  }
  if (userids.length > BATCH_GET_BY_USER_MAX_USERIDS) {
    throw wecomError('INVALID_ARGUMENT', `userid_list has ${userids.length} elements, at most ${BATCH_GET_BY_USER_MAX_USERIDS} allowed`);
  }
  const cursor = optionalString(fields, 'cursor');
  const position = cursor ? decodeCursor(cursor, 'u') : [0, ''];
  if (!Array.isArray(position) || typeof position[0] !== 'number' || typeof position[1] !== 'string') throw wecomError('INVALID_PARAMETER', 'cursor');
  const limit = clampLimit(fields['limit']);

  return ctx.store.read(async (tx) => {
    const members = await tx.getMembers(app.corpid, userids.filter(isValidUserid));
    for (const userid of userids) {
      const member = members.find((m) => m.userid === userid);
      if (!member) throw wecomError('INVALID_USERID', userid);
      requireInService(member, 'userid_list member');
      if (!isVisible(app, userid)) throw wecomError('NO_PRIVILEGE', `${userid} is not in the app visible range`);
    }
    const relations = await tx.relationsOfMembers(app.corpid, userids, { userIndex: position[0] as number, externalUserid: position[1] as string }, limit + 1);
    const page = relations.slice(0, limit);
    const customers = new Map((await tx.getCustomers(app.corpid, [...new Set(page.map((r) => r.externalUserid))])).map((c) => [c.externalUserid, c]));
    const last = page[page.length - 1];
    return {
      external_contact_list: page.flatMap((relation) => {
        const customer = customers.get(relation.externalUserid);
        return customer ? [{ external_contact: toExternalContact(customer), follow_info: toFollowInfo(relation) }] : [];
      }),
      next_cursor: relations.length > limit && last ? encodeCursor('u', [userids.indexOf(last.userid), last.externalUserid]) : '',
    };
  });
}
