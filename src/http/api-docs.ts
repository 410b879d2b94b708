import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * `GET /openapi.json` (OpenAPI 3.1) and `/docs` (Swagger UI, its assets served from the package: works
 * offline). The document is generated from the schemas the routes declare, so it lists exactly the routes
 * registered after this plugin loads: app.ts registers every route in a plugin that follows it.
 * Both plugins are imported when the server starts, not when main.ts is loaded: the CLI commands, which
 * share main.ts, never pay for them.
 */
export function registerApiDocs(app: FastifyInstance): void {
  app.register(import('@fastify/swagger'), {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'handover',
        version,
        description:
          'WeCom (企业微信) customer transfer, wire-compatible, plus handover\'s admin API. Behaviour: docs/behaviour.md in the repository. ' +
          'Every /cgi-bin/ answer is HTTP 200 with errcode/errmsg; request schemas document, the server checks requests itself with WeCom\'s errcodes and check order.',
      },
      tags: [
        { name: 'wecom', description: 'WeCom\'s API, same paths, shapes and errcodes. Authenticated by ?access_token= from gettoken.' },
        { name: 'admin', description: 'handover\'s admin API: loopback only unless HANDOVER_ADMIN_REMOTE=on, Authorization: Bearer <admin token>.' },
      ],
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.register(import('@fastify/swagger-ui'), { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
}
