import Fastify, { type FastifyInstance } from 'fastify';
import { acceptJsonWhateverTheContentType, BODY_LIMIT_BYTES } from './body-parser.js';
import type { HttpDeps } from './deps.js';
import { ConsoleSessions } from './console-session.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerConsoleReadRoutes } from './routes/admin-console-reads.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerContactRoutes } from './routes/externalcontact/contacts.js';
import { registerDeprecatedTransferRoutes } from './routes/externalcontact/deprecated-transfer.js';
import { registerResignedRoutes } from './routes/externalcontact/resigned.js';
import { registerTransferCustomerRoute } from './routes/externalcontact/transfer-customer.js';
import { registerTransferResultRoute } from './routes/externalcontact/transfer-result.js';
import { registerGettokenRoute } from './routes/gettoken.js';

/** Builds the server without listening (tests use `inject` or port 0; main.ts listens). */
export function buildApp(deps: HttpDeps, options: { logLevel?: string } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logLevel && options.logLevel !== 'silent' ? { level: options.logLevel } : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Admin routes carry external_userids in the path; Fastify's default 100-character limit would cut them.
    routerOptions: { maxParamLength: 512 },
  });
  acceptJsonWhateverTheContentType(app);

  registerGettokenRoute(app, deps);
  registerTransferCustomerRoute(app, deps);
  registerTransferResultRoute(app, deps);
  registerContactRoutes(app, deps);
  registerResignedRoutes(app, deps);
  registerDeprecatedTransferRoutes(app, deps);
  const sessions = new ConsoleSessions(deps.admin.token, () => deps.ctx.clock.real());
  registerAdminRoutes(app, deps, sessions);
  registerConsoleReadRoutes(app, deps, sessions);
  registerConsoleRoutes(app, deps, sessions);

  // WeCom answers unknown paths with 404 and an empty body, not errcode JSON (spec §1.1).
  app.setNotFoundHandler((_request, response) => response.code(404).type('text/plain').send(''));
  return app;
}
