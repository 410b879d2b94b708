import type { App, Customer, Member } from '../../domain/types.js';
import { bumpGeneration } from './clock.js';
import { chunkForParams, type SqlDb, type SqlValue, type StoreCapabilities, valuesPlaceholders } from '../sql.js';
import type { CorpSnapshot } from '../store.js';
import { groupChatsOfCorp, insertGroupChats } from './group-chats.js';
import { refreshPlannerStatistics } from './planner-statistics.js';
import { type AppRow, type CustomerRow, type MemberRow, RELATION_COLUMNS, type RelationRow, relationValues, toApp, toCustomer, toMember, toRelation } from './rows.js';

/** Tables holding a corp's data, children first so deletes never trip a foreign key. */
const CORP_TABLES = ['group_transfers', 'groupchats', 'events', 'messages', 'transfers', 'notices', 'tokens', 'relations', 'customers', 'members', 'apps', 'corps'] as const;

async function insertRows(db: SqlDb, capabilities: StoreCapabilities, table: string, columns: string, rows: readonly SqlValue[][]): Promise<void> {
  const width = columns.split(',').length;
  for (const chunk of chunkForParams(rows, width, capabilities.maxParams)) {
    await db.run(`INSERT INTO ${table} (${columns}) VALUES ${valuesPlaceholders(chunk.length, width)}`, chunk.flat());
  }
}

const appValues = (a: App): SqlValue[] => [
  a.corpid,
  a.agentid,
  a.secret,
  a.kind,
  a.customerContactCallable ? 1 : 0,
  JSON.stringify(a.permissions),
  JSON.stringify(a.visibleUserids),
  a.callback?.url ?? null,
  a.callback?.token ?? null,
  a.callback?.encodingAesKey ?? null,
];
const memberValues = (m: Member): SqlValue[] => [
  m.corpid,
  m.userid,
  m.name,
  m.activated ? 1 : 0,
  m.realNameVerified ? 1 : 0,
  m.customerContactEnabled ? 1 : 0,
  m.lastLoginAt,
  m.customerCap,
  m.dimissionTime,
];
const customerValues = (c: Customer): SqlValue[] => [c.corpid, c.externalUserid, c.name, c.type, c.corpName, c.corpFullName, c.position, c.avatar, c.gender, c.unionid];

export async function deleteCorp(db: SqlDb, corpid: string): Promise<void> {
  for (const table of CORP_TABLES) await db.run(`DELETE FROM ${table} WHERE corpid = ?`, [corpid]);
}

export async function loadCorps(db: SqlDb, capabilities: StoreCapabilities, corps: readonly CorpSnapshot[]): Promise<void> {
  await bumpGeneration(db);
  for (const snapshot of corps) {
    const corpid = snapshot.corp.corpid;
    await deleteCorp(db, corpid);
    await db.run('INSERT INTO corps (corpid, name) VALUES (?, ?)', [corpid, snapshot.corp.name]);
    await insertRows(db, capabilities, 'apps', 'corpid, agentid, secret, kind, customer_contact_callable, permissions, visible_userids, callback_url, callback_token, callback_aes_key', snapshot.apps.map(appValues));
    await insertRows(db, capabilities, 'members', 'corpid, userid, name, activated, real_name_verified, customer_contact_enabled, last_login_at, customer_cap, dimission_time', snapshot.members.map(memberValues));
    await insertRows(db, capabilities, 'customers', 'corpid, external_userid, name, type, corp_name, corp_full_name, position, avatar, gender, unionid', snapshot.customers.map(customerValues));
    await insertRows(db, capabilities, 'relations', RELATION_COLUMNS, snapshot.relations.map(relationValues));
    await insertGroupChats(db, capabilities, snapshot.groupChats);
    await db.run(
      `UPDATE members SET waiting_incoming = 0,
         customer_count = (SELECT COUNT(*) FROM relations r WHERE r.corpid = members.corpid AND r.userid = members.userid)
       WHERE corpid = ?`,
      [corpid],
    );
  }
  await refreshPlannerStatistics(db, capabilities);
}

export async function exportCorps(db: SqlDb): Promise<CorpSnapshot[]> {
  const corps = await db.all<{ corpid: string; name: string }>('SELECT corpid, name FROM corps ORDER BY corpid');
  const snapshots: CorpSnapshot[] = [];
  for (const corp of corps) {
    const params = [corp.corpid];
    snapshots.push({
      corp,
      apps: (await db.all<AppRow>('SELECT * FROM apps WHERE corpid = ? ORDER BY agentid', params)).map(toApp),
      members: (await db.all<MemberRow>('SELECT * FROM members WHERE corpid = ? ORDER BY userid', params)).map(toMember),
      customers: (await db.all<CustomerRow>('SELECT * FROM customers WHERE corpid = ? ORDER BY external_userid', params)).map(toCustomer),
      relations: (await db.all<RelationRow>(`SELECT ${RELATION_COLUMNS} FROM relations WHERE corpid = ? ORDER BY userid, external_userid`, params)).map(toRelation),
      groupChats: await groupChatsOfCorp(db, corp.corpid),
    });
  }
  return snapshots;
}

/** Empties every table but the schema's own bookkeeping; the clock goes back to real time. */
export async function resetAll(db: SqlDb): Promise<void> {
  for (const table of CORP_TABLES) await db.run(`DELETE FROM ${table}`);
  await db.run('UPDATE clock_state SET offset_ms = 0, frozen_at = NULL, generation = generation + 1 WHERE id = 1');
}
