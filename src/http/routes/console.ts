import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminInputError, FieldReader } from '../../service/fixture-input.js';
import { refusedRemote, setAdminErrorHandler } from '../admin-access.js';
import { type ConsoleSessions, cookieValue, CSRF_HEADER, sameSecret, SESSION_COOKIE, sessionCookieHeader } from '../console-session.js';
import type { HttpDeps } from '../deps.js';
import { documentOnly } from '../route-schema.js';
import { CONSOLE_SCHEMAS as S, PAGE_SCHEMA, sessionRouteSchema as schema } from '../../wire/json-schemas/console.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** `npm run build` bundles the console into dist/console/: beside this file's folder when running from
 * dist/, or in dist/ when running from src/ (the tests). */
function bundleDir(): string | null {
  for (const candidate of ['../../console/', '../../../dist/console/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

/** The whole bundle is a few files of ~60 KB: read once at start, served from memory (no path from a URL ever reaches the file system). */
function loadBundle(): Map<string, Buffer> {
  const dir = bundleDir();
  const files = new Map<string, Buffer>();
  if (dir) for (const name of readdirSync(dir)) if (TYPES[extname(name)]) files.set(name, readFileSync(`${dir}${name}`));
  return files;
}

/**
 * The web console (issue 12) at `/console`: the single-page app, and its session — sign in with the
 * admin token to get an HttpOnly, SameSite=Strict cookie and the CSRF token the app sends back on every
 * state-changing admin call. Same loopback rule as `/admin/`.
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: HttpDeps, sessions: ConsoleSessions): void {
  const bundle = loadBundle();
  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, response) => {
      if (refusedRemote(deps, request, response)) return response;
    });
    setAdminErrorHandler(scope);
    scope.setValidatorCompiler(documentOnly);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));

    const page = async (_request: FastifyRequest, response: FastifyReply) => {
      const html = bundle.get('index.html');
      if (!html) return response.code(503).type('text/plain; charset=utf-8').send('the console is not built: run npm run build');
      return response.type(TYPES['.html']!).header('cache-control', 'no-store').send(html);
    };
    scope.get('/console', { schema: PAGE_SCHEMA }, page);
    scope.get('/console/', { schema: PAGE_SCHEMA }, page);
    scope.get('/console/assets/:file', { schema: PAGE_SCHEMA }, async (request, response) => {
      const file = (request.params as Record<string, string>)['file']!;
      const body = bundle.get(file);
      if (!body || file === 'index.html') return response.code(404).type('text/plain').send('');
      return response.type(TYPES[extname(file)]!).send(body);
    });

    scope.get('/console/session', { schema: schema(S.sessionState) }, async (request) => {
      const session = sessions.verify(cookieValue(request.headers.cookie, SESSION_COOKIE));
      return session ? { signed_in: true, csrf: session.csrf } : { signed_in: false };
    });
    scope.post('/console/session', { schema: schema(S.signIn) }, async (request, response) => {
      const token = FieldReader.object(request.body, '').string('token', { fallback: '' });
      if (!sameSecret(token, deps.admin.token)) throw new AdminInputError('token', 'wrong admin token', 401);
      const issued = sessions.issue();
      response.header('set-cookie', sessionCookieHeader(issued.cookie, issued.maxAgeSeconds, request.protocol === 'https'));
      return { signed_in: true, csrf: issued.csrf };
    });
    scope.delete('/console/session', { schema: schema(S.signOut) }, async (request, response) => {
      const session = sessions.verify(cookieValue(request.headers.cookie, SESSION_COOKIE));
      if (session && !sessions.csrfMatches(session, request.headers[CSRF_HEADER])) throw new AdminInputError(undefined, `missing or wrong ${CSRF_HEADER} header`, 403);
      response.header('set-cookie', sessionCookieHeader('', 0, request.protocol === 'https'));
      return { signed_in: false };
    });
    // Deep links (/console/customers, …) load the app, which routes on the path itself.
    scope.get('/console/*', { schema: PAGE_SCHEMA }, page);
  });
}
