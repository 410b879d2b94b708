import { MAX_CHAT_IDS_PER_TRANSFER } from '../wire/group-chats.js';
import { chunk } from './batch.js';
import type { WecomClient } from './client.js';

export interface GroupchatTransferAllOptions {
  chatIds: readonly string[];
  newOwner: string;
  /** `groupchat/transfer` (owners who resigned) instead of `groupchat/onjob_transfer`. */
  resigned?: boolean;
  /** Called before each chunk is sent (a journal writes "about to send" here). */
  beforeChunk?: (chatIds: readonly string[]) => void | Promise<void>;
  /** Called after every chunk with the outcomes so far. */
  onProgress?: (progress: { done: number; total: number; transferred: number; chunk: GroupchatTransferOutcome[] }) => void | Promise<void>;
}

export interface GroupchatTransferOutcome {
  chatId: string;
  /** 0 = transferred (resigned: inheritance started); else the code of `failed_chat_list`. */
  errcode: number;
  errmsg?: string;
}

/**
 * Transfers any number of customer groups to one new owner, 100 per call, in input order; returns every
 * group's outcome (WeCom lists only failures: an unlisted group was transferred). A whole-call error stops
 * the run and is thrown; a chunk that may have reached the server is never resent.
 *
 * @example
 * const outcomes = await transferGroupchatsAll(client, { chatIds: ['wr1', 'wr2'], newOwner: 'lisi', resigned: true });
 * // [{ chatId: 'wr1', errcode: 0 }, { chatId: 'wr2', errcode: 90500, errmsg: 'the owner of this chat is not resigned' }]
 */
export async function transferGroupchatsAll(client: WecomClient, options: GroupchatTransferAllOptions): Promise<GroupchatTransferOutcome[]> {
  const outcomes: GroupchatTransferOutcome[] = [];
  let transferred = 0;
  for (const chatIds of chunk(options.chatIds, MAX_CHAT_IDS_PER_TRANSFER)) {
    await options.beforeChunk?.(chatIds);
    const request = { chat_id_list: [...chatIds], new_owner: options.newOwner };
    const answer = options.resigned ? await client.groupchatTransfer(request) : await client.groupchatOnjobTransfer(request);
    const failed = new Map((answer.failed_chat_list ?? []).map((f) => [f.chat_id, f] as const));
    const results = chatIds.map((chatId): GroupchatTransferOutcome => {
      const failure = failed.get(chatId);
      return failure ? { chatId, errcode: failure.errcode, errmsg: failure.errmsg } : { chatId, errcode: 0 };
    });
    transferred += results.filter((r) => r.errcode === 0).length;
    outcomes.push(...results);
    await options.onProgress?.({ done: outcomes.length, total: options.chatIds.length, transferred, chunk: results });
  }
  return outcomes;
}
