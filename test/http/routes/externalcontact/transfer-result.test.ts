import { afterEach, describe, expect, it } from 'vitest';
import { CORP, customerIds, FORBIDDEN_SECRET, NARROW_SECRET, testCompany, THIRD_PARTY_SECRET } from '../../../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const ids = customerIds(4) as [string, string, string, string];
const [c1, c2, c3, c4] = ids;
const transfer = (external_userid: string[], takeover = 'bob', handover = 'alice') => ({ handover_userid: handover, takeover_userid: takeover, external_userid });
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const PATH = '/cgi-bin/externalcontact/transfer_result';
type Entry = { external_userid: string; status: number; takeover_time: number };

/** Architecture rule 10: after every test, victor and wmBystander are as the fixture made them. */
function checkBystanderAfterEach(h: Harness): void {
  afterEach(async () => {
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
}

describe.each(await testBackends())('transfer_result on %s (behaviour §2, §9.3)', (backend) => {
  const h = useHarness(backend);
  checkBystanderAfterEach(h);
  const list = async (userid: string) =>
    (await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(), userid } })).external_userid as string[];

  it('shows waiting transfers with their future takeover time, then done at that time', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const start = seconds((await h.server.admin('GET', '/admin/clock')).now);
    await h.transfer(transfer([c2, c1]));
    expect(await h.transferResult('alice', 'bob')).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer: [
        { external_userid: c1, status: 2, takeover_time: start + 86_400 },
        { external_userid: c2, status: 2, takeover_time: start + 86_400 },
      ],
      next_cursor: '',
    });
    await h.advance(86_399);
    expect((await h.transferResult('alice', 'bob')).customer.map((c: any) => c.status)).toEqual([2, 2]);
    const moved = await h.advance(1);
    expect(moved.completed_takeovers).toBe(2);
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([
      { external_userid: c1, status: 1, takeover_time: start + 86_400 },
      { external_userid: c2, status: 1, takeover_time: start + 86_400 },
    ]);
  });

  it('status 3 with takeover_time 0 after a refusal; only the pair asked about; the latest transfer per customer', async () => {
    await h.transfer(transfer([c1, c2]));
    await h.transfer(transfer([c3], 'carol'));
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    await h.transfer(transfer([c1], 'bob'));
    const answer = await h.transferResult('alice', 'bob');
    expect(answer.customer.map((c: any) => [c.external_userid, c.status])).toEqual([
      [c1, 2],
      [c2, 2],
    ]);
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect((await h.transferResult('alice', 'bob')).customer[0]).toEqual({ external_userid: c1, status: 3, takeover_time: 0 });
    expect((await h.transferResult('alice', 'carol')).customer.map((c: any) => c.external_userid)).toEqual([c3]);
    expect((await h.transferResult('bob', 'alice')).customer).toEqual([]);
  });

  it('status 4 when the takeover is full at due time: the handover keeps the customers, nothing moves', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const start = seconds((await h.server.admin('GET', '/admin/clock')).now);
    expect((await h.transfer(transfer([c1, c2]))).customer.map((c: { errcode: number }) => c.errcode)).toEqual([0, 0]);
    // bob follows wmShared: with a cap of 1 he is full when the transfers fall due.
    await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_cap: 1 });
    await h.advance(86_400);
    const answer = await h.transferResult('alice', 'bob');
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer: [
        { external_userid: c1, status: 4, takeover_time: start + 86_400 },
        { external_userid: c2, status: 4, takeover_time: start + 86_400 },
      ],
      next_cursor: '',
    });
    expect(await list('alice')).toEqual(expect.arrayContaining([c1, c2]));
    expect(await list('bob')).toEqual(['wmShared']);
    // A status-4 transfer is over: the customer may be transferred again.
    expect((await h.transfer(transfer([c1], 'carol'))).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
  });

  it('fills the free places at due time and answers 4 for the rest', async () => {
    await h.transfer(transfer([c1, c2, c3]));
    await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_cap: 2 });
    await h.advance(86_400);
    const statuses = (await h.transferResult('alice', 'bob')).customer.map((c: Entry) => c.status);
    expect([...statuses].sort()).toEqual([1, 4, 4]);
    const done = (await h.transferResult('alice', 'bob')).customer.find((c: Entry) => c.status === 1) as Entry;
    expect(await list('bob')).toEqual([done.external_userid, 'wmShared'].sort());
  });

  it('takeover_time: future due time while waiting, the due time once done, 0 once refused; in Unix seconds', async () => {
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const start = seconds((await h.server.admin('GET', '/admin/clock')).now);
    await h.transfer(transfer([c1, c2]));
    await h.advance(3600);
    await h.server.admin('POST', `/admin/customers/${c2}/refuse`);
    await h.transfer(transfer([c3]));
    const now = seconds((await h.server.admin('GET', '/admin/clock')).now);
    const waiting = (await h.transferResult('alice', 'bob')).customer as Entry[];
    expect(waiting).toEqual([
      { external_userid: c1, status: 2, takeover_time: start + 86_400 },
      { external_userid: c2, status: 3, takeover_time: 0 },
      { external_userid: c3, status: 2, takeover_time: start + 3600 + 86_400 },
    ]);
    for (const entry of waiting.filter((e) => e.status === 2)) expect(entry.takeover_time).toBeGreaterThan(now);
    await h.advance(86_400);
    expect((await h.transferResult('alice', 'bob')).customer).toEqual([
      { external_userid: c1, status: 1, takeover_time: start + 86_400 },
      { external_userid: c2, status: 3, takeover_time: 0 },
      { external_userid: c3, status: 1, takeover_time: start + 3600 + 86_400 },
    ]);
    expect(await list('alice')).toContain(c2);
    expect(await list('alice')).not.toContain(c1);
    expect(await list('bob')).toEqual([c1, c3, 'wmShared']);
  });

  it('does not list call-time rejections', async () => {
    await h.transfer(transfer(['wmNope', 'wmOrphan', c4, c4]));
    await h.transfer(transfer([c4], 'carol'));
    expect((await h.transferResult('alice', 'bob')).customer.map((c: any) => c.external_userid)).toEqual([c4]);
    expect((await h.transferResult('alice', 'carol')).customer).toEqual([]);
  });

  it.each([
    ['handover missing', { takeover_userid: 'bob' }, 41009],
    ['takeover missing', { handover_userid: 'alice' }, 41009],
    ['unknown handover', { handover_userid: 'ghost', takeover_userid: 'bob' }, 40003],
    ['a cursor handover did not issue', { handover_userid: 'alice', takeover_userid: 'bob', cursor: 'bm90LWEtY3Vyc29y' }, 40035],
    ['a cursor of the wrong type', { handover_userid: 'alice', takeover_userid: 'bob', cursor: 5 }, 40058],
    ['a batch/get_by_user cursor', { handover_userid: 'alice', takeover_userid: 'bob', cursor: Buffer.from(JSON.stringify({ k: 'u', v: [0, ''] })).toString('base64url') }, 40035],
    ['a cursor with a NUL byte', { handover_userid: 'alice', takeover_userid: 'bob', cursor: 'abc\u0000' }, 40035],
    ['a handover with a NUL byte', { handover_userid: 'alice\u0000', takeover_userid: 'bob' }, 40003],
    ['a handover that is a number', { handover_userid: 7, takeover_userid: 'bob' }, 41009],
    ['a body that is an array', [], 40058],
  ])('%s → %s with customer: []', async (_name, body, code) => {
    const answer = await h.server.wecom('POST', PATH, { query: { access_token: await h.token() }, body });
    expect(answer).toEqual({ errcode: code, errmsg: expect.any(String), customer: [] });
  });

  it('checks the token and the permission first: 41001, 40014, 48002, then 40058 for an unparsable body', async () => {
    const call = (query: Record<string, string>, body: unknown) => h.server.wecom('POST', PATH, { query, body });
    expect(await call({}, '{not json')).toEqual({ errcode: 41001, errmsg: expect.any(String), customer: [] });
    expect(await call({ access_token: 'garbage!' }, '{not json')).toEqual({ errcode: 40014, errmsg: expect.any(String), customer: [] });
    expect(await call({ access_token: await h.token(FORBIDDEN_SECRET) }, '{not json')).toEqual({ errcode: 48002, errmsg: expect.any(String), customer: [] });
    expect(await call({ access_token: await h.token(THIRD_PARTY_SECRET) }, { handover_userid: 'alice', takeover_userid: 'bob' })).toMatchObject({ errcode: 48002 });
    const bad = await call({ access_token: await h.token() }, '{not json');
    expect(bad).toEqual({ errcode: 40058, errmsg: expect.stringMatching(/^Warning: wrong json format\. /), customer: [] });
  });

  it('an empty cursor is the first page; nothing for the pair is customer: [] with next_cursor ""', async () => {
    expect(await h.server.wecom('POST', PATH, { query: { access_token: await h.token() }, body: { handover_userid: 'alice', takeover_userid: 'bob', cursor: '' } })).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer: [],
      next_cursor: '',
    });
  });

  it('60011 when the takeover is outside the app visible range', async () => {
    const answer = await h.server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', {
      query: { access_token: await h.token(NARROW_SECRET) },
      body: { handover_userid: 'alice', takeover_userid: 'hank' },
    });
    expect(answer).toMatchObject({ errcode: 60011, customer: [] });
  });

  describe('paging', () => {
    const many = useHarness(backend, { fixture: () => testCompany({ customers: 2100 }) });
    checkBystanderAfterEach(many);

    it('returns at most 1000 per page with an opaque cursor, and next_cursor "" on the last page', async () => {
      const all = customerIds(2100);
      for (let i = 0; i < all.length; i += 100) await many.transfer(transfer(all.slice(i, i + 100)));
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      for (let page = 0; page < 5; page++) {
        const answer = await many.transferResult('alice', 'bob', cursor);
        expect(answer.errcode).toBe(0);
        sizes.push(answer.customer.length);
        seen.push(...answer.customer.map((c: any) => c.external_userid));
        if (answer.next_cursor === '') break;
        expect(answer.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        cursor = answer.next_cursor;
      }
      expect(sizes).toEqual([1000, 1000, 100]);
      expect(seen).toEqual([...all].sort());
      // A cursor names a place, not a one-shot page: asking again gives the same page.
      const second = await many.transferResult('alice', 'bob', (await many.transferResult('alice', 'bob')).next_cursor);
      expect(second.customer.map((c: any) => c.external_userid)).toEqual(seen.slice(1000, 2000));
      expect(second.customer.every((c: any) => c.status === 2)).toBe(true);
      // Another pair sees none of them; a cursor issued for one pair still pages inside the pair asked about.
      expect((await many.transferResult('alice', 'carol', second.next_cursor)).customer).toEqual([]);
    });
  });
});
