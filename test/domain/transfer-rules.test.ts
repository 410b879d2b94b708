import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/calendar.js';
import { checkTransferMembers, type CustomerTransferFacts, decidePerCustomer } from '../../src/domain/transfer-rules.js';
import { DEFAULT_TRANSFER_QUOTA } from '../../src/domain/transfer-quota.js';
import type { App, Member } from '../../src/domain/types.js';
import { WecomError } from '../../src/domain/wecom-error.js';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);

const member = (userid: string, extra: Partial<Member> = {}): Member => ({
  corpid: 'corp',
  userid,
  name: userid,
  activated: true,
  realNameVerified: true,
  customerContactEnabled: true,
  lastLoginAt: NOW - DAY_MS,
  customerCap: 5000,
  dimissionTime: null,
  ...extra,
});

const app: App = {
  corpid: 'corp',
  agentid: 1,
  secret: 's',
  kind: 'self_built',
  customerContactCallable: true,
  permissions: [],
  visibleUserids: ['alice', 'bob'],
  callback: null,
};

const command = (handover: string, takeover: string) => ({ handoverUserid: handover, takeoverUserid: takeover, externalUserids: ['wm1'], message: null });

function memberCheck(handover: Member | null, takeover: Member | null, cmd = command('alice', 'bob')): number | 'ok' {
  try {
    checkTransferMembers(cmd, handover, takeover, app, NOW);
    return 'ok';
  } catch (error) {
    return (error as WecomError).errcode;
  }
}

describe('checkTransferMembers (behaviour §9.1 steps 5–6, first failure wins)', () => {
  it.each([
    ['handover unknown', null, member('bob'), 40003],
    ['takeover unknown', member('alice'), null, 40003],
    ['takeover outside the visible range', member('alice'), member('carol'), 60011],
    ['takeover without customer contact', member('alice'), member('bob', { customerContactEnabled: false }), 610004],
    ['takeover not activated', member('alice'), member('bob', { activated: false }), 41054],
    ['takeover not real-name verified', member('alice'), member('bob', { realNameVerified: false }), 40098],
    ['handover idle for 366 days', member('alice', { lastLoginAt: NOW - 366 * DAY_MS }), member('bob'), 41054],
    ['takeover idle for 366 days', member('alice'), member('bob', { lastLoginAt: NOW - 366 * DAY_MS }), 41054],
    ['not activated beats not real-name', member('alice'), member('bob', { activated: false, realNameVerified: false }), 41054],
    ['no customer contact beats not activated', member('alice'), member('bob', { customerContactEnabled: false, activated: false }), 610004],
  ])('%s → %s', (_name, handover, takeover, code) => {
    expect(memberCheck(handover, takeover)).toBe(code);
  });

  it('handover == takeover → 40130, after the unknown-userid check', () => {
    expect(memberCheck(member('alice'), member('alice'), command('alice', 'alice'))).toBe(40130);
    expect(memberCheck(null, null, command('ghost', 'ghost'))).toBe(40003);
  });

  it('a login exactly 365 days ago still counts as recent', () => {
    expect(memberCheck(member('alice', { lastLoginAt: NOW - 365 * DAY_MS }), member('bob'))).toBe('ok');
  });
});

const fact = (extra: Partial<CustomerTransferFacts> = {}): CustomerTransferFacts => ({
  exists: true,
  followedByHandover: true,
  hasWaitingTransfer: false,
  acceptedInWindow: 0,
  ...extra,
});

describe('decidePerCustomer (behaviour §9.1 step 7)', () => {
  const facts = new Map<string, CustomerTransferFacts>([
    ['ok1', fact()],
    ['ok2', fact()],
    ['notMine', fact({ followedByHandover: false })],
    ['waiting', fact({ hasWaitingTransfer: true })],
    ['twice', fact({ acceptedInWindow: 2 })],
    ['once', fact({ acceptedInWindow: 1 })],
    ['waitingAndQuota', fact({ hasWaitingTransfer: true, acceptedInWindow: 2 })],
    ['notMineAndWaiting', fact({ followedByHandover: false, hasWaitingTransfer: true })],
  ]);
  const roomy = { currentAndIncoming: 0, customerCap: 5000 };

  it('answers one code per id, in request order, duplicates included', () => {
    const ids = ['ok1', 'unknown', 'notMine', 'waiting', 'twice', 'once', 'ok1', 'waitingAndQuota', 'notMineAndWaiting'];
    expect(decidePerCustomer(ids, facts, roomy, DEFAULT_TRANSFER_QUOTA).map((r) => [r.externalUserid, r.errcode])).toEqual([
      ['ok1', 0],
      ['unknown', 40096],
      ['notMine', 40131],
      ['waiting', 40129],
      ['twice', 40128],
      ['once', 0],
      ['ok1', 40129],
      ['waitingAndQuota', 40129],
      ['notMineAndWaiting', 40131],
    ]);
  });

  it('fills the takeover up to its cap and answers 40099 after', () => {
    const results = decidePerCustomer(['ok1', 'ok2', 'once'], facts, { currentAndIncoming: 4998, customerCap: 5000 }, DEFAULT_TRANSFER_QUOTA);
    expect(results.map((r) => r.errcode)).toEqual([0, 0, 40099]);
  });

  it('does not spend a place on a rejected id', () => {
    const results = decidePerCustomer(['notMine', 'ok1'], facts, { currentAndIncoming: 4999, customerCap: 5000 }, DEFAULT_TRANSFER_QUOTA);
    expect(results.map((r) => r.errcode)).toEqual([40131, 0]);
  });

  it('follows a configured quota', () => {
    expect(decidePerCustomer(['once'], facts, roomy, { windowDays: 90, maxTransfers: 1 })[0]!.errcode).toBe(40128);
    expect(decidePerCustomer(['twice'], facts, roomy, { windowDays: 90, maxTransfers: 3 })[0]!.errcode).toBe(0);
  });
});
