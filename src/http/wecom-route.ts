import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errcodeName } from '../domain/errcodes.js';
import type { ApiFamily } from '../domain/permissions.js';
import type { App } from '../domain/types.js';
import { WecomError, wecomError } from '../domain/wecom-error.js';
import type { ApiName } from '../wire/envelope.js';
import { PATHS } from '../wire/envelope.js';
import { type Authorized, authorize } from '../service/issue-token.js';
import type { HttpDeps } from './deps.js';
import { documentOnly, wecomFastifySchema } from './route-schema.js';
import type { WecomRouteSchema } from '../wire/json-schemas/wecom.js';
import { asWecomError, errmsgFor, logRefusal } from './wecom-reply.js';

export interface Caller {
  app: App;
  now: number;
  /** The clock record the token check read (`now` is its instant): a write may decide on it (Store.write). */
  clock: Authorized['clock'];
  /** `Store.changeVersion()` as the token check read it; only on routes with `cacheKey`. */
  changeVersion?: number;
}

/** What Fastify sends a JSON answer as; a cached answer goes out with the same header. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** A longer key (a huge body) is not worth keeping: such a request is answered uncached. */
const MAX_KEY_CHARS = 16_384;

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
  /**
   * A read whose errcode-0 answer is a function of the store's committed state, the app and this key
   * alone (not of the clock, nor of anything else in the request) may name that key: its answer bytes are
   * then served from the answer cache while the store's change version stays the same (issue 13).
   * Null: answer this request uncached. Errors are never cached (their errmsg names the request).
   */
  cacheKey?: (request: FastifyRequest) => string | null;
}

/** A cache key from the parsed JSON body: every field the handler could read is in it. */
export function bodyKey(request: FastifyRequest): string | null {
  if (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body)) return null;
  try {
    return JSON.stringify(request.body);
  } catch {
    // Nesting deeper than the stack (hostile input parses, then overflows stringify): the handler refuses it.
    return null;
  }
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
  const cacheable = options.cacheKey !== undefined;
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
    const caller = await authorize(deps.ctx, queryOf(request)['access_token'], options.family, { changeVersion: cacheable && deps.answers != null });
    if (deps.rateLimiter && !deps.rateLimiter.allow(caller.app.corpid, options.api, caller.now)) throw wecomError('API_FREQ_OUT_OF_LIMIT');
    callers.set(request, caller);
  };

  const handler = async (request: FastifyRequest, response: FastifyReply) => {
    const caller = callers.get(request) ?? null;
    const answers = deps.answers;
    const version = caller?.changeVersion;
    const key = answers && caller && version !== undefined && options.cacheKey ? scopedKey(caller.app, options.cacheKey(request)) : null;
    if (key === null) return response.send({ errcode: 0, errmsg: 'ok', ...(await options.handle(request, caller)) });
    const hit = answers!.get(key, version!) ?? (await answers!.inFlight(key, version!));
    if (hit) return response.type(JSON_CONTENT_TYPE).send(hit);
    const finish = answers!.computes(key, version!);
    let answer: Buffer | null = null;
    try {
      const result = await options.handle(request, caller);
      // The route's schema serializer, exactly as Fastify would have run it on the object.
      answer = Buffer.from(response.serialize({ errcode: 0, errmsg: 'ok', ...result }) as string);
      // Kept only if no write committed since the token check read `version` (the handler's own read ran in
      // between, so it saw exactly that state): an answer stored under a version is that version's answer.
      if ((await deps.ctx.store.changeVersion()) === version) answers!.set(key, version!, answer);
    } finally {
      // Requests that saw the same version waited for this answer instead of computing it again. It is
      // theirs too: read after our token check saw that version, so it shows that version or a later one,
      // and if this read began before theirs saw the version, it shows exactly that version (it only grows).
      finish(answer);
    }
    return response.type(JSON_CONTENT_TYPE).send(answer);
  };

  const scopedKey = (app: App, key: string | null): string | null =>
    key === null || key.length > MAX_KEY_CHARS ? null : `${options.api}\u0000${app.corpid}\u0000${app.agentid}\u0000${key}`;

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
