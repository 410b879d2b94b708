import { describe, expect, it } from 'vitest';
import { CORP, customerIds } from '../../support/company.js';
import { resignedCompany } from '../../support/resigned-company.js';
import { BYSTANDER_STATE, useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

describe.each(await testBackends())('resigned members on %s (behaviour §10.1)', (backend) => {
  const h = useHarness(backend);

  it('reads dimission_time (Unix seconds) from a fixture and exports it; absent or null = in service', async () => {
    await h.server.admin('POST', '/admin/fixtures', {
      corps: [
        {
          corpid: 'wwresigned',
          apps: [{ agentid: 1, secret: 'resigned-secret', kind: 'third_party', permissions: ['onjob_groupchat_transfer', 'resigned_groupchat_transfer', 'resigned_transfer'] }],
          members: [{ userid: 'left', dimission_time: 1_795_000_000 }, { userid: 'stays', dimission_time: null }, { userid: 'plain' }],
        },
      ],
    });
    const corp = (await h.server.admin('GET', '/admin/fixtures')).corps.find((c: any) => c.corpid === 'wwresigned');
    expect(corp.apps[0].permissions).toEqual(['onjob_groupchat_transfer', 'resigned_groupchat_transfer', 'resigned_transfer']);
    expect(corp.members.map((m: any) => [m.userid, m.dimission_time])).toEqual([
      ['left', 1_795_000_000],
      ['plain', undefined],
      ['stays', undefined],
    ]);
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it.each([
    ['a string', '1795000000'],
    ['a fraction', 1_795_000_000.5],
    ['a negative instant', -1],
  ])('refuses a dimission_time that is %s with 400 naming the field', async (_name, value) => {
    const before = await h.server.admin('GET', '/admin/fixtures');
    const response = await fetch(`${h.server.baseUrl}/admin/fixtures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ corps: [{ corpid: CORP, members: [{ userid: 'm', dimission_time: value }] }] }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.field).toBe('corps[0].members[0].dimission_time');
    expect(await h.server.admin('GET', '/admin/fixtures')).toEqual(before);
  });
});

async function adminRaw(baseUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: JSON.parse((await response.text()) || 'null') };
}

describe.each(await testBackends())('POST /admin/members/{userid}/resign and what a resigned member looks like, on %s (behaviour §10.1)', (backend) => {
  const h = useHarness(backend, { fixture: () => resignedCompany() });
  const wecom = async (method: 'GET' | 'POST', path: string, query: Record<string, string>, body?: unknown) =>
    h.server.wecom(method, path, { query: { access_token: await h.token(), ...query }, ...(body !== undefined ? { body } : {}) });

  it('resigns now by default, or at the dimission_time given; answers the member', async () => {
    const { now } = await h.server.admin('POST', '/admin/clock', { freeze: true });
    expect(await h.server.admin('POST', `/admin/members/carol/resign?corpid=${CORP}`, {})).toMatchObject({ userid: 'carol', dimission_time: Math.floor(Date.parse(now) / 1000) });
    expect(await h.server.admin('POST', '/admin/members/hank/resign', { dimission_time: 1_795_000_000 })).toMatchObject({ userid: 'hank', dimission_time: 1_795_000_000 });
    const members = (await h.server.admin('GET', '/admin/fixtures')).corps[0].members;
    expect(members.find((m: any) => m.userid === 'hank').dimission_time).toBe(1_795_000_000);
    expect(members.find((m: any) => m.userid === 'bob').dimission_time).toBeUndefined();
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('refuses with 409 while a transfer of the member waits, out or in, and with 404/400 for unknown members and bad times', async () => {
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: customerIds(1) });
    for (const userid of ['alice', 'bob']) {
      const answer = await adminRaw(h.server.baseUrl, h.server.adminToken, 'POST', `/admin/members/${userid}/resign`, {});
      expect(answer).toMatchObject({ status: 409, json: { error: { message: expect.stringMatching(/waiting/) } } });
    }
    expect((await adminRaw(h.server.baseUrl, h.server.adminToken, 'POST', '/admin/members/nobody/resign', {})).status).toBe(404);
    expect((await adminRaw(h.server.baseUrl, h.server.adminToken, 'POST', '/admin/members/carol/resign', { dimission_time: 'soon' })).json.error.field).toBe('dimission_time');
    await h.server.admin('POST', `/admin/customers/${customerIds(1)[0]}/refuse`);
    expect(await h.server.admin('POST', '/admin/members/alice/resign', {})).toMatchObject({ userid: 'alice', dimission_time: expect.any(Number) });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('is gone from every in-service API: 40003 naming the resignation, omitted from follow lists and followers', async () => {
    const list = await wecom('GET', '/cgi-bin/externalcontact/list', { userid: 'rita' });
    expect(list).toMatchObject({ errcode: 40003, errmsg: expect.stringMatching(/rita has resigned/), external_userid: [] });
    const batch = await wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', {}, { userid_list: ['alice', 'rita'] });
    expect(batch).toMatchObject({ errcode: 40003, errmsg: expect.stringMatching(/resigned/), external_contact_list: [] });
    for (const [handover, takeover, field] of [['rita', 'bob', 'handover_userid'], ['alice', 'rita', 'takeover_userid']]) {
      const answer = await h.transfer({ handover_userid: handover, takeover_userid: takeover, external_userid: ['wmShared2'] });
      expect(answer).toMatchObject({ errcode: 40003, errmsg: expect.stringMatching(new RegExp(`${field} rita has resigned`)), customer: [] });
    }
    expect(await h.transferResult('rita', 'bob')).toMatchObject({ errcode: 40003, errmsg: expect.stringMatching(/resigned/) });
    expect((await wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', {})).follow_user).not.toContain('rita');
    const shared = await wecom('GET', '/cgi-bin/externalcontact/get', { external_userid: 'wmShared2' });
    expect(shared.follow_user.map((f: any) => f.userid)).toEqual(['alice']);
    expect(await wecom('GET', '/cgi-bin/externalcontact/get', { external_userid: 'wmRita1' })).toMatchObject({ errcode: 84061, follow_user: [] });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });

  it('batch/get_by_user takes the older single userid (wechatpy, behaviour §10.7)', async () => {
    const single = await wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', {}, { userid: 'victor' });
    expect(single).toMatchObject({ errcode: 0, external_contact_list: [{ external_contact: { external_userid: 'wmBystander' } }] });
    expect(await wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', {}, { userid: '' })).toMatchObject({ errcode: 41009 });
    expect(await h.bystander()).toEqual(BYSTANDER_STATE);
  });
});
