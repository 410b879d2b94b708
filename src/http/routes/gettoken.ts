import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../service/issue-token.js';
import { gettokenSchema } from '../../wire/json-schemas/wecom.js';
import type { HttpDeps } from '../deps.js';
import { queryOf, registerWecomRoute } from '../wecom-route.js';

/** `GET /cgi-bin/gettoken?corpid=&corpsecret=` (behaviour §5.1). */
export function registerGettokenRoute(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'gettoken',
    method: 'GET',
    emptyFields: {},
    schema: gettokenSchema,
    handle: async (request) => {
      const query = queryOf(request);
      const token = await issueToken(deps.ctx, query['corpid'], query['corpsecret']);
      return { access_token: token.accessToken, expires_in: token.expiresIn };
    },
  });
}
