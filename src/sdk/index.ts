/**
 * handover's typed WeCom client: the in-service transfer APIs with token caching, bounded retries and
 * 100-per-call batching, against real WeCom (the default base URL) or a handover server.
 *
 * @example
 * // WecomClient and transferAll come from the package's main entry ("handover", or "handover/sdk").
 * const client = new WecomClient({ corpId: 'ww…', secret: '…', baseUrl: 'http://127.0.0.1:8080' });
 * const outcomes = await transferAll(client, { handover: 'zhangsan', takeover: 'lisi', externalUserIds: ['wmDemo000001'] });
 */
export { WecomClient, type TransferPair, type WecomClientOptions } from './client.js';
export { transferAll, chunk, type TransferAllOptions, type TransferOutcome } from './batch.js';
export { WecomError, WecomTransportError, explainErrcode } from './errors.js';
export { DEFAULT_RETRY_POLICY, RETRYABLE_ERRCODES, TOKEN_ERRCODES, backoffDelay, classifyAnswer, mayRetryTransportFailure, type AnswerClass, type RetryPolicy } from './retry.js';
export { TokenCache } from './token-cache.js';
export * from '../wire/index.js';
