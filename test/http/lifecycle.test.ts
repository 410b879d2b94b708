import { describe, expect, it } from 'vitest';
import { CORP, customerIds, testCompany } from '../support/company.js';
import { BYSTANDER_STATE, type Harness, useHarness } from '../support/harness.js';
import { untilIdle } from '../support/rounds.js';
import { testBackends } from '../support/stores.js';

/**
 * Behaviour §9.2 over real HTTP, on every backend: the 24 h wait on the server clock, completion (status 1),
 * refusal (3), takeover full at due time (4), what moves and what is copied, the events of §3.5 exactly,
 * the customer's inbox, and the engine completing due work by itself. Every test ends by checking the
 * bystander (victor and wmBystander) is untouched (architecture rule 10).
 */
const [c1, c2, c3] = customerIds(3) as [string, string, string];
const DAY = 86_400;
const DEFAULT_MESSAGE = (name: string) => `您好，您的服务已升级，后续将由我的同事${name}接替我的工作，继续为您服务。`;

const move = (ids: string[], takeover = 'carol', handover = 'alice', extra: Record<string, unknown> = {}) => ({
  handover_userid: handover,
  takeover_userid: takeover,
  external_userid: ids,
  ...extra,
});
const eventsOf = async (h: Harness) => (await h.server.admin('GET', `/admin/events?corpid=${CORP}`)).events.map((e: any) => ({ type: e.type, ...e.payload }));
const listOf = async (h: Harness, userid: string): Promise<string[]> =>
  (await h.server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { access_token: await h.token(), userid } })).external_userid;
const followersOf = async (h: Harness, externalUserid: string): Promise<any[]> =>
  (await h.server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { access_token: await h.token(), external_userid: externalUserid } })).follow_user;
const inboxOf = async (h: Harness, externalUserid: string): Promise<any[]> =>
  (await h.server.admin('GET', `/admin/customers/${externalUserid}/messages`)).messages;
const statuses = async (h: Harness, handover = 'alice', takeover = 'carol') =>
  (await h.transferResult(handover, takeover)).customer.map((c: any) => [c.external_userid, c.status, c.takeover_time]);
/** Freezes the server clock and answers the instant it stands at (epoch ms), so times can be asserted exactly. */
const freeze = async (h: Harness): Promise<number> => Date.parse((await h.server.admin('POST', '/admin/clock', { freeze: true })).now);
const seconds = (ms: number) => Math.floor(ms / 1000);

async function adminRaw(h: Harness, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.server.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type'), json: JSON.parse((await response.text()) || 'null') };
}

