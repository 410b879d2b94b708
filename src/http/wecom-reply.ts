import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { systemTime } from '../clock.js';
import { ERRCODES } from '../domain/errcodes.js';
import { WecomError } from '../domain/wecom-error.js';

/**
 * WeCom's error text: `<text>, hint: [<ts>_<n>_<hex32>], from ip: <ip>, more info at …?e=<code>` (behaviour §1.1),
 * prefixed by "Warning: wrong json format. " when the body was only partly understood.
 */
export function errmsgFor(error: WecomError, ip: string, sequence: number): string {
  const hint = `${Math.floor(systemTime() / 1000)}_${sequence % 100}_${randomBytes(16).toString('hex')}`;
  const text = `${error.message}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${error.errcode}`;
  return error.wrongJsonFormat ? `Warning: wrong json format. ${text}` : text;
}

/**
 * Fastify's own refusals of a request (body over the limit, unparsable Content-Type or Content-Length):
 * the client's fault, carrying a 4xx statusCode. undefined for anything else.
 */
export function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Anything that is neither a WecomError nor a client's fault (a database fault, a bug) is answered as WeCom's "system busy". */
export function asWecomError(error: unknown): WecomError {
  if (error instanceof WecomError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new WecomError('INVALID_ARGUMENT', { detail: 'request body is larger than 1 MiB' });
  if (clientErrorStatus(error) !== undefined) return new WecomError('INVALID_ARGUMENT', { wrongJsonFormat: true });
  return new WecomError('SYSTEM_BUSY');
}

/**
 * Issue 11, defect 9: a client's bad request is logged at info, without a stack; error level (with the
 * stack) is kept for real faults, so an oversize-body barrage does not drown them.
 */
export function logRefusal(log: FastifyBaseLogger, error: unknown, faultMessage: string): void {
  if (error instanceof WecomError) return;
  const status = clientErrorStatus(error);
  if (status === undefined) return void log.error({ err: error }, faultMessage);
  log.info({ status, code: (error as { code?: unknown }).code, reason: (error as Error).message }, 'bad request refused');
}

export const SYSTEM_BUSY_CODE = ERRCODES.SYSTEM_BUSY.code;
