import { describe, expect, it } from 'vitest';
import { buildEventXml } from '../../src/callback/event-xml.js';
import { utc8DayStart } from '../../src/domain/calendar.js';
import { groupStatus } from '../../src/domain/group-chat.js';
import { DEFAULT_GROUP_TRANSFER_LIMITS, decidePerGroup, type GroupDecisionInput, type GroupTransferFacts, parseGroupTransferCommand } from '../../src/domain/group-transfer-rules.js';
import type { App } from '../../src/domain/types.js';
import { toCallbackEvent } from '../../src/outbox/wecom-callbacks.js';

const app: App = { corpid: 'c', agentid: 1, secret: 's', kind: 'self_built', customerContactCallable: true, permissions: [], visibleUserids: ['*'], callback: null };
const fact = (owner: string, extra: Partial<GroupTransferFacts> = {}): GroupTransferFacts => ({
  owner,
  ownerResigned: false,
  inherited: false,
  inheritanceInProgress: false,
  onjobStartsInWindow: 0,
  ...extra,
});
const decide = (input: Partial<GroupDecisionInput> & Pick<GroupDecisionInput, 'chatIds' | 'facts'>) =>
  decidePerGroup({ kind: 'groupchat_onjob', newOwner: 'bob', app, assignedToday: new Map(), limits: DEFAULT_GROUP_TRANSFER_LIMITS, ...input }).map((r) => [r.chatId, r.errcode]);

describe('group transfer rules (behaviour §10.6)', () => {
  it('judges onjob groups in the spec’s order, first that applies', () => {
    const facts = new Map([
      ['resigned', fact('rita', { ownerResigned: true, onjobStartsInWindow: 5 })],
      ['own', fact('bob', { onjobStartsInWindow: 5 })],
      ['hidden', fact('hank', { onjobStartsInWindow: 5 })],
      ['twice', fact('alice', { onjobStartsInWindow: 2 })],
      ['fine', fact('alice', { onjobStartsInWindow: 1 })],
    ]);
    const narrow = { ...app, visibleUserids: ['alice', 'bob', 'rita'] };
    expect(decide({ chatIds: ['nope', 'resigned', 'own', 'hidden', 'twice', 'fine', 'fine'], facts, app: narrow })).toEqual([
      ['nope', 90501],
      ['resigned', 90502],
      ['own', 90504],
      ['hidden', 60011],
      ['twice', 40128],
      ['fine', 0],
      // The duplicate finds bob owning it already.
      ['fine', 90504],
    ]);
  });

  it('judges resigned groups: 90507 in progress, 90508 inherited and served, 90500 owner serves', () => {
    const facts = new Map([
      ['busy', fact('rita', { ownerResigned: true, inheritanceInProgress: true })],
      ['inherited', fact('carol', { inherited: true })],
      ['serving', fact('alice')],
      ['again', fact('carol', { inherited: true, ownerResigned: true })],
      ['waiting', fact('rita', { ownerResigned: true, onjobStartsInWindow: 9 })],
    ]);
    expect(decide({ kind: 'groupchat_resigned', chatIds: ['busy', 'inherited', 'serving', 'again', 'waiting', 'waiting'], facts })).toEqual([
      ['busy', 90507],
      ['inherited', 90508],
      ['serving', 90500],
      ['again', 0],
      ['waiting', 0],
      ['waiting', 90507],
    ]);
  });

  it('allows 300 groups of one old owner a day, counting earlier calls and this one, of any kind', () => {
    const facts = new Map([
      ['a', fact('alice')],
      ['b', fact('alice')],
      ['c', fact('carol')],
    ]);
    expect(decide({ chatIds: ['a', 'b', 'c'], facts, assignedToday: new Map([['alice', 299]]) })).toEqual([
      ['a', 0],
      ['b', 40128],
      ['c', 0],
    ]);
  });

  it('derives the status: in progress, then resigned owner, then inherited, else normal', () => {
    expect(groupStatus({ inherited: true, inheritanceInProgress: true, ownerResigned: true })).toBe(2);
    expect(groupStatus({ inherited: true, inheritanceInProgress: false, ownerResigned: true })).toBe(1);
    expect(groupStatus({ inherited: true, inheritanceInProgress: false, ownerResigned: false })).toBe(3);
    expect(groupStatus({ inherited: false, inheritanceInProgress: false, ownerResigned: false })).toBe(0);
  });

  it('checks chat_id_list before new_owner', () => {
    expect(() => parseGroupTransferCommand({})).toThrow(expect.objectContaining({ errcode: 40058 }));
    expect(() => parseGroupTransferCommand({ chat_id_list: ['a'] })).toThrow(expect.objectContaining({ errcode: 41009 }));
    expect(parseGroupTransferCommand({ chat_id_list: ['a', 'a'], new_owner: 'b' })).toEqual({ chatIds: ['a', 'a'], newOwner: 'b' });
  });

  it('starts the day at midnight in China (UTC+8)', () => {
    expect(utc8DayStart(Date.parse('2026-12-01T15:59:59.999Z'))).toBe(Date.parse('2026-11-30T16:00:00Z'));
    expect(utc8DayStart(Date.parse('2026-12-01T16:00:00Z'))).toBe(Date.parse('2026-12-01T16:00:00Z'));
  });

  it('renders change_external_chat as WeCom publishes it: ChatId before ChangeType', () => {
    const event = toCallbackEvent({
      id: 1,
      app: { ...app, corpid: 'wwcorp' },
      type: 'change_external_chat',
      payload: { ChatId: 'wrChat', ChangeType: 'update', UpdateDetail: 'change_owner' },
      createdAt: 1_700_000_000_500,
      attempt: 1,
    });
    expect(buildEventXml(event)).toBe(
      '<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime>' +
        '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrChat]]></ChatId>' +
        '<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[change_owner]]></UpdateDetail></xml>',
    );
  });
});
