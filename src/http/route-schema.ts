import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { WecomRouteSchema } from '../wire/json-schemas/wecom.js';

/**
 * Fastify's validation must never answer a request under /cgi-bin/ or /admin/: WeCom checks the token
 * before the body and answers each bad field with its own errcode (behaviour §9.1), and admin errors name
 * the field in `{"error":{field,message}}`. Fastify's default Ajv would also coerce types and strip
 * unknown properties, changing what the handlers see. So request schemas are documentation (they feed
 * GET /openapi.json), every request passes this validator untouched, and the handlers' own checks decide;
 * test/http/openapi.test.ts keeps the two in agreement.
 */
export const documentOnly: FastifySchemaCompiler<unknown> = () => () => true;

/**
 * Fastify `schema` of a WeCom route; the 200 answer is also what Fastify serializes with. `getOnPost`:
 * the GET a POST endpoint also answers (40058 after the token check), which takes no body.
 */
export function wecomFastifySchema(schema: WecomRouteSchema, getOnPost = false): FastifySchema {
  return {
    summary: getOnPost ? 'GET on a POST endpoint: 40058 once the token is checked.' : schema.summary,
    tags: ['wecom'],
    querystring: schema.querystring,
    ...(schema.body && !getOnPost ? { body: schema.body } : {}),
    response: { 200: schema.response },
  };
}
