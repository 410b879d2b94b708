import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliFailure } from '../../src/cli/io.js';
import { runTransfer } from '../../src/cli/transfer-run.js';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';

const TRANSFER = '/cgi-bin/externalcontact/transfer_customer';


/** Every id the journal says was sent, over all runs. */
function sentIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((line) => 'sent' in line)
    .flatMap((line) => line.sent as string[]);
}

describe('handover transfer: faults, token expiry and resume against a real server', () => {
  const server = useCompanyServer(1000);
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-cli-'));
  });
  const common = () => ({ from: 'alice', to: 'carol', corpid: CORP, secret: SECRET, baseUrl: server.baseUrl, journal: join(dir, 'journal.jsonl') });
  const transferResults = async () => {
    const token = await server.token(CORP, SECRET);
    const entries: { external_userid: string; status: number }[] = [];
    let cursor = '';
    do {
      const page = await server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', {
        query: { access_token: token },
        body: { handover_userid: 'alice', takeover_userid: 'carol', cursor },
      });
      entries.push(...page.customer);
      cursor = page.next_cursor;
    } while (cursor);
    return entries;
  };

  it('survives the token expiring mid-run (clock +7,300 s between chunks) and injected -1 / 45009 answers', async () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, `external_userid\n${customerIds(1000).join('\n')}\n`);
    const io = bufferIo();
    const outcomes = await runTransfer(
      {
        ...common(),
        customers: csv,
        afterChunk: async ({ chunks }) => {
          if (chunks === 2) await server.admin('POST', '/admin/clock', { advance_seconds: 7300 });
          if (chunks === 4) await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: -1, count: 2 });
          if (chunks === 6) await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 45009, count: 3 });
          if (chunks === 8) await server.admin('POST', '/admin/clock', { advance_seconds: 7300 });
        },
      },
      io,
    );
    expect(outcomes.size).toBe(1000);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    expect(io.output).toMatch(/sent 1000\/1000, 1000 accepted/);
    const sent = sentIds(join(dir, 'journal.jsonl'));
    expect(sent).toHaveLength(1000);
    expect(new Set(sent).size).toBe(1000);
    expect((await transferResults()).filter((e) => e.status === 2)).toHaveLength(1000);
  });

  it('stops on a whole-call error that outlasts the retries, says how to resume, and the resumed run sends no id twice', async () => {
    const json = join(dir, 'customers.json');
    const ids = customerIds(1000);
    // Duplicates in the input are sent once.
    writeFileSync(json, JSON.stringify([...ids, ...ids.slice(0, 50)]));
    const failing = runTransfer(
      {
        ...common(),
        customers: json,
        afterChunk: async ({ chunks }) => {
          // The client tries 5 times in all: every one of them is answered 45009.
          if (chunks === 3) await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 45009, count: 5 });
        },
      },
      bufferIo(),
    );
    const failure = await failing.catch((error) => error);
    expect(failure).toBeInstanceOf(CliFailure);
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toMatch(/WeCom answered 45009: the API call frequency limit was reached.*stopped after 3 of 10 calls — run the same command again to resume/);
    expect(failure.message).not.toContain('\n');
    expect(await transferResults()).toHaveLength(300);

    const io = bufferIo();
    const outcomes = await runTransfer({ ...common(), customers: json }, io);
    expect(io.output).toMatch(/resuming from .*: 300 of 1000 already done/);
    expect(outcomes.size).toBe(1000);
    expect([...outcomes.values()].filter((errcode) => errcode === 40129)).toEqual([]);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    const results = await transferResults();
    expect(results).toHaveLength(1000);
    expect(new Set(results.map((e) => e.external_userid)).size).toBe(1000);
    // Chunk 4 was journaled as sent (then refused with 45009): the resume checked transfer_result, found it
    // not started, and sent it again — the only ids the journal shows twice.
    const sent = sentIds(join(dir, 'journal.jsonl'));
    expect(sent).toHaveLength(1100);
    expect(new Set(sent).size).toBe(1000);
  });
});
