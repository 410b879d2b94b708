import { describe, expect, it } from 'vitest';
import { CORP, customerIds } from '../../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../../support/harness.js';
import { RESIGNED_CUSTOMERS, resignedCompany } from '../../support/resigned-company.js';
import { testBackends } from '../../support/stores.js';

/**
 * Behaviour §10.4–10.5 over HTTP: the notice, 24 h, completion without a del event, refusal losing the
 * customer, takeover-full leaving it unassigned, and the result lists keeping the kinds apart.
 */
const [r1, r2, r3] = RESIGNED_CUSTOMERS as [string, string, string];
const DAY = 86_400;
const call = async (h: Harness, path: string, body: unknown) => h.server.wecom('POST', path, { query: { access_token: await h.token() }, body });
const inherit = (h: Harness, ids: string[], takeover = 'carol') =>
  call(h, '/cgi-bin/externalcontact/resigned/transfer_customer', { handover_userid: 'rita', takeover_userid: takeover, external_userid: ids });
const resignedResult = async (h: Harness, takeover = 'carol', handover = 'rita') =>
  (await call(h, '/cgi-bin/externalcontact/resigned/transfer_result', { handover_userid: handover, takeover_userid: takeover })).customer.map((c: any) => [
    c.external_userid,
    c.status,
    c.takeover_time,
  ]);
const eventsOf = async (h: Harness) => (await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events.map((e: any) => ({ type: e.type, ...e.payload }));
const followersOf = async (h: Harness, id: string) =>
  (await h.server.admin('GET', '/admin/fixtures')).corps[0].relations.filter((r: any) => r.external_userid === id).map((r: any) => r.userid);
const unassignedIds = async (h: Harness) => (await call(h, '/cgi-bin/externalcontact/get_unassigned_list', {})).info.map((r: any) => r.external_userid);
const freeze = async (h: Harness): Promise<number> => Math.floor(Date.parse((await h.server.admin('POST', '/admin/clock', { freeze: true })).now) / 1000);

describe.each(await testBackends())('resigned transfer lifecycle on %s (behaviour §10.4–10.5)', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany() });

  it('sends the notice, waits 24 h, then moves the relation with add_way 202 and an add event to the takeover only', async () => {
    const t0 = await freeze(h);
    expect((await inherit(h, [r1])).customer).toEqual([{ external_userid: r1, errcode: 0 }]);
    const inbox = (await h.server.admin('GET', `/admin/customers/${r1}/messages`)).messages;
    expect(inbox).toEqual([expect.objectContaining({ from_userid: 'rita', content: '由于工作变更，CAROL将在24小时后添加为你的企业微信联系人，接替RITA继续为你提供服务。' })]);
    expect(await resignedResult(h)).toEqual([[r1, 2, t0 + DAY]]);
    await h.server.admin('POST', '/admin/clock', { advance_seconds: DAY });
    expect(await resignedResult(h)).toEqual([[r1, 1, t0 + DAY]]);
    expect(await followersOf(h, r1)).toEqual(['carol']);
    const relation = (await h.server.admin('GET', '/admin/fixtures')).corps[0].relations.find((r: any) => r.external_userid === r1);
    expect(relation).toMatchObject({ add_way: 202, oper_userid: 'rita', remark: `rita's ${r1}`, createtime: t0 + DAY });
    expect(await eventsOf(h)).toEqual([{ type: 'add_external_contact', UserID: 'carol', ExternalUserID: r1 }]);
    expect(await unassignedIds(h)).not.toContain(r1);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a refusal loses the customer: status 3, takeover_time 0, the resigned relation goes, transfer_fail to the takeover', async () => {
    await freeze(h);
    await inherit(h, [r2]);
    expect(await h.server.admin('POST', `/admin/customers/${r2}/refuse`)).toMatchObject({ status: 3, handover_userid: 'rita', takeover_userid: 'carol' });
    expect(await resignedResult(h)).toEqual([[r2, 3, 0]]);
    expect(await followersOf(h, r2)).toEqual([]);
    expect(await unassignedIds(h)).not.toContain(r2);
    expect(await eventsOf(h)).toEqual([{ type: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: r2 }]);
    expect((await inherit(h, [r2], 'bob')).customer[0].errcode).toBe(40131);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('takeover full at due time: status 4, transfer_fail customer_limit_exceed, the customer is unassigned again', async () => {
    const t0 = await freeze(h);
    await inherit(h, [r3]);
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 0 });
    await h.server.admin('POST', '/admin/clock', { advance_seconds: DAY });
    expect(await resignedResult(h)).toEqual([[r3, 4, t0 + DAY]]);
    expect(await followersOf(h, r3)).toEqual(['rita']);
    expect(await unassignedIds(h)).toContain(r3);
    expect(await eventsOf(h)).toEqual([{ type: 'transfer_fail', FailReason: 'customer_limit_exceed', UserID: 'carol', ExternalUserID: r3 }]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('keeps the kinds apart: transfer_result lists in-service transfers only, resigned/transfer_result resigned ones only', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(1) });
    await inherit(h, [r1]);
    expect((await h.transferResult('alice', 'carol')).customer.map((c: any) => c.external_userid)).toEqual(customerIds(1));
    expect((await resignedResult(h, 'carol', 'alice'))).toEqual([]);
    expect((await resignedResult(h)).map((r: any[]) => r[0])).toEqual([r1]);
    expect(await call(h, '/cgi-bin/externalcontact/resigned/transfer_result', { handover_userid: 'rita' })).toMatchObject({ errcode: 41009, customer: [] });
    expect(await call(h, '/cgi-bin/externalcontact/resigned/transfer_result', { handover_userid: 'ghost', takeover_userid: 'carol' })).toMatchObject({ errcode: 40003, customer: [] });
  });
});

