import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../../../../src/wire/admin.js';
import { CORP, customerIds, FORBIDDEN_SECRET, NARROW_SECRET, testCompany, THIRD_PARTY_SECRET } from '../../../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../../../support/harness.js';
import { testBackends } from '../../../support/stores.js';

const PATH = '/cgi-bin/externalcontact/transfer_customer';
const [c1, c2, c3, c4] = customerIds(4) as [string, string, string, string];
const body = (extra: Record<string, unknown> = {}) => ({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [c1], ...extra });
const codes = (answer: { customer: { errcode: number }[] }) => answer.customer.map((c) => c.errcode);
const DAY = 86_400;
const WRONG_JSON = /^Warning: wrong json format\. /;

/**
 * The cast plus members that fail two step-6 checks at once, to pin which check comes first:
 * ivy (no customer contact, not activated), jack (not activated, not real-name), kate (not real-name,
 * idle 400 days).
 */
function castWithDoubleFailures(): Fixture {
  const fixture = testCompany();
  const idle = new Date(Date.now() - 400 * DAY * 1000).toISOString();
  fixture.corps[0]!.members!.push(
    { userid: 'ivy', customer_contact_enabled: false, activated: false },
    { userid: 'jack', activated: false, real_name_verified: false },
    { userid: 'kate', real_name_verified: false, last_login_at: idle },
  );
  return fixture;
}

