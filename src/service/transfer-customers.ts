import { transferMessage } from '../domain/customer-message.js';
import { parseTransferCommand } from '../domain/transfer-request.js';
import { checkTransferMembers, type PerCustomerResult } from '../domain/transfer-rules.js';
import type { App } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import type { ServiceContext } from './context.js';
import { cachedMembers } from './cached-members.js';
import { startWaitingTransfers } from './start-waiting-transfers.js';

/**
 * `transfer_customer` (spec §0, §9.1): validate, check both members, decide each customer, then write
 * every accepted transfer and the customer's notice in the same transaction, so a call is never half done.
 */
export async function transferCustomers(ctx: ServiceContext, app: App, body: unknown): Promise<PerCustomerResult[]> {
  const command = parseTransferCommand(body);
  const corpid = app.corpid;
  return ctx.store.write(async (tx) => {
    const state = await tx.clockState();
    const now = ctx.clock.instantOf(state);
    // An invalid userid names no member (40003 below); only valid ones are looked up.
    const userids = [command.handoverUserid, command.takeoverUserid].filter(isValidUserid);
    const members = await cachedMembers(ctx, tx, corpid, userids, state.generation);
    const { handover, takeover } = checkTransferMembers(
      command,
      members.find((m) => m.userid === command.handoverUserid) ?? null,
      members.find((m) => m.userid === command.takeoverUserid) ?? null,
      app,
      now,
    );
    return startWaitingTransfers(ctx, tx, {
      kind: 'onjob',
      corpid,
      handover,
      takeover,
      externalUserids: command.externalUserids,
      now,
      quota: ctx.config.quota,
      notice: transferMessage(command.message, ctx.config.messageTemplate, takeover.name),
    });
  });
}
