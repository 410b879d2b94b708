/**
 * handover's typed WeCom client: the customer-inheritance APIs (in-service and resigned customer transfer,
 * customer groups, the older calls) with token caching, bounded retries and 100-per-call batching, against
 * real WeCom (the default base URL) or a handover server.
 *
 * @example
 * // WecomClient and transferAll come from the package's main entry ("handover", or "handover/sdk").
 * const client = new WecomClient({ corpId: 'ww…', secret: '…', baseUrl: 'http://127.0.0.1:8080' });
 * const outcomes = await transferAll(client, { handover: 'zhangsan', takeover: 'lisi', externalUserIds: ['wmDemo000001'] });
 *
 * // a member who left: every customer nobody has taken yet, to lisi
 * const ids: string[] = [];
 * for await (const row of client.unassignedCustomers({ handover: 'wangwu' })) ids.push(row.external_userid);
 * await resignedTransferAll(client, { handover: 'wangwu', takeover: 'lisi', externalUserIds: ids });
 *
 * // and their customer groups
 * const chats: string[] = [];
 * for await (const { chat_id } of client.groupchats({ owners: ['wangwu'], status: 1 })) chats.push(chat_id);
 * await transferGroupchatsAll(client, { chatIds: chats, newOwner: 'lisi', resigned: true });
 */
export { WecomClient, type PairRequest, type TransferPair, type WecomClientOptions } from './client.js';
export { transferAll, resignedTransferAll, chunk, type TransferAllOptions, type TransferOutcome } from './batch.js';
export { transferGroupchatsAll, type GroupchatTransferAllOptions, type GroupchatTransferOutcome } from './groupchat-batch.js';
export { WecomError, WecomTransportError, explainErrcode } from './errors.js';
export { DEFAULT_RETRY_POLICY, RETRYABLE_ERRCODES, TOKEN_ERRCODES, backoffDelay, classifyAnswer, mayRetryTransportFailure, type AnswerClass, type RetryPolicy } from './retry.js';
export { TokenCache } from './token-cache.js';
export * from '../wire/index.js';
