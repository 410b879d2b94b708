import type {
  BatchGetByUserRequest,
  BatchGetByUserResponse,
  GetExternalContactResponse,
  GetFollowUserListResponse,
  ListExternalContactsResponse,
} from '../wire/contacts.js';
import { type ApiName, PATHS, WECOM_BASE_URL, type WecomResponse } from '../wire/envelope.js';
import type { GetTokenResponse } from '../wire/gettoken.js';
import type { TransferCustomerRequest, TransferCustomerResponse } from '../wire/transfer-customer.js';
import type { TransferResultEntry, TransferResultRequest, TransferResultResponse } from '../wire/transfer-result.js';
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

/** A handover → takeover pair, in the SDK's own names. */
export interface TransferPair {
  handover: string;
  takeover: string;
}

interface CallOptions {
  method: 'GET' | 'POST';
  query?: Record<string, string | undefined>;
  body?: unknown;
  /**
   * May this call be sent again after a network error? Not for transfer_customer: the first attempt may
   * have started transfers, and sending the same ids again would answer 40129 for them, hiding that.
   */
  idempotent: boolean;
  /** Answers with these errcodes are returned, not thrown (e.g. 84061 "no customers" for list). */
  accept?: readonly number[];
}

/**
 * A typed client for the WeCom in-service transfer APIs, against real WeCom or handover.
 *
 * @example
 * const client = new WecomClient({ corpId: 'ww…', secret: '…', baseUrl: 'http://127.0.0.1:8080' });
 * const answer = await client.transferCustomer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wm…'] });
 * // answer.customer → [{ external_userid: 'wm…', errcode: 0 }]
 * for await (const entry of client.transferResults({ handover_userid: 'zhangsan', takeover_userid: 'lisi' })) console.log(entry.status);
 */
export class WecomClient {
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

  /** Starts up to 100 transfers; per-customer outcomes are in `customer[]` (0 = takeover in 24 h). */
  transferCustomer(request: TransferCustomerRequest): Promise<TransferCustomerResponse> {
    return this.authorized<TransferCustomerResponse>('transferCustomer', { method: 'POST', body: request, idempotent: false });
  }

  transferResult(request: TransferResultRequest): Promise<TransferResultResponse> {
    return this.authorized<TransferResultResponse>('transferResult', { method: 'POST', body: request, idempotent: true });
  }

  /**
   * Every record of the pair, page after page (1,000 per page). Takes `{ handover, takeover }` or the
   * wire names `{ handover_userid, takeover_userid }`.
   */
  async *transferResults(pair: TransferPair | Omit<TransferResultRequest, 'cursor'>): AsyncGenerator<TransferResultEntry> {
    const request = 'handover' in pair ? { handover_userid: pair.handover, takeover_userid: pair.takeover } : pair;
    let cursor = '';
    do {
      const page = await this.transferResult({ handover_userid: request.handover_userid, takeover_userid: request.takeover_userid, cursor });
      yield* page.customer;
      cursor = page.next_cursor;
    } while (cursor);
  }

  /** The member's customers; a member without any answers 84061, returned here as an empty list. */
  async listExternalContacts(userid: string): Promise<string[]> {
    const answer = await this.authorized<ListExternalContactsResponse>('list', { method: 'GET', query: { userid }, idempotent: true, accept: [84061] });
    return answer.external_userid ?? [];
  }

  getExternalContact(externalUserid: string, cursor?: string): Promise<GetExternalContactResponse> {
    return this.authorized<GetExternalContactResponse>('get', { method: 'GET', query: { external_userid: externalUserid, cursor }, idempotent: true });
  }

  batchGetByUser(request: BatchGetByUserRequest): Promise<BatchGetByUserResponse> {
    return this.authorized<BatchGetByUserResponse>('batchGetByUser', { method: 'POST', body: request, idempotent: true });
  }

  async *batchGetByUserAll(request: Omit<BatchGetByUserRequest, 'cursor'>): AsyncGenerator<BatchGetByUserResponse['external_contact_list'][number]> {
    let cursor = '';
    do {
      const page = await this.batchGetByUser({ ...request, ...(cursor ? { cursor } : {}) });
      yield* page.external_contact_list;
      cursor = page.next_cursor;
    } while (cursor);
  }

  async getFollowUserList(): Promise<string[]> {
    return (await this.authorized<GetFollowUserListResponse>('getFollowUserList', { method: 'GET', idempotent: true })).follow_user;
  }

  /** Adds the cached token; on 40014/42001 fetches a new one and sends the call once more. */
  private async authorized<T extends WecomResponse>(api: ApiName, call: CallOptions): Promise<T> {
    const token = await this.tokens.get();
    try {
      return await this.send<T>(api, { ...call, query: { ...call.query, access_token: token } });
    } catch (error) {
      if (!(error instanceof WecomError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      this.tokens.invalidate(token);
      return this.send<T>(api, { ...call, query: { ...call.query, access_token: await this.tokens.get() } });
    }
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
