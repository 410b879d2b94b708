import { dueAtFor } from '../domain/calendar.js';
import { ERRCODES } from '../domain/errcodes.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import { quotaCountsFrom, type TransferQuota } from '../domain/transfer-quota.js';
import { decidePerCustomer, type MemberCheck, type PerCustomerResult } from '../domain/transfer-rules.js';
import { NO_EFFECTS, staleStarts, startEffects, startsWithOurs } from '../domain/transfer-state.js';
import type { TransferCommand } from '../domain/transfer-request.js';
import type { App, Member, TransferKind } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { cachedMembers } from './cached-members.js';
import { noticeCacheKey } from './generation-cache.js';
import { WriteConflict } from '../store/store.js';
import type { ClockRecord, NewTransfer, StartTransfersPort } from '../store/store.js';
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
  /** The store generation the call read with the clock (the notice cache's key). */
  generation: number;
}

/**
 * Thrown when the takeover's places were taken by a concurrent writer between the call's unlocked read of
 * its load and its reservation. A WriteConflict: the adapter runs the whole call again, and `runTransferCall`
 * makes that run lock the load first (the pre-issue-13 path), so it cannot lose the race twice.
 */
export class TakeoverPlacesTaken extends WriteConflict {}

/**
 * The per-customer half of both transfer calls (behaviour §9.1.7, §10.3), inside the caller's transaction:
 * read the facts and the takeover's load, decide, write the call's notice, insert the accepted waiting
 * transfers, re-check the quota where writers run side by side, and last reserve the takeover's places
 * (its cap, one conditional UPDATE), so on PostgreSQL the takeover's row is held only from there to the
 * commit. `lockLoad`: lock the load when read instead (after a lost reservation).
 */
export async function startWaitingTransfers(
  ctx: ServiceContext,
  tx: StartTransfersPort,
  request: StartRequest,
  lockLoad = false,
  written?: (noticeKey: string, generation: number, noticeId: number) => void,
): Promise<PerCustomerResult[]> {
  const { corpid, handover, takeover, now } = request;
  const quotaFrom = request.quota ? quotaCountsFrom(now, request.quota) : now;
  // Ids that can name no customer get no facts, so 40096 (behaviour §1.3: unknown or malformed).
  const lookedUp = request.externalUserids.filter(mayNameARecord);
  // The facts and the takeover's unlocked load in one statement, or the facts alone where the node's last
  // reservation left ample room (takeover-room.ts); after a lost reservation, the load again, locked (the
  // facts stay valid: nothing the decision reads about the customers needs a lock, see startAccepted).
  const room = ctx.cache.takeoverRoom;
  const hinted =
    ctx.store.capabilities.rowLocks && !lockLoad ? room.hintedLoad(corpid, takeover.userid, takeover.customerCap, lookedUp.length, request.generation) : undefined;
  const read = lookedUp.length > 0 ? await tx.decisionFacts(corpid, handover.userid, hinted === undefined ? takeover.userid : null, lookedUp, quotaFrom) : null;
  const facts = read?.customers ?? new Map();
  if (read === null || facts.size === 0) return decidePerCustomer(request.externalUserids, facts, { currentAndIncoming: 0, customerCap: takeover.customerCap }, request.quota);
  const currentAndIncoming = lockLoad ? await tx.takeoverLoad(corpid, takeover.userid, true) : (hinted ?? read.takeoverLoad);
  const load = { currentAndIncoming, customerCap: takeover.customerCap };
  const results = decidePerCustomer(request.externalUserids, facts, load, request.quota);

  const accepted = results.filter((r) => r.errcode === 0).map((r) => r.externalUserid);
  if (accepted.length === 0) return results;
  // One notice row shared by every call with this text (migration 0013), written by the first of them. If
  // every insert below loses its race, a new row is left unreferenced: it shows nowhere, goes with its corp.
  const noticeKey = noticeCacheKey(corpid, request.notice);
  let noticeId = ctx.cache.notices.get(noticeKey, request.generation);
  if (noticeId === undefined) {
    noticeId = await tx.insertNotice(corpid, request.notice);
    written?.(noticeKey, request.generation, noticeId);
  }
  const started = await startAccepted(
    tx,
    ctx.store.capabilities.rowLocks,
    accepted.map((externalUserid) => ({ kind: request.kind, corpid, externalUserid, handoverUserid: handover.userid, takeoverUserid: takeover.userid, startedAt: now, dueAt: dueAtFor(now), noticeId })),
    request.quota ? { quotaFrom, judged: new Map(accepted.map((id) => [id, facts.get(id)?.acceptedInWindow ?? 0])) } : null,
    takeover.customerCap,
    (change, loadAfter) => room.saw(change.corpid, change.userid, loadAfter, request.generation),
  );
  // Another node started one of these meanwhile (the unique index kept it out), or ours was withdrawn: "in transfer".
  for (const result of results) {
    if (result.errcode === 0 && !started.has(result.externalUserid)) result.errcode = ERRCODES.CUSTOMER_IN_TRANSFER.code;
  }
  return results;
}

