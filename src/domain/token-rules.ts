import { ACCESS_TOKEN_LIFETIME_SECONDS } from '../wire/gettoken.js';
import { SECOND_MS } from './calendar.js';

/** Behaviour §5.1, §9.4: a token lives 7200 s of server clock; gettoken returns the same one until then. */
export const ACCESS_TOKEN_LIFETIME_MS = ACCESS_TOKEN_LIFETIME_SECONDS * SECOND_MS;

export interface IssuedToken {
  token: string;
  corpid: string;
  agentid: number;
  issuedAt: number;
  expiresAt: number;
}

export function tokenExpiresAt(issuedAt: number): number {
  return issuedAt + ACCESS_TOKEN_LIFETIME_MS;
}

/**
 * Dead once its 7200 s are over, and also when the clock was set back to before it was issued (issue 11,
 * defect 11): a token from the future would otherwise live up to 7200 s plus however far the clock went back.
 */
export function isTokenExpired(token: IssuedToken, now: number): boolean {
  return now >= token.expiresAt || now < token.issuedAt;
}

/** `expires_in` of a cached token is what is left of it, so SDK caches expire it on time (at least 1 s). */
export function secondsLeft(token: IssuedToken, now: number): number {
  return Math.max(1, Math.ceil((token.expiresAt - now) / SECOND_MS));
}

/** Tokens are opaque to callers; this shape lets the server reject obvious garbage without a lookup (40014). */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,512}$/;
