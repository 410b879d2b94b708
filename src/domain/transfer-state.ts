import { memberKey, type EpochMs, type Transfer, TransferStatus } from './types.js';

/**
 * The transfer state machine (behaviour §9.2, §10.4): a transfer starts waiting (2) and ends once, as done (1),
 * refused (3) or takeover full (4). Every decision in the domain says what it changes as plain data —
 * status transitions, member counter changes, relations removed and created — and the store applies that
 * data as given, deciding nothing. So a new kind of transfer costs a domain rule, not edits across the store.
 */

/** A change of a member's kept counters (current customers, waiting incoming transfers; behaviour §9.1.7 cap). */
export interface MemberCounterChange {
  corpid: string;
  userid: string;
  customers: number;
  waitingIncoming: number;
}

/** One transfer leaving `from` for `to`; the store refuses (WriteConflict) if it is no longer in `from`. */
export interface StatusTransition {
  transferId: number;
  from: TransferStatus;
  to: TransferStatus;
  endedAt: EpochMs;
}

export interface RelationKey {
  corpid: string;
  userid: string;
  externalUserid: string;
}

/**
 * The takeover's new relation (behaviour §9.2): assigned (add_way 202) by the handover at the takeover time.
 * With `copyFromHandover` its remark, description, tags, remark_corp_name and remark_mobiles are the
 * handover's (the store copies them row to row, so they never need to be read into memory); else empty.
 */
export interface NewRelationPlan {
  corpid: string;
  userid: string;
  externalUserid: string;
  handoverUserid: string;
  createdAt: EpochMs;
  addWay: number;
  operUserid: string;
  copyFromHandover: boolean;
}

/** Everything one decision changes. Relations are created before the removed ones go (a copy reads them). */
export interface TransferEffects {
  transitions: StatusTransition[];
  counters: MemberCounterChange[];
  relationsCreated: NewRelationPlan[];
  relationsRemoved: RelationKey[];
}

export const NO_EFFECTS: TransferEffects = Object.freeze({ transitions: [], counters: [], relationsCreated: [], relationsRemoved: [] }) as TransferEffects;

/** Sums counter changes per member and orders them by (corpid, userid), the order every node locks members in. */
export function mergeCounters(changes: readonly MemberCounterChange[]): MemberCounterChange[] {
  // Summed into one fresh object per member (never the callers'): a takeover batch of 2,000 brings ~6,000
  // changes for a handful of members, and a new object per change was 4% of the engine's CPU (--cpu-prof).
  const merged = new Map<string, MemberCounterChange>();
  for (const change of changes) {
    const key = memberKey(change.corpid, change.userid);
    const current = merged.get(key);
    if (current) {
      current.customers += change.customers;
      current.waitingIncoming += change.waitingIncoming;
    } else {
      merged.set(key, { corpid: change.corpid, userid: change.userid, customers: change.customers, waitingIncoming: change.waitingIncoming });
    }
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, change]) => change)
    .filter((change) => change.customers !== 0 || change.waitingIncoming !== 0);
}

export function combineEffects(all: readonly TransferEffects[]): TransferEffects {
  return {
    transitions: all.flatMap((e) => e.transitions),
    counters: mergeCounters(all.flatMap((e) => e.counters)),
    relationsCreated: all.flatMap((e) => e.relationsCreated),
    relationsRemoved: all.flatMap((e) => e.relationsRemoved),
  };
}

/** Started transfers each take one waiting place at their takeover until they end. */
export function startEffects(started: readonly { corpid: string; takeoverUserid: string }[]): TransferEffects {
  return { ...NO_EFFECTS, counters: mergeCounters(started.map((t) => ({ corpid: t.corpid, userid: t.takeoverUserid, customers: 0, waitingIncoming: 1 }))) };
}

/** Ending a waiting transfer frees its place at the takeover. */
export function endWaiting(transfer: Transfer, to: TransferStatus, at: EpochMs): { transfer: Transfer; effects: TransferEffects } {
  return {
    transfer: { ...transfer, status: to, endedAt: at },
    effects: {
      ...NO_EFFECTS,
      transitions: [{ transferId: transfer.id, from: TransferStatus.waiting, to, endedAt: at }],
      counters: [{ corpid: transfer.corpid, userid: transfer.takeoverUserid, customers: 0, waitingIncoming: -1 }],
    },
  };
}

/** The holder (handover) loses the customer: its relation goes and its customer count drops. */
export function holderLoses(transfer: Transfer): Pick<TransferEffects, 'counters' | 'relationsRemoved'> {
  return {
    counters: [{ corpid: transfer.corpid, userid: transfer.handoverUserid, customers: -1, waitingIncoming: 0 }],
    relationsRemoved: [{ corpid: transfer.corpid, userid: transfer.handoverUserid, externalUserid: transfer.externalUserid }],
  };
}

/**
 * The quota re-check where writers run side by side (behaviour §9.1.7, store capability `rowLocks`): `judged` is
 * what each started customer's count of starts in the window was when the call decided; `countedNow` is the
 * count once the call's own waiting transfer holds the customer's slot (so nobody else can start one). A
 * count beyond judged + 1 means another transfer started *and ended* during the call: that start is
 * withdrawn and answered 40129, which is what the call would have got a moment earlier.
 */
export function staleStarts(judged: ReadonlyMap<string, number>, countedNow: ReadonlyMap<string, number>): string[] {
  return [...countedNow].filter(([id, count]) => count !== startsWithOurs(judged.get(id) ?? 0)).map(([id]) => id);
}

/** A started customer's count of starts in the window that is not stale: what the call judged, plus its own. */
export function startsWithOurs(judged: number): number {
  return judged + 1;
}
