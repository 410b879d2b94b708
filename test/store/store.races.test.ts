import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerClock } from '../../src/clock.js';
import { decideTakeovers, refuseTransfer } from '../../src/domain/takeover.js';
import type { Relation } from '../../src/domain/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { CorpSnapshot, NewTransfer, Store } from '../../src/store/store.js';
import { startStoreTransfers, storeCorp, storeMember, storeRelation, storeTransfer } from '../support/store-rows.js';
import { combineEffects, endWaiting } from '../../src/domain/transfer-state.js';
import { TransferStatus } from '../../src/domain/types.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

/**
 * The races of issue 4, replayed step by step through the port: two stores on one database stand for two
 * server processes, and gates hold one transaction open while the other commits. Writers run side by
 * side only where the adapter has row locks (PostgreSQL); SQLite serialises whole write transactions, so
 * a gated one would simply hold the other back, and those cases run on PostgreSQL alone.
 */
const DAY = 86_400_000;
const member = storeMember;
const relation = (userid: string, externalUserid: string): Relation => storeRelation(userid, externalUserid);
const ids = ['wm1', 'wm2', 'wm3'];
// carol follows wm3 and may have 2 customers: one place left.
const snapshot = (): CorpSnapshot => storeCorp([member('alice'), member('bob'), member('carol', 2)], ids, [...ids.map((id) => relation('alice', id)), relation('carol', 'wm3')]);
const transfer = (externalUserid: string, takeoverUserid: string, startedAt: number): NewTransfer => storeTransfer(externalUserid, takeoverUserid, startedAt);

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Whether `promise` is still pending after `ms` (it is waiting on a lock). */
async function stillWaiting(promise: Promise<unknown>, ms = 300): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise.then(() => null, () => null), new Promise((resolve) => setTimeout(() => resolve(marker), ms))])) === marker;
}

const backends = await testBackends();

