import { ERRCODES, type ErrcodeName } from './errcodes.js';

/**
 * An API-level failure as a value: the whole call answers `{errcode, errmsg}` (HTTP 200).
 * `wrongJsonFormat` marks a request WeCom would have parsed only partly; its errmsg then starts with
 * "Warning: wrong json format." as WeCom's does (behaviour §1.1).
 */
export class WecomError extends Error {
  readonly errcode: number;
  readonly detail: string | undefined;
  readonly wrongJsonFormat: boolean;

  constructor(name: ErrcodeName, options: { detail?: string; wrongJsonFormat?: boolean } = {}) {
    const entry = ERRCODES[name];
    super(options.detail ? `${entry.errmsg}: ${options.detail}` : entry.errmsg);
    this.name = 'WecomError';
    this.errcode = entry.code;
    this.detail = options.detail;
    this.wrongJsonFormat = options.wrongJsonFormat ?? false;
  }
}

export function wecomError(name: ErrcodeName, detail?: string): WecomError {
  return new WecomError(name, detail === undefined ? {} : { detail });
}
