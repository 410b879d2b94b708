import type { FastifyInstance } from 'fastify';
import { getTransferResult } from '../../../service/get-transfer-result.js';
import { resignedTransferCustomers } from '../../../service/resigned-transfer-customers.js';
import { unassignedList } from '../../../service/unassigned-list.js';
import { getUnassignedListSchema, resignedTransferCustomerSchema, resignedTransferResultSchema } from '../../../wire/json-schemas/resigned.js';
import type { HttpDeps } from '../../deps.js';
import { bodyKey, registerWecomRoute } from '../../wecom-route.js';

/** The resigned family (behaviour §10.2, §10.3, §10.5): every call needs 离职继承 (`resigned_transfer`). */
export function registerResignedRoutes(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'getUnassignedList',
    method: 'POST',
    family: 'resigned_transfer',
    emptyFields: { info: [] },
    schema: getUnassignedListSchema,
    handle: async (request, caller) => ({ ...(await unassignedList(deps.ctx, caller!.app, request.body)) }),
  });
  registerWecomRoute(app, deps, {
    api: 'resignedTransferCustomer',
    method: 'POST',
    family: 'resigned_transfer',
    emptyFields: { customer: [] },
    schema: resignedTransferCustomerSchema,
    handle: async (request, caller) => {
      const results = await resignedTransferCustomers(deps.ctx, caller!.app, request.body, caller!.clock);
      return { customer: results.map((r) => ({ external_userid: r.externalUserid, errcode: r.errcode })) };
    },
  });
  registerWecomRoute(app, deps, {
    api: 'resignedTransferResult',
    method: 'POST',
    family: 'resigned_transfer',
    emptyFields: { customer: [] },
    schema: resignedTransferResultSchema,
    cacheKey: bodyKey,
    handle: async (request, caller) => {
      const page = await getTransferResult(deps.ctx, caller!.app, request.body, 'resigned');
      return { customer: page.customer, next_cursor: page.nextCursor };
    },
  });
}
