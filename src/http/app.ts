import Fastify, { type FastifyInstance } from 'fastify';
import { acceptJsonWhateverTheContentType, BODY_LIMIT_BYTES } from './body-parser.js';
import { registerApiDocs } from './api-docs.js';
import type { HttpDeps } from './deps.js';
import { ConsoleSessions } from './console-session.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerConsoleReadRoutes } from './routes/admin-console-reads.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerContactRoutes } from './routes/externalcontact/contacts.js';
import { registerDeprecatedTransferRoutes } from './routes/externalcontact/deprecated-transfer.js';
import { registerResignedRoutes } from './routes/externalcontact/resigned.js';
import { registerGroupChatReadRoutes } from './routes/externalcontact/groupchat-read.js';
import { registerGroupChatTransferRoutes } from './routes/externalcontact/groupchat-transfer.js';
import { registerTransferCustomerRoute } from './routes/externalcontact/transfer-customer.js';
import { registerTransferResultRoute } from './routes/externalcontact/transfer-result.js';
import { registerGettokenRoute } from './routes/gettoken.js';
import { registerHealthzRoute } from './routes/healthz.js';
import { answerUnroutedError, notFound } from './unrouted.js';
import { parseQueryFirstValueWins } from './query-string.js';

export interface HttpTimeouts {
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * A request (headers and body) must arrive within requestTimeoutMs (issue 11, defect 2). Node 20 checks
 * that only every connectionsCheckingInterval (default 30 s) and lets headersTimeout (default 60 s) decide
 * too: with requestTimeout alone a 10-byte body of a promised 100,000 was cut after ~60 s. Checking 4 times
 * per timeout (at most every second) closes a late one within 1 s of it, answered 408 by Node.
 */
function connectionLimits({ requestTimeoutMs, keepAliveTimeoutMs }: HttpTimeouts) {
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(requestTimeoutMs / 4))) },
  };
}

/** Builds the server without listening (tests use `inject` or port 0; main.ts listens). */
export function buildApp(deps: HttpDeps, options: { logLevel?: string; logStream?: { write(line: string): void }; timeouts?: HttpTimeouts } = {}): FastifyInstance {
  const app = Fastify({
    ...(options.timeouts ? connectionLimits(options.timeouts) : {}),
    logger: options.logLevel && options.logLevel !== 'silent' ? { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) } : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Admin routes carry external_userids in the path; Fastify's default 100-character limit would cut them.
    routerOptions: { maxParamLength: 512, querystringParser: parseQueryFirstValueWins },
    // A path that cannot even be decoded names no route: the same empty 404 as any unknown path.
    frameworkErrors: (_error, _request, response) => void notFound(response),
  });
  acceptJsonWhateverTheContentType(app);
  registerApiDocs(app);

  const sessions = new ConsoleSessions(deps.admin.token, () => deps.ctx.clock.real());
  // In a plugin, so that they are added after @fastify/swagger has loaded and it documents each of them.
  app.register(async (app) => {
    registerGettokenRoute(app, deps);
    registerTransferCustomerRoute(app, deps);
    registerTransferResultRoute(app, deps);
    registerContactRoutes(app, deps);
    registerResignedRoutes(app, deps);
    registerDeprecatedTransferRoutes(app, deps);
    registerGroupChatReadRoutes(app, deps);
    registerGroupChatTransferRoutes(app, deps);
    registerAdminRoutes(app, deps, sessions);
    registerConsoleReadRoutes(app, deps, sessions);
    registerConsoleRoutes(app, deps, sessions);
    registerHealthzRoute(app, deps);
  });

  // WeCom answers unknown paths with 404 and an empty body, not errcode JSON (behaviour §1.1).
  app.setNotFoundHandler((_request, response) => notFound(response));
  app.setErrorHandler(answerUnroutedError);
  return app;
}
