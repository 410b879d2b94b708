import type { App, Customer, Member, Relation } from '../../domain/types.js';
import type { GroupChat } from '../../domain/group-chat.js';
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
    // A plain loop: Array.prototype.flat was 11% of a 200,000-customer load's CPU (--cpu-prof).
    const params = new Array<SqlValue>(chunk.length * width);
    let at = 0;
    for (const row of chunk) for (let column = 0; column < width; column++) params[at++] = row[column]!;
    await db.run(`INSERT INTO ${table} (${columns}) VALUES ${valuesPlaceholders(chunk.length, width)}`, params);
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
const CUSTOMER_COLUMNS = 'corpid, external_userid, name, type, corp_name, corp_full_name, position, avatar, gender, unionid';
const customerValues = (c: Customer): SqlValue[] => [c.corpid, c.externalUserid, c.name, c.type, c.corpName, c.corpFullName, c.position, c.avatar, c.gender, c.unionid];

export async function deleteCorp(db: SqlDb, corpid: string): Promise<void> {
  for (const table of CORP_TABLES) await db.run(`DELETE FROM ${table} WHERE corpid = ?`, [corpid]);
}

/**
 * The first step of loading one corp (issue 13's streaming load runs the steps one batch at a time; loadCorps
 * below runs them for a whole snapshot): whatever the database held of the corp goes, its row comes back.
 */
export async function beginCorpLoad(db: SqlDb, corp: { corpid: string; name: string }): Promise<void> {
  await bumpGeneration(db);
  await deleteCorp(db, corp.corpid);
  await db.run('INSERT INTO corps (corpid, name) VALUES (?, ?)', [corp.corpid, corp.name]);
}

/** A corp's name that the fixture gave after its customers (a key order that still streams). */
export async function renameCorp(db: SqlDb, corpid: string, name: string): Promise<void> {
  await db.run('UPDATE corps SET name = ? WHERE corpid = ?', [name, corpid]);
}

export async function insertApps(db: SqlDb, capabilities: StoreCapabilities, apps: readonly App[]): Promise<void> {
  await insertRows(db, capabilities, 'apps', 'corpid, agentid, secret, kind, customer_contact_callable, permissions, visible_userids, callback_url, callback_token, callback_aes_key', apps.map(appValues));
}

export async function insertMembers(db: SqlDb, capabilities: StoreCapabilities, members: readonly Member[]): Promise<void> {
  await insertRows(db, capabilities, 'members', 'corpid, userid, name, activated, real_name_verified, customer_contact_enabled, last_login_at, customer_cap, dimission_time', members.map(memberValues));
}

export async function insertCustomers(db: SqlDb, capabilities: StoreCapabilities, customers: readonly Customer[]): Promise<void> {
  await insertRows(db, capabilities, 'customers', CUSTOMER_COLUMNS, customers.map(customerValues));
}

export async function insertRelations(db: SqlDb, capabilities: StoreCapabilities, relations: readonly Relation[]): Promise<void> {
  await insertRows(db, capabilities, 'relations', RELATION_COLUMNS, relations.map(relationValues));
}

/** The last step: the corp's groups, each member's customer count from the relations just loaded, and fresh
 * planner statistics (the streamed load and loadCorps both end here). */
export async function finishCorpLoad(db: SqlDb, capabilities: StoreCapabilities, corpid: string, groupChats: readonly GroupChat[]): Promise<void> {
  await insertGroupChats(db, capabilities, groupChats);
  await db.run(
    `UPDATE members SET waiting_incoming = 0,
       customer_count = (SELECT COUNT(*) FROM relations r WHERE r.corpid = members.corpid AND r.userid = members.userid)
     WHERE corpid = ?`,
    [corpid],
  );
  await refreshPlannerStatistics(db, capabilities);
}

export async function loadCorps(db: SqlDb, capabilities: StoreCapabilities, corps: readonly CorpSnapshot[]): Promise<void> {
  for (const snapshot of corps) {
    await beginCorpLoad(db, snapshot.corp);
    await insertApps(db, capabilities, snapshot.apps);
    await insertMembers(db, capabilities, snapshot.members);
    await insertCustomers(db, capabilities, snapshot.customers);
    await insertRelations(db, capabilities, snapshot.relations);
    await finishCorpLoad(db, capabilities, snapshot.corp.corpid, snapshot.groupChats);
  }
}

/**
 * Tables whose secondary indexes a big load builds once after it instead of row by row. Both big tables:
 * relations' index too, since restoreLoadIndexes sorts on disk (below) instead of in memory.
 */
const BULK_TABLES = ['customers', 'relations'] as const;

/**
 * Drops the plain secondary indexes of the BULK_TABLES and answers the statements that build them
 * again (restoreLoadIndexes, before the commit), when the `loadedRows` this load wrote so far are at least
 * the rows of other corps in those tables; otherwise answers none and drops nothing. Read from the schema itself, so an index another migration
 * adds comes back as it was. Only where the capability says one process owns the database: on PostgreSQL
 * DROP INDEX would lock the tables against every other node until the commit.
 */
export async function deferLoadIndexes(db: SqlDb, capabilities: StoreCapabilities, loadedRows: number): Promise<string[]> {
  if (!capabilities.deferIndexes) return [];
  // Building an index sorts the whole table: worth it only while this load is at least what was there before.
  const total = await db.get<{ n: number }>(`SELECT ${BULK_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(' + ')} AS n`);
  if (Number(total?.n ?? 0) - loadedRows > loadedRows) return [];
  const indexes = await db.all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')}) ORDER BY name`,
    [...BULK_TABLES],
  );
  const plain = indexes.filter((index) => !/^\s*CREATE\s+UNIQUE\b/i.test(index.sql));
  for (const index of plain) await db.run(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
  return plain.map((index) => index.sql);
}

/** Sort memory for the rebuilds: SQLite's sorter keeps up to cache_size bytes of keys before it writes a run. */
const INDEX_BUILD_CACHE_KIB = 8192;

/**
 * Builds the dropped indexes again. The server keeps SQLite's temporary storage in memory (temp_store, for
 * the group commit's savepoints) and a 64 MB page cache, so CREATE INDEX would hold its sort in memory:
 * building both big tables' indexes after a 1,000,000-customer load took peak RSS from 286 to 417 MB, past
 * issue 13's 400 MB. Around the builds temporary storage is a file and the cache (which also bounds the
 * sorter's in-memory runs) is small. SQLite allows both inside a transaction (temp_store only while the
 * connection has no temporary tables; otherwise the builds sort in memory, as before).
 */
export async function restoreLoadIndexes(db: SqlDb, statements: readonly string[]): Promise<void> {
  if (statements.length === 0) return;
  const tempStore = (await db.get<{ temp_store: number }>('PRAGMA temp_store'))?.temp_store;
  const cacheSize = (await db.get<{ cache_size: number }>('PRAGMA cache_size'))?.cache_size;
  const restore: string[] = [];
  try {
    if (tempStore !== undefined && tempStore !== 1) {
      try {
        await db.run('PRAGMA temp_store = FILE');
        restore.push(`PRAGMA temp_store = ${Number(tempStore)}`);
      } catch {
        // A temporary table is open: sorting in memory still builds the same index.
      }
    }
    if (cacheSize !== undefined) {
      await db.run(`PRAGMA cache_size = -${INDEX_BUILD_CACHE_KIB}`);
      restore.push(`PRAGMA cache_size = ${Number(cacheSize)}`);
    }
    for (const sql of statements) await db.run(sql);
  } finally {
    for (const sql of restore) await db.run(sql);
  }
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
