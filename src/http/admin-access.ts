import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WecomError } from '../domain/wecom-error.js';
import { AdminInputError } from '../service/fixture-input.js';
import { adminRefusal } from './admin-refusal.js';
import { type ConsoleSessions, cookieValue, CSRF_HEADER, SESSION_COOKIE, sameSecret } from './console-session.js';
import type { HttpDeps } from './deps.js';

export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

function tokenMatches(header: string | undefined, expected: string): boolean {
  return sameSecret(header?.startsWith('Bearer ') ? header.slice(7) : '', expected);
}

export function sendAdminError(response: FastifyReply, status: number, message: string, field?: string) {
  return response.code(status).send({ error: { ...(field ? { field } : {}), message } });
}

export function integerParam(params: Record<string, string>, name: string): number {
  const value = Number(params[name]);
  if (!Number.isSafeInteger(value) || value < 1) throw new AdminInputError(name, `${name} must be a positive integer`);
  return value;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The admin API and the console are served on loopback only unless HANDOVER_ADMIN_REMOTE is on. */
export function refusedRemote(deps: HttpDeps, request: FastifyRequest, response: FastifyReply): boolean {
  if (deps.admin.allowRemote || isLoopback(request.socket.remoteAddress ?? request.ip)) return false;
  sendAdminError(response, 403, 'the admin API is served on loopback only (set HANDOVER_ADMIN_REMOTE=on to change that)');
  return true;
}

/**
 * Who may call `/admin/`: the bearer token (scripts, the SDK's tests), or the console's session cookie —
 * and with the cookie, a state-changing request must also carry the session's CSRF token and, when the
 * browser names an Origin, come from this very host.
 */
export function adminAccessHook(deps: HttpDeps, sessions: ConsoleSessions) {
  return async (request: FastifyRequest, response: FastifyReply) => {
    if (refusedRemote(deps, request, response)) return response;
    if (tokenMatches(request.headers.authorization, deps.admin.token)) return;
    const session = sessions.verify(cookieValue(request.headers.cookie, SESSION_COOKIE));
    if (!session) return sendAdminError(response, 401, 'missing or wrong admin token: send Authorization: Bearer <admin token>');
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.headers.host}`) {
      return sendAdminError(response, 403, `cross-site request refused (Origin ${origin})`);
    }
    if (!sessions.csrfMatches(session, request.headers[CSRF_HEADER])) {
      return sendAdminError(response, 403, `missing or wrong ${CSRF_HEADER} header (the console sends the one it got at sign-in)`);
    }
  };
}

/** Admin errors as `{"error": {"field"?, "message"}}` with a 4xx status; never a stack trace. */
export function setAdminErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((error, request, response) => {
    if (error instanceof AdminInputError) return sendAdminError(response, error.status, error.message, error.field);
    if (error instanceof WecomError) return sendAdminError(response, 400, 'the body is not valid JSON');
    const refusal = adminRefusal(error, request.log);
    return sendAdminError(response, refusal.status, refusal.message, refusal.field);
  });
}
