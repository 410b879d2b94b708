import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { runStatus } from '../../src/cli/status-command.js';
import { runTransfer, SimulatedCrash } from '../../src/cli/transfer-run.js';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';

const run = promisify(execFile);

describe('handover transfer against a real server', () => {
  const server = useCompanyServer(1200);
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-cli-'));
  });
  const common = () => ({ from: 'alice', to: 'carol', corpid: CORP, secret: SECRET, baseUrl: server.baseUrl, journal: join(dir, 'journal.jsonl') });

  it('transfers a CSV of customers, prints a summary in words and writes a report', async () => {
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, `\uFEFFexternal_userid,note\r\n${customerIds(250).join(',x\r\n')},x\r\nwmNope,"quoted, note"\r\n`);
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common(), customers: csv, report: join(dir, 'report.csv') }, io);
    expect(outcomes.size).toBe(251);
    expect(io.output).toMatch(/251 customers:\n\s+250\s+0\s+accepted/);
    expect(io.output).toMatch(/1\s+40096\s+the external_userid is not a customer of this corp/);
    const report = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('external_userid,errcode,meaning');
    expect(report).toHaveLength(252);
    expect(report.at(-1)).toMatch(/^wmNope,40096,/);
  });

  it('resumes after a crash without sending any id twice', async () => {
    const json = join(dir, 'customers.json');
    const ids = customerIds(1000);
    writeFileSync(json, JSON.stringify(ids.map((external_userid) => ({ external_userid }))));
    await expect(runTransfer({ ...common(), customers: json, crashAfterChunks: 4 }, bufferIo())).rejects.toBeInstanceOf(SimulatedCrash);
    // Chunk 4 reached the server but its answer was never journaled.
    const first = await server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', {
      query: { access_token: await server.token(CORP, SECRET) },
      body: { handover_userid: 'alice', takeover_userid: 'carol' },
    });
    expect(first.customer).toHaveLength(400);

    const io = bufferIo();
    const outcomes = await runTransfer({ ...common(), customers: json }, io);
    expect(io.output).toMatch(/resuming from .*: 400 of 1000 already done \(100 confirmed started\)/);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    expect(outcomes.size).toBe(1000);
    const counts = await runStatus({ from: 'alice', to: 'carol', corpid: CORP, secret: SECRET, baseUrl: server.baseUrl }, bufferIo());
    expect(counts).toMatchObject({ waiting: 1000, done: 0 });
    // A third run has nothing left to send.
    const again = bufferIo();
    await runTransfer({ ...common(), customers: json }, again);
    expect(again.output).toMatch(/1000 of 1000 already done/);
    // Every id went out in exactly one call over the three runs (the journal records each send first).
    const sent = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => 'sent' in line)
      .flatMap((line) => line.sent as string[]);
    expect(sent).toHaveLength(1000);
    expect(new Set(sent).size).toBe(1000);
  });

  it('--all takes every customer of --from; --dry-run sends nothing and says what it would do', async () => {
    await server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
      query: { access_token: await server.token(CORP, SECRET) },
      body: { handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(3) },
    });
    const csv = join(dir, 'some.csv');
    writeFileSync(csv, ['wmOrphan', ...customerIds(5)].join('\n'));
    const io = bufferIo();
    await runTransfer({ ...common(), customers: csv, dryRun: true }, io);
    expect(io.output).toContain('dry run: 6 customers from alice to carol, nothing sent');
    expect(io.output).toContain('1 are not customers of alice (would be 40131): wmOrphan');
    expect(io.output).toContain('3 already wait for carol (would be 40129)');
    expect(io.output).toContain('2 would be sent in 1 calls of at most 100');
    expect(io.output).toMatch(/cannot be read from WeCom/);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
    const all = await runTransfer({ ...common(), all: true }, bufferIo());
    expect(all.size).toBe(1201);
    expect([...all.values()].filter((e) => e === 40129)).toHaveLength(3);
  });

  it('status shows counts per status and the next due takeover', async () => {
    await runTransfer({ ...common(), all: true }, bufferIo());
    await server.admin('POST', `/admin/customers/${customerIds(1)[0]}/refuse`);
    const io = bufferIo();
    const counts = await runStatus({ from: 'alice', to: 'carol', corpid: CORP, secret: SECRET, baseUrl: server.baseUrl }, io);
    expect(counts).toEqual({ waiting: 1200, done: 0, refused: 1, 'takeover full': 0 });
    expect(io.output).toMatch(/alice → carol: 1200 waiting, 0 done, 1 refused, 0 takeover full; next takeover due \d{4}-/);
  });

  describe('the bin, for bad input: one line, non-zero exit', () => {
    const bin = join(import.meta.dirname, '../../bin/handover.js');
    const cli = async (args: string[], env: Record<string, string> = {}) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };

    it.each([
      ['a missing file', ['--customers', '/nonexistent/file.csv'], 2, /cannot read \/nonexistent\/file\.csv: no such file/],
      ['no customers given', [], 2, /--customers FILE .* or --all/],
    ])('%s', async (_name, args, code, message) => {
      const answer = await cli(['transfer', '--from', 'alice', '--to', 'carol', '--base-url', server.baseUrl, ...args], { WECOM_CORPID: CORP, WECOM_SECRET: SECRET });
      expect(answer.code).toBe(code);
      expect(answer.stderr.trim().split('\n')).toHaveLength(1);
      expect(answer.stderr).toMatch(message);
      expect(answer.stderr).not.toMatch(/\n\s+at /);
    });

    // Five processes, one waiting out the client's retries against a closed port (~5 s): 30 s was too
    // little on a machine shared by seven suites (node took 6 s to start there).
    it('a malformed CSV, wrong credentials, an unreachable server, an unknown flag', { timeout: 120_000 }, async () => {
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'external_userid,x\n"unterminated,1\n');
      const malformed = await cli(['transfer', '--from', 'alice', '--to', 'carol', '--customers', bad, '--base-url', server.baseUrl], { WECOM_CORPID: CORP, WECOM_SECRET: SECRET });
      expect(malformed).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not valid CSV/) });
      const wrong = await cli(['transfer', '--from', 'alice', '--to', 'carol', '--all', '--base-url', server.baseUrl, '--corpid', CORP, '--secret', 'nope']);
      expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused the credentials \(40001/) });
      const down = await cli(['transfer', 'status', '--from', 'a', '--to', 'b', '--base-url', 'http://127.0.0.1:59998', '--corpid', 'x', '--secret', 'y']);
      expect(down).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot reach .*ECONNREFUSED/) });
      const flag = await cli(['transfer', '--frmo', 'alice']);
      expect(flag.code).toBe(2);
      expect(flag.stderr.trim().split('\n')).toHaveLength(1);
      expect(flag.stderr).toMatch(/unknown option '--frmo'.*see handover transfer --help/);
      const creds = await cli(['transfer', '--from', 'a', '--to', 'b', '--all'], { WECOM_CORPID: '', WECOM_SECRET: '' });
      expect(creds).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing credentials/) });
    });
  });
});
