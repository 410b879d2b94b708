import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { testBackends } from '../support/stores.js';
import { aliceAndBobCorp, appToken, call, useTwoNodes } from './nodes.js';

const CORP = 'wwroomhint';
const SECRET = 'room-hint-secret';
const CUSTOMERS = Array.from({ length: 2_420 }, (_, i) => `wmRoom${String(i).padStart(5, '0')}`);
/** bob and carol may each have 1,201 customers: node A's first call leaves room for 1,200, far above a call. */
const CAP = 1_201;

function fixture(): Fixture {
  const corp = aliceAndBobCorp(CORP, SECRET, CUSTOMERS);
  corp.corps[0]!.members = [{ userid: 'alice' }, { userid: 'bob', customer_cap: CAP }, { userid: 'carol', customer_cap: CAP }];
  return corp;
}

const backends = await testBackends();

/**
 * A node decides a call on the room its last reservation for that takeover left (service/takeover-room.ts)
 * instead of reading the load. When the other node filled that room meanwhile, the reservation is refused
 * and the call runs again on the locked load: the answer is what a read load would have given, and the cap
 * holds exactly.
 */
describe.skipIf(!backends.includes('postgres'))('a takeover filled by the other node since this node last reserved', () => {
  const cluster = useTwoNodes(fixture);

  /** Node A reserves one place for `takeover` (it then believes 1,200 are left); node B takes 1,198 more. */
  async function staleRoom(takeover: string, customers: readonly string[]) {
    const [a, b] = cluster.nodes.map((n) => n.baseUrl) as [string, string];
    const [tokenA, tokenB] = await Promise.all([appToken(a, CORP, SECRET), appToken(b, CORP, SECRET)]);
    const transfer = (node: string, token: string, ids: readonly string[]) =>
      call(node, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, { handover_userid: 'alice', takeover_userid: takeover, external_userid: ids });
    expect((await transfer(a, tokenA, [customers[0]!])).customer).toEqual([{ external_userid: customers[0], errcode: 0 }]);
    for (let from = 1; from < 1_199; from += 100) {
      const answer = await transfer(b, tokenB, customers.slice(from, Math.min(from + 100, 1_199)));
      expect(answer.customer.every((c: { errcode: number }) => c.errcode === 0)).toBe(true);
    }
    return { onNodeA: (ids: readonly string[]) => transfer(a, tokenA, ids), left: customers.slice(1_199) };
  }

  async function expectCapHeld(takeover: string) {
    const load = await cluster.db.query(`SELECT customer_count + waiting_incoming AS load FROM members WHERE corpid = $1 AND userid = $2`, [CORP, takeover]);
    expect(Number(load.rows[0].load)).toBe(CAP);
    const waiting = await cluster.db.query(`SELECT COUNT(*) AS n FROM transfers WHERE corpid = $1 AND takeover_userid = $2 AND status = 2`, [CORP, takeover]);
    expect(Number(waiting.rows[0].n)).toBe(CAP);
  }

  it('answers from the real load, not the stale room, and never passes the cap', async () => {
    const { onNodeA, left } = await staleRoom('bob', CUSTOMERS.slice(0, 1_210));
    // Node A asks for 3: decided on its hint all 3 would start; the reservation says otherwise.
    const asked = left.slice(0, 3);
    expect((await onNodeA(asked)).customer).toEqual([
      { external_userid: asked[0], errcode: 0 },
      { external_userid: asked[1], errcode: 0 },
      { external_userid: asked[2], errcode: 40099 },
    ]);
    await expectCapHeld('bob');
  }, 60_000);

  it('fails a shared commit whose reservations would pass the cap, and answers each call alone', async () => {
    const { onNodeA, left } = await staleRoom('carol', CUSTOMERS.slice(1_210));
    // 6 calls at once on node A share one transaction (group commit) and decide on its hint that 1,200
    // places are left: their reservations, sent with the COMMIT, pass the cap of 2 left, so the commit
    // fails and each call runs again alone.
    const answers = await Promise.all(left.slice(0, 6).map((id) => onNodeA([id])));
    const codes = answers.map((answer) => answer.customer[0].errcode as number).sort((x, y) => x - y);
    expect(codes).toEqual([0, 0, 40099, 40099, 40099, 40099]);
    await expectCapHeld('carol');
  }, 60_000);
});
