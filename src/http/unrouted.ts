import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorStatus, logRefusal } from './wecom-reply.js';

/** WeCom answers an unknown path (or method) with 404 and an empty body, not errcode JSON (behaviour §1.1). */
export function notFound(response: FastifyReply): FastifyReply {
  return response.code(404).type('text/plain').send('');
}

/**
 * Errors no route's own handler took: every WeCom route and the admin scope have one, so what arrives here
 * belongs to a request no route matched, whose body or Content-Type failed to parse on the way to the 404
 * (issue 11, defect 5: `NaN` to an unknown path, `PATCH` with `{`, `OPTIONS` with a garbage Content-Type
 * answered 500 or 415). The path decides the answer, not the body: the same empty 404.
 */
export function answerUnroutedError(error: unknown, request: FastifyRequest, response: FastifyReply): FastifyReply {
  logRefusal(request.log, error, 'unexpected error outside any route');
  if (request.is404) return notFound(response);
  const status = clientErrorStatus(error);
  return response.code(status ?? 500).send({ error: { message: status ? 'bad request' : 'internal error; see the server log' } });
}
