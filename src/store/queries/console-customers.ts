import type { Transfer } from '../../domain/types.js';
import type { CustomerFilter, CustomerListing } from '../console-reads.js';
import { listPlaceholders, type SqlDb, type SqlValue } from '../sql.js';
import { type CustomerRow, isWaiting, toCustomer, toTransfer, TRANSFER_COLUMNS, type TransferRow } from './rows.js';

/** `LIKE` pattern text with its own wildcards taken literally (paired with `ESCAPE '\'`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of a corp's customers in external_userid order (keyset paging: the page after `after` costs
 * the same at row 99,950 as at row 1). Text search lowers both sides so SQLite and PostgreSQL match alike.
 */
export async function customersPage(db: SqlDb, filter: CustomerFilter): Promise<CustomerListing[]> {
  const where = ['c.corpid = ?', 'c.external_userid > ?'];
  const params: SqlValue[] = [filter.corpid, filter.after ?? ''];
  if (filter.externalUserid !== undefined) {
    where.push('c.external_userid = ?');
    params.push(filter.externalUserid);
  }
  if (filter.text) {
    where.push("(c.external_userid LIKE ? ESCAPE '\\' OR LOWER(c.name) LIKE ? ESCAPE '\\')");
    params.push(`${likeLiteral(filter.text)}%`, `%${likeLiteral(filter.text.toLowerCase())}%`);
  }
  if (filter.userid) {
    where.push('EXISTS (SELECT 1 FROM relations r WHERE r.corpid = c.corpid AND r.userid = ? AND r.external_userid = c.external_userid)');
    params.push(filter.userid);
  }
  if (filter.tag) {
    // Tags are kept as the JSON text of the relation (see relationValues), so the name is matched as it is serialised there.
    where.push(`EXISTS (SELECT 1 FROM relations r WHERE r.corpid = c.corpid AND r.external_userid = c.external_userid AND r.tags LIKE ? ESCAPE '\\')`);
    params.push(`%${likeLiteral(`"tag_name":${JSON.stringify(filter.tag)}`)}%`);
  }
  const rows = await db.all<CustomerRow>(`SELECT c.* FROM customers c WHERE ${where.join(' AND ')} ORDER BY c.external_userid LIMIT ?`, [...params, filter.limit]);
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.external_userid);
  const followers = await db.all<{ external_userid: string; userid: string }>(
    `SELECT external_userid, userid FROM relations WHERE corpid = ? AND external_userid IN (${listPlaceholders(ids.length)}) ORDER BY userid`,
    [filter.corpid, ...ids],
  );
  const waiting = await db.all<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE corpid = ? AND external_userid IN (${listPlaceholders(ids.length)}) AND ${isWaiting()}`,
    [filter.corpid, ...ids],
  );
  const waitingBy = new Map(waiting.map((row) => [row.external_userid, toTransfer(row)]));
  return rows.map((row) => ({
    customer: toCustomer(row),
    followers: followers.filter((f) => f.external_userid === row.external_userid).map((f) => f.userid),
    waiting: waitingBy.get(row.external_userid) ?? null,
  }));
}

export async function transfersOfCustomer(db: SqlDb, corpid: string, externalUserid: string): Promise<Transfer[]> {
  const rows = await db.all<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE corpid = ? AND external_userid = ? ORDER BY started_at, id`, [corpid, externalUserid]);
  return rows.map(toTransfer);
}
