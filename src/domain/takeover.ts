import type { DomainEvent } from './events.js';
import { ADD_WAY_ASSIGNED_BY_ADMIN, memberKey, type Transfer, TransferStatus } from './types.js';

/** Everything the outcome of one due transfer depends on, read in the completing transaction. */
export interface TakeoverFacts {
  transfer: Transfer;
  /** The handover still follows the customer: that relation is removed, and its data may travel. */
  handoverFollows: boolean;
  /** The takeover already follows the customer (behaviour §0: then no add event). */
  takeoverAlreadyFriend: boolean;
  /** The customer was earlier transferred away *by* the takeover member (behaviour §0: then no add event). */
  takeoverEarlierHandedOver: boolean;
}

export interface TakeoverPolicy {
  /** Copy the handover's remark, description and tags to the takeover's relation (behaviour §9.2, configurable). */
  copyRelationData: boolean;
}

/**
 * The takeover's new relation (behaviour §9.2): assigned (add_way 202) by the handover at the takeover time.
 * With `copyFromHandover` its remark, description, tags, remark_corp_name and remark_mobiles are the
 * handover's (the store copies them row to row, so they never need to be read into memory); else empty.
 */
export interface TakeoverRelationPlan {
  corpid: string;
  userid: string;
  externalUserid: string;
  handoverUserid: string;
  createdAt: number;
  addWay: number;
  operUserid: string;
  copyFromHandover: boolean;
}

export type TakeoverOutcome =
  | { kind: 'done'; transfer: Transfer; newRelation: TakeoverRelationPlan | null; removeHandoverRelation: boolean; events: DomainEvent[] }
  | { kind: 'full'; transfer: Transfer; events: DomainEvent[] };

/**
 * Behaviour §9.2 at `takeover_time`, for a batch of due transfers in due order. The takeover's free places are
 * tracked across the batch, so two transfers to one member near its cap are judged one after the other.
 * `customerCounts` (current relations) and `caps` are keyed by `memberKey`. The takeover happens at its due
 * time whenever the engine gets to it (after a restart, say): `takeover_time` and the new relation's
 * createtime are the due time, so they do not depend on when the engine ran.
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
      return {
        kind: 'full',
        transfer: { ...transfer, status: TransferStatus.takeoverFull, endedAt: at },
        events: [{ type: 'transfer_fail', corpid: transfer.corpid, userid: takeover, externalUserid: transfer.externalUserid, failReason: 'customer_limit_exceed' }],
      };
    }
    const events: DomainEvent[] = [];
    let newRelation: TakeoverRelationPlan | null = null;
    if (!facts.takeoverAlreadyFriend) {
      counts.set(key, count + 1);
      newRelation = relationForTakeover(facts, at, policy);
      if (!facts.takeoverEarlierHandedOver) {
        events.push({ type: 'add_external_contact', corpid: transfer.corpid, userid: takeover, externalUserid: transfer.externalUserid });
      }
    }
    const removeHandoverRelation = facts.handoverFollows;
    if (removeHandoverRelation) {
      events.push({
        type: 'del_external_contact',
        corpid: transfer.corpid,
        userid: transfer.handoverUserid,
        externalUserid: transfer.externalUserid,
        source: 'DELETE_BY_TRANSFER',
      });
    }
    return {
      kind: 'done',
      transfer: { ...transfer, status: TransferStatus.done, endedAt: at },
      newRelation,
      removeHandoverRelation,
      events,
    };
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

/** Behaviour §9.2: the customer refuses a waiting transfer; the handover keeps the customer. */
export function refuseTransfer(transfer: Transfer, now: number): { transfer: Transfer; events: DomainEvent[] } {
  return {
    transfer: { ...transfer, status: TransferStatus.refused, endedAt: now },
    events: [{ type: 'transfer_fail', corpid: transfer.corpid, userid: transfer.takeoverUserid, externalUserid: transfer.externalUserid, failReason: 'customer_refused' }],
  };
}
