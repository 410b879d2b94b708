import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfFixture } from '../../src/service/fixture-events.js';
import { loadFixtureEvents } from '../../src/service/fixture-load.js';
import { openStore } from '../../src/store/open-store.js';
import { openPostgres } from '../../src/store/postgres/connect.js';
import { insertWaitingTransfers, reserveTakeoverPlacesAtCommit } from '../../src/store/queries/start-transfers.js';
import type { SqlDatabase, SqlDb, WriteControl } from '../../src/store/sql.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

const CORP = 'wwlate';
const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const backends = (await testBackends()).filter((backend) => backend === 'postgres');

/**
 * A transfer call in a shared transaction reserves its takeover's places with the COMMIT
 * (queries/start-transfers.ts): nobody reads that answer before the COMMIT, so a reservation the
 * conditional UPDATE would refuse must fail the transaction, and the writes then run again alone.
 */
describe.skipIf(backends.length === 0)('a takeover reservation sent with the COMMIT', () => {
  let database: TestDatabase;
  let store: Store;
  let sql: SqlDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    store = await openStore(database.location);
    const corp = {
      corpid: CORP,
      name: 'Late corp',
      apps: [{ agentid: 1000002, secret: 'late-secret' }],
      members: [{ userid: 'alice' }, { userid: 'bob', customer_cap: 3 }],
      customers: [{ external_userid: 'wmLateA', name: '甲' }, { external_userid: 'wmLateB', name: '乙' }],
      relations: [{ userid: 'alice', external_userid: 'wmLateA', createtime: 1_700_000_000 }, { userid: 'alice', external_userid: 'wmLateB', createtime: 1_700_000_000 }],
    };
    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [corp] }), { now: NOW, keepExisting: false }));
    sql = await openPostgres((database.location as { url: string }).url);
  });
  afterEach(async () => {
    await sql.close();
    await store.close();
    await database.drop();
  });

  /**
   * Two writes sharing a transaction; the first does `reserve` (which sends its reservation with the COMMIT)
   * and answers the reservation's load, wrapped (awaited here it would wait for the COMMIT, which waits for
   * this write to end), the second only reads. 'ran again alone' where the group failed.
   */
  const inGroup = (reserve: (db: SqlDb, atCommit: NonNullable<WriteControl['atCommit']>) => Promise<{ load: Promise<number> }>) =>
    Promise.all(
      [0, 1].map((i) =>
        sql.writeShared!(async (db, control) => {
          if (!control.atCommit) return 'ran again alone';
          if (i === 0) {
            const { load } = await reserve(db, control.atCommit);
            load.catch(() => undefined);
            return { load };
          }
          await db.get('SELECT 1 AS x');
          return 'shared';
        }, `${CORP}\u0000${i}`),
      ),
    );
  /** `inGroup`, the first write reserving `places` of `userid` with the COMMIT. */
  const reserveInGroup = (userid: string, places: number) => inGroup(async (_, atCommit) => ({ load: reserveTakeoverPlacesAtCommit(atCommit, CORP, userid, places, 3) }));
  const waitingIncoming = async () => (await sql.readNow((db) => db.get<{ n: number }>(`SELECT waiting_incoming AS n FROM members WHERE corpid = ? AND userid = 'bob'`, [CORP])))!.n;

  it('takes the places within the cap and answers the load after them once committed', async () => {
    const [reserved, other] = await reserveInGroup('bob', 2);
    expect(other).toBe('shared');
    expect(await (reserved as { load: Promise<number> }).load).toBe(2);
    expect(await waitingIncoming()).toBe(2);
  });

  it('fails the shared commit when the places would pass the cap, leaving the member as it was', async () => {
    expect(await reserveInGroup('bob', 4)).toEqual(['ran again alone', 'ran again alone']);
    expect(await waitingIncoming()).toBe(0);
  });

  it('fails the shared commit when the member is gone, as the conditional reservation refuses it', async () => {
    expect(await reserveInGroup('nobody', 1)).toEqual(['ran again alone', 'ran again alone']);
  });

  /**
   * The quota re-check rides in the same statement: each started customer's count of starts since `from`
   * must be what the call judged plus its own start, or the shared commit fails like a passed cap.
   */
  const startAndReserveInGroup = (expected: Record<string, number>) =>
    inGroup(async (db, atCommit) => {
      const started = await insertWaitingTransfers(
        db,
        sql.capabilities,
        Object.keys(expected).map((externalUserid) => ({ kind: 'onjob' as const, corpid: CORP, externalUserid, handoverUserid: 'alice', takeoverUserid: 'bob', startedAt: NOW, dueAt: NOW + DAY })),
      );
      return { load: reserveTakeoverPlacesAtCommit(atCommit, CORP, 'bob', started.size, 3, { from: NOW - 90 * DAY, expected: new Map(Object.entries(expected)) }) };
    });
  const waitingTransfers = async () => (await sql.readNow((db) => db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM transfers WHERE corpid = ? AND status = 2`, [CORP])))!.n;
  /** A start of `externalUserid` in the quota window that has already ended (the customer refused it). */
  const endedStart = (externalUserid: string) =>
    sql.write(async (db) => {
      await db.run(
        `INSERT INTO transfers (corpid, kind, external_userid, handover_userid, takeover_userid, status, started_at, due_at, ended_at) VALUES (?, 'onjob', ?, 'alice', 'bob', 3, ?, ?, ?)`,
        [CORP, externalUserid, NOW - DAY, NOW, NOW - DAY / 2],
      );
    });

  it('commits the starts when every count is the judged one plus its own', async () => {
    await endedStart('wmLateB');
    const [reserved, other] = await startAndReserveInGroup({ wmLateA: 1, wmLateB: 2 });
    expect(other).toBe('shared');
    expect(await (reserved as { load: Promise<number> }).load).toBe(2);
    expect(await waitingTransfers()).toBe(2);
    expect(await waitingIncoming()).toBe(2);
  });

  it('fails the shared commit when a start began and ended since the call judged, leaving nothing behind', async () => {
    // The call judged wmLateB with no start in the window; one began and ended meanwhile.
    await endedStart('wmLateB');
    expect(await startAndReserveInGroup({ wmLateA: 1, wmLateB: 1 })).toEqual(['ran again alone', 'ran again alone']);
    expect(await waitingTransfers()).toBe(0);
    expect(await waitingIncoming()).toBe(0);
  });
});
