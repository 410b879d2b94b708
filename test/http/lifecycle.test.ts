import { describe, expect, it } from 'vitest';
import { CORP, customerIds, testCompany } from '../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';

const [c1, c2, c3] = customerIds(3) as [string, string, string];
const move = (ids: string[], takeover = 'carol', handover = 'alice') => ({ handover_userid: handover, takeover_userid: takeover, external_userid: ids });
const eventsOf = async (h: ReturnType<typeof useHarness>) =>
  (await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events.map((e: any) => ({ type: e.type, ...e.payload }));

describe.each(await testBackends())('transfer lifecycle on %s (spec §9.2)', (backend) => {
  const h = useHarness(backend);

  it('completes at exactly 24 h: status 1, relation moved, add + del events, nothing else touched', async () => {
    await h.transfer(move([c1]));
    expect((await h.advance(86_399)).completed_takeovers).toBe(0);
    expect(await eventsOf(h)).toEqual([]);
    expect((await h.advance(1)).completed_takeovers).toBe(1);
    expect((await h.transferResult('alice', 'carol')).customer[0].status).toBe(1);
    expect(await eventsOf(h)).toEqual([
      { type: 'add_external_contact', UserID: 'carol', ExternalUserID: c1 },
      { type: 'del_external_contact', UserID: 'alice', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' },
    ]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('keeps outbox rows without a callback app as undeliverable, with no recipient', async () => {
    await h.transfer(move([c1]));
    await h.advance(86_400);
    const rows = (await h.server.admin('GET', '/admin/events')).events;
    expect(rows.map((e: any) => [e.status, e.agentid, e.attempts])).toEqual([
      ['undeliverable', null, 0],
      ['undeliverable', null, 0],
    ]);
  });

  it('sends no add event when the takeover already followed the customer', async () => {
    await h.transfer(move(['wmShared'], 'bob'));
    await h.advance(86_400);
    expect(await eventsOf(h)).toEqual([{ type: 'del_external_contact', UserID: 'alice', ExternalUserID: 'wmShared', Source: 'DELETE_BY_TRANSFER' }]);
    const token = await h.token();
    const contact = await h.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: token, external_userid: 'wmShared' } });
    expect(contact.follow_user.map((f: any) => [f.userid, f.remark, f.add_way])).toEqual([['bob', 'shared by bob', 2]]);
  });

  it('sends no add event when the customer returns to a member who transferred them away', async () => {
    await h.transfer(move([c1], 'carol'));
    await h.advance(86_400);
    await h.transfer(move([c1], 'alice', 'carol'));
    await h.advance(86_400);
    const second = (await eventsOf(h)).slice(2);
    expect(second).toEqual([{ type: 'del_external_contact', UserID: 'carol', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' }]);
    const token = await h.token();
    expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: token, userid: 'alice' } })).external_userid).toContain(c1);
  });

  it('a refusal: status 3, the handover keeps the customer, transfer_fail customer_refused to the takeover', async () => {
    await h.transfer(move([c1, c2]));
    await h.advance(3600);
    const refused = await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect(refused).toMatchObject({ corpid: CORP, external_userid: c1, handover_userid: 'alice', takeover_userid: 'carol', status: 3 });
    await h.advance(86_400);
    const result = (await h.transferResult('alice', 'carol')).customer;
    expect(result).toEqual([
      { external_userid: c1, status: 3, takeover_time: 0 },
      { external_userid: c2, status: 1, takeover_time: expect.any(Number) },
    ]);
    expect((await eventsOf(h))[0]).toEqual({ type: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: c1 });
    const token = await h.token();
    const contact = await h.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: token, external_userid: c1 } });
    expect(contact.follow_user.map((f: any) => f.userid)).toEqual(['alice']);
  });

  it('refusing without a waiting transfer is a 409; an unknown customer a 404', async () => {
    await expect(h.server.admin('POST', `/admin/customers/${c1}/refuse`)).rejects.toThrow(/409/);
    await expect(h.server.admin('POST', '/admin/customers/wmNope/refuse')).rejects.toThrow(/404/);
  });

  it('the engine completes due transfers by itself, without an admin call', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    await h.transfer(move([c3]));
    const now = Date.parse((await h.server.admin('GET', '/admin/clock')).now);
    // `set` also completes what is due before answering; write the clock state behind the API's back
    // instead, as another node would, and let this node's engine (polling every 50 ms) find it.
    await h.server.server.ctx.store.write(async (tx) => tx.setClockState({ ...(await tx.clockState()), frozenAt: now + 86_400_000 }));
    let status = 2;
    for (let i = 0; i < 40 && status === 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await h.transferResult('alice', 'carol')).customer[0].status;
    }
    expect(status).toBe(1);
  });

  describe('takeover full at the due time', () => {
    const tight = useHarness(backend, { fixture: () => testCompany({ bobCap: 3 }) });

    it('status 4, transfer_fail customer_limit_exceed, the handover keeps the customer', async () => {
      // bob follows wmShared: two free places at call time.
      expect((await tight.transfer(move([c1, c2], 'bob'))).customer.map((c: any) => c.errcode)).toEqual([0, 0]);
      // Meanwhile an admin lowers bob's cap: one of the two no longer fits when they fall due.
      expect(await tight.server.admin('PATCH', '/admin/members/bob', { customer_cap: 2 })).toMatchObject({ userid: 'bob', customer_cap: 2 });
      await tight.advance(86_400);
      expect((await tight.transferResult('alice', 'bob')).customer.map((c: any) => [c.external_userid, c.status])).toEqual([
        [c1, 1],
        [c2, 4],
      ]);
      expect((await eventsOf(tight)).filter((e: any) => e.type === 'transfer_fail')).toEqual([
        { type: 'transfer_fail', FailReason: 'customer_limit_exceed', UserID: 'bob', ExternalUserID: c2 },
      ]);
      const token = await tight.token();
      const contact = await tight.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: token, external_userid: c2 } });
      expect(contact.follow_user.map((f: any) => f.userid)).toEqual(['alice']);
      expect(await tight.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  it('PATCH /admin/members changes what later calls see, and names bad fields', async () => {
    await h.server.admin('PATCH', '/admin/members/carol', { activated: false });
    expect(await h.transfer(move([c1]))).toMatchObject({ errcode: 41054 });
    await expect(h.server.admin('PATCH', '/admin/members/carol', { customer_cap: -1 })).rejects.toThrow(/400.*customer_cap/);
    await expect(h.server.admin('PATCH', '/admin/members/ghost', {})).rejects.toThrow(/404/);
  });
});
