import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/http/answer-cache.js';

const bytes = (n: number) => Buffer.alloc(n, 'x');

describe('AnswerCache (issue 13)', () => {
  it('answers only for the version an entry was stored under; a new version drops the old entries', () => {
    const cache = new AnswerCache(1_000_000);
    cache.set('a', 1, bytes(10));
    expect(cache.get('a', 1)?.length).toBe(10);
    expect(cache.get('a', 2)).toBeUndefined();
    cache.set('b', 2, bytes(10));
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.size.entries).toBe(1);
  });

  it('stays within its bytes, dropping the least recently used first', () => {
    const cache = new AnswerCache(4 * 1000);
    for (const key of ['a', 'b', 'c']) cache.set(key, 1, bytes(700));
    cache.get('a', 1);
    cache.set('d', 1, bytes(700));
    cache.set('e', 1, bytes(700));
    expect(cache.size.bytes).toBeLessThanOrEqual(4000);
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('b', 1)).toBeUndefined();
  });

  it('does not keep an answer larger than a quarter of its bound', () => {
    const cache = new AnswerCache(4000);
    cache.set('big', 1, bytes(1200));
    expect(cache.get('big', 1)).toBeUndefined();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });
});
