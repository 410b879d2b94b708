import { type ApiName, PATHS, WECOM_BASE_URL, type WecomResponse } from '../wire/envelope.js';
import type { GetTokenResponse } from '../wire/gettoken.js';
import { WecomError, WecomTransportError } from './errors.js';
import { backoffDelay, classifyAnswer, DEFAULT_RETRY_POLICY, mayRetryTransportFailure, type RetryPolicy, sleep, TOKEN_ERRCODES } from './retry.js';
import { TokenCache } from './token-cache.js';

export interface WecomClientOptions {
  corpId: string;
  secret: string;
  /** `https://qyapi.weixin.qq.com` by default; point it at handover to rehearse. */
  baseUrl?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  method: 'GET' | 'POST';
  query?: Record<string, string | undefined>;
  body?: unknown;
  /**
   * May this call be sent again after a network error? Not for the transfer calls: the first attempt may
   * have started transfers, and sending the same ids again would answer 40129 for them, hiding that.
   */
  idempotent: boolean;
  /** Answers with these errcodes are returned, not thrown (e.g. 84061 "no customers" for list). */
  accept?: readonly number[];
}

/** Tokens, retries and the HTTP exchange under every `WecomClient` method. */
export class WecomTransport {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly tokens: TokenCache;

  constructor(private readonly options: WecomClientOptions) {
    this.baseUrl = (options.baseUrl ?? WECOM_BASE_URL).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.tokens = new TokenCache(() => this.getToken());
  }

  /** `GET /cgi-bin/gettoken`; most callers never need it: every method fetches and caches the token. */
  getToken(): Promise<GetTokenResponse> {
    return this.send<GetTokenResponse>('gettoken', { method: 'GET', query: { corpid: this.options.corpId, corpsecret: this.options.secret }, idempotent: true });
  }

  /** Adds the cached token; on 40014/42001 fetches a new one and sends the call once more. */
  protected async authorized<T extends WecomResponse>(api: ApiName, call: CallOptions): Promise<T> {
    const token = await this.tokens.get();
    try {
      return await this.send<T>(api, { ...call, query: { ...call.query, access_token: token } });
    } catch (error) {
      if (!(error instanceof WecomError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      this.tokens.invalidate(token);
      return this.send<T>(api, { ...call, query: { ...call.query, access_token: await this.tokens.get() } });
    }
  }

  /** A POST of a wire body: reads are idempotent, transfers are not. */
  protected post<T extends WecomResponse>(api: ApiName, body: unknown, idempotent: boolean): Promise<T> {
    return this.authorized<T>(api, { method: 'POST', body, idempotent });
  }

  /** One call with bounded, jittered retries on -1 / 45009 / 45033 and (idempotent calls only) network errors. */
  private async send<T extends WecomResponse>(api: ApiName, call: CallOptions): Promise<T> {
    const path = PATHS[api];
    for (let attempt = 1; ; attempt++) {
      let answer: T;
      try {
        answer = await this.request<T>(path, call);
      } catch (error) {
        const retryable = error instanceof WecomTransportError && mayRetryTransportFailure(call.idempotent, error.maybeSent);
        if (!retryable || attempt >= this.retry.attempts) throw error;
        await sleep(backoffDelay(attempt, this.retry));
        continue;
      }
      const verdict = classifyAnswer(answer, call.accept);
      if (verdict === 'ok') return answer;
      // A whole-call -1/45009/45033 with no customer entries started nothing: safe to send again.
      if (verdict === 'retry' && attempt < this.retry.attempts) {
        await sleep(backoffDelay(attempt, this.retry));
        continue;
      }
      throw new WecomError(answer.errcode, answer.errmsg, path);
    }
  }

  private async request<T>(path: string, call: CallOptions): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: call.method,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(call.body !== undefined ? { body: JSON.stringify(call.body), headers: { 'content-type': 'application/json' } } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      // Refused or unresolvable connections never reached the server; anything else may have.
      const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(cause?.code ?? '');
      throw new WecomTransportError(`cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, path, !neverSent);
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WecomTransportError(`${this.baseUrl}${path} answered HTTP ${response.status} with something that is not WeCom JSON`, path, true);
    }
  }
}

/**
 * Every item of a cursor-paged list: asks for the next page while the answer names one.
 * `next` gets the cursor of the page to fetch (`''` first).
 */
export async function* pages<Page, Item>(fetchPage: (cursor: string) => Promise<Page>, items: (page: Page) => readonly Item[], nextCursor: (page: Page) => string | undefined): AsyncGenerator<Item> {
  let cursor = '';
  do {
    const page = await fetchPage(cursor);
    yield* items(page);
    cursor = nextCursor(page) ?? '';
  } while (cursor);
}
