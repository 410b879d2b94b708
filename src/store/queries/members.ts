import type { Member } from '../../domain/types.js';
import { listPlaceholders, type SqlDb } from '../sql.js';
import { bumpGeneration } from './clock.js';
import { type MemberRow, toMember } from './rows.js';

export async function getMembers(db: SqlDb, corpid: string, userids: readonly string[]): Promise<Member[]> {
  if (userids.length === 0) return [];
  const rows = await db.all<MemberRow>(`SELECT * FROM members WHERE corpid = ? AND userid IN (${listPlaceholders(userids.length)})`, [corpid, ...userids]);
  return rows.map(toMember);
}

/** Rewrites a member's own fields (not its counters); member caches drop with the generation bump. */
export async function updateMember(db: SqlDb, member: Member): Promise<void> {
  await bumpGeneration(db);
  await db.run(
    'UPDATE members SET name = ?, activated = ?, real_name_verified = ?, customer_contact_enabled = ?, last_login_at = ?, customer_cap = ?, dimission_time = ? WHERE corpid = ? AND userid = ?',
    [member.name, member.activated ? 1 : 0, member.realNameVerified ? 1 : 0, member.customerContactEnabled ? 1 : 0, member.lastLoginAt, member.customerCap, member.dimissionTime, member.corpid, member.userid],
  );
}

export async function corpsOfMember(db: SqlDb, userid: string): Promise<string[]> {
  return (await db.all<{ corpid: string }>('SELECT corpid FROM members WHERE userid = ? ORDER BY corpid', [userid])).map((row) => row.corpid);
}

export async function listMembers(db: SqlDb, corpid: string): Promise<Member[]> {
  const rows = await db.all<MemberRow>('SELECT * FROM members WHERE corpid = ? ORDER BY userid', [corpid]);
  return rows.map(toMember);
}