describe.each(await testBackends())('transfer lifecycle on %s (behaviour §9.2)', (backend) => {
  const h = useHarness(backend);

  it('waits 24 h of server clock: status 2 at 86,399 s, status 1 at 86,400 s, and the clock call answers after completing it', async () => {
    const t0 = await freeze(h);
    expect((await h.transfer(move([c1]))).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
    const due = seconds(t0) + DAY;
    expect(await statuses(h)).toEqual([[c1, 2, due]]);

    expect((await h.advance(DAY - 1)).completed_takeovers).toBe(0);
    expect(await statuses(h)).toEqual([[c1, 2, due]]);
    expect(await eventsOf(h)).toEqual([]);
    expect(await listOf(h, 'alice')).toContain(c1);

    const answer = await h.advance(1);
    // completed_takeovers counts what this call completed itself; the engine (polling every 50 ms) may take some.
    expect(answer).toMatchObject({ now: new Date(t0 + DAY * 1000).toISOString(), frozen: true });
    // Nothing more to wait for: the answer went out after the takeover was written.
    expect(await statuses(h)).toEqual([[c1, 1, due]]);
    expect(await eventsOf(h)).toEqual([
      { type: 'add_external_contact', UserID: 'carol', ExternalUserID: c1 },
      { type: 'del_external_contact', UserID: 'alice', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' },
    ]);
    expect((await h.advance(DAY)).completed_takeovers).toBe(0);
    expect(await eventsOf(h)).toHaveLength(2);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('moves the relation: in the takeover’s list, gone from the handover’s; add_way 202, oper_userid = handover, data copied, createtime = takeover time', async () => {
    const t0 = await freeze(h);
    const [before] = await followersOf(h, c1);
    expect(before).toMatchObject({ userid: 'alice', remark: `remark of ${c1}`, description: 'vip', add_way: 1, state: 'campaign-1' });
    await h.transfer(move([c1, c2]));
    await h.advance(DAY);

    expect(await listOf(h, 'carol')).toEqual([c1, c2]);
    const alice = await listOf(h, 'alice');
    expect(alice).not.toContain(c1);
    expect(alice).not.toContain(c2);
    expect(alice).toContain(c3);
    expect(await followersOf(h, c1)).toEqual([
      {
        userid: 'carol',
        remark: before.remark,
        description: before.description,
        tags: before.tags,
        createtime: seconds(t0) + DAY,
        remark_mobiles: [],
        oper_userid: 'alice',
        add_way: 202,
      },
    ]);
    // The handover's untouched customers keep their own relation as it was.
    expect((await followersOf(h, c3))[0]).toMatchObject({ userid: 'alice', add_way: 1, createtime: 1_700_000_000 });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('sends no add event when the takeover already followed the customer; the takeover’s own relation is kept as it was', async () => {
    await h.transfer(move(['wmShared'], 'bob'));
    await h.advance(DAY);
    expect(await statuses(h, 'alice', 'bob')).toEqual([['wmShared', 1, expect.any(Number)]]);
    expect(await eventsOf(h)).toEqual([{ type: 'del_external_contact', UserID: 'alice', ExternalUserID: 'wmShared', Source: 'DELETE_BY_TRANSFER' }]);
    expect(await followersOf(h, 'wmShared')).toEqual([
      { userid: 'bob', remark: 'shared by bob', description: '', createtime: 1_700_000_100, tags: [], remark_mobiles: [], oper_userid: 'bob', add_way: 2 },
    ]);
    expect(await listOf(h, 'alice')).not.toContain('wmShared');
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('sends no add event when the customer returns to a member who transferred them away (A→B, then B→A)', async () => {
    await h.transfer(move([c1], 'carol'));
    await h.advance(DAY);
    expect(await eventsOf(h)).toEqual([
      { type: 'add_external_contact', UserID: 'carol', ExternalUserID: c1 },
      { type: 'del_external_contact', UserID: 'alice', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' },
    ]);
    expect((await h.transfer(move([c1], 'alice', 'carol'))).customer[0].errcode).toBe(0);
    await h.advance(DAY);
    expect(await statuses(h, 'carol', 'alice')).toEqual([[c1, 1, expect.any(Number)]]);
    expect((await eventsOf(h)).slice(2)).toEqual([{ type: 'del_external_contact', UserID: 'carol', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' }]);
    expect(await listOf(h, 'alice')).toContain(c1);
    expect(await followersOf(h, c1)).toEqual([expect.objectContaining({ userid: 'alice', add_way: 202, oper_userid: 'carol', remark: `remark of ${c1}` })]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('still sends the add event to a member who only ever received the customer (B→C after A→B)', async () => {
    await h.transfer(move([c1], 'carol'));
    await h.advance(DAY);
    await h.transfer(move([c1], 'bob', 'carol'));
    await h.advance(DAY);
    expect((await eventsOf(h)).slice(2)).toEqual([
      { type: 'add_external_contact', UserID: 'bob', ExternalUserID: c1 },
      { type: 'del_external_contact', UserID: 'carol', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' },
    ]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a refusal: status 3 with takeover_time 0 at once, the handover keeps the customer, transfer_fail customer_refused to the takeover', async () => {
    await h.transfer(move([c1, c2]));
    await h.advance(3600);
    const refused = await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect(refused).toEqual({ corpid: CORP, external_userid: c1, handover_userid: 'alice', takeover_userid: 'carol', status: 3 });
    expect(await statuses(h)).toEqual([
      [c1, 3, 0],
      [c2, 2, expect.any(Number)],
    ]);
    expect(await eventsOf(h)).toEqual([{ type: 'transfer_fail', FailReason: 'customer_refused', UserID: 'carol', ExternalUserID: c1 }]);

    await h.advance(DAY);
    expect(await statuses(h)).toEqual([
      [c1, 3, 0],
      [c2, 1, expect.any(Number)],
    ]);
    expect((await followersOf(h, c1)).map((f) => [f.userid, f.add_way, f.remark])).toEqual([['alice', 1, `remark of ${c1}`]]);
    expect(await listOf(h, 'alice')).toContain(c1);
    expect(await listOf(h, 'carol')).toEqual([c2]);
    // Only c2's completion follows the refusal: nothing about c1 again.
    expect((await eventsOf(h)).filter((e: any) => e.ExternalUserID === c1)).toHaveLength(1);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('a refused customer frees the takeover’s place and can be transferred again (the refused start still counts towards the quota)', async () => {
    await h.transfer(move([c1]));
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect((await h.transfer(move([c1]))).customer).toEqual([{ external_userid: c1, errcode: 0 }]);
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect((await h.transfer(move([c1]))).customer).toEqual([{ external_userid: c1, errcode: 40128 }]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('refusing with no waiting transfer is a 409 JSON error naming the customer; an unknown customer a 404; nothing changes', async () => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    for (const path of [`/admin/customers/${c1}/refuse`, '/admin/customers/wmBystander/refuse']) {
      const answer = await adminRaw(h, 'POST', path);
      expect(answer.status).toBe(409);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.json).toEqual({ error: { field: 'external_userid', message: expect.any(String) } });
    }
    expect(await adminRaw(h, 'POST', '/admin/customers/wmNope/refuse')).toMatchObject({ status: 404, json: { error: { field: 'external_userid' } } });

    // Twice, and after completion: the transfer is no longer waiting.
    await h.transfer(move([c1, c2]));
    await h.server.admin('POST', `/admin/customers/${c1}/refuse`);
    expect((await adminRaw(h, 'POST', `/admin/customers/${c1}/refuse`)).status).toBe(409);
    await h.advance(DAY);
    expect((await adminRaw(h, 'POST', `/admin/customers/${c2}/refuse`)).status).toBe(409);
    expect(await statuses(h)).toEqual([
      [c1, 3, 0],
      [c2, 1, expect.any(Number)],
    ]);
    expect(await eventsOf(h)).toHaveLength(3);
    expect((await h.server.admin('GET', '/admin/fixtures')).corps[0].members).toEqual(before.corps[0].members);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('the customer’s inbox gets the default notice naming the takeover at start, or transfer_success_msg; rejected ids get nothing', async () => {
    const t0 = await freeze(h);
    await h.transfer(move([c1, 'wmOrphan']));
    await h.transfer(move([c2], 'bob', 'alice', { transfer_success_msg: '你好，之后由 Bob 为你服务' }));
    expect(await inboxOf(h, c1)).toEqual([
      { corpid: CORP, external_userid: c1, from_userid: 'alice', content: DEFAULT_MESSAGE('CAROL'), sent_at: new Date(t0).toISOString() },
    ]);
    expect((await inboxOf(h, c2)).map((m) => [m.from_userid, m.content])).toEqual([['alice', '你好，之后由 Bob 为你服务']]);
    expect(await inboxOf(h, 'wmOrphan')).toEqual([]);
    expect(await inboxOf(h, c3)).toEqual([]);
    // The notice is sent once, at start: completing or refusing adds nothing to it.
    await h.server.admin('POST', `/admin/customers/${c2}/refuse`);
    await h.advance(DAY);
    expect(await inboxOf(h, c1)).toHaveLength(1);
    expect(await inboxOf(h, c2)).toHaveLength(1);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('the admin `set` command also completes what falls due before answering', async () => {
    const t0 = await freeze(h);
    await h.transfer(move([c1]));
    expect((await h.server.admin('POST', '/admin/clock', { set: new Date(t0 + DAY * 1000 - 1000).toISOString() })).completed_takeovers).toBe(0);
    await h.server.admin('POST', '/admin/clock', { set: new Date(t0 + DAY * 1000).toISOString() });
    expect(await statuses(h)).toEqual([[c1, 1, seconds(t0) + DAY]]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('the engine completes due transfers by itself, without an admin call, exactly once', async () => {
    const t0 = await freeze(h);
    await h.transfer(move([c3]));
    // `set` and `advance` complete due work before answering; write the clock state behind the API's back
    // instead, as another node would, and let this node's engine (polling every 50 ms) find it.
    await h.server.server.ctx.store.write(async (tx) => { const read = await tx.clockState(); await tx.setClockState({ ...read, frozenAt: t0 + DAY * 1000 }, read); });
    // Rounds that began after the write: one completes the transfer, a later one finds nothing more to do.
    await untilIdle(h.server.server.loops.engine);
    expect((await h.transferResult('alice', 'carol')).customer[0].status).toBe(1);
    expect(await eventsOf(h)).toEqual([
      { type: 'add_external_contact', UserID: 'carol', ExternalUserID: c3 },
      { type: 'del_external_contact', UserID: 'alice', ExternalUserID: c3, Source: 'DELETE_BY_TRANSFER' },
    ]);
    expect(await listOf(h, 'carol')).toEqual([c3]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('PATCH /admin/members changes what later calls see, and names bad fields', async () => {
    await h.server.admin('PATCH', '/admin/members/carol', { activated: false });
    expect(await h.transfer(move([c1]))).toMatchObject({ errcode: 41054 });
    await expect(h.server.admin('PATCH', '/admin/members/carol', { customer_cap: -1 })).rejects.toThrow(/400.*customer_cap/);
    await expect(h.server.admin('PATCH', '/admin/members/ghost', {})).rejects.toThrow(/404/);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  describe('takeover full at the due time', () => {
    const tight = useHarness(backend, { fixture: () => testCompany({ bobCap: 3 }) });

    it('status 4, transfer_fail customer_limit_exceed, the handover keeps the customer; judged in due order', async () => {
      // bob follows wmShared: two free places at call time.
      expect((await tight.transfer(move([c1, c2], 'bob'))).customer.map((c: any) => c.errcode)).toEqual([0, 0]);
      expect((await tight.transfer(move([c3], 'bob'))).customer).toEqual([{ external_userid: c3, errcode: 40099 }]);
      // Meanwhile an admin lowers bob's cap: one of the two no longer fits when they fall due.
      expect(await tight.server.admin('PATCH', '/admin/members/bob', { customer_cap: 2 })).toMatchObject({ userid: 'bob', customer_cap: 2 });
      await tight.advance(DAY);
      expect(await statuses(tight, 'alice', 'bob')).toEqual([
        [c1, 1, expect.any(Number)],
        [c2, 4, expect.any(Number)],
      ]);
      expect(await eventsOf(tight)).toEqual([
        { type: 'add_external_contact', UserID: 'bob', ExternalUserID: c1 },
        { type: 'del_external_contact', UserID: 'alice', ExternalUserID: c1, Source: 'DELETE_BY_TRANSFER' },
        { type: 'transfer_fail', FailReason: 'customer_limit_exceed', UserID: 'bob', ExternalUserID: c2 },
      ]);
      expect((await followersOf(tight, c2)).map((f) => [f.userid, f.add_way])).toEqual([['alice', 1]]);
      expect(await listOf(tight, 'alice')).toContain(c2);
      expect(await listOf(tight, 'bob')).toEqual([c1, 'wmShared'].sort());
      expect(await tight.bystander()).toEqual(BYSTANDER_STATE);
    });

    it('a full takeover still completes a customer it already follows (no new place needed)', async () => {
      await tight.transfer(move(['wmShared', c1], 'bob'));
      await tight.server.admin('PATCH', '/admin/members/bob', { customer_cap: 1 });
      await tight.advance(DAY);
      expect(await statuses(tight, 'alice', 'bob')).toEqual([
        [c1, 4, expect.any(Number)],
        ['wmShared', 1, expect.any(Number)],
      ]);
      expect(await tight.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  describe('with the engine off (another node’s engine is late)', () => {
    const late = useHarness(backend, { env: { HANDOVER_ENGINE: 'off' } });

    it('completed_takeovers counts exactly what the clock call completed when no engine runs', async () => {
      await late.transfer(move([c1, c2]));
      await late.advance(3600);
      await late.transfer(move([c3]));
      expect((await late.advance(DAY - 3601)).completed_takeovers).toBe(0);
      expect((await late.advance(1)).completed_takeovers).toBe(2);
      expect((await late.advance(3600)).completed_takeovers).toBe(1);
      expect((await late.advance(DAY)).completed_takeovers).toBe(0);
      expect((await statuses(late)).map((s: any) => s[1])).toEqual([1, 1, 1]);
      expect(await late.bystander()).toEqual(BYSTANDER_STATE);
    });

    it('a transfer past its takeover time is no longer waiting: refusing it completes it instead, and answers 409', async () => {
      const t0 = await freeze(late);
      await late.transfer(move([c1, c2]));
      // The clock passes the due time without an admin call (as another node would move it).
      await late.server.server.ctx.store.write(async (tx) => { const read = await tx.clockState(); await tx.setClockState({ ...read, frozenAt: t0 + DAY * 1000 }, read); });
      expect((await adminRaw(late, 'POST', `/admin/customers/${c1}/refuse`)).status).toBe(409);
      expect(await statuses(late)).toEqual([
        [c1, 1, seconds(t0) + DAY],
        [c2, 1, seconds(t0) + DAY],
      ]);
      expect((await eventsOf(late)).map((e: any) => e.type)).toEqual(['add_external_contact', 'del_external_contact', 'add_external_contact', 'del_external_contact']);
      expect(await late.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  describe('with HANDOVER_COPY_RELATION_DATA=off', () => {
    const plain = useHarness(backend, { env: { HANDOVER_COPY_RELATION_DATA: 'off' } });

    it('the takeover’s relation starts empty: no remark, description or tags', async () => {
      const t0 = await freeze(plain);
      await plain.transfer(move([c1]));
      await plain.advance(DAY);
      expect(await followersOf(plain, c1)).toEqual([
        { userid: 'carol', remark: '', description: '', createtime: seconds(t0) + DAY, tags: [], remark_mobiles: [], oper_userid: 'alice', add_way: 202 },
      ]);
      expect(await eventsOf(plain)).toHaveLength(2);
      expect(await plain.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  describe('with HANDOVER_TRANSFER_MESSAGE_TEMPLATE set', () => {
    const custom = useHarness(backend, { env: { HANDOVER_TRANSFER_MESSAGE_TEMPLATE: '{takeover_name} 将接替我（{takeover_name}）' } });

    it('the notice follows the template; an explicit transfer_success_msg still wins', async () => {
      await custom.transfer(move([c1]));
      await custom.transfer(move([c2], 'carol', 'alice', { transfer_success_msg: 'explicit' }));
      expect((await inboxOf(custom, c1)).map((m) => m.content)).toEqual(['CAROL 将接替我（CAROL）']);
      expect((await inboxOf(custom, c2)).map((m) => m.content)).toEqual(['explicit']);
      expect(await custom.bystander()).toEqual(BYSTANDER_STATE);
    });
  });

  describe('with a small engine batch (HANDOVER_ENGINE_BATCH=2)', () => {
    const small = useHarness(backend, { env: { HANDOVER_ENGINE_BATCH: '2' } });

    it('one clock call still completes every due transfer, batch after batch', async () => {
      const ids = customerIds(7);
      await small.transfer(move(ids));
      await small.advance(DAY);
      expect((await statuses(small)).map((s: any) => s[1])).toEqual(new Array(7).fill(1));
      expect(await eventsOf(small)).toHaveLength(14);
      expect(await small.bystander()).toEqual(BYSTANDER_STATE);
    });
  });
});
