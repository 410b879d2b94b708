import { describe, expect, it } from 'vitest';
import { oneReadPerTurn } from '../../src/store/one-read-per-turn.js';

/** The token check's shared clock read (store/one-read-per-turn.ts): shared, yet never older than the ask. */
describe('one read per turn', () => {
  it('gives callers that ask before the read is sent one read, sent after the last of them asked', async () => {
    let value = 0;
    const sent: number[] = [];
    const read = oneReadPerTurn(async () => (sent.push(value), value));
    const first = read();
    value = 1; // committed after the first caller asked, before the second did
    const second = read();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(sent).toEqual([1]);
  });

  it('gives a caller that asks once the read was sent a read of its own', async () => {
    let value = 0;
    let release!: () => void;
    const sent: number[] = [];
    const read = oneReadPerTurn(async () => {
      sent.push(value);
      const seen = value;
      if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return seen;
    });
    const first = read();
    await new Promise((resolve) => setImmediate(resolve));
    // The first read is on its way (its answer not back yet); what commits now is not in it.
    value = 1;
    const second = read();
    release();
    expect(await Promise.all([first, second])).toEqual([0, 1]);
    expect(sent).toEqual([0, 1]);
  });

  it('hands a failed read to every caller that shared it, and reads again for the next', async () => {
    let fail = true;
    const read = oneReadPerTurn(async () => {
      if (fail) throw new Error('connection lost');
      return 'ok';
    });
    const outcomes = await Promise.allSettled([read(), read()]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await read()).toBe('ok');
  });
});
