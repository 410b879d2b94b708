import type { Page } from 'playwright-core';
import type { Fixture } from '../../src/wire/admin.js';

export const SCALE_CORP = 'wwscalecorp000001';
export const SCALE_SECRET = 'scale-test-secret-0001';
const MEMBERS = 50;

/** `count` customers spread round-robin over 50 members (the Transfers datalist and Members page stay one page). */
export function scaleCompany(count: number): Fixture {
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ userid: `member${String(i).padStart(2, '0')}`, name: `成员${i}` }));
  const customers = Array.from({ length: count }, (_, i) => ({ external_userid: `wmScale${String(i).padStart(6, '0')}`, name: `客户${i}`, type: 1 as const }));
  return {
    corps: [
      {
        corpid: SCALE_CORP,
        name: '十万客户公司',
        apps: [{ agentid: 1000002, secret: SCALE_SECRET, kind: 'self_built', customer_contact_callable: true, visible_userids: ['*'] }],
        members,
        customers,
        relations: customers.map((c, i) => ({
          userid: members[i % MEMBERS]!.userid,
          external_userid: c.external_userid,
          tags: [{ group_name: '等级', tag_name: i % 2 ? '一般' : '重要', type: 1 as const }],
        })),
      },
    ],
  };
}

/** What shows that each screen has painted its data, not just its frame. */
export const SCREENS: { path: string; painted: (page: Page) => Promise<void> }[] = [
  { path: '/console', painted: (page) => page.getByText('100,000').or(page.getByText(/^\d{1,3}(,\d{3})+$/)).first().waitFor() },
  { path: '/console/members', painted: (page) => page.getByRole('row').filter({ hasText: '成员0' }).first().waitFor() },
  { path: '/console/customers', painted: (page) => page.getByRole('link', { name: 'wmScale000000' }).waitFor() },
  { path: '/console/transfers', painted: (page) => page.getByRole('region', { name: 'Waiting' }).getByRole('listitem').first().waitFor() },
  { path: '/console/events', painted: (page) => page.getByRole('table', { name: 'Callback outbox' }).getByRole('row').nth(1).waitFor() },
  { path: '/console/clock', painted: (page) => page.getByText(/Running|Frozen/).first().waitFor() },
];

/** Milliseconds from navigation start (the page's own clock) until `painted` resolves. */
export async function firstPaint(page: Page, url: string, painted: (page: Page) => Promise<void>): Promise<number> {
  await page.goto(url);
  await painted(page).catch(async (error) => {
    await page.screenshot({ path: '/tmp/console-paint-failure.png' });
    throw error;
  });
  return Math.round(await page.evaluate(() => performance.now()));
}