/** Architecture rule 10: after every test, victor and wmBystander are as the fixture made them. */
function checkBystanderAfterEach(h: Harness): void {
  afterEach(async () => {
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
}

/** Nothing was started: no transfer listed for alice → bob, no message to c1, no event in the outbox. */
async function expectNothingStarted(h: Harness): Promise<void> {
  expect(await h.transferResult('alice', 'bob')).toEqual({ errcode: 0, errmsg: 'ok', customer: [], next_cursor: '' });
  expect((await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages).toEqual([]);
  expect((await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events).toEqual([]);
}

describe.each(await testBackends())('transfer_customer on %s', (backend) => {
  const h = useHarness(backend, { fixture: castWithDoubleFailures });
  checkBystanderAfterEach(h);
  const post = async (options: { token?: string | null; payload: string }) =>
    h.server.wecom('POST', PATH, { ...(options.token === null ? {} : { query: { access_token: options.token ?? (await h.token()) } }), body: options.payload });

  describe('behaviour §9.1 step 1: the token, from the query string only', () => {
    it('41001 without a token, also when it is sent in an Authorization header or in the body instead', async () => {
      const noToken = await h.server.wecom('POST', PATH, { body: body() });
      expect(noToken).toMatchObject({ errcode: 41001, customer: [] });
      expect(noToken.errmsg.startsWith('access_token missing')).toBe(true);
      expect(await h.server.wecom('POST', PATH, { query: { access_token: '' }, body: body() })).toMatchObject({ errcode: 41001, customer: [] });
      const token = await h.token();
      const inHeader = await fetch(`${h.server.baseUrl}${PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body()) });
      expect(await inHeader.json()).toMatchObject({ errcode: 41001, customer: [] });
      expect(await h.server.wecom('POST', PATH, { body: { ...body(), access_token: token } })).toMatchObject({ errcode: 41001, customer: [] });
      await expectNothingStarted(h);
    });

    it('40014 for garbage and for unknown tokens', async () => {
      for (const token of ['not a token!', 'A'.repeat(64), 'short', 'x'.repeat(600), `${'A'.repeat(40)}\u0000`]) {
        const answer = await h.transfer(body(), token);
        expect(answer).toMatchObject({ errcode: 40014, customer: [] });
        expect(answer.errmsg.startsWith('invalid access_token')).toBe(true);
      }
      await expectNothingStarted(h);
    });

    it('42001 once 7200 s of server clock have passed, not before', async () => {
      await h.server.admin('POST', '/admin/clock', { freeze: true });
      const token = await h.token();
      await h.advance(7199);
      expect(codes(await h.transfer(body({ external_userid: ['wmNope'] }), token))).toEqual([40096]);
      await h.advance(1);
      expect(await h.transfer(body(), token)).toMatchObject({ errcode: 42001, customer: [] });
      await expectNothingStarted(h);
    });
  });

  describe('behaviour §9.1 step 2: the app may call customer-contact APIs', () => {
    it('48002 for a self-built app not in the callable list and a third-party app without in-service inheritance', async () => {
      const forbidden = await h.transfer(body(), await h.token(FORBIDDEN_SECRET));
      expect(forbidden).toMatchObject({ errcode: 48002, customer: [] });
      expect(forbidden.errmsg.startsWith('api forbidden')).toBe(true);
      expect(await h.transfer(body(), await h.token(THIRD_PARTY_SECRET))).toMatchObject({ errcode: 48002, customer: [] });
      await expectNothingStarted(h);
    });
  });

  describe('behaviour §9.1 step 3: the body parses as JSON', () => {
    it.each([['{"handover_userid": "alice",'], ['{not json'], ["{'handover_userid':'alice'}"], ['[1,2'], ['{"a":1}}']])(
      '40058 "Warning: wrong json format." for %s',
      async (payload) => {
        const answer = await post({ payload });
        expect(answer).toEqual({ errcode: 40058, errmsg: expect.stringMatching(WRONG_JSON), customer: [] });
        await expectNothingStarted(h);
      },
    );

    it.each([['42'], ['null'], ['"text"'], ['[]'], ['true']])('40058 with the warning for a JSON %s that is not an object', async (payload) => {
      expect(await post({ payload })).toEqual({ errcode: 40058, errmsg: expect.stringMatching(WRONG_JSON), customer: [] });
    });

    it('an empty body is an empty object: 41009', async () => {
      expect(await post({ payload: '' })).toMatchObject({ errcode: 41009, customer: [] });
    });
  });

  describe('behaviour §9.1 step 4: the fields', () => {
    it.each([
      ['handover missing', { handover_userid: undefined }, 41009],
      ['handover null', { handover_userid: null }, 41009],
      ['takeover empty', { takeover_userid: '' }, 41009],
      ['takeover missing', { takeover_userid: undefined }, 41009],
      ['handover a number (with the wrong-json warning)', { handover_userid: 12 }, 41009],
      ['external_userid missing', { external_userid: undefined }, 41035],
      ['external_userid null', { external_userid: null }, 41035],
      ['external_userid empty', { external_userid: [] }, 41035],
      ['external_userid a string (with the wrong-json warning)', { external_userid: c1 }, 41035],
      ['external_userid an object (with the wrong-json warning)', { external_userid: { 0: c1 } }, 41035],
      ['external_userid with a number', { external_userid: [c1, 7] }, 41035],
      ['external_userid with null', { external_userid: [c1, null] }, 41035],
      ['101 ids', { external_userid: Array.from({ length: 101 }, (_, i) => `wm${i}`) }, 40058],
      ['101 copies of one valid id', { external_userid: Array.from({ length: 101 }, () => c1) }, 40058],
      ['a message of 201 Chinese characters', { transfer_success_msg: '服'.repeat(201) }, 40058],
      ['a message of 201 emoji', { transfer_success_msg: '🙂'.repeat(201) }, 40058],
      ['a message that is a number (with the wrong-json warning)', { transfer_success_msg: 5 }, 40058],
      ['a message with a NUL character', { transfer_success_msg: 'a\u0000b' }, 40058],
    ])('%s → %s with customer: []', async (name, extra, code) => {
      const answer = await h.transfer(body(extra));
      expect(answer).toEqual({ errcode: code, errmsg: expect.any(String), customer: [] });
      if (name.includes('warning')) expect(answer.errmsg).toMatch(WRONG_JSON);
      await expectNothingStarted(h);
    });

    it('accepts a message of exactly 200 code points: emoji, Chinese, or both mixed', async () => {
      const messages = ['🙂'.repeat(200), '服'.repeat(200), '服🙂'.repeat(100)];
      for (const [i, message] of messages.entries()) {
        const id = customerIds(3)[i]!;
        expect(await h.transfer(body({ external_userid: [id], transfer_success_msg: message }))).toEqual({
          errcode: 0,
          errmsg: 'ok',
          customer: [{ external_userid: id, errcode: 0 }],
        });
        expect((await h.server.admin('GET', `/admin/customers/${id}/messages`)).messages.map((m: { content: string }) => m.content)).toEqual([message]);
      }
    });
  });

  describe('behaviour §9.2: the notice in the customer inbox (one row per text shared by calls, migration 0013)', () => {
    const inbox = async (id: string) =>
      ((await h.server.admin('GET', `/admin/customers/${id}/messages`)).messages as { from_userid: string; content: string; sent_at: string }[]).map(
        (m) => [m.from_userid, m.content],
      );

    it('lists each start’s own text, from its handover, oldest first, whichever calls shared the text', async () => {
      expect(codes(await h.transfer(body({ external_userid: [c1, c2], transfer_success_msg: 'first' })))).toEqual([0, 0]);
      expect(codes(await h.transfer(body({ external_userid: [c3], transfer_success_msg: 'second' })))).toEqual([0]);
      expect(codes(await h.transfer(body({ external_userid: [c4], transfer_success_msg: 'first' })))).toEqual([0]);
      await h.advance(DAY);
      expect(codes(await h.transfer(body({ handover_userid: 'bob', takeover_userid: 'carol', external_userid: [c1] })))).toEqual([0]);
      const started = (await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages as { sent_at: string }[];
      expect(new Date(started[1]!.sent_at).getTime() - new Date(started[0]!.sent_at).getTime()).toBeGreaterThanOrEqual(DAY * 1000);
      expect(await inbox(c1)).toEqual([
        ['alice', 'first'],
        ['bob', expect.stringContaining('您好')],
      ]);
      expect(await inbox(c2)).toEqual([['alice', 'first']]);
      expect(await inbox(c3)).toEqual([['alice', 'second']]);
      expect(await inbox(c4)).toEqual([['alice', 'first']]);
    });

    it('writes the text again after a fixture reload, which deleted the shared row', async () => {
      expect(codes(await h.transfer(body({ transfer_success_msg: 'kept' })))).toEqual([0]);
      await h.server.admin('POST', '/admin/fixtures', castWithDoubleFailures());
      expect(await inbox(c1)).toEqual([]);
      expect(codes(await h.transfer(body({ transfer_success_msg: 'kept' })))).toEqual([0]);
      expect(await inbox(c1)).toEqual([['alice', 'kept']]);
    });
  });

  describe('behaviour §9.1 steps 5–6: the members, whole call', () => {
    it.each([
      ['unknown handover', { handover_userid: 'ghost' }, 40003],
      ['unknown takeover', { takeover_userid: 'ghost' }, 40003],
      ['an invalid userid', { takeover_userid: 'bad user!' }, 40003],
      ['a userid of 65 characters', { takeover_userid: 'b'.repeat(65) }, 40003],
      ['a userid with a NUL byte', { handover_userid: 'alice\u0000' }, 40003],
      ['handover = takeover', { takeover_userid: 'alice' }, 40130],
      ['takeover without customer contact', { takeover_userid: 'frank' }, 610004],
      ['takeover not activated', { takeover_userid: 'dave' }, 41054],
      ['takeover not real-name verified', { takeover_userid: 'erin' }, 40098],
      ['takeover idle for 400 days', { takeover_userid: 'gina' }, 41054],
      ['handover idle for 400 days', { handover_userid: 'gina' }, 41054],
    ])('%s → %s with customer: []', async (_name, extra, code) => {
      expect(await h.transfer(body(extra))).toEqual({ errcode: code, errmsg: expect.any(String), customer: [] });
      await expectNothingStarted(h);
    });

    it('60011 when the takeover is outside the narrow app’s visible range; inside it the call goes through', async () => {
      const narrow = await h.token(NARROW_SECRET);
      const answer = await h.transfer(body({ takeover_userid: 'hank' }), narrow);
      expect(answer).toEqual({ errcode: 60011, errmsg: expect.stringMatching(/^no privilege/), customer: [] });
      await expectNothingStarted(h);
      expect(codes(await h.transfer(body({ takeover_userid: 'carol' }), narrow))).toEqual([0]);
    });

    it('41054 when a member’s last login falls out of 365 days of server clock, both ways, at the boundary', async () => {
      await h.server.admin('POST', '/admin/clock', { freeze: true });
      const now = Date.parse((await h.server.admin('GET', '/admin/clock')).now);
      const daysAgo = (days: number) => new Date(now - days * DAY * 1000).toISOString();
      await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { last_login_at: daysAgo(366) });
      expect(await h.transfer(body())).toMatchObject({ errcode: 41054, customer: [] });
      await h.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { last_login_at: daysAgo(364) });
      await h.server.admin('PATCH', `/admin/members/alice?corpid=${CORP}`, { last_login_at: daysAgo(366) });
      expect(await h.transfer(body())).toMatchObject({ errcode: 41054, customer: [] });
      await expectNothingStarted(h);
      await h.server.admin('PATCH', `/admin/members/alice?corpid=${CORP}`, { last_login_at: daysAgo(364) });
      expect(codes(await h.transfer(body()))).toEqual([0]);
    });

    it('the 365 days are read on the server clock: advancing it a year idles everyone', async () => {
      await h.advance(366 * DAY);
      expect(await h.transfer(body())).toMatchObject({ errcode: 41054, customer: [] });
    });
  });

  describe('behaviour §9.1 precedence: with two failures at once the earlier step’s code wins', () => {
    it('step 1 before step 3: no token and an unparsable body → 41001; a garbage token → 40014', async () => {
      expect(await post({ token: null, payload: '{not json' })).toMatchObject({ errcode: 41001, customer: [] });
      expect(await post({ token: 'x', payload: '{not json' })).toMatchObject({ errcode: 40014, customer: [] });
    });

    it('step 1 before step 2: an expired token of a forbidden app → 42001', async () => {
      const token = await h.token(FORBIDDEN_SECRET);
      await h.advance(7200);
      expect(await h.transfer(body(), token)).toMatchObject({ errcode: 42001, customer: [] });
    });

    it('step 2 before steps 3–4: a forbidden app with an unparsable or empty body → 48002', async () => {
      expect(await post({ token: await h.token(FORBIDDEN_SECRET), payload: '{not json' })).toMatchObject({ errcode: 48002, customer: [] });
      expect(await post({ token: await h.token(THIRD_PARTY_SECRET), payload: '{}' })).toMatchObject({ errcode: 48002, customer: [] });
    });

    it.each([
      ['handover and ids missing → 41009', { handover_userid: undefined, external_userid: undefined }, 41009],
      ['takeover missing and 101 ids → 41009', { takeover_userid: undefined, external_userid: Array.from({ length: 101 }, () => c1) }, 41009],
      ['ids missing and a 201-character message → 41035', { external_userid: undefined, transfer_success_msg: 'x'.repeat(201) }, 41035],
      ['101 ids, one a number → 41035', { external_userid: [...Array.from({ length: 100 }, () => c1), 7] }, 41035],
      ['101 ids and an unknown handover → 40058', { handover_userid: 'ghost', external_userid: Array.from({ length: 101 }, () => c1) }, 40058],
      ['a 201-character message and handover = takeover → 40058', { takeover_userid: 'alice', transfer_success_msg: 'x'.repeat(201) }, 40058],
      ['unknown handover and takeover, which are the same → 40003', { handover_userid: 'ghost', takeover_userid: 'ghost' }, 40003],
      ['unknown handover and a takeover without customer contact → 40003', { handover_userid: 'ghost', takeover_userid: 'frank' }, 40003],
      ['handover = takeover, not activated → 40130', { handover_userid: 'dave', takeover_userid: 'dave' }, 40130],
      ['no customer contact and not activated → 610004', { takeover_userid: 'ivy' }, 610004],
      ['not activated and not real-name → 41054', { takeover_userid: 'jack' }, 41054],
      ['not real-name and idle 400 days → 40098', { takeover_userid: 'kate' }, 40098],
      ['handover idle and takeover not real-name → 40098', { handover_userid: 'gina', takeover_userid: 'erin' }, 40098],
      ['handover idle and takeover without customer contact → 610004', { handover_userid: 'gina', takeover_userid: 'frank' }, 610004],
      ['a member failure with every id bad → the whole-call code', { takeover_userid: 'dave', external_userid: ['wmNope', 'wmOrphan'] }, 41054],
      ['handover = takeover with every id bad → 40130', { takeover_userid: 'alice', external_userid: ['wmNope'] }, 40130],
    ])('%s', async (_name, extra, code) => {
      expect(await h.transfer(body(extra))).toEqual({ errcode: code, errmsg: expect.any(String), customer: [] });
      await expectNothingStarted(h);
    });

    it('on the narrow app: unknown handover beats 60011, handover = takeover beats 60011, 60011 beats 610004', async () => {
      const narrow = await h.token(NARROW_SECRET);
      expect(await h.transfer(body({ handover_userid: 'ghost', takeover_userid: 'hank' }), narrow)).toMatchObject({ errcode: 40003, customer: [] });
      expect(await h.transfer(body({ handover_userid: 'hank', takeover_userid: 'hank' }), narrow)).toMatchObject({ errcode: 40130, customer: [] });
      expect(await h.transfer(body({ takeover_userid: 'frank' }), narrow)).toMatchObject({ errcode: 60011, customer: [] });
      expect(await h.transfer(body({ takeover_userid: 'frank', external_userid: Array.from({ length: 101 }, () => c1) }), narrow)).toMatchObject({
        errcode: 40058,
        customer: [],
      });
      await expectNothingStarted(h);
    });
  });

  describe('behaviour §9.1 step 7: per customer, in request order', () => {
    it('answers each id with its own code, duplicates included, and the call with 0', async () => {
      const requested = [c1, 'wmNope', 'wmOrphan', 'wmBystander', c2, c1, c3, '', 'wm\u0000x', 'wm'.repeat(5000), 'wmShared', c2];
      const answer = await h.transfer(body({ external_userid: requested }));
      expect(answer).toEqual({
        errcode: 0,
        errmsg: 'ok',
        customer: [
          { external_userid: c1, errcode: 0 },
          { external_userid: 'wmNope', errcode: 40096 },
          { external_userid: 'wmOrphan', errcode: 40131 },
          { external_userid: 'wmBystander', errcode: 40131 },
          { external_userid: c2, errcode: 0 },
          { external_userid: c1, errcode: 40129 },
          { external_userid: c3, errcode: 0 },
          { external_userid: '', errcode: 40096 },
          { external_userid: 'wm\u0000x', errcode: 40096 },
          { external_userid: 'wm'.repeat(5000), errcode: 40096 },
          { external_userid: 'wmShared', errcode: 0 },
          { external_userid: c2, errcode: 40129 },
        ],
      });
      const listed = (await h.transferResult('alice', 'bob')).customer.map((c: { external_userid: string; status: number }) => [c.external_userid, c.status]);
      expect(listed).toEqual([
        [c1, 2],
        [c2, 2],
        [c3, 2],
        ['wmShared', 2],
      ]);
      // One notice per accepted customer, none for the duplicates.
      expect((await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages).toHaveLength(1);
      expect((await h.server.admin('GET', '/admin/customers/wmOrphan/messages')).messages).toEqual([]);
    });

    it('40129 while a transfer waits, to any takeover, and 0 again once it is done', async () => {
      expect(codes(await h.transfer(body()))).toEqual([0]);
      expect(codes(await h.transfer(body()))).toEqual([40129]);
      expect(codes(await h.transfer(body({ takeover_userid: 'carol' })))).toEqual([40129]);
      await h.advance(DAY);
      // c1 is bob's now: alice no longer follows it, bob may hand it on.
      expect(codes(await h.transfer(body()))).toEqual([40131]);
      expect(codes(await h.transfer(body({ handover_userid: 'bob', takeover_userid: 'carol' })))).toEqual([0]);
    });

    it('40129 also inside one call: the second copy of an id accepted earlier in the call', async () => {
      expect(codes(await h.transfer(body({ external_userid: [c1, c1, c1] })))).toEqual([0, 40129, 40129]);
      // A duplicate of a rejected id is rejected for the same reason, not as "in transfer".
      expect(codes(await h.transfer(body({ external_userid: ['wmOrphan', 'wmOrphan'] })))).toEqual([40131, 40131]);
    });

    it('40128 for a third accepted transfer within 90 × 24 h, allowed again once the first leaves the window', async () => {
      await h.server.admin('POST', '/admin/clock', { freeze: true });
      expect(codes(await h.transfer(body()))).toEqual([0]);
      await h.advance(DAY);
      expect(codes(await h.transfer(body({ handover_userid: 'bob', takeover_userid: 'carol' })))).toEqual([0]);
      await h.advance(DAY);
      expect(codes(await h.transfer(body({ handover_userid: 'carol', takeover_userid: 'alice' })))).toEqual([40128]);
      await h.advance(88 * DAY - 1);
      expect(codes(await h.transfer(body({ handover_userid: 'carol', takeover_userid: 'alice' })))).toEqual([40128]);
      await h.advance(2);
      expect(codes(await h.transfer(body({ handover_userid: 'carol', takeover_userid: 'alice' })))).toEqual([0]);
    });

    it('counts a refused transfer toward the quota (it was accepted), and not a rejected one', async () => {
      expect(codes(await h.transfer(body({ takeover_userid: 'dave' })))).toEqual([]);
      expect(codes(await h.transfer(body()))).toEqual([0]);
      expect(codes(await h.transfer(body()))).toEqual([40129]);
      await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await h.transfer(body()))).toEqual([0]);
      await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await h.transfer(body()))).toEqual([40128]);
      // The refusals left c1 with alice.
      expect((await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(), userid: 'alice' } })).external_userid).toContain(c1);
    });
  });

  describe('exactly 100 ids', () => {
    const hundred = useHarness(backend, { fixture: () => testCompany({ customers: 100 }) });
    checkBystanderAfterEach(hundred);

    it('accepts 100 ids in one call with 100 results in request order', async () => {
      const ids = customerIds(100).reverse();
      const answer = await hundred.transfer(body({ external_userid: ids }));
      expect(answer).toEqual({ errcode: 0, errmsg: 'ok', customer: ids.map((id) => ({ external_userid: id, errcode: 0 })) });
      const listed = await hundred.transferResult('alice', 'bob');
      expect(listed.customer).toHaveLength(100);
      expect(listed.next_cursor).toBe('');
    });
  });

  describe('takeover cap (40099), counting current customers and waiting incoming transfers', () => {
    const capped = useHarness(backend, { fixture: () => testCompany({ bobCap: 3 }) });
    checkBystanderAfterEach(capped);

    it('fills the free places within one call and refuses the rest, also in later calls, until a place frees', async () => {
      // bob follows wmShared already: 2 free places.
      expect(codes(await capped.transfer(body({ external_userid: [c1, 'wmNope', c1, c2, c3, 'wmOrphan', c4] })))).toEqual([0, 40096, 40129, 0, 40099, 40131, 40099]);
      expect(codes(await capped.transfer(body({ external_userid: [c4] })))).toEqual([40099]);
      // carol is not full: the cap is the takeover's own.
      expect(codes(await capped.transfer(body({ takeover_userid: 'carol', external_userid: [c4] })))).toEqual([0]);
      await capped.server.admin('POST', `/admin/customers/${c1}/refuse`);
      expect(codes(await capped.transfer(body({ external_userid: [c3, c4] })))).toEqual([0, 40129]);
      expect(codes(await capped.transfer(body({ external_userid: [c1] })))).toEqual([40099]);
      // The rejected ones left no record.
      expect((await capped.transferResult('alice', 'bob')).customer.map((c: { external_userid: string; status: number }) => [c.external_userid, c.status])).toEqual([
        [c1, 3],
        [c2, 2],
        [c3, 2],
      ]);
    });

    it('a cap already reached by current customers alone refuses every id', async () => {
      await capped.server.admin('PATCH', `/admin/members/bob?corpid=${CORP}`, { customer_cap: 1 });
      expect(await capped.transfer(body({ external_userid: [c1, c2] }))).toEqual({
        errcode: 0,
        errmsg: 'ok',
        customer: [
          { external_userid: c1, errcode: 40099 },
          { external_userid: c2, errcode: 40099 },
        ],
      });
      expect((await capped.transferResult('alice', 'bob')).customer).toEqual([]);
    });
  });

  describe('one transaction per call', () => {
    it('a call whose every id is rejected leaves no trace: no transfer, no message, no event', async () => {
      const before = await h.server.admin('GET', '/admin/fixtures');
      expect(codes(await h.transfer(body({ external_userid: ['wmNope', 'wmOrphan', 'wmBystander', 'wmNope'] })))).toEqual([40096, 40131, 40131, 40096]);
      await expectNothingStarted(h);
      expect((await h.server.admin('GET', '/admin/customers/wmOrphan/messages')).messages).toEqual([]);
      expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
    });

    it('records the accepted ones with the customer notice: explicit, or the default with the takeover name', async () => {
      await h.transfer(body({ external_userid: [c1], transfer_success_msg: '李四接替我' }));
      await h.transfer(body({ external_userid: [c2] }));
      await h.transfer(body({ external_userid: [c3], transfer_success_msg: '' }));
      const explicit = await h.server.admin('GET', `/admin/customers/${c1}/messages`);
      const fallback = await h.server.admin('GET', `/admin/customers/${c2}/messages?corpid=${CORP}`);
      expect(explicit.messages).toMatchObject([{ corpid: CORP, external_userid: c1, from_userid: 'alice', content: '李四接替我' }]);
      expect(fallback.messages[0].content).toBe('您好，您的服务已升级，后续将由我的同事BOB接替我的工作，继续为您服务。');
      expect((await h.server.admin('GET', `/admin/customers/${c3}/messages`)).messages[0].content).toBe(fallback.messages[0].content);
    });

    it('a lone surrogate in the message is stored as U+FFFD on every backend', async () => {
      expect(codes(await h.transfer(body({ transfer_success_msg: 'a\ud800b' })))).toEqual([0]);
      expect((await h.server.admin('GET', `/admin/customers/${c1}/messages`)).messages[0].content).toBe('a\ufffdb');
    });
  });
});
