import { WecomClient } from '../sdk/client.js';
import { WecomError, WecomTransportError } from '../sdk/errors.js';
import { WECOM_BASE_URL } from '../wire/envelope.js';
import { CliFailure } from './io.js';

export interface ConnectionOptions {
  corpid?: string;
  secret?: string;
  baseUrl?: string;
}

/** `--base-url 127.0.0.1:8080` made fetch say only "Invalid URL"; `localhost:8080` even parses, as a scheme. */
function baseUrl(value: string | undefined): string {
  if (value === undefined) return WECOM_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    throw new CliFailure(`--base-url must be a URL such as http://127.0.0.1:8080 or https://qyapi.weixin.qq.com, not "${value}"`, 2);
  }
  return value;
}

export function connect(options: ConnectionOptions): WecomClient {
  const base = baseUrl(options.baseUrl);
  if (!options.corpid || !options.secret) {
    throw new CliFailure('missing credentials: set WECOM_CORPID and WECOM_SECRET, or pass --corpid and --secret', 2);
  }
  return new WecomClient({ corpId: options.corpid, secret: options.secret, baseUrl: base, retry: { attempts: 5 } });
}

const CREDENTIAL_ERRORS = [40001, 40013, 41002, 41004, 40091];

/** Whole-call errcodes that say which flag to fix: running the same command again cannot help. */
const FLAG_HINTS: Readonly<Record<number, string>> = {
  40003: 'check --from and --to: WeCom knows no member by one of those userids',
  40130: '--from and --to name the same member',
  60011: '--from or --to is outside the visible range of the app (--corpid/--secret)',
  41054: '--from or --to is not activated, or has not logged in within the last year',
  40098: '--to is not real-name verified',
  610004: '--to does not have customer contact enabled',
  48002: 'the app of --corpid/--secret may not call the customer-contact API',
  40058: 'WeCom refused the request itself (--message too long?)',
};

/** Whole-call answers that a later run may not get: busy, rate limits. */
const TRANSIENT = [-1, 45009, 45033];

/** Whether running the same command again may get further (the journal makes that safe). */
export function rerunMayHelp(error: unknown): boolean {
  if (error instanceof WecomTransportError) return true;
  return error instanceof WecomError && TRANSIENT.includes(error.errcode);
}

/** Turns SDK errors into one line that says what is wrong and what to do. */
export function explainFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof WecomTransportError) return new CliFailure(`${error.message} — check --base-url and that the server is running`);
  if (error instanceof WecomError) {
    if (CREDENTIAL_ERRORS.includes(error.errcode)) {
      return new CliFailure(`WeCom refused the credentials (${error.errcode}: ${error.explanation}) — check WECOM_CORPID / WECOM_SECRET (or --corpid / --secret)`);
    }
    const hint = FLAG_HINTS[error.errcode];
    return new CliFailure(`WeCom answered ${error.errcode}: ${error.explanation}${hint ? ` — ${hint}` : ''}`);
  }
  return new CliFailure((error as Error).message ?? String(error));
}
