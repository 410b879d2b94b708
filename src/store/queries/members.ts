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

export interface MemberDelta {
  corpid: string;
  userid: string;
  customers: number;
  waiting: number;
}

/** Counter changes of several members, keyed by corpid and userid. */
export type MemberDeltas = Map<string, MemberDelta>;

export function addDelta(deltas: MemberDeltas, corpid: string, userid: string, customers: number, waiting: number): void {
  const key = `${corpid}\u0000${userid}`;
  const current = deltas.get(key) ?? { corpid, userid, customers: 0, waiting: 0 };
  deltas.set(key, { corpid, userid, customers: current.customers + customers, waiting: current.waiting + waiting });
}

/** Applies the deltas to the kept counters (see the members table), in key order so row locks never cross. */
export async function adjustMemberCounters(db: SqlDb, deltas: MemberDeltas): Promise<void> {
  for (const key of [...deltas.keys()].sort()) {
    const delta = deltas.get(key)!;
    if (delta.customers === 0 && delta.waiting === 0) continue;
    await db.run(
      'UPDATE members SET customer_count = customer_count + ?, waiting_incoming = waiting_incoming + ? WHERE corpid = ? AND userid = ?',
      [delta.customers, delta.waiting, delta.corpid, delta.userid],
    );
  }
}
