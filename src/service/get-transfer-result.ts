import { toUnixSeconds } from '../domain/calendar.js';
import { isVisible } from '../domain/permissions.js';
import { requireInService } from '../domain/resigned-members.js';
import { type App, type Transfer, type TransferKind, TransferStatus } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { wecomError } from '../domain/wecom-error.js';
import { TRANSFER_RESULT_PAGE_SIZE, type TransferResultEntry } from '../wire/transfer-result.js';
import type { ServiceContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { optionalString, requireBodyObject, requiredUserid } from '../domain/request-fields.js';

/** Behaviour §2 and §9.3: takeover_time is when it happened (or will, for status 2), 0 for a refusal. */
export function takeoverTime(transfer: Transfer): number {
  if (transfer.status === TransferStatus.waiting) return toUnixSeconds(transfer.dueAt);
  if (transfer.status === TransferStatus.refused) return 0;
  return toUnixSeconds(transfer.endedAt ?? transfer.dueAt);
}

/**
 * `transfer_result` (behaviour §9.3: in-service transfers only) and `resigned/transfer_result` (behaviour §10.5:
 * resigned transfers only). The in-service call answers 40003 for a resigned member (§10.1); the resigned
 * one accepts a resigned handover but not a resigned takeover.
 */
export async function getTransferResult(ctx: ServiceContext, app: App, body: unknown, kind: TransferKind = 'onjob'): Promise<{ customer: TransferResultEntry[]; nextCursor: string }> {
  const fields = requireBodyObject(body);
  const handoverUserid = requiredUserid(fields, 'handover_userid');
  const takeoverUserid = requiredUserid(fields, 'takeover_userid');
  const cursor = optionalString(fields, 'cursor');
  const after = cursor ? decodeCursor(cursor, 'e') : '';
  if (typeof after !== 'string') throw wecomError('INVALID_PARAMETER', 'cursor');

  return ctx.store.read(async (tx) => {
    const members = await tx.getMembers(app.corpid, [handoverUserid, takeoverUserid].filter(isValidUserid));
    const handover = members.find((m) => m.userid === handoverUserid) ?? null;
    if (kind === 'onjob') requireInService(handover, 'handover_userid');
    else if (!handover) throw wecomError('INVALID_USERID', 'handover_userid');
    requireInService(members.find((m) => m.userid === takeoverUserid) ?? null, 'takeover_userid');
    if (!isVisible(app, takeoverUserid)) throw wecomError('NO_PRIVILEGE', 'takeover_userid is not in the app visible range');
    const rows = await tx.latestTransfersOfPair(kind, app.corpid, handoverUserid, takeoverUserid, after, TRANSFER_RESULT_PAGE_SIZE + 1);
    const page = rows.slice(0, TRANSFER_RESULT_PAGE_SIZE);
    const more = rows.length > TRANSFER_RESULT_PAGE_SIZE;
    return {
      customer: page.map((t) => ({ external_userid: t.externalUserid, status: t.status, takeover_time: takeoverTime(t) })),
      nextCursor: more ? encodeCursor('e', page[page.length - 1]!.externalUserid) : '',
    };
  });
}
