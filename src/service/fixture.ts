import { createHash } from 'node:crypto';
import { toUnixSeconds } from '../domain/calendar.js';
import { type App, APP_PERMISSIONS, type AppKind, type CallbackConfig, type AppPermission, type Customer, type Member, type Relation, type Tag } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import type { Fixture, FixtureCallback, FixtureCorp, FixtureMember, FixtureTag } from '../wire/admin.js';
import type { CorpSnapshot } from '../store/store.js';
import { AdminInputError, FieldReader } from './fixture-input.js';
import { groupChatsToFixture } from './fixture-groupchats.js';

const APP_KINDS: readonly AppKind[] = ['self_built', 'third_party'];
const PERMISSIONS: readonly AppPermission[] = APP_PERMISSIONS;
const DEFAULT_CUSTOMER_CAP = 5000;

/** Corp tags need a stable id when the fixture gives none, so exports and reloads agree. */
function tagId(corpid: string, tag: { group_name: string; tag_name: string }): string {
  return `et${createHash('sha1').update(`${corpid}\u0000${tag.group_name}\u0000${tag.tag_name}`).digest('hex').slice(0, 24)}`;
}

export function unique(seen: Set<string>, value: string, field: string): void {
  if (seen.has(value)) throw new AdminInputError(field, `${field} "${value}" appears twice`);
  seen.add(value);
}

export function readApp(reader: FieldReader, corpid: string, agentids: Set<string>, secrets: Set<string>): App {
  const agentid = reader.integer('agentid', { min: 1 });
  unique(agentids, String(agentid), `${reader.path}.agentid`);
  const secret = reader.string('secret', { max: 512 });
  unique(secrets, secret, `${reader.path}.secret`);
  const kind = reader.string('kind', { fallback: 'self_built' }) as AppKind;
  if (!APP_KINDS.includes(kind)) throw new AdminInputError(`${reader.path}.kind`, `${reader.path}.kind must be self_built or third_party`);
  const permissions = reader.stringArray('permissions', [...PERMISSIONS]) as AppPermission[];
  const unknown = permissions.find((p) => !PERMISSIONS.includes(p));
  if (unknown) throw new AdminInputError(`${reader.path}.permissions`, `unknown permission "${unknown}" (known: ${PERMISSIONS.join(', ')})`);
  return {
    corpid,
    agentid,
    secret,
    kind,
    customerContactCallable: reader.boolean('customer_contact_callable', true),
    permissions,
    visibleUserids: reader.stringArray('visible_userids', ['*']),
    callback: reader.has('callback') ? readCallback(reader.child('callback')) : null,
  };
}

export function readCallback(reader: FieldReader): NonNullable<App['callback']> {
  const url = reader.string('url', { pattern: /^https?:\/\/\S+$/ });
  return {
    url,
    token: reader.string('token', { pattern: /^[A-Za-z0-9]{1,32}$/ }),
    encodingAesKey: reader.string('encoding_aes_key', { pattern: /^[A-Za-z0-9]{43}$/ }),
  };
}

export function readMember(reader: FieldReader, corpid: string, now: number): Member {
  const userid = reader.string('userid');
  if (!isValidUserid(userid)) throw new AdminInputError(`${reader.path}.userid`, `${reader.path}.userid must be 1–64 letters, digits, -, _, ., @`);
  return {
    corpid,
    userid,
    name: reader.string('name', { fallback: userid }),
    activated: reader.boolean('activated', true),
    realNameVerified: reader.boolean('real_name_verified', true),
    customerContactEnabled: reader.boolean('customer_contact_enabled', true),
    lastLoginAt: reader.instant('last_login_at', now),
    customerCap: reader.integer('customer_cap', { fallback: DEFAULT_CUSTOMER_CAP, min: 0 }),
    dimissionTime: reader.has('dimission_time') ? reader.unixSeconds('dimission_time') : null,
  };
}

export function readCustomer(reader: FieldReader, corpid: string): Customer {
  return {
    corpid,
    externalUserid: reader.string('external_userid', { max: 128 }),
    name: reader.text('name'),
    type: reader.integer('type', { fallback: 1, oneOf: [1, 2] }) as 1 | 2,
    corpName: reader.optionalText('corp_name'),
    corpFullName: reader.optionalText('corp_full_name'),
    position: reader.optionalText('position'),
    avatar: reader.text('avatar'),
    gender: reader.integer('gender', { fallback: 0, oneOf: [0, 1, 2] }) as 0 | 1 | 2,
    unionid: reader.optionalText('unionid'),
  };
}

