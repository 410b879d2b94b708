import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../outbox/receiver.js';
import { buildConsoleBundle, chromiumInstalled, launchChromium } from '../support/chromium.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../support/server.js';
import { CONSOLE_CORP, CONSOLE_SECRET, consoleCompany, importedCompany } from './console-company.js';
import { firstPaint, SCALE_CORP, SCALE_SECRET, scaleCompany, SCREENS } from './console-scale.js';

// Screenshots for the README: `HANDOVER_CONSOLE_SCREENSHOTS=docs/console npx vitest run test/console`.
const SHOTS = process.env['HANDOVER_CONSOLE_SCREENSHOTS'];
// The first-paint figures of the report: HANDOVER_CONSOLE_SCALE=100000 (the default keeps npm test short).
const SCALE = Number(process.env['HANDOVER_CONSOLE_SCALE'] ?? 10_000);
const DAY = 86_400;

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

describe.skipIf(!chromiumInstalled())('web console in Chromium (issue 12)', () => {
  let receiver: TestReceiver;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    buildConsoleBundle();
    receiver = await startReceiver(CONSOLE_CORP);
    receiver.mode = 'fail';
    // One retry at once, then dead: the Events step sees failed callbacks within a second.
    server = await startTestServer({ fixture: consoleCompany(receiver.url), env: { HANDOVER_CALLBACK_BACKOFF: '0' } });
    // wm012 goes zhangsan → wangwu → zhangsan: its 2 transfers of the last 90 days are used (40128 later).
    for (const [from, to] of [['zhangsan', 'wangwu'], ['wangwu', 'zhangsan']] as const) {
      // Tokens live 7,200 s: each day on the clock needs a new one.
      const token = await server.token(CONSOLE_CORP, CONSOLE_SECRET);
      const answer = await server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
        query: { access_token: token },
        body: { handover_userid: from, takeover_userid: to, external_userid: ['wm012'] },
      });
      expect(answer).toMatchObject({ errcode: 0, customer: [{ external_userid: "wm012", errcode: 0 }] });
      await server.admin('POST', '/admin/clock', { advance_seconds: DAY });
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it('signs in with the admin token into an HttpOnly, SameSite=Strict session', async () => {
    await page.goto(`${server.baseUrl}/console`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const name of ['Overview', 'Members', 'Customers', 'Transfers', 'Events', 'Clock']) {
      await page.getByRole('link', { name, exact: true }).waitFor();
    }
    const cookie = (await context.cookies()).find((c) => c.name === 'handover_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: '控制台测试公司' }).waitFor();
    await shot(page, 'overview');
  });

  it('lists members with Chinese names, flags and counts', async () => {
    await page.getByRole('link', { name: 'Members', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: '张三' });
    await row.waitFor();
    expect(await row.getByRole('checkbox', { name: 'Activated: 张三' }).isChecked()).toBe(true);
    expect(await row.getByRole('cell').nth(5).textContent()).toBe('12'); // wm001…wm012 (wm012 came back)
    const wangwu = page.getByRole('row').filter({ hasText: '王五' });
    await wangwu.getByRole('checkbox', { name: 'Real-name verified: 王五' }).uncheck();
    await page.getByText('Saved 王五 (wangwu).').waitFor();
    await wangwu.getByRole('button', { name: 'Resign' }).click();
    await wangwu.getByRole('cell', { name: /^resigned \d{4}-/ }).waitFor();
    const members = (await server.admin('GET', `/admin/members?corpid=${CONSOLE_CORP}`)).members;
    expect(members.find((m: { userid: string }) => m.userid === 'wangwu')).toMatchObject({ real_name_verified: false, dimission_time: expect.any(Number) });
    await shot(page, 'members');
  });

  it('starts a transfer of several customers through the WeCom API and shows each errcode with a reason', async () => {
    await page.getByRole('link', { name: 'Transfers', exact: true }).click();
    await page.getByLabel('From', { exact: true }).fill('zhangsan');
    await page.getByLabel('To', { exact: true }).fill('lisi');
    await page.getByLabel('Customers', { exact: true }).fill(['wm001', 'wm002', 'wm003', 'wm004', 'wmBystander', 'wm012'].join('\n'));
    await page.getByLabel('Message', { exact: true }).fill('您好，李四将接替张三继续为您服务。');
    await page.getByRole('button', { name: 'Start transfer' }).click();
    const results = page.getByRole('table', { name: 'Transfer results' });
    await results.getByRole('row').filter({ hasText: 'wm012' }).waitFor();
    const cells = async (id: string) => (await results.getByRole('row').filter({ hasText: id }).getByRole('cell').allTextContents()).slice(1);
    for (const id of ['wm001', 'wm002', 'wm003', 'wm004']) expect((await cells(id))[0]).toBe('0');
    expect(await cells('wmBystander')).toEqual(['40131', 'From does not follow this customer']);
    const [code, reason] = await cells('wm012');
    expect(code).toBe('40128');
    expect(reason).toMatch(/^transferred twice in the last 90 days; next possible on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });

  it('shows them waiting with a countdown, refuses one, and turns the rest into taken over when the clock moves elsewhere', async () => {
    const waiting = page.getByRole('region', { name: 'Waiting' });
    for (const id of ['wm001', 'wm002', 'wm003', 'wm004']) {
      await waiting.getByRole('listitem').filter({ hasText: id }).filter({ hasText: /waiting, takes over in 2\d h|waiting, takes over in 23 h/ }).waitFor();
    }
    await shot(page, 'transfers', true);
    await waiting.getByRole('listitem').filter({ hasText: 'wm004' }).getByRole('button', { name: 'Refuse transfer', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('row').filter({ hasText: 'wm004' }).filter({ hasText: 'refused' }).waitFor();

    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const clockPage = await context.newPage();
    await clockPage.goto(`${server.baseUrl}/console/clock`);
    await clockPage.getByRole('button', { name: 'Advance 24 hours' }).click();
    await clockPage.getByText(/Advanced 24 hours: now .*; 3 takeovers completed\./).first().waitFor();
    await shot(clockPage, 'clock');
    await clockPage.close();

    for (const id of ['wm001', 'wm002', 'wm003']) await history.getByRole('row').filter({ hasText: id }).filter({ hasText: 'taken over' }).first().waitFor();
    await page.getByText('Nothing is waiting.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  });

  it('shows a customer: followers, transfers, quota use and the message it received', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByLabel('Id or name').fill('客户1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'wm001' }).click();
    await page.getByRole('heading', { name: /客户1/ }).waitFor();
    await page.getByRole('cell', { name: 'taken over' }).waitFor();
    await page.getByText('1 of 2 transfers used in the last 90 days; 1 left').waitFor();
    await page.getByText('您好，李四将接替张三继续为您服务。').waitFor();
    await shot(page, 'customer');
  });

  it('shows failed callbacks with attempts and the decrypted XML, and redelivers one', async () => {
    await page.getByRole('link', { name: 'Events', exact: true }).click();
    const dead = page.getByRole('table', { name: 'Callback outbox' }).getByRole('row').filter({ hasText: 'dead' }).first();
    await dead.waitFor();
    const id = (await dead.getByRole('cell').first().textContent())!;
    expect(await dead.getByRole('cell').nth(6).textContent()).toBe('2');
    await dead.getByText('Decrypted XML').click();
    await dead.getByText(/<xml>\s*<ToUserName><!\[CDATA\[wwconsolecorp0001\]\]>/).waitFor();
    await shot(page, 'events');
    receiver.mode = 'ok';
    await dead.getByRole('button', { name: 'Redeliver' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: id, exact: true }) });
    await row.filter({ hasText: 'delivered' }).waitFor();
    expect(receiver.events.length).toBeGreaterThanOrEqual(1);
  });

  it('exports, imports a fixture file and resets after a confirmation', async () => {
    await page.getByRole('link', { name: 'Company data' }).click();
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download handover-fixture.json' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.corps.map((c: { corpid: string }) => c.corpid)).toEqual([CONSOLE_CORP]);

    await page.getByLabel('Fixture file').setInputFiles({ name: 'imported.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(importedCompany())) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Imported 1 corps with 1 customers.').waitFor();
    expect((await server.admin('GET', '/admin/corps')).corps.map((c: { corpid: string }) => c.corpid)).toEqual([CONSOLE_CORP, 'wwimportedcorp001']);
    await shot(page, 'data');

    await page.getByRole('button', { name: 'Reset everything…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, reset everything' }).click();
    await page.getByText('Everything was reset.').waitFor();
    expect((await server.admin('GET', '/admin/fixtures')).corps).toEqual([]);
  });

  it(`paints every screen with ${SCALE.toLocaleString('en')} customers within 5 s`, async () => {
    const loading = Date.now();
    await server.admin('POST', '/admin/fixtures', scaleCompany(SCALE));
    console.log(`[console scale] fixture of ${SCALE} customers loaded in ${Date.now() - loading} ms`);
    const token = await server.token(SCALE_CORP, SCALE_SECRET);
    const ids = Array.from({ length: 100 }, (_, i) => `wmScale${String(i * 50).padStart(6, '0')}`);
    const started = await server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
      query: { access_token: token },
      body: { handover_userid: 'member00', takeover_userid: 'member01', external_userid: ids },
    });
    expect(started.customer.filter((c: { errcode: number }) => c.errcode === 0)).toHaveLength(100);
    await server.admin('POST', '/admin/customers/wmScale000000/refuse');
    await page.goto(`${server.baseUrl}/console`);
    await page.getByLabel('Company').selectOption(SCALE_CORP);
    const figures: Record<string, number> = {};
    for (const screen of SCREENS) figures[screen.path] = await firstPaint(page, `${server.baseUrl}${screen.path}`, screen.painted);
    await page.goto(`${server.baseUrl}/console/customers`);
    await page.getByLabel('Id or name').fill(`客户${SCALE - 1}`);
    const search = Date.now();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: `wmScale${String(SCALE - 1).padStart(6, '0')}` }).waitFor();
    figures['customers: name search (ms after click)'] = Date.now() - search;
    console.log(`[console first paint, ${SCALE} customers, ms from navigation start]`, JSON.stringify(figures));
    // 5 s on a shared 2-core machine under load, where even the Clock screen (no data) takes ~1.5 s;
    // a list that was not paged would take far longer than that at this size.
    for (const ms of Object.values(figures)) expect(ms).toBeLessThan(5000);
  }, 180_000);
});
