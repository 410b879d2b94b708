import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/service/demo-company.js';
import type { Fixture } from '../../src/wire/admin.js';
import { killAllChildServers, spawnServer } from '../support/child-server.js';
import { CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import { createTestDatabase, testBackends } from '../support/stores.js';

/**
 * Issue 11, defect 12: restarting `handover serve --fixture/--demo` on a used database keeps what happened
 * since; only absent corps are loaded, `--replace` reloads; a kept demo company stays usable at the clock.
 */
const TOKEN = 'serve-fixture-admin-token-0123456789abcdef';
const ENV = { HANDOVER_ADMIN_TOKEN: TOKEN, HANDOVER_ENGINE_POLL_MS: '50' };

async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

async function transfer(base: string, corpid: string, secret: string, handover: string, takeover: string, ids: string[]) {
  const { access_token } = await call(base, 'GET', `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${secret}`);
  const answer = await call(base, 'POST', `/cgi-bin/externalcontact/transfer_customer?access_token=${access_token}`, {
    handover_userid: handover,
    takeover_userid: takeover,
    external_userid: ids,
  });
  return answer.customer?.map((c: { errcode: number }) => c.errcode) ?? answer;
}

async function statuses(base: string): Promise<number[]> {
  const { access_token } = await call(base, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`);
  const answer = await call(base, 'POST', `/cgi-bin/externalcontact/transfer_result?access_token=${access_token}`, { handover_userid: 'alice', takeover_userid: 'carol' });
  return answer.customer.map((c: { status: number }) => c.status);
}

function fixtureFile(fixture: Fixture): string {
  const path = join(mkdtempSync(join(tmpdir(), 'handover-fixture-')), 'company.json');
  writeFileSync(path, JSON.stringify(fixture));
  return path;
}

afterAll(killAllChildServers);

describe.each(await testBackends())('serve --fixture on a used database (%s)', (backend) => {
  // Three server processes one after the other: generous under a loaded machine.
  it('keeps the corps the database holds, loads the absent ones, and replaces only with --replace', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase(backend);
    const one = testCompany();
    const file = fixtureFile(one);
    try {
      const first = await spawnServer(database.location, ENV, { args: ['--fixture', file] });
      try {
        expect(first.output()).toMatch(new RegExp(`fixture .*: loaded ${CORP}`));
        // The store it runs on, a PostgreSQL password never shown (issue 14).
        expect(first.output()).toMatch(backend === 'sqlite' ? /, store: SQLite \/.*handover\.sqlite$/m : /, store: PostgreSQL database handover_test_\w+ on [\w.]+:\d+ as \w+$/m);
        expect(await transfer(first.baseUrl, CORP, SECRET, 'alice', 'carol', customerIds(2))).toEqual([0, 0]);
        await call(first.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
        expect(await statuses(first.baseUrl)).toEqual([1, 1]);
      } finally {
        await first.stop();
      }

      // The same command again, plus a fixture naming a second corp.
      const two = structuredClone(one);
      two.corps.push({ ...structuredClone(one.corps[0]!), corpid: 'wwsecondcorp00001', apps: one.corps[0]!.apps!.map((app) => ({ ...app, secret: `${app.secret}-2` })) });
      const second = await spawnServer(database.location, ENV, { args: ['--fixture', fixtureFile(two)] });
      try {
        expect(second.output()).toMatch(/fixture .*: loaded wwsecondcorp00001$/m);
        expect(second.output()).toMatch(new RegExp(`fixture .*: kept ${CORP} as the database holds it \\(--replace reloads`));
        expect(await statuses(second.baseUrl)).toEqual([1, 1]);
        expect(await transfer(second.baseUrl, 'wwsecondcorp00001', `${SECRET}-2`, 'alice', 'carol', customerIds(1))).toEqual([0]);
      } finally {
        await second.stop();
      }

      const third = await spawnServer(database.location, ENV, { args: ['--fixture', file, '--replace'] });
      try {
        expect(third.output()).toMatch(new RegExp(`fixture .*: loaded ${CORP}$`, 'm'));
        expect(await statuses(third.baseUrl)).toEqual([]);
      } finally {
        await third.stop();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('serve --demo restarted (sqlite)', () => {
  it('keeps the demo company as it was and in step with a clock moved a year on', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const first = await spawnServer(database.location, ENV, { args: ['--demo'] });
      try {
        expect(await transfer(first.baseUrl, DEMO.corpid, DEMO.secret, 'zhangsan', 'lisi', ['wmDemo000001'])).toEqual([0]);
        await call(first.baseUrl, 'POST', '/admin/clock', { advance_seconds: 400 * 86_400 });
      } finally {
        await first.stop();
      }
      const second = await spawnServer(database.location, ENV, { args: ['--demo'] });
      try {
        expect(second.output()).toMatch(/demo: kept wwhandoverdemo0001/);
        expect(second.output()).toMatch(/^clock: .*400 d .*ahead of real time$/m);
        // Kept: wmDemo000001 was taken over by lisi; a reload would have given it back to zhangsan.
        expect(await transfer(second.baseUrl, DEMO.corpid, DEMO.secret, 'zhangsan', 'lisi', ['wmDemo000001'])).toEqual([40131]);
        // In step: zhangsan last logged in 400 days before the clock; without logging in again this is 41054.
        expect(await transfer(second.baseUrl, DEMO.corpid, DEMO.secret, 'zhangsan', 'lisi', ['wmDemo000006'])).toEqual([0]);
        expect(second.output()).toMatch(/demo company: members .*zhangsan.* logged in again at the server clock/);
      } finally {
        await second.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