describe.each(await testBackends())('deprecated transfer calls and the transfer history on %s (behaviour §10.7, §10.8)', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany() });
  const c1 = customerIds(1)[0]!;

  it('externalcontact/transfer answers the one customer\u2019s code at top level, 40100 in place of 40129, for either kind', async () => {
    const transfer = (body: unknown) => call(h, '/cgi-bin/externalcontact/transfer', body);
    expect(await transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: c1 })).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(await transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: c1 })).toMatchObject({ errcode: 40100 });
    expect(await transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] })).toMatchObject({ errcode: 41035 });
    expect(await transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: 'wmRita1' })).toMatchObject({ errcode: 40131 });
    expect(await transfer({ handover_userid: 'rita', takeover_userid: 'bob', external_userid: r1 })).toMatchObject({ errcode: 0 });
    expect(await transfer({ handover_userid: 'rita', takeover_userid: 'bob', external_userid: r1 })).toMatchObject({ errcode: 40100 });
    const history = (await h.server.admin('GET', '/admin/transfers')).transfers;
    expect(history.map((t: any) => [t.kind, t.external_userid, t.outcome])).toEqual([
      ['onjob', c1, 'waiting'],
      ['resigned', r1, 'waiting'],
    ]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('get_transfer_result answers the latest transfer of the pair for the customer, status 5 when there is none', async () => {
    const t0 = await freeze(h);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1] });
    const result = (handover: string, takeover: string, id: unknown) =>
      call(h, '/cgi-bin/externalcontact/get_transfer_result', { handover_userid: handover, takeover_userid: takeover, external_userid: id });
    expect(await result('alice', 'bob', c1)).toEqual({ errcode: 0, errmsg: 'ok', status: 2, takeover_time: t0 + DAY });
    expect(await result('alice', 'carol', c1)).toEqual({ errcode: 0, errmsg: 'ok', status: 5, takeover_time: 0 });
    expect(await result('rita', 'carol', r1)).toMatchObject({ status: 5 });
    expect(await result('ghost', 'carol', r1)).toMatchObject({ errcode: 40003 });
    expect(await result('alice', 'bob', [c1])).toMatchObject({ errcode: 41035 });
  });

  it('GET /admin/transfers lists every kind with ids and outcomes, filters, and pages by after_id', async () => {
    await freeze(h);
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: customerIds(2) });
    await inherit(h, [r1, r2]);
    await h.server.admin('POST', `/admin/customers/${r2}/refuse`);
    await h.server.admin('POST', '/admin/clock', { advance_seconds: DAY });
    const all = (await h.server.admin('GET', '/admin/transfers')).transfers;
    expect(all.map((t: any) => [t.kind, t.external_userid, t.status, t.outcome])).toEqual([
      ['onjob', customerIds(2)[0], 1, 'taken_over'],
      ['onjob', customerIds(2)[1], 1, 'taken_over'],
      ['resigned', r1, 1, 'taken_over'],
      ['resigned', r2, 3, 'refused'],
    ]);
    expect(all[3]).toMatchObject({ corpid: CORP, handover_userid: 'rita', takeover_userid: 'carol', started_at: expect.stringMatching(/Z$/), due_at: expect.any(String), ended_at: expect.any(String) });
    const get = async (query: string) => (await h.server.admin('GET', `/admin/transfers?${query}`)).transfers.map((t: any) => t.id);
    expect(await get('kind=resigned')).toEqual([all[2].id, all[3].id]);
    expect(await get('status=3')).toEqual([all[3].id]);
    expect(await get(`handover=alice&takeover=bob&customer=${customerIds(2)[1]}`)).toEqual([all[1].id]);
    expect(await get(`corpid=${CORP}&limit=2`)).toEqual([all[0].id, all[1].id]);
    expect(await get(`after_id=${all[1].id}&limit=1`)).toEqual([all[2].id]);
    expect(await get('corpid=wwother')).toEqual([]);
    for (const bad of ['kind=lateral', 'limit=0', 'limit=1001', 'after_id=-1', 'status=9']) {
      const response = await fetch(`${h.server.baseUrl}/admin/transfers?${bad}`, { headers: { authorization: `Bearer ${h.server.adminToken}` } });
      expect([bad, response.status]).toEqual([bad, 400]);
    }
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
});
