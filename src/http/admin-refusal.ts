import type { FastifyBaseLogger } from 'fastify';
import { clientErrorStatus, logRefusal } from './wecom-reply.js';

export interface AdminRefusal {
  status: number;
  message: string;
  field?: string;
}

/**
 * The admin API's answer to an error that is neither bad admin input nor an unparsable body: Fastify's own
 * refusals keep their 4xx (issue 11, defect 6: `Content-Type: garbage/////` answered 500, now 415 naming
 * the header) and are logged at info without a stack; anything else is a real fault, logged at error, 500.
 */
export function adminRefusal(error: unknown, log: FastifyBaseLogger): AdminRefusal {
  logRefusal(log, error, 'admin request failed');
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: 'the body is too large (1 MiB; 512 MiB for POST /admin/fixtures)' };
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, message: 'the Content-Type header is not a media type that can be parsed: send application/json', field: 'content-type' };
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) return { status, message: `bad request: ${(error as Error).message}` };
  return { status: 500, message: 'internal error; see the server log' };
}
