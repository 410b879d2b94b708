import { dueAtFor } from '../domain/calendar.js';
import { transferMessage } from '../domain/customer-message.js';
import { parseTransferCommand } from '../domain/transfer-request.js';
import { quotaCountsFrom } from '../domain/transfer-quota.js';
import { checkTransferMembers, decidePerCustomer, type PerCustomerResult } from '../domain/transfer-rules.js';
import { ERRCODES } from '../domain/errcodes.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import type { App } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import type { ServiceContext } from './context.js';
import { cachedMembers } from './cached-members.js';

/**
 * `transfer_customer` (behaviour §0, §9.1): validate, check both members, decide each customer, then write
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

    // Ids that can name no customer get no facts, so 40096 (behaviour §1.3: unknown or malformed).
    const lookedUp = command.externalUserids.filter(mayNameARecord);
    const facts = lookedUp.length > 0 ? await tx.transferFacts(corpid, handover.userid, lookedUp, quotaCountsFrom(now, ctx.config.quota)) : new Map();
    // Last read, first lock: from here to commit, calls for this takeover queue behind this one.
    const load = { currentAndIncoming: await tx.lockTakeoverLoad(corpid, takeover.userid), customerCap: takeover.customerCap };
    const results = decidePerCustomer(command.externalUserids, facts, load, ctx.config.quota);

    const accepted = results.filter((r) => r.errcode === 0).map((r) => r.externalUserid);
    if (accepted.length > 0) {
      const started = await tx.insertTransfers(
        accepted.map((externalUserid) => ({
          corpid,
          externalUserid,
          handoverUserid: handover.userid,
          takeoverUserid: takeover.userid,
          startedAt: now,
          dueAt: dueAtFor(now),
        })),
      );
      // Another node started one of these meanwhile: the unique index kept it out, and it is "in transfer".
      for (const result of results) {
        if (result.errcode === 0 && !started.has(result.externalUserid)) result.errcode = ERRCODES.CUSTOMER_IN_TRANSFER.code;
      }
      const content = transferMessage(command.message, ctx.config.messageTemplate, takeover.name);
      await tx.insertMessages([...started].map((externalUserid) => ({ corpid, externalUserid, fromUserid: handover.userid, content, sentAt: now })));
    }
    return results;
  });
}
