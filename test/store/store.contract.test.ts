import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Relation } from '../../src/domain/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { CorpSnapshot, Store } from '../../src/store/store.js';
import { startStoreTransfers, storeCorp, storeMember, storeRelation, storeTransfer } from '../support/store-rows.js';
import { combineEffects, endWaiting, holderLoses } from '../../src/domain/transfer-state.js';
import { TransferStatus } from '../../src/domain/types.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

const member = storeMember;
const relation = (userid: string, externalUserid: string, remark = ''): Relation =>
  storeRelation(userid, externalUserid, { remark, description: 'd', tags: [{ groupName: 'g', tagName: 't', type: 1, tagId: 'et1' }], remarkMobiles: ['1'] });
const ids = Array.from({ length: 5 }, (_, i) => `wm${i}`);
const snapshot = (): CorpSnapshot =>
  storeCorp([member('alice'), member('bob'), member('carol', 2)], ids, [...ids.map((id) => relation('alice', id, `r-${id}`)), relation('bob', 'wm0')]);
const newTransfer = (externalUserid: string, takeoverUserid = 'bob', startedAt = 10_000) => storeTransfer(externalUserid, takeoverUserid, startedAt);

describe.each(await testBackends())('store contract on %s', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    store = await openStore(database.location);
    await store.write((tx) => tx.loadCorps([snapshot()]));
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('migrates idempotently, also when two processes open a fresh database at once', async () => {
    // SQLite: one process owns the file (exclusive locking), so the second open comes after the first closes.
    await store.close();
    store = await openStore(database.location);
    expect((await store.read((tx) => tx.exportCorps()))[0]!.members).toHaveLength(3);
    if (backend === 'postgres') {
      const fresh = await createTestDatabase('postgres');
      const both = await Promise.all([openStore(fresh.location), openStore(fresh.location)]);
      await both[0].write((tx) => tx.loadCorps([snapshot()]));
      expect((await both[1].read((tx) => tx.exportCorps()))[0]!.members).toHaveLength(3);
      await Promise.all(both.map((s) => s.close()));
      await fresh.drop();
    }
  });

  it('round-trips a corp through loadCorps and exportCorps, and replaces it on reload', async () => {
    const [exported] = await store.read((tx) => tx.exportCorps());
    expect(exported).toEqual(snapshot());
    await store.write((tx) => tx.loadCorps([{ ...snapshot(), members: [member('alice')], relations: [relation('alice', 'wm1')] }]));
    const [replaced] = await store.read((tx) => tx.exportCorps());
    expect(replaced!.members.map((m) => m.userid)).toEqual(['alice']);
    expect(replaced!.relations).toHaveLength(1);
  });

  it('reads transfer facts, inserts waiting transfers once per customer, and keeps the takeover load', async () => {
    const facts = await store.read((tx) => tx.transferFacts('c', 'alice', ['wm0', 'wm1', 'nope', 'wm1'], 0));
    expect([...facts.keys()].sort()).toEqual(['wm0', 'wm1']);
    expect(facts.get('wm0')).toEqual({ exists: true, followedByHandover: true, hasWaitingTransfer: false, acceptedInWindow: 0 });
    const inserted = await store.write((tx) => startStoreTransfers(store, tx, [newTransfer('wm1'), newTransfer('wm2')]));
    expect([...inserted].sort()).toEqual(['wm1', 'wm2']);
    // A second waiting transfer for wm1 is kept out by the unique index, not by an error.
    const again = await store.write((tx) => startStoreTransfers(store, tx, [newTransfer('wm1', 'carol'), newTransfer('wm3', 'carol')]));
    expect([...again]).toEqual(['wm3']);
    expect(await store.write((tx) => tx.takeoverLoad('c', 'bob', true))).toBe(1 + 2);
    expect(await store.write((tx) => tx.takeoverLoad('c', 'carol', true))).toBe(1);
    const after = await store.read((tx) => tx.transferFacts('c', 'alice', ['wm1'], 0));
    expect(after.get('wm1')).toMatchObject({ hasWaitingTransfer: true, acceptedInWindow: 1 });
    expect((await store.read((tx) => tx.transferFacts('c', 'alice', ['wm1'], 10_001))).get('wm1')!.acceptedInWindow).toBe(0);
  });

  it('claims due transfers oldest first and applies outcomes: statuses, moved relations with copied data, counters', async () => {
    await store.write((tx) => startStoreTransfers(store, tx, [newTransfer('wm1', 'bob', 20_000), newTransfer('wm2', 'carol', 10_000), newTransfer('wm0', 'bob', 30_000)]));
    const due = await store.write((tx) => tx.claimDueTransfers(20_000 + 86_400_000, 10));
    expect(due.map((t) => t.externalUserid)).toEqual(['wm2', 'wm1']);
    await store.write(async (tx) => {
      const claimed = await tx.claimDueTransfers(40_000 + 86_400_000, 10);
      const facts = await tx.takeoverFacts(claimed);
      const wm0 = claimed.find((t) => t.externalUserid === 'wm0')!;
      expect(facts.takeoverFriends.has(wm0.id)).toBe(true);
      expect(claimed.every((t) => facts.handoverFollows.has(t.id))).toBe(true);
      expect(facts.customerCounts.get('c\u0000bob')).toBe(1);
      expect(facts.caps.get('c\u0000carol')).toBe(2);
      await tx.applyTransferEffects(
        combineEffects(
          claimed.map((t) => {
            const ended = endWaiting(t, TransferStatus.done, t.dueAt).effects;
            const lost = holderLoses(t);
            const created =
              t.externalUserid === 'wm0'
                ? []
                : [{ corpid: 'c', userid: t.takeoverUserid, externalUserid: t.externalUserid, handoverUserid: 'alice', createdAt: t.dueAt, addWay: 202, operUserid: 'alice', copyFromHandover: t.externalUserid === 'wm1' }];
            return {
              transitions: ended.transitions,
              counters: [...ended.counters, ...lost.counters, ...created.map(() => ({ corpid: 'c', userid: t.takeoverUserid, customers: 1, waitingIncoming: 0 }))],
              relationsCreated: created,
              relationsRemoved: lost.relationsRemoved,
            };
          }),
        ),
      );
    });
    const [corp] = await store.read((tx) => tx.exportCorps());
    const owners = Object.fromEntries(ids.map((id) => [id, corp!.relations.filter((r) => r.externalUserid === id).map((r) => r.userid)]));
    expect(owners).toEqual({ wm0: ['bob'], wm1: ['bob'], wm2: ['carol'], wm3: ['alice'], wm4: ['alice'] });
    const wm1 = corp!.relations.find((r) => r.externalUserid === 'wm1')!;
    expect(wm1).toMatchObject({ remark: 'r-wm1', description: 'd', tags: [{ tagId: 'et1' }], addWay: 202, operUserid: 'alice', remarkMobiles: ['1'], state: null });
    expect(corp!.relations.find((r) => r.externalUserid === 'wm2')).toMatchObject({ remark: '', description: '', tags: [], remarkMobiles: [] });
    expect(await store.write((tx) => tx.takeoverLoad('c', 'bob', true))).toBe(2);
    expect(await store.write((tx) => tx.takeoverLoad('c', 'alice', true))).toBe(2);
    // Nothing is waiting any more, so every member's counters are exactly COUNT(*) of its relations.
    for (const m of corp!.members) {
      expect([m.userid, await store.write((tx) => tx.takeoverLoad('c', m.userid, true))]).toEqual([m.userid, corp!.relations.filter((r) => r.userid === m.userid).length]);
    }
    expect(await store.write((tx) => tx.claimDueTransfers(Number.MAX_SAFE_INTEGER, 10))).toEqual([]);
  });

  it('lists the latest transfer per customer of a pair, keyset-paged', async () => {
    await store.write((tx) => startStoreTransfers(store, tx, ['wm3', 'wm1', 'wm2'].map((id) => newTransfer(id))));
    const first = await store.read((tx) => tx.latestTransfersOfPair('onjob', 'c', 'alice', 'bob', '', 2));
    expect(first.map((t) => t.externalUserid)).toEqual(['wm1', 'wm2']);
    const rest = await store.read((tx) => tx.latestTransfersOfPair('onjob', 'c', 'alice', 'bob', 'wm2', 2));
    expect(rest.map((t) => t.externalUserid)).toEqual(['wm3']);
  });

  it('keeps the clock state and bumps the generation on loads, resets, member edits and callback edits', async () => {
    const start = await store.read((tx) => tx.clockState());
    await store.write((tx) => tx.setClockState({ ...start, offsetMs: 42, frozenAt: 7 }, start));
    expect(await store.read((tx) => tx.clockState())).toEqual({ offsetMs: 42, frozenAt: 7, generation: start.generation });
    await store.write((tx) => tx.loadCorps([snapshot()]));
    await store.write((tx) => tx.updateMember({ ...member('bob'), customerCap: 1 }));
    await store.write((tx) => tx.setAppCallback('c', 1, null));
    await store.write((tx) => tx.reset());
    const end = await store.read((tx) => tx.clockState());
    expect(end).toEqual({ offsetMs: 0, frozenAt: null, generation: start.generation + 4 });
  });

  it('reads the change version with the clock in one snapshot, equal to changeVersion(), moved by a write that changed a row only', async () => {
    const read = () => store.read((tx) => tx.clockStateAndChangeVersion());
    const before = await read();
    expect(before).toEqual({ ...(await store.read((tx) => tx.clockState())), changeVersion: await store.changeVersion() });
    await store.write((tx) => tx.setClockState({ ...before, offsetMs: before.offsetMs + 1 }, before));
    const after = await read();
    expect(after.changeVersion).toBeGreaterThan(before.changeVersion);
    await store.write((tx) => tx.getMembers('c', ['bob']));
    expect((await read()).changeVersion).toBe(after.changeVersion);
  });

  it('hands out one pending outbox row per customer at a time, in order, leased', async () => {
    await store.write((tx) => tx.setAppCallback('c', 1, { url: 'http://127.0.0.1:1/cb', token: 't', encodingAesKey: 'k'.repeat(43) }));
    const event = (externalUserid: string, type: 'add_external_contact' | 'del_external_contact') =>
      type === 'add_external_contact'
        ? { event: { type, corpid: 'c', userid: 'bob', externalUserid }, agentid: 1 }
        : { event: { type, corpid: 'c', userid: 'alice', externalUserid, source: 'DELETE_BY_TRANSFER' as const }, agentid: 1 };
    await store.write((tx) => tx.insertOutboxRows([event('wm1', 'add_external_contact'), event('wm1', 'del_external_contact'), event('wm2', 'add_external_contact')], 1_000));
    const first = await store.write((tx) => tx.claimDeliveries(100, 200, 10));
    expect(first.map((d) => [d.payload['ExternalUserID'], d.type, d.attempt])).toEqual([
      ['wm1', 'add_external_contact', 1],
      ['wm2', 'add_external_contact', 1],
    ]);
    expect(await store.write((tx) => tx.claimDeliveries(150, 250, 10))).toEqual([]);
    await store.write((tx) => tx.recordDeliveries([{ id: first[0]!.id, outcome: 'delivered' }, { id: first[1]!.id, outcome: 'retry', nextAttemptAt: 500, error: 'http 500' }], 160));
    const second = await store.write((tx) => tx.claimDeliveries(170, 270, 10));
    expect(second.map((d) => [d.payload['ExternalUserID'], d.type])).toEqual([['wm1', 'del_external_contact']]);
    const events = await store.read((tx) => tx.listEvents({ limit: 10 }));
    expect(events.map((e) => [e.status, e.attempts, e.lastError])).toEqual([
      ['delivered', 1, null],
      ['pending', 1, null],
      ['pending', 1, 'http 500'],
    ]);
  });
});
