import { resignedNotice } from '../domain/customer-message.js';
import { checkResignedTransferMembers } from '../domain/resigned-transfer-rules.js';
import { parseTransferCommand } from '../domain/transfer-request.js';
import type { PerCustomerResult } from '../domain/transfer-rules.js';
import type { App } from '../domain/types.js';
import type { ClockRecord } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { runTransferCall } from './start-waiting-transfers.js';

/** Behaviour §10.3: the call has no `transfer_success_msg`; one that is sent is ignored, whatever its length. */
function withoutMessage(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { transfer_success_msg: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
}

/**
 * `resigned/transfer_customer` (behaviour §10.3): the checks of §9.1.4, the resigned member checks, then the
 * per-customer decisions of `transfer_customer` without the 90-day quota (unless HANDOVER_RESIGNED_QUOTA=on),
 * written with the resigned notice (§10.4) in one transaction.
 */
export async function resignedTransferCustomers(ctx: ServiceContext, app: App, body: unknown, clock?: ClockRecord): Promise<PerCustomerResult[]> {
  const command = parseTransferCommand(withoutMessage(body));
  return runTransferCall(
    ctx,
    app,
    command,
    checkResignedTransferMembers,
    (handover, takeover) => ({
      kind: 'resigned',
      quota: ctx.config.resigned.quota ? ctx.config.quota : null,
      notice: resignedNotice(ctx.config.resigned.noticeTemplate, takeover.name, handover.name),
    }),
    clock,
  );
}
