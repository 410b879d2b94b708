import { describe, expect, it } from 'vitest';
import { TakeoverRoom } from '../../src/service/takeover-room.js';

describe('a takeover room hint (service/takeover-room.ts)', () => {
  it('is given only with room for the call plus a thousand places, or ten times the call', () => {
    const room = new TakeoverRoom();
    expect(room.hintedLoad('c', 'bob', 10_000, 1, 7)).toBeUndefined();
    room.saw('c', 'bob', 8_999, 7);
    // 1,001 left: one place plus the thousand.
    expect(room.hintedLoad('c', 'bob', 10_000, 1, 7)).toBe(8_999);
    expect(room.hintedLoad('c', 'bob', 10_000, 2, 7)).toBeUndefined();
    room.saw('c', 'bob', 8_000, 7);
    // 100 places need 100 + 1,000 of room; 200 need 200 + 2,000.
    expect(room.hintedLoad('c', 'bob', 10_000, 100, 7)).toBe(8_000);
    expect(room.hintedLoad('c', 'bob', 10_000, 200, 7)).toBeUndefined();
  });

  it('forgets the load after a refused reservation and across store generations', () => {
    const room = new TakeoverRoom();
    room.saw('c', 'bob', 10, 7);
    expect(room.hintedLoad('c', 'bob', 1_000_000, 1, 8)).toBeUndefined();
    expect(room.hintedLoad('c', 'carol', 1_000_000, 1, 7)).toBeUndefined();
    room.saw('c', 'bob', null, 7);
    expect(room.hintedLoad('c', 'bob', 1_000_000, 1, 7)).toBeUndefined();
  });
});