/** What a call judged the quota on: the window start and each accepted customer's count of starts in it. */
export interface QuotaJudgement {
  quotaFrom: number;
  judged: ReadonlyMap<string, number>;
}

/**
 * Inserts accepted waiting transfers of one corp, withdraws those whose quota judgement went stale (only
 * where writers run side by side, `rowLocks`; domain rule `staleStarts`), and reserves the takeovers' places
 * within `cap` (the counter change of the domain's `startEffects`), in the (corpid, userid) order
 * `startEffects` sorts them in. Throws TakeoverPlacesTaken when a reservation finds the places taken.
 * Answers external_userid → transfer id of the transfers that started.
 *
 * The insert, the quota re-count and the reservation are issued together and awaited together: on
 * PostgreSQL (pipeline mode) they are one round trip instead of three, each statement still running after
 * the one before it, so the re-count sees this call's inserts. The reservation is therefore taken for every
 * accepted transfer, before knowing which started; the few that did not (another node started the customer
 * meanwhile, or its quota went stale) give their places back before the commit. The takeover's row is still
 * locked only from the reservation (last of the three) to the commit.
 */
export async function startAccepted(
  tx: StartTransfersPort,
  rowLocks: boolean,
  transfers: readonly NewTransfer[],
  quota: QuotaJudgement | null,
  cap = Number.MAX_SAFE_INTEGER,
  /** Each reservation's outcome: the takeover's load after it, or null when refused. */
  reserved?: (change: { corpid: string; userid: string }, loadAfter: number | null) => void,
): Promise<Map<string, number>> {
  const corpid = transfers[0]?.corpid;
  const recount = quota && rowLocks && corpid !== undefined;
  if (tx.reserveTakeoverPlacesAtCommit) return startReservingAtCommit(tx, tx.reserveTakeoverPlacesAtCommit, transfers, recount ? quota : null, cap, reserved);
  const reservations = startEffects(transfers).counters;
  const [started, countedNow, loadsAfter] = await Promise.all([
    tx.insertWaitingTransfers(transfers),
    recount ? tx.startsSince(corpid, transfers.map((t) => t.externalUserid), quota.quotaFrom) : null,
    Promise.all(reservations.map((change) => tx.reserveTakeoverPlaces(change.corpid, change.userid, change.waitingIncoming, cap))),
  ]);
  reservations.forEach((change, i) => reserved?.(change, loadsAfter[i] ?? null));
  const lost = reservations.find((_, i) => loadsAfter[i] === null);
  if (lost) throw new TakeoverPlacesTaken(`takeover ${lost.userid} has no room for ${lost.waitingIncoming} more since its load was read`);
  if (quota && countedNow) await withdrawStaleStarts(tx, quota, countedNow, started);
  const notStarted = transfers.filter((t) => !started.has(t.externalUserid));
  if (notStarted.length > 0) {
    const giveBack = startEffects(notStarted).counters.map((change) => ({ ...change, waitingIncoming: -change.waitingIncoming }));
    await tx.applyTransferEffects({ ...NO_EFFECTS, counters: giveBack });
  }
  return started;
}

