import { describe, expect, it } from 'vitest';
import { CORP } from '../../support/company.js';
import { BYSTANDER_STATE, useHarness } from '../../support/harness.js';
import { testBackends } from '../../support/stores.js';

describe.each(await testBackends())('resigned members on %s (spec §10.1)', (backend) => {
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
