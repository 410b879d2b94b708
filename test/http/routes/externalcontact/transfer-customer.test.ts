import { describe, expect, it } from 'vitest';
import { CORP, customerIds, FORBIDDEN_SECRET, NARROW_SECRET, testCompany, THIRD_PARTY_SECRET } from '../../../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const PATH = '/cgi-bin/externalcontact/transfer_customer';
const [c1, c2, c3, c4] = customerIds(4) as [string, string, string, string];
const body = (extra: Record<string, unknown> = {}) => ({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1], ...extra });
const codes = (answer: { customer: { errcode: number }[] }) => answer.customer.map((c) => c.errcode);

describe.each(await testBackends())('transfer_customer on %s', (backend) => {
  const h = useHarness(backend);

  describe('spec §9.1 steps 1–2: token and permission, before the body', () => {
    it('41001 without a token, also when it is sent in a header or the body instead', async () => {
      expect(await h.server.wecom('POST', PATH, { body: body() })).toMatchObject({ errcode: 41001, customer: [] });
      const token = await h.token();
      const inHeader = await fetch(`${h.server.baseUrl}${PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body()) });
      expect(await inHeader.json()).toMatchObject({ errcode: 41001 });
      expect(await h.server.wecom('POST', PATH, { body: { ...body(), access_token: token } })).toMatchObject({ errcode: 41001 });
    });

    it('40014 for garbage and for unknown tokens, 42001 once 7200 s of server clock have passed', async () => {
      expect(await h.transfer(body(), 'not a token!')).toMatchObject({ errcode: 40014, customer: [] });
      expect(await h.transfer(body(), 'A'.repeat(64))).toMatchObject({ errcode: 40014 });
      const token = await h.token();
      await h.advance(7199);
      expect((await h.transfer(body({ external_userid: ['wmNope'] }), token)).errcode).toBe(0);
      await h.advance(1);
      expect(await h.transfer(body(), token)).toMatchObject({ errcode: 42001, customer: [] });
    });

    it('48002 for a self-built app not in the callable list and a third-party app without in-service inheritance', async () => {
      expect(await h.transfer(body(), await h.token(FORBIDDEN_SECRET))).toMatchObject({ errcode: 48002, customer: [] });
      expect(await h.transfer(body(), await h.token(THIRD_PARTY_SECRET))).toMatchObject({ errcode: 48002 });
    });

    it('checks the token before parsing the body', async () => {
      expect(await h.server.wecom('POST', PATH, { query: { access_token: 'x' }, body: '{not json' })).toMatchObject({ errcode: 40014 });
    });
  });

  describe('spec §9.1 steps 3–4: the body', () => {
    it('40058 "Warning: wrong json format." for an unparsable body', async () => {
      const answer = await h.server.wecom('POST', PATH, { query: { access_token: await h.token() }, body: '{"handover_userid": "alice",' });
      expect(answer.errcode).toBe(40058);
      expect(answer.errmsg).toMatch(/^Warning: wrong json format\./);
      expect(answer.customer).toEqual([]);
    });

    it.each([
      ['handover missing', { handover_userid: undefined }, 41009],
      ['takeover empty', { takeover_userid: '' }, 41009],
      ['handover a number (with the wrong-json warning)', { handover_userid: 12 }, 41009],
      ['external_userid missing', { external_userid: undefined }, 41035],
      ['external_userid empty', { external_userid: [] }, 41035],
      ['external_userid a string', { external_userid: c1 }, 41035],
      ['external_userid with a number', { external_userid: [c1, 7] }, 41035],
      ['101 ids', { external_userid: Array.from({ length: 101 }, (_, i) => `wm${i}`) }, 40058],
      ['a 201-character message', { transfer_success_msg: '服'.repeat(201) }, 40058],
      ['userid missing beats ids missing', { handover_userid: undefined, external_userid: undefined }, 41009],
    ])('%s → %i', async (_name, extra, code) => {
      const answer = await h.transfer(body(extra));
      expect(answer).toMatchObject({ errcode: code, customer: [] });
      if (_name.includes('warning')) expect(answer.errmsg).toMatch(/^Warning: wrong json format\./);
    });

    it('accepts 200 code points of emoji as the message', async () => {
      const answer = await h.transfer(body({ transfer_success_msg: '🙂'.repeat(200) }));
      expect(codes(answer)).toEqual([0]);
      const inbox = await h.server.admin('GET', `/admin/customers/${c1}/messages`);
      expect(inbox.messages[0].content).toBe('🙂'.repeat(200));
    });
  });

  describe('spec §9.1 steps 5–6: the members, whole call', () => {
    it.each([
      ['unknown handover', { handover_userid: 'ghost' }, 40003],
      ['unknown takeover', { takeover_userid: 'ghost' }, 40003],
      ['an invalid userid', { takeover_userid: 'bad user!' }, 40003],
      ['handover = takeover', { takeover_userid: 'alice' }, 40130],
      ['unknown and same: unknown first', { handover_userid: 'ghost', takeover_userid: 'ghost' }, 40003],
      ['takeover without customer contact', { takeover_userid: 'frank' }, 610004],
      ['takeover not activated', { takeover_userid: 'dave' }, 41054],
      ['takeover not real-name verified', { takeover_userid: 'erin' }, 40098],
      ['takeover idle for 400 days', { takeover_userid: 'gina' }, 41054],
      ['handover idle for 400 days', { handover_userid: 'gina' }, 41054],
    ])('%s → %i', async (_name, extra, code) => {
      expect(await h.transfer(body(extra))).toMatchObject({ errcode: code, customer: [] });
    });

    it('60011 when the takeover is outside the app visible range', async () => {
      const narrow = await h.token(NARROW_SECRET);
      expect(await h.transfer(body({ takeover_userid: 'hank' }), narrow)).toMatchObject({ errcode: 60011, customer: [] });
      expect(codes(await h.transfer(body({ takeover_userid: 'carol' }), narrow))).toEqual([0]);
    });
  });

  describe('spec §9.1 step 7: per customer, in request order', () => {
    it('answers each id with its own code, duplicates included, and the call with 0', async () => {
      const answer = await h.transfer(body({ external_userid: [c1, 'wmNope', 'wmOrphan', 'wmBystander', c2, c1, c3] }));
      expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok' });
      expect(answer.customer).toEqual([
        { external_userid: c1, errcode: 0 },
        { external_userid: 'wmNope', errcode: 40096 },
        { external_userid: 'wmOrphan', errcode: 40131 },
        { external_userid: 'wmBystander', errcode: 40131 },
        { external_userid: c2, errcode: 0 },
        { external_userid: c1, errcode: 40129 },
        { external_userid: c3, errcode: 0 },
      ]);
      expect(await h.bystander()).toEqual(BYSTANDER_STATE);
    });

    it('40129 while a transfer waits, to any takeover', async () => {
      expect(codes(await h.transfer(body()))).toEqual([0]);
      expect(codes(await h.transfer(body()))).toEqual([40129]);
      expect(codes(await h.transfer(body({ takeover_userid: 'carol' })))).toEqual([40129]);
    });

    it('40128 for a third accepted transfer within 90 days, allowed again after', async () => {
      expect(codes(await h.transfer(body()))).toEqual([0]);
      await h.advance(86_400);
      expect(codes(await h.transfer(body({ handover_userid: 'bob', takeover_userid: 'carol' })))).toEqual([0]);
      await h.advance(86_400);
      expect(codes(await h.transfer(body({ handover_userid: 'carol', takeover_userid: 'alice' })))).toEqual([40128]);
      await h.advance(88 * 86_400);
      expect(codes(await h.transfer(body({ handover_userid: 'carol', takeover_userid: 'alice' })))).toEqual([0]);
    });

    it('counts a refused transfer toward the quota (it was accepted)', async () => {
      expect(codes(await h.transfer(body()))).toEqual([0]);
      await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await h.transfer(body()))).toEqual([0]);
      await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await h.transfer(body()))).toEqual([40128]);
    });

    it('the sameness check uses the call-level code even when every id is bad', async () => {
      expect(await h.transfer(body({ takeover_userid: 'alice', external_userid: ['wmNope'] }))).toMatchObject({ errcode: 40130, customer: [] });
    });
  });

  describe('takeover cap (40099), counting current customers and waiting incoming transfers', () => {
    const capped = useHarness(backend, { fixture: () => testCompany({ bobCap: 3 }) });

    it('fills the free places and refuses the rest, also in later calls', async () => {
      // bob follows wmShared already: 2 free places.
      expect(codes(await capped.transfer(body({ external_userid: [c1, 'wmNope', c2, c3] })))).toEqual([0, 40096, 0, 40099]);
      expect(codes(await capped.transfer(body({ external_userid: [c4] })))).toEqual([40099]);
      await capped.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await capped.transfer(body({ external_userid: [c4] })))).toEqual([0]);
    });
  });

  describe('one transaction per call', () => {
    it('a call whose every id is rejected leaves no trace', async () => {
      expect(codes(await h.transfer(body({ external_userid: ['wmNope', 'wmOrphan'] })))).toEqual([40096, 40131]);
      expect(await h.transferResult('alice', 'bob')).toMatchObject({ errcode: 0, customer: [], next_cursor: '' });
      expect((await h.server.admin('GET', '/admin/customers/wmOrphan/messages')).messages).toEqual([]);
    });

    it('records the accepted ones with the customer notice: explicit, or the default with the takeover name', async () => {
      await h.transfer(body({ external_userid: [c1], transfer_success_msg: '李四接替我' }));
      await h.transfer(body({ external_userid: [c2] }));
      const explicit = await h.server.admin('GET', `/admin/customers/${c1}/messages`);
      const fallback = await h.server.admin('GET', `/admin/customers/${c2}/messages?corpid=${CORP}`);
      expect(explicit.messages).toMatchObject([{ corpid: CORP, external_userid: c1, from_userid: 'alice', content: '李四接替我' }]);
      expect(fallback.messages[0].content).toBe('您好，您的服务已升级，后续将由我的同事BOB接替我的工作，继续为您服务。');
    });
  });
});
