import { describe, expect, it } from 'vitest';
import type { NewRelationPlan, RelationKey } from '../../src/domain/transfer-state.js';
import { relationMoves } from '../../src/store/queries/transfer-effects.js';

const plan = (externalUserid: string, handoverUserid = 'h', userid = 't'): NewRelationPlan => ({
  corpid: 'c',
  userid,
  externalUserid,
  handoverUserid,
  createdAt: 1,
  addWay: 202,
  operUserid: handoverUserid,
  copyFromHandover: true,
});
const key = (externalUserid: string, userid = 'h'): RelationKey => ({ corpid: 'c', userid, externalUserid });

describe('relationMoves: a takeover’s remove + create of one customer becomes one move', () => {
  it('moves a created relation whose handover relation is removed in the same effects', () => {
    const result = relationMoves([plan('a'), plan('b')], [key('a'), key('b')]);
    expect(result.moved.map((p) => p.externalUserid)).toEqual(['a', 'b']);
    expect(result.created).toEqual([]);
    expect(result.removed).toEqual([]);
  });

  it('keeps creates without a removed source and removals without a create on the general path', () => {
    // 'a': the handover no longer follows (create only); 'b': the takeover already follows (remove only).
    const result = relationMoves([plan('a')], [key('b')]);
    expect(result.moved).toEqual([]);
    expect(result.created.map((p) => p.externalUserid)).toEqual(['a']);
    expect(result.removed).toEqual([key('b')]);
  });

  it('does not move when two creates read one source, or a source of another member is removed', () => {
    const twice = relationMoves([plan('a', 'h', 't1'), plan('a', 'h', 't2')], [key('a')]);
    expect(twice.moved).toEqual([]);
    expect(twice.created).toHaveLength(2);
    expect(twice.removed).toEqual([key('a')]);
    const other = relationMoves([plan('a', 'h')], [key('a', 'someone-else')]);
    expect(other.moved).toEqual([]);
    expect(other.removed).toEqual([key('a', 'someone-else')]);
  });
});
