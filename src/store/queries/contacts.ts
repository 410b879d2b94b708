import type { Customer, Relation } from '../../domain/types.js';
import { listPlaceholders, type SqlDb } from '../sql.js';
import { type CustomerRow, RELATION_COLUMNS, type RelationRow, toCustomer, toRelation } from './rows.js';

export async function getCustomers(db: SqlDb, corpid: string, externalUserids: readonly string[]): Promise<Customer[]> {
  if (externalUserids.length === 0) return [];
  const rows = await db.all<CustomerRow>(
    `SELECT * FROM customers WHERE corpid = ? AND external_userid IN (${listPlaceholders(externalUserids.length)})`,
    [corpid, ...externalUserids],
  );
  return rows.map(toCustomer);
}

export async function relationsOfCustomer(db: SqlDb, corpid: string, externalUserid: string): Promise<Relation[]> {
  const rows = await db.all<RelationRow>(`SELECT ${RELATION_COLUMNS} FROM relations WHERE corpid = ? AND external_userid = ? ORDER BY created_at, userid`, [
    corpid,
    externalUserid,
  ]);
  return rows.map(toRelation);
}

export async function customerIdsOf(db: SqlDb, corpid: string, userid: string): Promise<string[]> {
  return db.column<string>('SELECT external_userid FROM relations WHERE corpid = ? AND userid = ? ORDER BY external_userid', [corpid, userid]);
}

/**
 * One page of the members' relations in (member position in `userids`, external_userid) order, starting
 * after the cursor position. Walks member by member so each step is one index range scan.
 */
export async function relationsOfMembers(
  db: SqlDb,
  corpid: string,
  userids: readonly string[],
  after: { userIndex: number; externalUserid: string },
  limit: number,
): Promise<Relation[]> {
  const page: Relation[] = [];
  for (let index = after.userIndex; index < userids.length && page.length < limit; index++) {
    const from = index === after.userIndex ? after.externalUserid : '';
    const rows = await db.all<RelationRow>(
      `SELECT ${RELATION_COLUMNS} FROM relations WHERE corpid = ? AND userid = ? AND external_userid > ? ORDER BY external_userid LIMIT ?`,
      [corpid, userids[index]!, from, limit - page.length],
    );
    page.push(...rows.map(toRelation));
  }
  return page;
}

export async function corpidsOfCustomer(db: SqlDb, externalUserid: string): Promise<string[]> {
  const rows = await db.all<{ corpid: string }>('SELECT corpid FROM customers WHERE external_userid = ? ORDER BY corpid', [externalUserid]);
  return rows.map((row) => row.corpid);
}

export async function follows(db: SqlDb, corpid: string, userid: string, externalUserid: string): Promise<boolean> {
  return (await db.get('SELECT 1 AS x FROM relations WHERE corpid = ? AND userid = ? AND external_userid = ?', [corpid, userid, externalUserid])) !== undefined;
}
