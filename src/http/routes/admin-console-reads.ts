import type { FastifyInstance, FastifyReply } from 'fastify';
import { ChangeWatcher } from '../../service/change-watcher.js';
import * as reads from '../../service/console-reads.js';
import { adminAccessHook, integerParam, setAdminErrorHandler } from '../admin-access.js';
import type { ConsoleSessions } from '../console-session.js';
import type { HttpDeps } from '../deps.js';
import { documentOnly } from '../route-schema.js';
import { adminRouteSchema as schema } from '../../wire/json-schemas/admin.js';
import { CONSOLE_SCHEMAS as S, STREAM_SCHEMA } from '../../wire/json-schemas/console.js';

type Query = Record<string, string | undefined>;

// 250 ms: a waiting → taken over change shows within a quarter second, for one 8-row read per node.
const CHANGE_POLL_MS = 250;
// Proxies close idle streams after 30–60 s; a comment line every 15 s keeps them open.
const KEEPALIVE_MS = 15_000;

/**
 * The admin reads the web console needs (issue 12): one page or one record each, so they stay fast
 * with 100,000 customers, and `GET /admin/stream`, Server-Sent Events that say "state changed" (an
 * `event: change` with the store's change version) whichever node changed it.
 */
export function registerConsoleReadRoutes(app: FastifyInstance, deps: HttpDeps, sessions: ConsoleSessions): void {
  const { ctx } = deps;
  const watcher = new ChangeWatcher(ctx.store, CHANGE_POLL_MS, (error) => app.log.error({ err: error }, 'change poll failed; retrying'));
  const streams = new Set<FastifyReply>();
  // Open streams would keep close() waiting for ever: end them first.
  app.addHook('preClose', async () => {
    watcher.stop();
    for (const stream of streams) stream.raw.end();
  });

  app.register(async (scope) => {
    // As in admin.ts: schemas document (GET /openapi.json), answers are JSON.stringify'd as given.
    scope.setValidatorCompiler(documentOnly);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    scope.addHook('onRequest', adminAccessHook(deps, sessions));
    setAdminErrorHandler(scope);

    scope.get('/admin/overview', { schema: schema(S.overview) }, async () => reads.overview(ctx));
    scope.get('/admin/corps', { schema: schema(S.corps) }, async () => ({ corps: await reads.corps(ctx) }));
    scope.get('/admin/members', { schema: schema(S.members) }, async (request) => reads.membersPage(ctx, request.query as Query));
    scope.get('/admin/customers', { schema: schema(S.customers) }, async (request) => reads.customersPage(ctx, request.query as Query));
    scope.get('/admin/customers/:external_userid', { schema: schema(S.customerDetail) }, async (request) =>
      reads.customerDetail(ctx, (request.params as Record<string, string>)['external_userid']!, request.query as Query),
    );
    scope.get('/admin/events/:id', { schema: schema(S.eventDetail) }, async (request) => reads.eventDetail(ctx, integerParam(request.params as Record<string, string>, 'id')));

    scope.get('/admin/stream', { schema: STREAM_SCHEMA }, async (request, response) => {
      response.hijack();
      response.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      streams.add(response);
      let unsubscribe = (): void => undefined;
      const keepalive = setInterval(() => response.raw.write(': keepalive\n\n'), KEEPALIVE_MS);
      let closed = false;
      request.raw.on('close', () => {
        closed = true;
        clearInterval(keepalive);
        unsubscribe();
        streams.delete(response);
      });
      const stop = await watcher.subscribe((version) => response.raw.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`));
      if (closed) stop();
      else unsubscribe = stop;
    });
  });
}
