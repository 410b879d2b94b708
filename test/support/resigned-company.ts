import type { Fixture } from '../../src/wire/admin.js';
import { CORP, testCompany } from './company.js';

const DAY_MS = 86_400_000;
export const RESIGNED_CUSTOMERS = ['wmRita1', 'wmRita2', 'wmRita3'];
export const THIRD_PARTY_ONJOB_SECRET = 'test-secret-third-party-onjob-only';

/**
 * The test cast plus resigned members (behaviour §10.1), relative to `now`:
 *  - rita resigned 10 days ago and holds wmRita1…3 (unassigned) and shares wmShared2 with alice;
 *  - olga resigned 400 days ago (too long ago to inherit from) and holds wmOlga;
 *  - ivan resigned yesterday, but had not logged in for 400 days before that, and holds wmIvan.
 * An extra third-party app has in-service inheritance only (48002 for the resigned family).
 */
export function resignedCompany(now = new Date()): Fixture {
  const fixture = testCompany({ now });
  const corp = fixture.corps[0]!;
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const at = now.getTime();
  corp.apps!.push({ agentid: 1000006, secret: THIRD_PARTY_ONJOB_SECRET, kind: 'third_party', permissions: ['onjob_transfer', 'customer_basic'] });
  corp.members!.push(
    { userid: 'rita', name: 'RITA', dimission_time: seconds(at - 10 * DAY_MS), last_login_at: new Date(at - 11 * DAY_MS).toISOString() },
    { userid: 'olga', name: 'OLGA', dimission_time: seconds(at - 400 * DAY_MS), last_login_at: new Date(at - 401 * DAY_MS).toISOString() },
    { userid: 'ivan', name: 'IVAN', dimission_time: seconds(at - DAY_MS), last_login_at: new Date(at - 400 * DAY_MS).toISOString() },
  );
  corp.customers!.push(
    ...RESIGNED_CUSTOMERS.map((id, i) => ({ external_userid: id, name: `Rita's ${i + 1}`, type: 1 as const })),
    { external_userid: 'wmShared2', name: 'Shared 2', type: 1 },
    { external_userid: 'wmOlga', name: "Olga's", type: 1 },
    { external_userid: 'wmIvan', name: "Ivan's", type: 1 },
  );
  corp.relations!.push(
    ...RESIGNED_CUSTOMERS.map((id) => ({ userid: 'rita', external_userid: id, remark: `rita's ${id}`, createtime: 1_700_000_000, add_way: 1, tags: [{ group_name: 'level', tag_name: 'gold', type: 1 as const }] })),
    { userid: 'rita', external_userid: 'wmShared2', createtime: 1_700_000_000, add_way: 1 },
    { userid: 'alice', external_userid: 'wmShared2', createtime: 1_700_000_000, add_way: 1 },
    { userid: 'olga', external_userid: 'wmOlga', createtime: 1_700_000_000, add_way: 1 },
    { userid: 'ivan', external_userid: 'wmIvan', createtime: 1_700_000_000, add_way: 1 },
  );
  return fixture;
}

export { CORP };
