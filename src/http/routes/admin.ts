import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WecomError } from '../../domain/wecom-error.js';
import * as admin from '../../service/admin.js';
import { configureCallback, redeliverEvent } from '../../service/app-callback.js';
import { AdminInputError } from '../../service/fixture-input.js';
import { resignMember } from '../../service/resign-member.js';
import { listTransferHistory } from '../../service/transfer-history.js';
import { FIXTURE_BODY_LIMIT_BYTES } from '../body-parser.js';
import { ADMIN_SCHEMAS as S, adminRouteSchema as schema } from '../../wire/json-schemas/admin.js';
import type { HttpDeps } from '../deps.js';
import { adminRefusal } from '../admin-refusal.js';
import { documentOnly } from '../route-schema.js';

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

function tokenMatches(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function sendError(response: FastifyReply, status: number, message: string, field?: string) {
  return response.code(status).send({ error: { ...(field ? { field } : {}), message } });
}

type Params = Record<string, string>;

function integerParam(params: Params, name: string): number {
  const value = Number(params[name]);
  if (!Number.isSafeInteger(value) || value < 1) throw new AdminInputError(name, `${name} must be a positive integer`);
  return value;
}
type Query = Record<string, string | undefined>;

/**
 * The admin API (issue 2): seed and export fixtures, reset, drive the clock, act as a customer, read the
 * outbox. Loopback-only unless HANDOVER_ADMIN_REMOTE is on; always behind the admin bearer token.
 * Errors are `{"error": {"field"?, "message"}}` with a 4xx status.
 */
export function registerAdminRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { ctx } = deps;
  app.register(async (scope) => {
    // Schemas document (GET /openapi.json); the services check input and name the field. Answers are
    // JSON.stringify'd as given: an export must never lose a field the schema forgot.
    scope.setValidatorCompiler(documentOnly);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    scope.addHook('onRequest', async (request: FastifyRequest, response: FastifyReply) => {
      if (!deps.admin.allowRemote && !isLoopback(request.socket.remoteAddress ?? request.ip)) {
        return sendError(response, 403, 'the admin API is served on loopback only (set HANDOVER_ADMIN_REMOTE=on to change that)');
      }
      if (!tokenMatches(request.headers.authorization, deps.admin.token)) {
        return sendError(response, 401, 'missing or wrong admin token: send Authorization: Bearer <admin token>');
      }
    });
    scope.setErrorHandler((error, request, response) => {
      if (error instanceof AdminInputError) return sendError(response, error.status, error.message, error.field);
      if (error instanceof WecomError) return sendError(response, 400, 'the body is not valid JSON');
      const refusal = adminRefusal(error, request.log);
      return sendError(response, refusal.status, refusal.message, refusal.field);
    });

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
