import { WecomClient } from '../sdk/client.js';
import { WecomError, WecomTransportError } from '../sdk/errors.js';
import { WECOM_BASE_URL } from '../wire/envelope.js';
import { CliFailure } from './io.js';

export interface ConnectionOptions {
  corpid?: string;
  secret?: string;
  baseUrl?: string;
}

export function connect(options: ConnectionOptions): WecomClient {
  if (!options.corpid || !options.secret) {
    throw new CliFailure('missing credentials: set WECOM_CORPID and WECOM_SECRET, or pass --corpid and --secret', 2);
  }
  return new WecomClient({ corpId: options.corpid, secret: options.secret, baseUrl: options.baseUrl ?? WECOM_BASE_URL, retry: { attempts: 5 } });
}

/** Turns SDK errors into one line that says what is wrong and what to do. */
export function explainFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof WecomTransportError) return new CliFailure(`${error.message} — check --base-url and that the server is running`);
  if (error instanceof WecomError) {
    if ([40001, 40013, 41002, 41004, 40091].includes(error.errcode)) {
      return new CliFailure(`WeCom refused the credentials (${error.errcode}: ${error.explanation}) — check WECOM_CORPID / WECOM_SECRET`);
    }
    return new CliFailure(`WeCom answered ${error.errcode}: ${error.explanation}`);
  }
  return new CliFailure((error as Error).message ?? String(error));
}
