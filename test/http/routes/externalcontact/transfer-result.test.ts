import { describe, expect, it } from 'vitest';
import { customerIds, NARROW_SECRET, testCompany } from '../../../support/company.js';
import { useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const ids = customerIds(4) as [string, string, string, string];
const [c1, c2, c3, c4] = ids;
const transfer = (external_userid: string[], takeover = 'bob', handover = 'alice') => ({ handover_userid: handover, takeover_userid: takeover, external_userid });
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe.each(await testBackends())('transfer_result on %s (spec §2, §9.3)', (backend) => {
  const h = useHarness(backend);

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

  it('does not list call-time rejections', async () => {
    await h.transfer(transfer(['wmNope', 'wmOrphan', c4]));
    expect((await h.transferResult('alice', 'bob')).customer.map((c: any) => c.external_userid)).toEqual([c4]);
  });

  it.each([
    ['handover missing', { takeover_userid: 'bob' }, 41009],
    ['takeover missing', { handover_userid: 'alice' }, 41009],
    ['unknown handover', { handover_userid: 'ghost', takeover_userid: 'bob' }, 40003],
    ['a cursor handover did not issue', { handover_userid: 'alice', takeover_userid: 'bob', cursor: 'bm90LWEtY3Vyc29y' }, 40035],
    ['a cursor of the wrong type', { handover_userid: 'alice', takeover_userid: 'bob', cursor: 5 }, 40058],
  ])('%s → %i with customer: []', async (_name, body, code) => {
    const answer = await h.server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', { query: { access_token: await h.token() }, body });
    expect(answer).toMatchObject({ errcode: code, customer: [] });
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
    });
  });
});
