import type { FastifyInstance } from 'fastify';
import { checkHealth } from '../../service/health.js';
import { HANDOVER_VERSION } from '../../version.js';
import type { HttpDeps } from '../deps.js';

/** Long enough for a loaded store to answer, short enough for a load balancer's probe (often 5 s). */
const STORE_TIMEOUT_MS = 2_000;

const backend = { type: 'string', enum: ['sqlite', 'postgres'] } as const;
const version = { type: 'string', description: 'the package version' } as const;

/**
 * `GET /healthz`: 200 when the store answers, 503 when it does not — for load balancers and
 * orchestrators, so open to any client and outside the admin token. It names the backend kind only,
 * never a path or connection string.
 */
export function registerHealthzRoute(app: FastifyInstance, deps: HttpDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'backend', 'version', 'clock'],
            properties: {
              status: { type: 'string', const: 'ok' },
              backend,
              version,
              clock: {
                type: 'object',
                required: ['now', 'frozen'],
                properties: { now: { type: 'string', format: 'date-time', description: 'the server clock' }, frozen: { type: 'boolean' } },
              },
            },
          },
          503: {
            type: 'object',
            required: ['status', 'backend', 'version', 'error'],
            properties: { status: { type: 'string', const: 'unavailable' }, backend, version, error: { type: 'string' } },
          },
        },
      },
    },
    async (request, response) => {
      const health = await checkHealth(deps.ctx, STORE_TIMEOUT_MS);
      if (!health.ok) {
        request.log.warn({ error: health.error }, 'healthz: the store did not answer');
        return response.code(503).send({ status: 'unavailable', backend: health.backend, version: HANDOVER_VERSION, error: `the store did not answer: ${health.error}` });
      }
      const clock = { now: new Date(health.clock.now).toISOString(), frozen: health.clock.frozen };
      return { status: 'ok', backend: health.backend, version: HANDOVER_VERSION, clock };
    },
  );
}
