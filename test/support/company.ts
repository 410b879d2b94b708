import type { Fixture, FixtureMember } from '../../src/wire/admin.js';

/**
 * The named cast of the HTTP and service suites (architecture rule 10): every mutating test also checks
 * that the bystander — a member and a customer nobody transfers — is unchanged.
 *  - alice: the handover member, follows c1…c{n} and shares c-shared with bob.
 *  - bob: the takeover member; carol: a second takeover; dave: not activated; erin: not real-name;
 *    frank: no customer contact; gina: last login 400 days ago; hank: outside app 2's visible range;
 *  - victor (bystander) follows c-bystander.
 */
export const CORP = 'wwtestcorp0000001';
export const SECRET = 'test-secret-self-built';
export const AGENT = 1000002;
export const NARROW_SECRET = 'test-secret-narrow';
export const NARROW_AGENT = 1000003;
export const FORBIDDEN_SECRET = 'test-secret-not-callable';
export const THIRD_PARTY_SECRET = 'test-secret-third-party-no-perm';

export function customerIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `wmCust${String(i + 1).padStart(5, '0')}`);
}

export function testCompany(options: { customers?: number; bobCap?: number; now?: Date } = {}): Fixture {
  const count = options.customers ?? 10;
  const now = options.now ?? new Date();
  const member = (userid: string, extra: Partial<FixtureMember> = {}): FixtureMember => ({ userid, name: userid.toUpperCase(), ...extra });
  const ids = customerIds(count);
  return {
    corps: [
      {
        corpid: CORP,
        name: 'Test Corp',
        apps: [
          { agentid: AGENT, secret: SECRET, kind: 'self_built', customer_contact_callable: true, visible_userids: ['*'] },
          { agentid: NARROW_AGENT, secret: NARROW_SECRET, kind: 'self_built', customer_contact_callable: true, visible_userids: ['alice', 'bob', 'carol'] },
          { agentid: 1000004, secret: FORBIDDEN_SECRET, kind: 'self_built', customer_contact_callable: false },
          { agentid: 1000005, secret: THIRD_PARTY_SECRET, kind: 'third_party', permissions: ['resigned_transfer'] },
        ],
        members: [
          member('alice'),
          member('bob', options.bobCap !== undefined ? { customer_cap: options.bobCap } : {}),
          member('carol'),
          member('dave', { activated: false }),
          member('erin', { real_name_verified: false }),
          member('frank', { customer_contact_enabled: false }),
          member('gina', { last_login_at: new Date(now.getTime() - 400 * 86_400_000).toISOString() }),
          member('hank'),
          member('victor'),
        ],
        customers: [
          ...ids.map((id, i) => ({ external_userid: id, name: `Customer ${i + 1}`, type: 1 as const })),
          { external_userid: 'wmShared', name: 'Shared', type: 2, corp_name: 'ACME', corp_full_name: 'ACME Ltd' },
          { external_userid: 'wmBystander', name: 'Bystander', type: 1 },
          { external_userid: 'wmOrphan', name: 'Nobody follows me', type: 1 },
        ],
        relations: [
          ...ids.map((id) => ({
            userid: 'alice',
            external_userid: id,
            remark: `remark of ${id}`,
            description: 'vip',
            tags: [
              { group_name: 'level', tag_name: 'gold', type: 1 as const },
              { group_name: 'mine', tag_name: 'friend', type: 2 as const },
            ],
            createtime: 1_700_000_000,
            add_way: 1,
            state: 'campaign-1',
          })),
          { userid: 'alice', external_userid: 'wmShared', remark: 'shared by alice', createtime: 1_700_000_000, add_way: 1 },
          { userid: 'bob', external_userid: 'wmShared', remark: 'shared by bob', createtime: 1_700_000_100, add_way: 2 },
          { userid: 'victor', external_userid: 'wmBystander', remark: 'untouched', createtime: 1_700_000_000, add_way: 1 },
        ],
      },
    ],
  };
}
