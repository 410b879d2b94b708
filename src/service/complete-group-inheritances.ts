import { completeInheritance } from '../domain/group-transfer-rules.js';
import type { ServiceContext } from './context.js';
import { writeEvents } from './write-events.js';

/**
 * One batch of the group inheritance engine (behaviour §10.6): claim due resigned group transfers, change each
 * group's owner, mark the transfer done and write the owner-change events, all in the claiming transaction,
 * so each completes exactly once however many nodes run. Returns how many it completed.
 */
export async function completeDueGroupInheritances(ctx: ServiceContext, batchSize: number): Promise<number> {
  return ctx.store.write(async (tx) => {
    const now = await ctx.clock.now(tx);
    const due = await tx.claimDueGroupTransfers(now, batchSize);
    if (due.length === 0) return 0;
    const events = [];
    for (const transfer of due) {
      const [state] = await tx.groupChatStates(transfer.corpid, [transfer.chatId]);
      if (!state) throw new Error(`group transfer ${transfer.id} names no group ${transfer.chatId}`);
      const outcome = completeInheritance(transfer, state.group, ctx.config.groupChats.callbacks);
      await tx.updateGroupChat(outcome.group, state.group.owner);
      await tx.completeGroupTransfers([outcome.transfer]);
      events.push(...outcome.events);
    }
    await writeEvents(tx, events, now);
    return due.length;
  });
}

/** Completes every inheritance due now before an admin clock call answers (as completeAllDue does for customers). */
export async function completeAllDueGroupInheritances(ctx: ServiceContext, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await completeDueGroupInheritances(ctx, batchSize);
    total += done;
    if (done === 0) return total;
  }
}
