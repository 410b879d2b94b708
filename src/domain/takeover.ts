import type { DomainEvent } from './events.js';
import { endWaiting, type NewRelationPlan, holderLoses, type TransferEffects } from './transfer-state.js';
import { ADD_WAY_ASSIGNED_BY_ADMIN, memberKey, type Transfer, TransferStatus } from './types.js';

/** An earlier transfer of the same customer, as far as the takeover rules care. */
export interface PastTransfer {
  handoverUserid: string;
  status: TransferStatus;
}

/** Everything the outcome of one due transfer depends on, read in the completing transaction. */
export interface TakeoverFacts {
  transfer: Transfer;
  /** The handover still follows the customer: that relation is removed, and its data may travel. */
  handoverFollows: boolean;
  /** The takeover already follows the customer (behaviour §0: then no add event). */
  takeoverAlreadyFriend: boolean;
  /** The customer's other transfers (any kind, any pair). */
  earlierTransfers: readonly PastTransfer[];
}

export interface TakeoverPolicy {
  /** Copy the handover's remark, description and tags to the takeover's relation (behaviour §9.2, configurable). */
  copyRelationData: boolean;
}

export type TakeoverRelationPlan = NewRelationPlan;

export type TakeoverOutcome =
  | { kind: 'done'; transfer: Transfer; effects: TransferEffects; events: DomainEvent[] }
  | { kind: 'full'; transfer: Transfer; effects: TransferEffects; events: DomainEvent[] };

/**
 * "Transferred back to a member who earlier transferred the customer away" (behaviour §0, §9.2 exception b):
 * a completed transfer of this customer whose handover was the takeover now.
 */
export function takeoverEarlierHandedOver(transfer: Transfer, earlier: readonly PastTransfer[]): boolean {
  return earlier.some((past) => past.handoverUserid === transfer.takeoverUserid && past.status === TransferStatus.done);
}

/**
 * Behaviour §9.2 and §10.4 at `takeover_time`, for a batch of due transfers in due order. The takeover's free
 * places are tracked across the batch, so two transfers to one member near its cap are judged one after the
 * other. `customerCounts` (current relations) and `caps` are keyed by `memberKey`. The takeover happens at
 * its due time whenever the engine gets to it (after a restart, say): `takeover_time` and the new
 * relation's createtime are the due time, so they do not depend on when the engine ran.
 *
 * The kinds differ in one place: a resigned member gets no del_external_contact (it is gone, §10.4); a
 * full takeover leaves the customer with its holder in both (unassigned again for a resigned holder).
 */
export function decideTakeovers(
  due: readonly TakeoverFacts[],
  customerCounts: ReadonlyMap<string, number>,
  caps: ReadonlyMap<string, number>,
  policy: TakeoverPolicy,
): TakeoverOutcome[] {
  const counts = new Map(customerCounts);
  return due.map((facts) => {
    const { transfer } = facts;
    const takeover = transfer.takeoverUserid;
    const key = memberKey(transfer.corpid, takeover);
    const count = counts.get(key) ?? 0;
    const cap = caps.get(key) ?? 0;
    const at = transfer.dueAt;
    if (!facts.takeoverAlreadyFriend && count >= cap) {
      const ended = endWaiting(transfer, TransferStatus.takeoverFull, at);
      return {
        kind: 'full',
        ...ended,
        events: [{ type: 'transfer_fail', corpid: transfer.corpid, userid: takeover, externalUserid: transfer.externalUserid, failReason: 'customer_limit_exceed' }],
      };
    }
    const ended = endWaiting(transfer, TransferStatus.done, at);
    const effects: TransferEffects = { ...ended.effects, counters: [...ended.effects.counters], relationsCreated: [], relationsRemoved: [] };
    const events: DomainEvent[] = [];
    if (!facts.takeoverAlreadyFriend) {
      counts.set(key, count + 1);
      effects.relationsCreated.push(relationForTakeover(facts, at, policy));
      effects.counters.push({ corpid: transfer.corpid, userid: takeover, customers: 1, waitingIncoming: 0 });
      if (!takeoverEarlierHandedOver(transfer, facts.earlierTransfers)) {
        events.push({ type: 'add_external_contact', corpid: transfer.corpid, userid: takeover, externalUserid: transfer.externalUserid });
      }
    }
    if (facts.handoverFollows) {
      const lost = holderLoses(transfer);
      effects.counters.push(...lost.counters);
      effects.relationsRemoved.push(...lost.relationsRemoved);
      if (transfer.kind === 'onjob') {
        events.push({ type: 'del_external_contact', corpid: transfer.corpid, userid: transfer.handoverUserid, externalUserid: transfer.externalUserid, source: 'DELETE_BY_TRANSFER' });
      }
    }
    return { kind: 'done', transfer: ended.transfer, effects, events };
  });
}

function relationForTakeover(facts: TakeoverFacts, at: number, policy: TakeoverPolicy): TakeoverRelationPlan {
  const { transfer } = facts;
  return {
    corpid: transfer.corpid,
    userid: transfer.takeoverUserid,
    externalUserid: transfer.externalUserid,
    handoverUserid: transfer.handoverUserid,
    createdAt: at,
    addWay: ADD_WAY_ASSIGNED_BY_ADMIN,
    operUserid: transfer.handoverUserid,
    copyFromHandover: policy.copyRelationData && facts.handoverFollows,
  };
}

/**
 * The customer refuses a waiting transfer. In service (behaviour §9.2) the handover keeps the customer; from a
 * resigned member (behaviour §10.4) the customer is lost: the resigned relation goes and it is not unassigned.
 * `handoverFollows`: the holder still has the relation (a resigned holder's is removed only then).
 */
export function refuseTransfer(transfer: Transfer, now: number, handoverFollows = true): { transfer: Transfer; effects: TransferEffects; events: DomainEvent[] } {
  const ended = endWaiting(transfer, TransferStatus.refused, now);
  const effects =
    transfer.kind === 'resigned' && handoverFollows
      ? { ...ended.effects, counters: [...ended.effects.counters, ...holderLoses(transfer).counters], relationsRemoved: holderLoses(transfer).relationsRemoved }
      : ended.effects;
  return {
    transfer: ended.transfer,
    effects,
    events: [{ type: 'transfer_fail', corpid: transfer.corpid, userid: transfer.takeoverUserid, externalUserid: transfer.externalUserid, failReason: 'customer_refused' }],
  };
}
