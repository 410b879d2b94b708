import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { HttpDeps } from '../../src/http/deps.js';

export interface RegisteredRoute {
  method: string;
  /** Fastify's form: `/admin/events/:id/redeliver`. */
  url: string;
}

/**
 * The app as main.ts builds it, without a store: registration reads no dependency (every route reaches
 * them only when called), so routes can be listed without a database.
 */
export async function appWithoutStore(): Promise<FastifyInstance> {
  const deps = { ctx: {}, faults: {}, rateLimiter: null, admin: { token: 'x'.repeat(32), allowRemote: false }, callbackVerifier: {} };
  const app = buildApp(deps as unknown as HttpDeps);
  await app.ready();
  return app;
}

/**
 * Every (method, url) the app serves, HEAD left out (Fastify adds it to each GET). Read from
 * `printRoutes({ commonPrefix: false })`, a tree in which a child line continues its parent's path
 * (`/cgi-bin/externalcontact/get` → `_follow_user_list`); Fastify exposes no list of routes otherwise.
 */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(url);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) routes.push({ method, url });
  }
  return routes;
}
