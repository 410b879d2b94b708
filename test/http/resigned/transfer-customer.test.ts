import { describe, expect, it } from 'vitest';
import { customerIds, FORBIDDEN_SECRET, NARROW_SECRET, THIRD_PARTY_SECRET } from '../../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../../support/harness.js';
import { RESIGNED_CUSTOMERS, resignedCompany, THIRD_PARTY_ONJOB_SECRET } from '../../support/resigned-company.js';
import { testBackends } from '../../support/stores.js';

const RESIGNED_TRANSFER = '/cgi-bin/externalcontact/resigned/transfer_customer';
const UNASSIGNED = '/cgi-bin/externalcontact/get_unassigned_list';
const [r1, r2, r3] = RESIGNED_CUSTOMERS as [string, string, string];

const call = async (h: Harness, path: string, body: unknown, secret?: string) =>
  h.server.wecom('POST', path, { query: { access_token: await h.token(secret) }, body });
const inherit = (h: Harness, ids: string[], takeover = 'bob', handover = 'rita', extra: Record<string, unknown> = {}) =>
  call(h, RESIGNED_TRANSFER, { handover_userid: handover, takeover_userid: takeover, external_userid: ids, ...extra });
const unassigned = async (h: Harness, body: unknown = {}) => call(h, UNASSIGNED, body);

describe.each(await testBackends())('resigned/transfer_customer on %s (behaviour §10.3)', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany() });

  it.each<[string, Record<string, unknown>, number, string?]>([
    ['an app without resigned_transfer', { handover_userid: 'rita', takeover_userid: 'bob', external_userid: [r1] }, 48002, THIRD_PARTY_ONJOB_SECRET],
    ['a self-built app not in the callable list', { handover_userid: 'rita', takeover_userid: 'bob', external_userid: [r1] }, 48002, FORBIDDEN_SECRET],
    ['no handover_userid', { takeover_userid: 'bob', external_userid: [r1] }, 41009],
    ['external_userid not an array', { handover_userid: 'rita', takeover_userid: 'bob', external_userid: r1 }, 41035],
    ['101 ids', { handover_userid: 'rita', takeover_userid: 'bob', external_userid: customerIds(101) }, 40058],
    ['an unknown handover', { handover_userid: 'ghost', takeover_userid: 'bob', external_userid: [r1] }, 40003],
    ['a resigned takeover', { handover_userid: 'rita', takeover_userid: 'olga', external_userid: [r1] }, 40003],
    ['handover == takeover', { handover_userid: 'rita', takeover_userid: 'rita', external_userid: [r1] }, 40003],
    ['an in-service handover', { handover_userid: 'alice', takeover_userid: 'bob', external_userid: [customerIds(1)[0]] }, 40097],
    ['a handover resigned over 365 days ago', { handover_userid: 'olga', takeover_userid: 'bob', external_userid: ['wmOlga'] }, 41054],
    ['a handover idle for a year before it resigned', { handover_userid: 'ivan', takeover_userid: 'bob', external_userid: ['wmIvan'] }, 41054],
    ['a handover outside the visible range', { handover_userid: 'rita', takeover_userid: 'bob', external_userid: [r1] }, 60011, NARROW_SECRET],
    ['a takeover outside the visible range', { handover_userid: 'rita', takeover_userid: 'hank', external_userid: [r1] }, 60011, NARROW_SECRET],
    ['a takeover without customer contact', { handover_userid: 'rita', takeover_userid: 'frank', external_userid: [r1] }, 610004],
    ['a takeover not activated', { handover_userid: 'rita', takeover_userid: 'dave', external_userid: [r1] }, 41054],
    ['a takeover not real-name verified', { handover_userid: 'rita', takeover_userid: 'erin', external_userid: [r1] }, 40098],
    ['a takeover idle for 400 days', { handover_userid: 'rita', takeover_userid: 'gina', external_userid: [r1] }, 41054],
  ])('answers %s with the whole-call code, customer [], and changes nothing', async (_name, body, errcode, secret) => {
    const answer = await call(h, RESIGNED_TRANSFER, body, secret);
    expect(answer).toMatchObject({ errcode, customer: [] });
    expect((await unassigned(h)).info).toHaveLength(6);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a resigned handover with itself as takeover is 40003 (the takeover has resigned), before 40130', async () => {
    expect(await inherit(h, [r1], 'rita')).toMatchObject({ errcode: 40003, errmsg: expect.stringMatching(/takeover_userid rita has resigned/) });
  });

  it('answers each customer in request order with its own code: 40096, 40131, 40129 (duplicate), 0', async () => {
    const answer = await inherit(h, ['nobody', customerIds(1)[0]!, r1, r1, r2]);
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer: [
        { external_userid: 'nobody', errcode: 40096 },
        { external_userid: customerIds(1)[0], errcode: 40131 },
        { external_userid: r1, errcode: 0 },
        { external_userid: r1, errcode: 40129 },
        { external_userid: r2, errcode: 0 },
      ],
    });
    // A waiting resigned transfer blocks an in-service one of the same customer too (any kind, 40129).
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: ['wmShared2'] })).customer[0].errcode).toBe(0);
    expect((await inherit(h, ['wmShared2'], 'carol')).customer).toEqual([{ external_userid: 'wmShared2', errcode: 40129 }]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('ignores transfer_success_msg, whatever its length', async () => {
    expect((await inherit(h, [r1], 'bob', 'rita', { transfer_success_msg: 'x'.repeat(500) })).customer).toEqual([{ external_userid: r1, errcode: 0 }]);
  });

  it('40099 once the takeover is at its cap, counting waiting incoming transfers of both kinds', async () => {
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 2 });
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(1) })).customer[0].errcode).toBe(0);
    expect((await inherit(h, [r1, r2], 'carol')).customer.map((c: any) => c.errcode)).toEqual([0, 40099]);
  });

  it('has no 90-day quota by default: a customer that keeps meeting a full takeover can be inherited again and again', async () => {
    expect(await inheritUntilFull(h, 3)).toEqual([0, 0, 0]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
});

/** Starts r2 towards carol `times` times; each time carol fills up before the takeover, so r2 is unassigned again (status 4). */
async function inheritUntilFull(h: Harness, times: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < times; i++) {
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 1 });
    const code = (await inherit(h, [r2], 'carol')).customer[0].errcode;
    codes.push(code);
    if (code !== 0) break;
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 0 });
    await h.server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
  }
  return codes;
}

