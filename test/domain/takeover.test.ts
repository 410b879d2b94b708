import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/calendar.js';
import { decideTakeovers, refuseTransfer, type TakeoverFacts } from '../../src/domain/takeover.js';
import { memberKey, type Transfer } from '../../src/domain/types.js';

const START = Date.UTC(2026, 0, 1);
const transfer = (id: number, externalUserid: string, takeoverUserid = 'bob', kind: Transfer['kind'] = 'onjob'): Transfer => ({
  id,
  kind,
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
  earlierTransfers: [],
  ...extra,
});
const bob = memberKey('corp', 'bob');

describe('decideTakeovers (behaviour §9.2)', () => {
  it('completes at the due time: relation moves with add_way 202, data copied, add + del events', () => {
    const [outcome] = decideTakeovers([facts(transfer(1, 'wm1'))], new Map([[bob, 0]]), new Map([[bob, 10]]), { copyRelationData: true });
    expect(outcome).toEqual({
      kind: 'done',
      transfer: { ...transfer(1, 'wm1'), status: 1, endedAt: START + DAY_MS },
      effects: {
        transitions: [{ transferId: 1, from: 2, to: 1, endedAt: START + DAY_MS }],
        counters: [
          { corpid: 'corp', userid: 'bob', customers: 0, waitingIncoming: -1 },
          { corpid: 'corp', userid: 'bob', customers: 1, waitingIncoming: 0 },
          { corpid: 'corp', userid: 'alice', customers: -1, waitingIncoming: 0 },
        ],
        relationsCreated: [
          {
            corpid: 'corp',
            userid: 'bob',
            externalUserid: 'wm1',
            handoverUserid: 'alice',
            createdAt: START + DAY_MS,
            addWay: 202,
            operUserid: 'alice',
            copyFromHandover: true,
          },
        ],
        relationsRemoved: [{ corpid: 'corp', userid: 'alice', externalUserid: 'wm1' }],
      },
      events: [
        { type: 'add_external_contact', corpid: 'corp', userid: 'bob', externalUserid: 'wm1' },
        { type: 'del_external_contact', corpid: 'corp', userid: 'alice', externalUserid: 'wm1', source: 'DELETE_BY_TRANSFER' },
      ],
    });
  });

  it('copies nothing when the policy says so, or when the handover no longer follows the customer', () => {
    const [off] = decideTakeovers([facts(transfer(1, 'wm1'))], new Map(), new Map([[bob, 10]]), { copyRelationData: false });
    expect(off!.effects.relationsCreated).toMatchObject([{ copyFromHandover: false }]);
    const [gone] = decideTakeovers([facts(transfer(1, 'wm1'), { handoverFollows: false })], new Map(), new Map([[bob, 10]]), { copyRelationData: true });
    expect(gone).toMatchObject({ kind: 'done', effects: { relationsRemoved: [], relationsCreated: [{ copyFromHandover: false }] } });
    expect(gone!.events.map((e) => e.type)).toEqual(['add_external_contact']);
  });

  it('sends no add event when already friends (and adds no relation) or when returning to an earlier handover', () => {
    const outcomes = decideTakeovers(
      [facts(transfer(1, 'wm1'), { takeoverAlreadyFriend: true }), facts(transfer(2, 'wm2'), { earlierTransfers: [{ handoverUserid: 'carol', status: 1 }, { handoverUserid: 'bob', status: 1 }] })],
      new Map([[bob, 0]]),
      new Map([[bob, 10]]),
      { copyRelationData: true },
    );
    expect(outcomes.map((o) => o.events.map((e) => e.type))).toEqual([['del_external_contact'], ['del_external_contact']]);
    expect(outcomes[0]!.effects.relationsCreated).toEqual([]);
    expect(outcomes[1]!.effects.relationsCreated).toHaveLength(1);
  });

  it('a return counts only after a completed transfer away by the takeover: refused or full ones do not', () => {
    const outcomes = decideTakeovers(
      [facts(transfer(1, 'wm1'), { earlierTransfers: [{ handoverUserid: 'bob', status: 3 }, { handoverUserid: 'bob', status: 4 }, { handoverUserid: 'carol', status: 1 }] })],
      new Map(),
      new Map([[bob, 10]]),
      { copyRelationData: true },
    );
    expect(outcomes[0]!.events.map((e) => e.type)).toEqual(['add_external_contact', 'del_external_contact']);
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
      effects: {
        transitions: [{ transferId: 3, from: 2, to: 4, endedAt: START + DAY_MS }],
        counters: [{ corpid: 'corp', userid: 'bob', customers: 0, waitingIncoming: -1 }],
        relationsCreated: [],
        relationsRemoved: [],
      },
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
      effects: {
        transitions: [{ transferId: 1, from: 2, to: 3, endedAt: now }],
        counters: [{ corpid: 'corp', userid: 'bob', customers: 0, waitingIncoming: -1 }],
        relationsCreated: [],
        relationsRemoved: [],
      },
      events: [{ type: 'transfer_fail', corpid: 'corp', userid: 'bob', externalUserid: 'wm1', failReason: 'customer_refused' }],
    });
  });

  it('a refused resigned transfer loses the customer: the resigned relation goes (behaviour §10.4)', () => {
    const now = START + DAY_MS / 2;
    const refused = refuseTransfer(transfer(1, 'wm1', 'bob', 'resigned'), now);
    expect(refused.effects.relationsRemoved).toEqual([{ corpid: 'corp', userid: 'alice', externalUserid: 'wm1' }]);
    expect(refused.effects.counters).toContainEqual({ corpid: 'corp', userid: 'alice', customers: -1, waitingIncoming: 0 });
    expect(refused.events).toEqual([{ type: 'transfer_fail', corpid: 'corp', userid: 'bob', externalUserid: 'wm1', failReason: 'customer_refused' }]);
  });

  it('a resigned transfer completes without del_external_contact (the member is gone, behaviour §10.4)', () => {
    const [outcome] = decideTakeovers([facts(transfer(1, 'wm1', 'bob', 'resigned'))], new Map(), new Map([[bob, 10]]), { copyRelationData: true });
    expect(outcome!.events.map((e) => e.type)).toEqual(['add_external_contact']);
    expect(outcome!.effects.relationsRemoved).toEqual([{ corpid: 'corp', userid: 'alice', externalUserid: 'wm1' }]);
  });
});
