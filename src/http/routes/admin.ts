import type { FastifyInstance } from 'fastify';
import * as admin from '../../service/admin.js';
import { configureCallback, redeliverEvent } from '../../service/app-callback.js';
import { resignMember } from '../../service/resign-member.js';
import { listTransferHistory } from '../../service/transfer-history.js';
import { adminAccessHook, integerParam, setAdminErrorHandler } from '../admin-access.js';
import { FIXTURE_BODY_LIMIT_BYTES } from '../body-parser.js';
import type { ConsoleSessions } from '../console-session.js';
import type { HttpDeps } from '../deps.js';

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

/**
 * The admin API (issue 2): seed and export fixtures, reset, drive the clock, act as a customer, read the
 * outbox. Loopback-only unless HANDOVER_ADMIN_REMOTE is on; always behind the admin bearer token (or the
 * console's session cookie with its CSRF header, see admin-access.ts).
 * Errors are `{"error": {"field"?, "message"}}` with a 4xx status.
 */
export function registerAdminRoutes(app: FastifyInstance, deps: HttpDeps, sessions: ConsoleSessions): void {
  const { ctx } = deps;
  app.register(async (scope) => {
    scope.addHook('onRequest', adminAccessHook(deps, sessions));
    setAdminErrorHandler(scope);

    scope.get('/admin/fixtures', async () => admin.exportFixture(ctx));
    scope.post('/admin/fixtures', { bodyLimit: FIXTURE_BODY_LIMIT_BYTES }, async (request) => admin.loadFixture(ctx, request.body));
    scope.post('/admin/reset', async () => {
      deps.faults.clear();
      await admin.resetAll(ctx);
      return { ok: true };
    });
    scope.get('/admin/clock', async () => admin.clockState(ctx));
    scope.post('/admin/clock', async (request) => admin.commandClock(ctx, request.body));
    scope.post('/admin/customers/:external_userid/refuse', async (request) =>
      admin.refuseTransfer(ctx, (request.params as Params)['external_userid']!, (request.query as Query)['corpid']),
    );
    scope.get('/admin/customers/:external_userid/messages', async (request) => ({
      messages: await admin.customerMessages(ctx, (request.params as Params)['external_userid']!, (request.query as Query)['corpid']),
    }));
    scope.get('/admin/events', async (request) => ({ events: await admin.listEvents(ctx, request.query as Query) }));
    scope.post('/admin/faults', async (request) => deps.faults.add(request.body));
    scope.patch('/admin/members/:userid', async (request) =>
      admin.updateMember(ctx, (request.params as Params)['userid']!, (request.query as Query)['corpid'], request.body),
    );
    scope.get('/admin/transfers', async (request) => listTransferHistory(ctx, request.query as Query));
    scope.post('/admin/members/:userid/resign', async (request) =>
      resignMember(ctx, (request.params as Params)['userid']!, (request.query as Query)['corpid'], request.body),
    );
    scope.put('/admin/apps/:agentid/callback', async (request) =>
      configureCallback(ctx, deps.callbackVerifier, integerParam(request.params as Params, 'agentid'), (request.query as Query)['corpid'], request.body),
    );
    scope.post('/admin/events/:id/redeliver', async (request) => redeliverEvent(ctx, integerParam(request.params as Params, 'id')));
  });
}