describe.each(await testBackends())('resigned/transfer_customer with HANDOVER_RESIGNED_QUOTA=on on %s', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany(), env: { HANDOVER_RESIGNED_QUOTA: 'on' } });

  it('applies the 90-day quota: the third start within 90 × 24 h is 40128', async () => {
    expect(await inheritUntilFull(h, 3)).toEqual([0, 0, 40128]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
});

describe.each(await testBackends())('get_unassigned_list on %s (behaviour §10.2)', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany() });

  it('lists unassigned (resigned member, customer) rows by dimission_time desc, handover, customer; cursor pages', async () => {
    const all = await unassigned(h);
    expect(all).toMatchObject({ errcode: 0, errmsg: 'ok', is_last: true, next_cursor: '' });
    expect(all.info.map((r: any) => [r.handover_userid, r.external_userid])).toEqual([
      ['ivan', 'wmIvan'],
      ['rita', r1],
      ['rita', r2],
      ['rita', r3],
      ['rita', 'wmShared2'],
      ['olga', 'wmOlga'],
    ]);
    expect(all.info[0].dimission_time).toBeGreaterThan(all.info[1].dimission_time);
    const first = await unassigned(h, { page_size: 4 });
    expect(first).toMatchObject({ is_last: false, next_cursor: expect.any(String) });
    const second = await unassigned(h, { page_size: 4, cursor: first.next_cursor });
    expect([...first.info, ...second.info]).toEqual(all.info);
    expect(second).toMatchObject({ is_last: true, next_cursor: '' });
  });

  it('pages by the legacy page_id when no cursor is sent, without next_cursor', async () => {
    const page = await unassigned(h, { page_id: 1, page_size: 2 });
    expect(page.info.map((r: any) => r.external_userid)).toEqual([r2, r3]);
    expect(page.is_last).toBe(false);
    expect('next_cursor' in page).toBe(false);
    expect((await unassigned(h, { page_id: 2, page_size: 5 })).info).toEqual([]);
  });

  it.each([
    ['page_size 0', { page_size: 0 }, 40058],
    ['page_id × page_size at 50000', { page_id: 50, page_size: 1000 }, 40058],
    ['a string page_size', { page_size: '10' }, 40058],
    ['a foreign cursor', { cursor: 'eyJrIjoiZSIsInYiOiJ4In0' }, 40035],
  ])('answers %s with its code and info []', async (_name, body, errcode) => {
    expect(await unassigned(h, body)).toMatchObject({ errcode, info: [] });
  });

  it('clamps page_size above 1000, and needs resigned_transfer (48002); a third-party app holding it may call', async () => {
    expect((await unassigned(h, { page_size: 5000 })).info).toHaveLength(6);
    expect(await call(h, UNASSIGNED, {}, THIRD_PARTY_ONJOB_SECRET)).toMatchObject({ errcode: 48002, info: [] });
    expect((await call(h, UNASSIGNED, {}, THIRD_PARTY_SECRET)).errcode).toBe(0);
  });

  it('leaves out a customer while its transfer waits; lists it again after takeover-full; a refused one is gone', async () => {
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 0 });
    await inherit(h, [r1], 'bob');
    await h.server.admin('PATCH', '/admin/members/carol', { customer_cap: 5000 });
    const waiting = (await unassigned(h)).info.map((r: any) => r.external_userid);
    expect(waiting).not.toContain(r1);
    await h.server.admin('POST', `/admin/customers/${r1}/refuse`);
    expect((await unassigned(h)).info.map((r: any) => r.external_userid)).not.toContain(r1);
    await h.server.admin('PATCH', '/admin/members/hank', { customer_cap: 0 });
    await inherit(h, [r2], 'hank');
    await h.server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
    expect((await unassigned(h)).info.map((r: any) => r.external_userid)).toContain(r2);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
});
