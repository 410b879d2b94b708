import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { testBackends } from '../support/stores.js';
import { aliceAndBobCorp, appToken, call, useTwoNodes } from './nodes.js';

const CORP = 'wwmultiread';
const SECRET = 'multiread-secret';
const CUSTOMERS = Array.from({ length: 6 }, (_, i) => `wmRead${String(i).padStart(4, '0')}`);

function fixture(dropLast = false): Fixture {
  return aliceAndBobCorp(CORP, SECRET, dropLast ? CUSTOMERS.slice(0, -1) : CUSTOMERS);
}

const backends = await testBackends();

/**
 * The read-answer cache across processes (issue 13): each node caches by the change version it reads with
 * every token check, so a write committed on one node makes the other node's next read fresh — with no
 * message between the nodes, only the database.
 */
describe.skipIf(!backends.includes('postgres'))('cached reads stay fresh across two server processes (issue 13)', () => {
  const cluster = useTwoNodes(() => fixture());
  const [a, b] = [0, 1].map((i) => () => cluster.nodes[i]!.baseUrl) as [() => string, () => string];
  const token = (base: string) => appToken(base, CORP, SECRET);
  const list = async (base: string, userid: string) => call(base, 'GET', `/cgi-bin/externalcontact/list?access_token=${await token(base)}&userid=${userid}`);
  const result = async (base: string) =>
    call(base, 'POST', `/cgi-bin/externalcontact/transfer_result?access_token=${await token(base)}`, { handover_userid: 'alice', takeover_userid: 'bob' });
  /** The node answers twice (the second from its cache), both times the same. */
  const twice = async <T>(read: () => Promise<T>) => {
    const first = await read();
    expect(await read()).toEqual(first);
    return first;
  };

  it('a transfer, a takeover, a fixture reload and a resignation on node B are seen by node A at once', async () => {
    expect((await twice(() => list(a(), 'alice'))).external_userid).toHaveLength(CUSTOMERS.length);
    expect((await twice(() => result(a()))).customer).toEqual([]);

    const started = await call(b(), 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${await token(b())}`, {
      handover_userid: 'alice',
      takeover_userid: 'bob',
      external_userid: [CUSTOMERS[0]],
    });
    expect(started.customer[0].errcode).toBe(0);
    expect((await twice(() => result(a()))).customer.map((c: any) => [c.external_userid, c.status])).toEqual([[CUSTOMERS[0], 2]]);

    // Either node's engine may complete it; the advance answers once it is complete, whichever did.
    await call(b(), 'POST', '/admin/clock', { advance_seconds: 86_400 });
    expect((await twice(() => list(a(), 'alice'))).external_userid).toHaveLength(CUSTOMERS.length - 1);
    expect((await twice(() => list(a(), 'bob'))).external_userid).toEqual([CUSTOMERS[0]]);
    expect((await twice(() => result(a()))).customer.map((c: any) => [c.external_userid, c.status])).toEqual([[CUSTOMERS[0], 1]]);

    await call(b(), 'POST', '/admin/fixtures', fixture(true));
    expect((await twice(() => list(a(), 'alice'))).external_userid).toEqual(CUSTOMERS.slice(0, -1));
    expect((await list(a(), 'bob')).errcode).toBe(84061);

    await call(b(), 'POST', `/admin/members/alice/resign?corpid=${CORP}`, {});
    expect((await list(a(), 'alice')).errcode).toBe(40003);
  });
});
