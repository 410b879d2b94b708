import type { FastifyInstance } from 'fastify';
import * as admin from '../../service/admin.js';
import { configureCallback, redeliverEvent } from '../../service/app-callback.js';
import { resignMember } from '../../service/resign-member.js';
import { listTransferHistory } from '../../service/transfer-history.js';
import { adminAccessHook, integerParam, setAdminErrorHandler } from '../admin-access.js';
import { FIXTURE_BODY_LIMIT_BYTES } from '../body-parser.js';
import { ADMIN_SCHEMAS as S, adminRouteSchema as schema } from '../../wire/json-schemas/admin.js';
import type { ConsoleSessions } from '../console-session.js';
import type { HttpDeps } from '../deps.js';
import { documentOnly } from '../route-schema.js';

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
    // Schemas document (GET /openapi.json); the services check input and name the field. Answers are
    // JSON.stringify'd as given: an export must never lose a field the schema forgot.
    scope.setValidatorCompiler(documentOnly);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    scope.addHook('onRequest', adminAccessHook(deps, sessions));
    setAdminErrorHandler(scope);

    scope.get('/admin/fixtures', { schema: schema(S.exportFixture) }, async () => admin.exportFixture(ctx));
    scope.post('/admin/fixtures', { bodyLimit: FIXTURE_BODY_LIMIT_BYTES, schema: schema(S.loadFixture) }, async (request) => admin.loadFixture(ctx, request.body));
    scope.post('/admin/reset', { schema: schema(S.reset) }, async () => {
      deps.faults.clear();
      await admin.resetAll(ctx);
      return { ok: true };
    });
    scope.get('/admin/clock', { schema: schema(S.clockState) }, async () => admin.clockState(ctx));
    scope.post('/admin/clock', { schema: schema(S.commandClock) }, async (request) => admin.commandClock(ctx, request.body));
    scope.post('/admin/customers/:external_userid/refuse', { schema: schema(S.refuse) }, async (request) =>
      admin.refuseTransfer(ctx, (request.params as Params)['external_userid']!, (request.query as Query)['corpid']),
    );
    scope.get('/admin/customers/:external_userid/messages', { schema: schema(S.messages) }, async (request) => ({
      messages: await admin.customerMessages(ctx, (request.params as Params)['external_userid']!, (request.query as Query)['corpid']),
    }));
    scope.get('/admin/events', { schema: schema(S.events) }, async (request) => ({ events: await admin.listEvents(ctx, request.query as Query) }));
    scope.post('/admin/faults', { schema: schema(S.faults) }, async (request) => deps.faults.add(request.body));
    scope.patch('/admin/members/:userid', { schema: schema(S.updateMember) }, async (request) =>
      admin.updateMember(ctx, (request.params as Params)['userid']!, (request.query as Query)['corpid'], request.body),
    );
    scope.get('/admin/transfers', { schema: schema(S.transfers) }, async (request) => listTransferHistory(ctx, request.query as Query));
    scope.post('/admin/members/:userid/resign', { schema: schema(S.resign) }, async (request) =>
      resignMember(ctx, (request.params as Params)['userid']!, (request.query as Query)['corpid'], request.body),
    );
    scope.put('/admin/apps/:agentid/callback', { schema: schema(S.configureCallback) }, async (request) =>
      configureCallback(ctx, deps.callbackVerifier, integerParam(request.params as Params, 'agentid'), (request.query as Query)['corpid'], request.body),
    );
    scope.post('/admin/events/:id/redeliver', { schema: schema(S.redeliver) }, async (request) => redeliverEvent(ctx, integerParam(request.params as Params, 'id')));
  });
}
