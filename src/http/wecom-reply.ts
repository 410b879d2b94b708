import { randomBytes } from 'node:crypto';
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

/** Anything that is not a WecomError (a database fault, a bug) is answered as WeCom's "system busy". */
export function asWecomError(error: unknown): WecomError {
  if (error instanceof WecomError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new WecomError('INVALID_ARGUMENT', { detail: 'request body is larger than 1 MiB' });
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new WecomError('INVALID_ARGUMENT', { wrongJsonFormat: true });
  return new WecomError('SYSTEM_BUSY');
}

export const SYSTEM_BUSY_CODE = ERRCODES.SYSTEM_BUSY.code;
