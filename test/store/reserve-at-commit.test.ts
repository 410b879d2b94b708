import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOfFixture } from '../../src/service/fixture-events.js';
import { loadFixtureEvents } from '../../src/service/fixture-load.js';
import { openStore } from '../../src/store/open-store.js';
import { openPostgres } from '../../src/store/postgres/connect.js';
import { reserveTakeoverPlacesAtCommit } from '../../src/store/queries/start-transfers.js';
import type { SqlDatabase } from '../../src/store/sql.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

const CORP = 'wwlate';
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
    const corp = { corpid: CORP, name: 'Late corp', apps: [{ agentid: 1000002, secret: 'late-secret' }], members: [{ userid: 'alice' }, { userid: 'bob', customer_cap: 3 }] };
    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [corp] }), { now: Date.UTC(2026, 0, 1), keepExisting: false }));
    sql = await openPostgres((database.location as { url: string }).url);
  });
  afterEach(async () => {
    await sql.close();
    await store.close();
    await database.drop();
  });

  /** Two writes sharing a transaction, the first reserving `places` of `userid` with the COMMIT. */
  const reserveInGroup = (userid: string, places: number) =>
    Promise.all(
      [0, 1].map((i) =>
        sql.writeShared!(async (db, control) => {
          if (!control.atCommit) return 'ran again alone';
          if (i === 0) {
            // Not awaited here: it answers only after the COMMIT, which waits for this write to end.
            const load = reserveTakeoverPlacesAtCommit(control.atCommit, CORP, userid, places, 3);
            load.catch(() => undefined);
            return { load };
          }
          await db.get('SELECT 1 AS x');
          return 'shared';
        }, `${CORP}\u0000${i}`),
      ),
    );
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
});
