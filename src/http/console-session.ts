import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'handover_console';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_MS = 12 * 3600 * 1000;

function mac(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** Constant-time equality for secrets (admin token, signatures). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Console sessions are signed with the admin token instead of kept in memory, so every node of a
 * PostgreSQL deployment accepts a cookie another node issued, and changing the token signs everyone out.
 * The CSRF token is derived from the session the same way (sent back in a header the browser never adds
 * by itself); SameSite=Strict already keeps the cookie off cross-site requests, this covers old browsers
 * and same-site attackers.
 */
export class ConsoleSessions {
  constructor(
    private readonly adminToken: string,
    private readonly realNow: () => number,
  ) {}

  issue(): { cookie: string; csrf: string; maxAgeSeconds: number } {
    const nonce = randomBytes(18).toString('base64url');
    const expires = this.realNow() + SESSION_MS;
    const body = `${nonce}.${expires}`;
    return { cookie: `${body}.${mac(this.adminToken, `session:${body}`)}`, csrf: this.csrfOf(nonce), maxAgeSeconds: SESSION_MS / 1000 };
  }

  /** The session's CSRF token when the cookie is genuine and unexpired, else null. */
  verify(cookie: string | undefined): { csrf: string } | null {
    const [nonce, expires, signature, extra] = (cookie ?? '').split('.');
    if (!nonce || !expires || !signature || extra !== undefined) return null;
    if (!sameSecret(signature, mac(this.adminToken, `session:${nonce}.${expires}`))) return null;
    if (!(Number(expires) > this.realNow())) return null;
    return { csrf: this.csrfOf(nonce) };
  }

  csrfMatches(session: { csrf: string }, header: string | string[] | undefined): boolean {
    return typeof header === 'string' && sameSecret(header, session.csrf);
  }

  private csrfOf(nonce: string): string {
    return mac(this.adminToken, `csrf:${nonce}`);
  }
}

/** The value of one cookie from a `Cookie` header (names and values here are plain base64url). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
