import type { UnassignedCustomer } from '../../domain/resigned-members.js';
import type { UnassignedFrom } from '../ports/reads.js';
import type { SqlDb, SqlValue } from '../sql.js';
import { isWaiting } from './rows.js';

/**
 * Behaviour §10.2: the (resigned member, customer) relations with no waiting transfer of the customer, ordered
 * by dimission_time descending, then handover_userid, then external_userid.
 */
export async function unassignedCustomers(db: SqlDb, corpid: string, from: UnassignedFrom, limit: number): Promise<UnassignedCustomer[]> {
  const params: SqlValue[] = [corpid];
  let keyset = '';
  if ('after' in from && from.after) {
    const a = from.after;
    keyset = ' AND (m.dimission_time < ? OR (m.dimission_time = ? AND (r.userid > ? OR (r.userid = ? AND r.external_userid > ?))))';
    params.push(a.dimissionTime, a.dimissionTime, a.handoverUserid, a.handoverUserid, a.externalUserid);
  }
  params.push(limit, 'offset' in from ? from.offset : 0);
  const rows = await db.all<{ userid: string; external_userid: string; dimission_time: number }>(
    `SELECT r.userid, r.external_userid, m.dimission_time
     FROM relations r JOIN members m ON m.corpid = r.corpid AND m.userid = r.userid
     WHERE r.corpid = ? AND m.dimission_time IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM transfers w WHERE w.corpid = r.corpid AND w.external_userid = r.external_userid AND ${isWaiting('w')})${keyset}
     ORDER BY m.dimission_time DESC, r.userid, r.external_userid LIMIT ? OFFSET ?`,
    params,
  );
  return rows.map((row) => ({ handoverUserid: row.userid, externalUserid: row.external_userid, dimissionTime: Number(row.dimission_time) }));
}
