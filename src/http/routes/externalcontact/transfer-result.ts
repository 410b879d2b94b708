import type { FastifyInstance } from 'fastify';
import { getTransferResult } from '../../../service/get-transfer-result.js';
import { transferResultSchema } from '../../../wire/json-schemas/wecom.js';
import type { HttpDeps } from '../../deps.js';
import { bodyKey, registerWecomRoute } from '../../wecom-route.js';

/** `POST /cgi-bin/externalcontact/transfer_result` (behaviour §2, §9.3). */
export function registerTransferResultRoute(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'transferResult',
    method: 'POST',
    family: 'onjob_transfer',
    emptyFields: { customer: [] },
    schema: transferResultSchema,
    cacheKey: bodyKey,
    handle: async (request, caller) => {
      const page = await getTransferResult(deps.ctx, caller!.app, request.body);
      return { customer: page.customer, next_cursor: page.nextCursor };
    },
  });
}
