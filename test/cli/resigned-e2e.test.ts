import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runStatus } from '../../src/cli/status-command.js';
import { runTransfer, SimulatedCrash } from '../../src/cli/transfer-run.js';
import { WecomClient } from '../../src/sdk/client.js';
import { CORP, customerIds, SECRET, testCompany } from '../support/company.js';
import { useFixtureServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';

/**
 * `handover transfer --resigned --to a,b,c` and the resigned / older SDK calls end to end against a real
 * handover server (SQLite; the server suites cover both stores).
 */
describe('handover transfer --resigned against a real server', () => {
  // alice holds 1,250 customers and wmShared; bob already follows wmShared and has room for 39 more.
  const server = useFixtureServer(() => {
    const fixture = testCompany({ customers: 1250, bobCap: 40 });
    for (const member of fixture.corps[0]!.members!) if (member.userid === 'carol' || member.userid === 'victor') member.customer_cap = 10_000;
    return fixture;
  });
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-resigned-e2e-'));
    await server.admin('POST', '/admin/members/alice/resign', {});
  });
  const connection = () => ({ corpid: CORP, secret: SECRET, baseUrl: server.baseUrl });
  const common = (to: string) => ({ from: 'alice', to, ...connection(), journal: join(dir, 'journal.jsonl') });

  it('spreads the unassigned customers over three takeovers, bob until full, resumes after a crash without resending, and the takeovers complete', async () => {
    const client = new WecomClient({ corpId: CORP, secret: SECRET, baseUrl: server.baseUrl });
    const unassigned: string[] = [];
    for await (const row of client.unassignedCustomers({ handover: 'alice', pageSize: 500 })) unassigned.push(row.external_userid);
    expect(unassigned).toHaveLength(1251);

    await expect(runTransfer({ ...common('bob,carol,victor'), resigned: true, all: true, crashAfterChunks: 4 }, bufferIo())).rejects.toBeInstanceOf(SimulatedCrash);
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol,victor'), resigned: true, all: true, report: join(dir, 'report.csv') }, io);
    expect(io.output).toMatch(/resuming from .*: \d+ of 1251 already done \(100 confirmed started\)/);
    expect(outcomes.size).toBe(1251);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    expect(io.output).toMatch(/accepted per takeover: bob 39, carol \d+, victor \d+/);
    expect(io.output).toContain('full (answered 40099, sent nothing more): bob');

    // Every customer waits for exactly one takeover.
    const waiting: string[] = [];
    for (const takeover of ['bob', 'carol', 'victor']) for await (const entry of client.resignedTransferResults({ handover: 'alice', takeover })) waiting.push(entry.external_userid);
    expect(waiting).toHaveLength(1251);
    expect(new Set(waiting).size).toBe(1251);

    // The older calls see the same transfers: wmCust00001 was dealt first, to bob.
    const first = customerIds(1)[0]!;
    expect(await client.getTransferResult({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: first })).toMatchObject({ errcode: 0, status: 2 });
    expect(await client.getTransferResult({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: first })).toMatchObject({ errcode: 0, status: 5 });
    await expect(client.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: first })).rejects.toMatchObject({ errcode: 40100 });

    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
    const status = bufferIo();
    expect(await runStatus({ from: 'alice', to: 'bob,carol,victor', resigned: true, ...connection() }, status)).toEqual({ waiting: 0, done: 1251, refused: 0, 'takeover full': 0 });
    expect(status.output).toMatch(/^resigned alice → bob: 0 waiting, 39 done, 0 refused, 0 takeover full\n/);
    expect((await client.batchGetByUser({ userid: 'victor', limit: 100 })).external_contact_list.length).toBeGreaterThan(1);
  });
});

