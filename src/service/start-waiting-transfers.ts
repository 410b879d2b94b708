import { dueAtFor } from '../domain/calendar.js';
import { ERRCODES } from '../domain/errcodes.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import { quotaCountsFrom, type TransferQuota } from '../domain/transfer-quota.js';
import { decidePerCustomer, type MemberCheck, type PerCustomerResult } from '../domain/transfer-rules.js';
import { staleStarts, startEffects } from '../domain/transfer-state.js';
import type { TransferCommand } from '../domain/transfer-request.js';
import type { App, Member, TransferKind } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { cachedMembers } from './cached-members.js';
import type { NewTransfer, StartTransfersPort } from '../store/store.js';
import type { ServiceContext } from './context.js';

export interface StartRequest {
  kind: TransferKind;
  corpid: string;
  handover: Member;
  takeover: Member;
  /** In request order, duplicates kept. */
  externalUserids: readonly string[];
  now: number;
  /** null = no 90-day limit (behaviour §10.3 default for resigned transfers). */
  quota: TransferQuota | null;
  /** What the customer's inbox gets (behaviour §9.2, §10.4). */
  notice: string;
}

/**
 * The per-customer half of both transfer calls (behaviour §9.1.7, §10.3), inside the caller's transaction:
 * read the facts, lock the takeover's load last, decide, insert the accepted waiting transfers, re-check the
 * quota where writers run side by side, apply the domain's counter changes, and write each notice.
 */
export async function startWaitingTransfers(ctx: ServiceContext, tx: StartTransfersPort, request: StartRequest): Promise<PerCustomerResult[]> {
  const { corpid, handover, takeover, now } = request;
  const quotaFrom = request.quota ? quotaCountsFrom(now, request.quota) : now;
  // Ids that can name no customer get no facts, so 40096 (behaviour §1.3: unknown or malformed).
  const lookedUp = request.externalUserids.filter(mayNameARecord);
  const facts = lookedUp.length > 0 ? await tx.transferFacts(corpid, handover.userid, lookedUp, quotaFrom) : new Map();
  // Last read, first lock: from here to commit, calls for this takeover queue behind this one.
  const load = { currentAndIncoming: await tx.lockTakeoverLoad(corpid, takeover.userid), customerCap: takeover.customerCap };
  const results = decidePerCustomer(request.externalUserids, facts, load, request.quota);

  const accepted = results.filter((r) => r.errcode === 0).map((r) => r.externalUserid);
  if (accepted.length === 0) return results;
  const started = await startAccepted(
    tx,
    ctx.store.capabilities.rowLocks,
    accepted.map((externalUserid) => ({ kind: request.kind, corpid, externalUserid, handoverUserid: handover.userid, takeoverUserid: takeover.userid, startedAt: now, dueAt: dueAtFor(now) })),
    request.quota ? { quotaFrom, judged: new Map(accepted.map((id) => [id, facts.get(id)?.acceptedInWindow ?? 0])) } : null,
  );
  // Another node started one of these meanwhile (the unique index kept it out), or ours was withdrawn: "in transfer".
  for (const result of results) {
    if (result.errcode === 0 && !started.has(result.externalUserid)) result.errcode = ERRCODES.CUSTOMER_IN_TRANSFER.code;
  }
  await tx.insertMessages([...started.keys()].map((externalUserid) => ({ corpid, externalUserid, fromUserid: handover.userid, content: request.notice, sentAt: now })));
  return results;
}

/** What a call judged the quota on: the window start and each accepted customer's count of starts in it. */
export interface QuotaJudgement {
  quotaFrom: number;
  judged: ReadonlyMap<string, number>;
}

/**
 * Inserts accepted waiting transfers of one corp, withdraws those whose quota judgement went stale
 * (only where writers run side by side, `rowLocks`; domain rule `staleStarts`), and applies the start's
 * counter changes. Answers external_userid → transfer id of the transfers that started.
 */
export async function startAccepted(
  tx: StartTransfersPort,
  rowLocks: boolean,
  transfers: readonly NewTransfer[],
  quota: QuotaJudgement | null,
): Promise<Map<string, number>> {
  const started = await tx.insertWaitingTransfers(transfers);
  const corpid = transfers[0]?.corpid;
  if (quota && rowLocks && corpid !== undefined && started.size > 0) {
    const stale = staleStarts(new Map([...started.keys()].map((id) => [id, quota.judged.get(id) ?? 0])), await tx.startsSince(corpid, [...started.keys()], quota.quotaFrom));
    if (stale.length > 0) await tx.withdrawTransfers(stale.map((id) => started.get(id)!));
    for (const id of stale) started.delete(id);
  }
  const takeovers = new Map(transfers.map((t) => [t.externalUserid, t]));
  await tx.applyTransferEffects(startEffects([...started.keys()].map((id) => takeovers.get(id)!)));
  return started;
}

/**
 * Both transfer calls, in one write transaction: the server clock, the two members (from the generation
 * cache), the kind's member checks, then the customers (`startWaitingTransfers`), so a call is never half done.
 */
export async function runTransferCall(
  ctx: ServiceContext,
  app: App,
  command: TransferCommand,
  check: MemberCheck,
  options: (handover: Member, takeover: Member) => Pick<StartRequest, 'kind' | 'quota' | 'notice'>,
): Promise<PerCustomerResult[]> {
  const corpid = app.corpid;
  return ctx.store.write(async (tx) => {
    const state = await tx.clockState();
    const now = ctx.clock.instantOf(state);
    // An invalid userid names no member (40003 in the checks); only valid ones are looked up.
    const members = await cachedMembers(ctx, tx, corpid, [command.handoverUserid, command.takeoverUserid].filter(isValidUserid), state.generation);
    const { handover, takeover } = check(
      command,
      members.find((m) => m.userid === command.handoverUserid) ?? null,
      members.find((m) => m.userid === command.takeoverUserid) ?? null,
      app,
      now,
    );
    return startWaitingTransfers(ctx, tx, { corpid, handover, takeover, externalUserids: command.externalUserids, now, ...options(handover, takeover) });
  });
}
