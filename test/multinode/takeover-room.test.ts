import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { testBackends } from '../support/stores.js';
import { aliceAndBobCorp, appToken, call, useTwoNodes } from './nodes.js';

const CORP = 'wwroomhint';
const SECRET = 'room-hint-secret';
const CUSTOMERS = Array.from({ length: 1_210 }, (_, i) => `wmRoom${String(i).padStart(5, '0')}`);
/** bob may have 1,201 customers: node A's first call leaves him room for 1,200, far above the call. */
const CAP = 1_201;

function fixture(): Fixture {
  const corp = aliceAndBobCorp(CORP, SECRET, CUSTOMERS);
  corp.corps[0]!.members = [{ userid: 'alice' }, { userid: 'bob', customer_cap: CAP }];
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

  it('answers from the real load, not the stale room, and never passes the cap', async () => {
    const [a, b] = cluster.nodes.map((n) => n.baseUrl) as [string, string];
    const [tokenA, tokenB] = await Promise.all([appToken(a, CORP, SECRET), appToken(b, CORP, SECRET)]);
    const transfer = (node: string, token: string, ids: string[]) =>
      call(node, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${token}`, { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ids });
    // Node A reserves one place: it now believes bob has 1,200 left.
    expect((await transfer(a, tokenA, [CUSTOMERS[0]!])).customer).toEqual([{ external_userid: CUSTOMERS[0], errcode: 0 }]);
    // Node B takes 1,198 more (12 calls of at most 100): 2 places left.
    for (let from = 1; from < 1_199; from += 100) {
      const answer = await transfer(b, tokenB, CUSTOMERS.slice(from, Math.min(from + 100, 1_199)));
      expect(answer.customer.every((c: { errcode: number }) => c.errcode === 0)).toBe(true);
    }
    // Node A asks for 3: decided on its hint all 3 would start; the reservation says otherwise.
    const asked = CUSTOMERS.slice(1_199, 1_202);
    const answer = await transfer(a, tokenA, asked);
    expect(answer.customer).toEqual([
      { external_userid: asked[0], errcode: 0 },
      { external_userid: asked[1], errcode: 0 },
      { external_userid: asked[2], errcode: 40099 },
    ]);
    const bob = await cluster.db.query(`SELECT customer_count + waiting_incoming AS load FROM members WHERE corpid = $1 AND userid = 'bob'`, [CORP]);
    expect(Number(bob.rows[0].load)).toBe(CAP);
    const waiting = await cluster.db.query(`SELECT COUNT(*) AS n FROM transfers WHERE corpid = $1 AND takeover_userid = 'bob' AND status = 2`, [CORP]);
    expect(Number(waiting.rows[0].n)).toBe(CAP);
  }, 60_000);
});
