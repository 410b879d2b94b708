import type { FastifyInstance } from 'fastify';
import { deprecatedTransfer, deprecatedTransferResult } from '../../../service/deprecated-transfer.js';
import { deprecatedTransferResultSchema, deprecatedTransferSchema } from '../../../wire/json-schemas/resigned.js';
import type { HttpDeps } from '../../deps.js';
import { registerWecomRoute } from '../../wecom-route.js';

/** The deprecated one-customer calls older SDKs still make (behaviour §7.6, §10.7). */
export function registerDeprecatedTransferRoutes(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'transfer',
    method: 'POST',
    family: 'any_transfer',
    emptyFields: {},
    schema: deprecatedTransferSchema,
    handle: async (request, caller) => deprecatedTransfer(deps.ctx, caller!.app, request.body),
  });
  registerWecomRoute(app, deps, {
    api: 'getTransferResult',
    method: 'POST',
    family: 'any_transfer',
    emptyFields: {},
    schema: deprecatedTransferResultSchema,
    handle: async (request, caller) => deprecatedTransferResult(deps.ctx, caller!.app, request.body),
  });
}
