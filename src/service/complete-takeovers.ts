import { decideTakeovers, refuseTransfer, type TakeoverOutcome } from '../domain/takeover.js';
import type { Transfer } from '../domain/types.js';
import type { ServiceContext } from './context.js';
import { writeEvents } from './write-events.js';

/**
 * One batch of the takeover engine (spec §9.2): claim due transfers, judge them in due order, write every
 * outcome with its events in the claiming transaction. Returns how many were completed (0 = nothing due).
 */
export async function completeDueTakeovers(ctx: ServiceContext, batchSize: number): Promise<TakeoverOutcome[]> {
  return ctx.store.write(async (tx) => {
    const now = await ctx.clock.now(tx);
    const due = await tx.claimDueTransfers(now, batchSize);
    if (due.length === 0) return [];
    const facts = await tx.takeoverFacts(due);
    const outcomes = decideTakeovers(
      due.map((transfer) => ({
        transfer,
        handoverFollows: facts.handoverFollows.has(transfer.id),
        takeoverAlreadyFriend: facts.takeoverFriends.has(transfer.id),
        takeoverEarlierHandedOver: facts.takeoverEarlierHandedOver.has(transfer.id),
      })),
      facts.customerCounts,
      facts.caps,
      { copyRelationData: ctx.config.copyRelationData },
    );
    await tx.applyTakeoverOutcomes(outcomes);
    await writeEvents(tx, outcomes.flatMap((o) => o.events), now);
    return outcomes;
  });
}

/** Completes everything due now, batch after batch; used after the admin clock moves and by the engine. */
export async function completeAllDue(ctx: ServiceContext, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const done = (await completeDueTakeovers(ctx, batchSize)).length;
    total += done;
    if (done < batchSize) return total;
  }
}

export class NoWaitingTransfer extends Error {}

/** Spec §9.2: the customer taps "暂不添加" on a waiting transfer. */
export async function refuseWaitingTransfer(ctx: ServiceContext, corpid: string, externalUserid: string): Promise<Transfer> {
  return ctx.store.write(async (tx) => {
    const waiting = await tx.findWaitingTransfer(corpid, externalUserid);
    if (!waiting) throw new NoWaitingTransfer(`customer ${externalUserid} has no waiting transfer`);
    const now = await ctx.clock.now(tx);
    const refused = refuseTransfer(waiting, now);
    await tx.updateTransferStatus(refused.transfer);
    await writeEvents(tx, refused.events, now);
    return refused.transfer;
  });
}
