import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errcodeName } from '../domain/errcodes.js';
import type { ApiFamily } from '../domain/permissions.js';
import type { App } from '../domain/types.js';
import { WecomError, wecomError } from '../domain/wecom-error.js';
import type { ApiName } from '../wire/envelope.js';
import { PATHS } from '../wire/envelope.js';
import { authorize } from '../service/issue-token.js';
import type { HttpDeps } from './deps.js';
import { documentOnly, wecomFastifySchema } from './route-schema.js';
import type { WecomRouteSchema } from '../wire/json-schemas/wecom.js';
import { asWecomError, errmsgFor, logRefusal } from './wecom-reply.js';

export interface Caller {
  app: App;
  now: number;
}

interface WecomRouteOptions {
  api: ApiName;
  method: 'GET' | 'POST';
  /** Customer-contact permission family; none for gettoken, which needs no token. */
  family?: ApiFamily;
  /** The endpoint's list fields, empty: error answers still carry them (behaviour §1.1). */
  emptyFields: Record<string, unknown>;
  /** Request and answer schemas: the OpenAPI document's source, and the answer's serializer. */
  schema?: WecomRouteSchema;
  handle: (request: FastifyRequest, caller: Caller | null) => Promise<Record<string, unknown>>;
}

type QueryRecord = Record<string, string | undefined>;

export function queryOf(request: FastifyRequest): QueryRecord {
  return (request.query ?? {}) as QueryRecord;
}

/**
 * One WeCom endpoint. Before the body is read (behaviour §1.1: the token is checked before body parameters):
 * injected faults, the access_token (41001/40014/42001), the rate limit (45009) and the permission (48002).
 * Then the handler; any error becomes `{errcode, errmsg, ...emptyFields}` with HTTP 200.
 */
export function registerWecomRoute(app: FastifyInstance, deps: HttpDeps, options: WecomRouteOptions): void {
  const path = PATHS[options.api];
  const callers = new WeakMap<FastifyRequest, Caller>();
  let sequence = 0;

  const reply = (request: FastifyRequest, response: FastifyReply, error: unknown) => {
    const wecom = asWecomError(error);
    logRefusal(request.log, error, 'unexpected error answered as system busy');
    return response.code(200).send({ errcode: wecom.errcode, errmsg: errmsgFor(wecom, request.ip, ++sequence), ...options.emptyFields });
  };

  const onRequest = async (request: FastifyRequest) => {
    const fault = deps.faults.take(path);
    if (fault !== undefined) throw new WecomError(errcodeName(fault) ?? 'SYSTEM_BUSY');
    if (!options.family) return;
    const caller = await authorize(deps.ctx, queryOf(request)['access_token'], options.family);
    if (deps.rateLimiter && !deps.rateLimiter.allow(caller.app.corpid, options.api, caller.now)) throw wecomError('API_FREQ_OUT_OF_LIMIT');
    callers.set(request, caller);
  };

  const handler = async (request: FastifyRequest, response: FastifyReply) => {
    const result = await options.handle(request, callers.get(request) ?? null);
    return response.send({ errcode: 0, errmsg: 'ok', ...result });
  };

  const methods: ('GET' | 'POST')[] = options.method === 'GET' ? ['GET', 'POST'] : ['POST'];
  app.route({
    method: methods,
    url: path,
    onRequest,
    handler,
    errorHandler: (error, request, response) => reply(request, response, error),
    ...(options.schema ? { schema: wecomFastifySchema(options.schema), validatorCompiler: documentOnly } : {}),
  });
  if (options.method === 'POST') {
    // WeCom's 40058 help names "GET used where POST required"; the token is still checked first.
    app.route({
      method: 'GET',
      url: path,
      onRequest,
      handler: async () => {
        throw wecomError('INVALID_ARGUMENT', 'this API must be called with POST');
      },
      errorHandler: (error, request, response) => reply(request, response, error),
      ...(options.schema ? { schema: wecomFastifySchema(options.schema, true), validatorCompiler: documentOnly } : {}),
    });
  }
}
