import { transferMessage } from '../domain/customer-message.js';
import { parseTransferCommand } from '../domain/transfer-request.js';
import { checkTransferMembers, type PerCustomerResult } from '../domain/transfer-rules.js';
import type { App } from '../domain/types.js';
import type { ClockRecord } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { runTransferCall } from './start-waiting-transfers.js';

/**
 * `transfer_customer` (behaviour §0, §9.1): validate, check both members, decide each customer, then write
 * every accepted transfer and the customer's notice in the same transaction, so a call is never half done.
 */
export async function transferCustomers(ctx: ServiceContext, app: App, body: unknown, clock?: ClockRecord): Promise<PerCustomerResult[]> {
  const command = parseTransferCommand(body);
  return runTransferCall(
    ctx,
    app,
    command,
    checkTransferMembers,
    (_handover, takeover) => ({
      kind: 'onjob',
      quota: ctx.config.quota,
      notice: transferMessage(command.message, ctx.config.messageTemplate, takeover.name),
    }),
    clock,
  );
}