/** Withdraws (and drops from `started`) the starts whose quota judgement the re-count found stale. */
async function withdrawStaleStarts(tx: StartTransfersPort, quota: QuotaJudgement, countedNow: ReadonlyMap<string, number>, started: Map<string, number>): Promise<void> {
  if (started.size === 0) return;
  const ours = new Map([...started.keys()].map((id) => [id, countedNow.get(id) ?? 0]));
  const stale = staleStarts(new Map([...started.keys()].map((id) => [id, quota.judged.get(id) ?? 0])), ours);
  if (stale.length > 0) await tx.withdrawTransfers(stale.map((id) => started.get(id)!));
  for (const id of stale) started.delete(id);
}

/**
 * `startAccepted` in a shared transaction (group commit): the insert first (with the quota re-count where the
 * group has another call for the same takeover), then the takeovers' places for exactly the transfers that
 * started, reserved with the COMMIT (with the quota re-count of those customers otherwise). The takeover's
 * row is then locked only through the commit (figure 6 at 1 id per call: other nodes' groups for the same
 * takeover waited on it from the reservation through the group's remaining steps to its commit), and nothing
 * is given back. A reservation that would pass the cap, or a count of starts that is not the one judged plus
 * ours, fails the commit: the group runs again, each call alone.
 */
async function startReservingAtCommit(
  tx: StartTransfersPort,
  reserveAtCommit: NonNullable<StartTransfersPort['reserveTakeoverPlacesAtCommit']>,
  transfers: readonly NewTransfer[],
  quota: QuotaJudgement | null,
  cap: number,
  reserved?: (change: { corpid: string; userid: string }, loadAfter: number | null) => void,
): Promise<Map<string, number>> {
  const corpid = transfers[0]?.corpid;
  // The quota re-check of the started customers rides in the reservation's statement (one statement less a
  // call: figure 6 at 1 id per call is bound by the CPU a call costs); a stale count fails the commit, and
  // the call, run again alone, withdraws exactly the stale starts. Not where another call of the group
  // reserves the same takeover: there its count would run inside that row's lock, which every group for
  // the takeover queues on (figure 6 hot at 1 id per call: 11–23% fewer calls in three alternated pairs).
  const recountNow = quota !== null && corpid !== undefined && !tx.recountAtCommit;
  const [started, countedNow] = await Promise.all([
    tx.insertWaitingTransfers(transfers),
    recountNow ? tx.startsSince(corpid, transfers.map((t) => t.externalUserid), quota.quotaFrom) : null,
  ]);
  if (quota && countedNow) await withdrawStaleStarts(tx, quota, countedNow, started);
  const startedTransfers = transfers.filter((t) => started.has(t.externalUserid));
  for (const change of startEffects(startedTransfers).counters) {
    const ofTakeover = startedTransfers.filter((t) => t.corpid === change.corpid && t.takeoverUserid === change.userid);
    const recheck =
      quota && !recountNow ? { from: quota.quotaFrom, expected: new Map(ofTakeover.map((t) => [t.externalUserid, startsWithOurs(quota.judged.get(t.externalUserid) ?? 0)])) } : null;
    // Settles after the commit; a failed commit runs the call again, which reserves again.
    reserveAtCommit(change.corpid, change.userid, change.waitingIncoming, cap, recheck).then(
      (loadAfter) => reserved?.(change, loadAfter),
      () => undefined,
    );
  }
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
  /** The clock the token check read just before, if any (see Store.write's `knownClock`). */
  knownClock?: ClockRecord,
): Promise<PerCustomerResult[]> {
  const corpid = app.corpid;
  let lockLoad = false;
  let notice: [key: string, generation: number, id: number] | null = null;
  const results = await ctx.store.write(async (tx) => {
    notice = null;
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
    try {
      const request = { corpid, handover, takeover, externalUserids: command.externalUserids, now, generation: state.generation, ...options(handover, takeover) };
      return await startWaitingTransfers(ctx, tx, request, lockLoad, (key, generation, id) => (notice = [key, generation, id]));
    } catch (error) {
      if (error instanceof TakeoverPlacesTaken) lockLoad = true;
      throw error;
    }
  }, { knownClock, shareTransaction: { lockOrder: `${corpid}\u0000${command.takeoverUserid}` } });
  // Only a committed notice row may be shared with later calls.
  const written = notice as [string, number, number] | null;
  if (written) ctx.cache.notices.set(written[0], written[1], written[2]);
  return results;
}
