import type { FastifyInstance, FastifyRequest } from 'fastify';
import { batchGetByUser, followUserList, getContact, listCustomerIds } from '../../../service/read-contacts.js';
import { batchGetByUserSchema, getFollowUserListSchema, getSchema, listSchema } from '../../../wire/json-schemas/wecom.js';
import type { HttpDeps } from '../../deps.js';
import { bodyKey, queryOf, registerWecomRoute } from '../../wecom-route.js';

/** A query parameter as the handler reads it, or null (uncached) for anything but one string. */
function param(request: FastifyRequest, name: string): string | null {
  const value = queryOf(request)[name];
  return value === undefined ? '' : typeof value === 'string' ? value : null;
}

/** The read APIs that show a transfer's effect (behaviour §6). */
export function registerContactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'getFollowUserList',
    method: 'GET',
    family: 'customer_read',
    emptyFields: { follow_user: [] },
    schema: getFollowUserListSchema,
    // The app alone decides the answer (the cache scopes every key by corp and app).
    cacheKey: () => '',
    handle: async (_request, caller) => ({ follow_user: await followUserList(deps.ctx, caller!.app) }),
  });
  registerWecomRoute(app, deps, {
    api: 'list',
    method: 'GET',
    family: 'customer_read',
    emptyFields: { external_userid: [] },
    schema: listSchema,
    cacheKey: (request) => param(request, 'userid'),
    handle: async (request, caller) => ({ external_userid: await listCustomerIds(deps.ctx, caller!.app, queryOf(request)['userid']) }),
  });
  registerWecomRoute(app, deps, {
    api: 'get',
    method: 'GET',
    family: 'customer_read',
    emptyFields: { follow_user: [] },
    schema: getSchema,
    cacheKey: (request) => {
      const [externalUserid, cursor] = [param(request, 'external_userid'), param(request, 'cursor')];
      return externalUserid === null || cursor === null ? null : JSON.stringify([externalUserid, cursor]);
    },
    handle: async (request, caller) => {
      const query = queryOf(request);
      const contact = await getContact(deps.ctx, caller!.app, query['external_userid'], query['cursor'] || undefined);
      return {
        external_contact: contact.externalContact,
        follow_user: contact.followUser,
        ...(contact.nextCursor ? { next_cursor: contact.nextCursor } : {}),
      };
    },
  });
  registerWecomRoute(app, deps, {
    api: 'batchGetByUser',
    method: 'POST',
    family: 'customer_read',
    emptyFields: { external_contact_list: [] },
    schema: batchGetByUserSchema,
    cacheKey: bodyKey,
    handle: async (request, caller) => ({ ...(await batchGetByUser(deps.ctx, caller!.app, request.body)) }),
  });
}
