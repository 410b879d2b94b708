import type { FastifyInstance } from 'fastify';
import { transferCustomers } from '../../../service/transfer-customers.js';
import { transferCustomerSchema } from '../../../wire/json-schemas/wecom.js';
import type { HttpDeps } from '../../deps.js';
import { registerWecomRoute } from '../../wecom-route.js';

/** `POST /cgi-bin/externalcontact/transfer_customer` (behaviour §0, §9.1). */
export function registerTransferCustomerRoute(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'transferCustomer',
    method: 'POST',
    family: 'onjob_transfer',
    emptyFields: { customer: [] },
    schema: transferCustomerSchema,
    handle: async (request, caller) => {
      const results = await transferCustomers(deps.ctx, caller!.app, request.body, caller!.clock);
      return { customer: results.map((r) => ({ external_userid: r.externalUserid, errcode: r.errcode })) };
    },
  });
}
