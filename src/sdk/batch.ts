import { MAX_EXTERNAL_USERIDS_PER_CALL } from '../wire/transfer-customer.js';
import type { WecomClient } from './client.js';

export interface TransferAllOptions {
  handover: string;
  takeover: string;
  externalUserIds: readonly string[];
  /** `transfer_success_msg`, in-service only (a resigned transfer has none: WeCom sends its own notice). */
  message?: string;
  /** `onjob` (default): `transfer_customer`; `resigned`: `resigned/transfer_customer` (behaviour §10.3). */
  kind?: 'onjob' | 'resigned';
  /** Called after every chunk with the outcomes so far. */
  onProgress?: (progress: { done: number; total: number; accepted: number; chunk: TransferOutcome[] }) => void | Promise<void>;
  /** Called before each chunk is sent (a journal writes "about to send" here). */
  beforeChunk?: (ids: readonly string[]) => void | Promise<void>;
}

export interface TransferOutcome {
  externalUserId: string;
  /** The per-customer errcode: 0 = takeover starts (completes after 24 h). */
  errcode: number;
}

export function chunk<T>(items: readonly T[], size = MAX_EXTERNAL_USERIDS_PER_CALL): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Transfers any number of customers, 100 per call (behaviour §0), in input order; returns every id's outcome.
 * A whole-call error (after the client's retries) stops the run and is thrown: the chunks before it stand.
 * With `kind: 'resigned'` the same for a resigned member's customers (`resignedTransferAll` says so).
 * No chunk is ever sent twice: the client resends only what provably started nothing.
 *
 * @example
 * const outcomes = await transferAll(client, { handover: 'zhangsan', takeover: 'lisi', externalUserIds: ids,
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`) });
 * outcomes.filter((o) => o.errcode !== 0); // e.g. [{ externalUserId: 'wm…', errcode: 40128 }]
 */
export async function transferAll(client: WecomClient, options: TransferAllOptions): Promise<TransferOutcome[]> {
  const outcomes: TransferOutcome[] = [];
  let accepted = 0;
  for (const ids of chunk(options.externalUserIds)) {
    await options.beforeChunk?.(ids);
    const pair = { handover_userid: options.handover, takeover_userid: options.takeover, external_userid: [...ids] };
    const answer =
      options.kind === 'resigned'
        ? await client.resignedTransferCustomer(pair)
        : await client.transferCustomer({ ...pair, ...(options.message !== undefined ? { transfer_success_msg: options.message } : {}) });
    // One entry per id in request order (behaviour §0); matched by id anyway so the output follows the input.
    const byId = new Map(answer.customer.map((c) => [c.external_userid, c.errcode] as const));
    const inOrder = answer.customer.length === ids.length && answer.customer.every((c, i) => c.external_userid === ids[i]);
    const results = inOrder
      ? answer.customer.map((c) => ({ externalUserId: c.external_userid, errcode: c.errcode }))
      : ids.map((id) => ({ externalUserId: id, errcode: byId.get(id) ?? -1 }));
    accepted += results.filter((r) => r.errcode === 0).length;
    outcomes.push(...results);
    await options.onProgress?.({ done: outcomes.length, total: options.externalUserIds.length, accepted, chunk: results });
  }
  return outcomes;
}

/**
 * A resigned member's customers to one takeover, 100 per call, with the same safe-retry rules as
 * `transferAll`: a chunk that may have started is never resent (check `resignedTransferResults` instead).
 *
 * @example
 * const ids = [];
 * for await (const row of client.unassignedCustomers({ handover: 'zhangsan' })) ids.push(row.external_userid);
 * const outcomes = await resignedTransferAll(client, { handover: 'zhangsan', takeover: 'lisi', externalUserIds: ids });
 * // [{ externalUserId: 'wm…', errcode: 0 }, { externalUserId: 'wm…', errcode: 40099 }, …]
 */
export function resignedTransferAll(client: WecomClient, options: Omit<TransferAllOptions, 'kind' | 'message'>): Promise<TransferOutcome[]> {
  return transferAll(client, { ...options, kind: 'resigned' });
}
