import { randomBytes } from 'node:crypto';
import { type ApiFamily, mayCall } from '../domain/permissions.js';
import { ACCESS_TOKEN_PATTERN, isTokenExpired, secondsLeft, tokenExpiresAt } from '../domain/token-rules.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import type { App } from '../domain/types.js';
import { wecomError } from '../domain/wecom-error.js';
import type { ClockRecord, StoreTx } from '../store/store.js';
import type { ServiceContext } from './context.js';

/**
 * `gettoken` (behaviour §5.1, §9.4): the same token until it expires, then a new one; one per app.
 * Check order as observed on WeCom: corpsecret missing (41004) before corpid missing (41002).
 */
export async function issueToken(ctx: ServiceContext, corpid: string | undefined, secret: string | undefined) {
  if (!secret) throw wecomError('CORPSECRET_MISSING');
  if (!corpid) throw wecomError('CORPID_MISSING');
  return ctx.store.write(async (tx) => {
    if (!mayNameARecord(corpid) || !(await tx.corpExists(corpid))) throw wecomError('INVALID_CORPID');
    const app = mayNameARecord(secret) ? await tx.findAppBySecret(corpid, secret) : null;
    if (!app) throw wecomError('INVALID_CREDENTIAL');
    const now = await ctx.clock.now(tx);
    const live = await tx.findLiveToken(corpid, app.agentid, now);
    if (live) return { accessToken: live.token, expiresIn: secondsLeft(live, now) };
    const token = { token: randomBytes(48).toString('base64url'), corpid, agentid: app.agentid, issuedAt: now, expiresAt: tokenExpiresAt(now) };
    await tx.insertToken(token);
    return { accessToken: token.token, expiresIn: secondsLeft(token, now) };
  });
}

/** A checked access_token's app, and the clock as the check read it (`now` is its instant). */
export interface Authorized {
  app: App;
  now: number;
  clock: ClockRecord;
  changeVersion?: number;
}

/**
 * Behaviour §9.1 steps 1–2: resolves an access_token to its app, or throws 41001 / 40014 / 42001 / 48002.
 * Runs before the body is even parsed (behaviour §1.1: token checked before body parameters).
 */
export async function authorize(
  ctx: ServiceContext,
  accessToken: string | undefined,
  family: ApiFamily,
  options: { changeVersion?: boolean } = {},
): Promise<Authorized> {
  if (accessToken === undefined || accessToken === '') throw wecomError('ACCESS_TOKEN_MISSING');
  if (!ACCESS_TOKEN_PATTERN.test(accessToken)) throw wecomError('INVALID_ACCESS_TOKEN');
  // Usually one statement (the clock row; the token and its app come from the generation cache), so the
  // write path's check runs in no transaction of its own: on PostgreSQL that was BEGIN and COMMIT, two of a
  // transfer call's 13 round trips. A cached read keeps its read transaction: with the change version read
  // in the same snapshot, the app below belongs to that version, so every request that saw one version was
  // authorized against the same app (its visible range, its permissions), even when the token cache misses.
  // The clock row alone is read with `clockNow`, which on PostgreSQL the calls a node receives together share.
  const check = async (state: ClockRecord & { changeVersion?: number }, tx: StoreTx | null): Promise<Authorized> => {
    const now = ctx.clock.instantOf(state);
    let known = ctx.cache.tokens.get(accessToken, state.generation);
    if (!known) {
      const lookUp = async (db: StoreTx) => {
        const token = await db.findToken(accessToken);
        if (!token) throw wecomError('INVALID_ACCESS_TOKEN');
        const app = await db.getApp(token.corpid, token.agentid);
        // The app was removed by a fixture reload: its tokens died with it.
        if (!app) throw wecomError('INVALID_ACCESS_TOKEN');
        return { token, app };
      };
      known = tx ? await lookUp(tx) : await ctx.store.readNow(lookUp);
      ctx.cache.tokens.set(accessToken, state.generation, known);
    }
    if (isTokenExpired(known.token, now)) throw wecomError('ACCESS_TOKEN_EXPIRED');
    const clock = { offsetMs: state.offsetMs, frozenAt: state.frozenAt, generation: state.generation };
    return state.changeVersion === undefined ? { app: known.app, now, clock } : { app: known.app, now, clock, changeVersion: state.changeVersion };
  };
  const authorized = options.changeVersion
    ? await ctx.store.read(async (tx) => check(await tx.clockStateAndChangeVersion(), tx))
    : await check(await ctx.store.clockNow(), null);
  if (!mayCall(authorized.app, family)) throw wecomError('API_FORBIDDEN');
  return authorized;
}