describe.each(backends)('store under concurrent writers on %s', (backend) => {
  let database: TestDatabase;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    a = await openStore(database.location);
    // SQLite: one process owns the file, so "the other process" is the same store.
    b = backend === 'postgres' ? await openStore(database.location) : a;
    await a.write((tx) => tx.loadCorps([snapshot()]));
  });
  afterEach(async () => {
    await a.close();
    if (b !== a) await b.close();
    await database.drop();
  });

  it('moves the clock by every advance when several run at once on two nodes', async () => {
    // Admin calls, not load: a handful at once is the realistic worst case (each conflict costs a retry).
    const clocks = [new ServerClock(a, () => 0), new ServerClock(b, () => 0)];
    await Promise.all(Array.from({ length: 6 }, (_, i) => clocks[i % 2]!.advance(1_000)));
    expect(await clocks[0]!.current()).toBe(6_000);
  });

  it('issues one token when two nodes are asked for one at once', async () => {
    const issue = (store: Store, token: string) =>
      store.write(async (tx) => (await tx.findLiveToken('c', 1, 10))?.token ?? (await tx.insertToken({ token, corpid: 'c', agentid: 1, issuedAt: 10, expiresAt: 7_200_010 }), token));
    const answers = await Promise.all([issue(a, 'first'), issue(b, 'second'), issue(a, 'third'), issue(b, 'fourth')]);
    expect(new Set(answers).size).toBe(1);
  });

  describe.runIf(backend === 'postgres')('step by step (row locks)', () => {
    it('withdraws a start whose quota facts went stale: another transfer started and was refused meanwhile', async () => {
      // wm1 already had one start inside the window: one more is allowed, not two.
      await a.write((tx) => startStoreTransfers(a, tx, [transfer('wm1', 'bob', 1_000)]));
      await a.write(async (tx) => tx.applyTransferEffects(refuseTransfer((await tx.findWaitingTransfer('c', 'wm1'))!, 1_500).effects));
      const factsRead = gate();
      const resume = gate();
      let tries = 0;
      const call = a.write(async (tx) => {
        tries++;
        const facts = await tx.transferFacts('c', 'alice', ['wm1'], 0);
        factsRead.open();
        await resume.opened;
        await tx.takeoverLoad('c', 'carol', true);
        const judged = facts.get('wm1')!.acceptedInWindow;
        return { judged, started: await startStoreTransfers(a, tx, [transfer('wm1', 'carol', 3_000)], { quotaFrom: 0, judged: new Map([['wm1', judged]]) }) };
      });
      await factsRead.opened;
      // Meanwhile, on the other node: a start for bob (the second in the window) that the customer refuses.
      expect(await b.write((tx) => startStoreTransfers(b, tx, [transfer('wm1', 'bob', 2_000)]))).toEqual(new Set(['wm1']));
      await b.write(async (tx) => tx.applyTransferEffects(refuseTransfer((await tx.findWaitingTransfer('c', 'wm1'))!, 2_500).effects));
      resume.open();
      const { judged, started } = await call;
      expect({ judged, started: [...started], tries }).toEqual({ judged: 1, started: [], tries: 1 });
      const facts = await a.read((tx) => tx.transferFacts('c', 'alice', ['wm1'], 0));
      expect(facts.get('wm1')).toMatchObject({ acceptedInWindow: 2, hasWaitingTransfer: false });
      expect(await a.write((tx) => tx.takeoverLoad('c', 'carol', true))).toBe(1);
    });

    it.each([
      ['reserves another takeover: the re-count goes with the COMMIT, fails it, and the call, run again alone, judges the fresh count', 'c\u0000bob', [1, 2]],
      ['reserves the same takeover: the re-count runs with the insert and withdraws the start inside the group', 'c\u0000carol', [1]],
    ])('a stale start in a shared transaction whose other call %s', async (_, otherLockOrder, expectedTries) => {
      await a.write((tx) => startStoreTransfers(a, tx, [transfer('wm1', 'bob', 1_000)]));
      await a.write(async (tx) => tx.applyTransferEffects(refuseTransfer((await tx.findWaitingTransfer('c', 'wm1'))!, 1_500).effects));
      const factsRead = gate();
      const resume = gate();
      const judgedPerTry: number[] = [];
      // Two calls sent together share one transaction (group commit); the first is held after its facts.
      const call = a.write(
        async (tx) => {
          const judged = (await tx.transferFacts('c', 'alice', ['wm1'], 0)).get('wm1')!.acceptedInWindow;
          judgedPerTry.push(judged);
          if (judgedPerTry.length === 1) {
            factsRead.open();
            await resume.opened;
          }
          // The quota rule (2 in the window), as the service applies it.
          if (judged >= 2) return [];
          return [...(await startStoreTransfers(a, tx, [transfer('wm1', 'carol', 3_000)], { quotaFrom: 0, judged: new Map([['wm1', judged]]) }))];
        },
        { shareTransaction: { lockOrder: 'c\u0000carol' } },
      );
      const other = a.write(async (tx) => (await tx.transferFacts('c', 'alice', ['wm2'], 0)).size, { shareTransaction: { lockOrder: otherLockOrder } });
      await factsRead.opened;
      expect(await b.write((tx) => startStoreTransfers(b, tx, [transfer('wm1', 'bob', 2_000)]))).toEqual(new Set(['wm1']));
      await b.write(async (tx) => tx.applyTransferEffects(refuseTransfer((await tx.findWaitingTransfer('c', 'wm1'))!, 2_500).effects));
      resume.open();
      // Either way the re-count found 3 starts where the call judged 1 plus its own: no third start.
      expect({ started: await call, other: await other, judgedPerTry }).toEqual({ started: [], other: 1, judgedPerTry: expectedTries });
      const facts = await a.read((tx) => tx.transferFacts('c', 'alice', ['wm1'], 0));
      expect(facts.get('wm1')).toMatchObject({ acceptedInWindow: 2, hasWaitingTransfer: false });
      expect(await a.write((tx) => tx.takeoverLoad('c', 'carol', true))).toBe(1);
    });

    it('gives back the place of a customer another node started meanwhile (its insert found the slot taken)', async () => {
      const decided = gate();
      const resume = gate();
      const call = a.write(async (tx) => {
        await tx.transferFacts('c', 'alice', ['wm1', 'wm2'], 0);
        decided.open();
        await resume.opened;
        // Both were judged free; the reservation covers both before the insert says which started.
        return startStoreTransfers(a, tx, [transfer('wm1', 'bob', 3_000), transfer('wm2', 'bob', 3_000)]);
      });
      await decided.opened;
      expect(await b.write((tx) => startStoreTransfers(b, tx, [transfer('wm2', 'bob', 2_000)]))).toEqual(new Set(['wm2']));
      resume.open();
      expect(await call).toEqual(new Set(['wm1']));
      // bob: no customers of his own, one waiting transfer from each node, not three.
      expect(await a.write((tx) => tx.takeoverLoad('c', 'bob', true))).toBe(2);
    });

    it('judges a takeover near its cap once per node: the second engine waits for the first one’s counters', async () => {
      await a.write((tx) => startStoreTransfers(a, tx, [transfer('wm1', 'carol', 1_000), transfer('wm2', 'carol', 2_000)]));
      const judged = gate();
      const commit = gate();
      const first = a.write(async (tx) => {
        const due = await tx.claimDueTransfers(10 * DAY, 1);
        const facts = await tx.takeoverFacts(due);
        judged.open();
        await commit.opened;
        const outcomes = decideTakeovers(
          due.map((t) => ({ transfer: t, handoverFollows: true, takeoverAlreadyFriend: false, earlierTransfers: [] })),
          facts.customerCounts,
          facts.caps,
          { copyRelationData: false },
        );
        await tx.applyTransferEffects(combineEffects(outcomes.map((o) => o.effects)));
        return outcomes.map((o) => o.kind);
      });
      await judged.opened;
      const second = b.write(async (tx) => {
        const due = await tx.claimDueTransfers(10 * DAY, 10);
        const facts = await tx.takeoverFacts(due);
        return { due: due.map((t) => t.externalUserid), carol: facts.customerCounts.get('c\u0000carol') };
      });
      expect(await stillWaiting(second)).toBe(true);
      commit.open();
      expect(await first).toEqual(['done']);
      // wm1 is claimed by the first engine, so the second gets wm2 and sees carol full (2 of 2).
      expect(await second).toEqual({ due: ['wm2'], carol: 2 });
    });

    it('lets a refusal and the engine meet on one transfer: exactly one of them ends it', async () => {
      await a.write((tx) => startStoreTransfers(a, tx, [transfer('wm1', 'bob', 1_000)]));
      // The engine holds the due transfer; the refusal waits, then finds nothing waiting.
      const claimed = gate();
      const commit = gate();
      const engine = a.write(async (tx) => {
        const due = await tx.claimDueTransfers(10 * DAY, 10);
        claimed.open();
        await commit.opened;
        await tx.applyTransferEffects(combineEffects(due.map((t) => endWaiting(t, TransferStatus.done, t.dueAt).effects)));
        return due.length;
      });
      await claimed.opened;
      const refusal = b.write((tx) => tx.findWaitingTransfer('c', 'wm1'));
      expect(await stillWaiting(refusal)).toBe(true);
      commit.open();
      expect(await engine).toBe(1);
      expect(await refusal).toBeNull();

      // The other way round: the refusal holds it, the engine's claim waits, then finds nothing due.
      await a.write((tx) => startStoreTransfers(a, tx, [transfer('wm2', 'bob', 1_000)]));
      const found = gate();
      const refuse = gate();
      const refusing = a.write(async (tx) => {
        const waiting = (await tx.findWaitingTransfer('c', 'wm2'))!;
        found.open();
        await refuse.opened;
        await tx.applyTransferEffects(refuseTransfer(waiting, 5_000).effects);
      });
      await found.opened;
      const claim = b.write((tx) => tx.claimDueTransfers(10 * DAY, 10));
      expect(await stillWaiting(claim)).toBe(true);
      refuse.open();
      await refusing;
      expect(await claim).toEqual([]);
      expect(await a.write((tx) => tx.takeoverLoad('c', 'bob', true))).toBe(0);
    });

    it('retries a clock write that lost its race instead of losing the other advance', async () => {
      const read = gate();
      const write = gate();
      let tries = 0;
      const slow = a.write(async (tx) => {
        tries++;
        const state = await tx.clockState();
        read.open();
        await write.opened;
        await tx.setClockState({ ...state, offsetMs: state.offsetMs + 1_000 }, state);
      });
      await read.opened;
      await b.write(async (tx) => { const read = await tx.clockState(); await tx.setClockState({ ...read, offsetMs: 5_000 }, read); });
      write.open();
      await slow;
      expect(tries).toBe(2);
      expect((await a.read((tx) => tx.clockState())).offsetMs).toBe(6_000);
    });

    it('makes a second node’s gettoken wait for the first one’s token', async () => {
      const looked = gate();
      const insert = gate();
      const first = a.write(async (tx) => {
        const live = await tx.findLiveToken('c', 1, 10);
        looked.open();
        await insert.opened;
        await tx.insertToken({ token: 'first', corpid: 'c', agentid: 1, issuedAt: 10, expiresAt: 7_200_010 });
        return live;
      });
      await looked.opened;
      const second = b.write((tx) => tx.findLiveToken('c', 1, 10));
      expect(await stillWaiting(second)).toBe(true);
      insert.open();
      expect(await first).toBeNull();
      expect((await second)?.token).toBe('first');
    });
  });
});