function readTag(reader: FieldReader, corpid: string): Tag {
  const tag = {
    groupName: reader.string('group_name'),
    tagName: reader.string('tag_name'),
    type: reader.integer('type', { fallback: 1, oneOf: [1, 2, 3] }) as 1 | 2 | 3,
  };
  if (tag.type === 2) return tag;
  return { ...tag, tagId: reader.has('tag_id') ? reader.string('tag_id') : tagId(corpid, { group_name: tag.groupName, tag_name: tag.tagName }) };
}

export function readRelation(reader: FieldReader, corpid: string, now: number): Relation {
  const userid = reader.string('userid');
  return {
    corpid,
    userid,
    externalUserid: reader.string('external_userid'),
    remark: reader.text('remark'),
    description: reader.text('description'),
    tags: reader.array('tags', { optional: true }).map((tag, i) => readTag(FieldReader.object(tag, `${reader.path}.tags[${i}]`), corpid)),
    createdAt: reader.instant('createtime', now, { seconds: true }),
    addWay: reader.integer('add_way', { fallback: 0, min: 0 }),
    state: reader.optionalText('state'),
    operUserid: reader.string('oper_userid', { fallback: userid }),
    remarkCorpName: reader.optionalText('remark_corp_name'),
    remarkMobiles: reader.stringArray('remark_mobiles', []),
  };
}

export function snapshotsToFixture(snapshots: readonly CorpSnapshot[]): Fixture {
  return {
    corps: snapshots.map(
      (s): FixtureCorp => ({
        corpid: s.corp.corpid,
        name: s.corp.name,
        apps: s.apps.map((a) => ({
          agentid: a.agentid,
          secret: a.secret,
          kind: a.kind,
          customer_contact_callable: a.customerContactCallable,
          permissions: a.permissions,
          visible_userids: a.visibleUserids,
          ...(a.callback ? { callback: toFixtureCallback(a.callback) } : {}),
        })),
        members: s.members.map(toFixtureMember),
        customers: s.customers.map((c) => ({
          external_userid: c.externalUserid,
          name: c.name,
          type: c.type,
          ...(c.corpName ? { corp_name: c.corpName } : {}),
          ...(c.corpFullName ? { corp_full_name: c.corpFullName } : {}),
          ...(c.position ? { position: c.position } : {}),
          ...(c.avatar ? { avatar: c.avatar } : {}),
          gender: c.gender,
          ...(c.unionid ? { unionid: c.unionid } : {}),
        })),
        relations: s.relations.map((r) => ({
          userid: r.userid,
          external_userid: r.externalUserid,
          remark: r.remark,
          description: r.description,
          tags: r.tags.map(toFixtureTag),
          createtime: toUnixSeconds(r.createdAt),
          add_way: r.addWay,
          oper_userid: r.operUserid,
          ...(r.state ? { state: r.state } : {}),
          ...(r.remarkCorpName ? { remark_corp_name: r.remarkCorpName } : {}),
          remark_mobiles: r.remarkMobiles,
        })),
        ...(s.groupChats.length > 0 ? { groupchats: groupChatsToFixture(s.groupChats) } : {}),
      }),
    ),
  };
}

export function toFixtureTag(tag: Tag): FixtureTag {
  return { group_name: tag.groupName, tag_name: tag.tagName, type: tag.type, ...(tag.tagId !== undefined ? { tag_id: tag.tagId } : {}) };
}

/** A member in the fixture's words (also what the admin member routes answer, with its corpid). */
export function toFixtureMember(m: Member): FixtureMember {
  return {
    userid: m.userid,
    name: m.name,
    activated: m.activated,
    real_name_verified: m.realNameVerified,
    customer_contact_enabled: m.customerContactEnabled,
    last_login_at: new Date(m.lastLoginAt).toISOString(),
    customer_cap: m.customerCap,
    ...(m.dimissionTime !== null ? { dimission_time: toUnixSeconds(m.dimissionTime) } : {}),
  };
}

/** An app's callback in the fixture's (and the admin API's) words. */
export function toFixtureCallback(callback: CallbackConfig): FixtureCallback {
  return { url: callback.url, token: callback.token, encoding_aes_key: callback.encodingAesKey };
}
