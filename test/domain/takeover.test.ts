import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/calendar.js';
import { decideTakeovers, refuseTransfer, type TakeoverFacts } from '../../src/domain/takeover.js';
import { memberKey, type Transfer } from '../../src/domain/types.js';

const START = Date.UTC(2026, 0, 1);
const transfer = (id: number, externalUserid: string, takeoverUserid = 'bob'): Transfer => ({
  id,
  corpid: 'corp',
  externalUserid,
  handoverUserid: 'alice',
  takeoverUserid,
  status: 2,
  startedAt: START,
  dueAt: START + DAY_MS,
  endedAt: null,
});
const facts = (t: Transfer, extra: Partial<TakeoverFacts> = {}): TakeoverFacts => ({
  transfer: t,
  handoverFollows: true,
  takeoverAlreadyFriend: false,
  takeoverEarlierHandedOver: false,
  ...extra,
});
const bob = memberKey('corp', 'bob');

describe('decideTakeovers (behaviour §9.2)', () => {
  it('completes at the due time: relation moves with add_way 202, data copied, add + del events', () => {
    const [outcome] = decideTakeovers([facts(transfer(1, 'wm1'))], new Map([[bob, 0]]), new Map([[bob, 10]]), { copyRelationData: true });
    expect(outcome).toEqual({
      kind: 'done',
      transfer: { ...transfer(1, 'wm1'), status: 1, endedAt: START + DAY_MS },
      newRelation: {
        corpid: 'corp',
        userid: 'bob',
        externalUserid: 'wm1',
        handoverUserid: 'alice',
        createdAt: START + DAY_MS,
        addWay: 202,
        operUserid: 'alice',
        copyFromHandover: true,
      },
      removeHandoverRelation: true,
      events: [
        { type: 'add_external_contact', corpid: 'corp', userid: 'bob', externalUserid: 'wm1' },
        { type: 'del_external_contact', corpid: 'corp', userid: 'alice', externalUserid: 'wm1', source: 'DELETE_BY_TRANSFER' },
      ],
    });
  });

  it('copies nothing when the policy says so, or when the handover no longer follows the customer', () => {
    const [off] = decideTakeovers([facts(transfer(1, 'wm1'))], new Map(), new Map([[bob, 10]]), { copyRelationData: false });
    expect(off!.kind === 'done' && off!.newRelation).toMatchObject({ copyFromHandover: false });
    const [gone] = decideTakeovers([facts(transfer(1, 'wm1'), { handoverFollows: false })], new Map(), new Map([[bob, 10]]), { copyRelationData: true });
    expect(gone).toMatchObject({ kind: 'done', removeHandoverRelation: false, newRelation: { copyFromHandover: false } });
    expect(gone!.events.map((e) => e.type)).toEqual(['add_external_contact']);
  });

  it('sends no add event when already friends (and adds no relation) or when returning to an earlier handover', () => {
    const outcomes = decideTakeovers(
      [facts(transfer(1, 'wm1'), { takeoverAlreadyFriend: true }), facts(transfer(2, 'wm2'), { takeoverEarlierHandedOver: true })],
      new Map([[bob, 0]]),
      new Map([[bob, 10]]),
      { copyRelationData: true },
    );
    expect(outcomes.map((o) => o.events.map((e) => e.type))).toEqual([['del_external_contact'], ['del_external_contact']]);
    expect(outcomes[0]!.kind === 'done' && outcomes[0]!.newRelation).toBeNull();
    expect(outcomes[1]!.kind === 'done' && outcomes[1]!.newRelation).not.toBeNull();
  });

  it('judges a batch in order against the cap: the third of three for a member with one free place fails', () => {
    const outcomes = decideTakeovers(
      [facts(transfer(1, 'wm1')), facts(transfer(2, 'wm2'), { takeoverAlreadyFriend: true }), facts(transfer(3, 'wm3'))],
      new Map([[bob, 9]]),
      new Map([[bob, 10]]),
      { copyRelationData: true },
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['done', 'done', 'full']);
    expect(outcomes[2]).toEqual({
      kind: 'full',
      transfer: { ...transfer(3, 'wm3'), status: 4, endedAt: START + DAY_MS },
      events: [{ type: 'transfer_fail', corpid: 'corp', userid: 'bob', externalUserid: 'wm3', failReason: 'customer_limit_exceed' }],
    });
  });

  it('keeps separate counts per takeover and per corp', () => {
    const carol = memberKey('corp', 'carol');
    const outcomes = decideTakeovers(
      [facts(transfer(1, 'wm1', 'bob')), facts(transfer(2, 'wm2', 'carol'))],
      new Map([
        [bob, 1],
        [carol, 0],
      ]),
      new Map([
        [bob, 1],
        [carol, 1],
      ]),
      { copyRelationData: true },
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['full', 'done']);
  });

  it('a refusal ends the transfer now with transfer_fail to the takeover', () => {
    const now = START + DAY_MS / 2;
    expect(refuseTransfer(transfer(1, 'wm1'), now)).toEqual({
      transfer: { ...transfer(1, 'wm1'), status: 3, endedAt: now },
      events: [{ type: 'transfer_fail', corpid: 'corp', userid: 'bob', externalUserid: 'wm1', failReason: 'customer_refused' }],
    });
  });
});
