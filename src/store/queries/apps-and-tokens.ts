import type { IssuedToken } from '../../domain/token-rules.js';
import type { App } from '../../domain/types.js';
import type { SqlDb, StoreCapabilities } from '../sql.js';
import { bumpGeneration } from './clock.js';
import { type AppRow, toApp } from './rows.js';

export async function corpExists(db: SqlDb, corpid: string): Promise<boolean> {
  return (await db.get('SELECT 1 AS found FROM corps WHERE corpid = ?', [corpid])) !== undefined;
}

export async function findAppBySecret(db: SqlDb, corpid: string, secret: string): Promise<App | null> {
  const row = await db.get<AppRow>('SELECT * FROM apps WHERE corpid = ? AND secret = ?', [corpid, secret]);
  return row ? toApp(row) : null;
}

export async function getApp(db: SqlDb, corpid: string, agentid: number): Promise<App | null> {
  const row = await db.get<AppRow>('SELECT * FROM apps WHERE corpid = ? AND agentid = ?', [corpid, agentid]);
  return row ? toApp(row) : null;
}

interface TokenRow {
  token: string;
  corpid: string;
  agentid: number;
  issued_at: number;
  expires_at: number;
}

function toToken(row: TokenRow): IssuedToken {
  return { token: row.token, corpid: row.corpid, agentid: Number(row.agentid), issuedAt: Number(row.issued_at), expiresAt: Number(row.expires_at) };
}

/**
 * Only gettoken asks, in a write transaction about to issue a token if none is live. Where writers run
 * side by side (rowLocks) the app row is locked first, so two nodes asked at once hand out one token (behaviour
 * §9.4: the same token until it expires), not one each.
 */
export async function findLiveToken(db: SqlDb, capabilities: StoreCapabilities, corpid: string, agentid: number, now: number): Promise<IssuedToken | null> {
  if (capabilities.rowLocks) await db.get('SELECT 1 AS locked FROM apps WHERE corpid = ? AND agentid = ? FOR UPDATE', [corpid, agentid]);
  const row = await db.get<TokenRow>(
    'SELECT * FROM tokens WHERE corpid = ? AND agentid = ? AND expires_at > ? AND issued_at <= ? ORDER BY expires_at DESC LIMIT 1',
    [corpid, agentid, now, now],
  );
  return row ? toToken(row) : null;
}

export async function findToken(db: SqlDb, token: string): Promise<IssuedToken | null> {
  const row = await db.get<TokenRow>('SELECT * FROM tokens WHERE token = ?', [token]);
  return row ? toToken(row) : null;
}

export async function insertToken(db: SqlDb, token: IssuedToken): Promise<void> {
  await db.run('INSERT INTO tokens (token, corpid, agentid, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
    token.token,
    token.corpid,
    token.agentid,
    token.issuedAt,
    token.expiresAt,
  ]);
}

/**
 * Issue 11, defect 11: after the clock is set back, a token issued later than the new instant, or one that
 * had already expired, would live again (for up to 7200 s plus the jump). Its expiry becomes its issue
 * instant, so it is expired at every instant (42001), and gettoken never hands it out again. The generation
 * moves on so no process keeps it in its cache.
 */
export async function retireTokensAfterSetBack(db: SqlDb, now: number, previous: number): Promise<void> {
  const { changes } = await db.run('UPDATE tokens SET expires_at = issued_at WHERE expires_at > issued_at AND (issued_at > ? OR expires_at <= ?)', [now, previous]);
  if (changes > 0) await bumpGeneration(db);
}
