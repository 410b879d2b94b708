import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliFailure } from '../../src/cli/io.js';
import { runTransfer } from '../../src/cli/transfer-run.js';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';
import { expectBarStopped, terminalIo } from '../support/fake-terminal.js';

/** Issue 11 defect 13 (a damaged journal) and the first-run rough edges of `handover transfer`. */
const BIN = join(import.meta.dirname, '../../bin/handover.js');

describe('handover transfer: journal, report, errors and Ctrl-C', { timeout: 60_000 }, () => {
  const server = useCompanyServer(1000);
  let dir: string;
  let journal: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handover-cli-'));
    journal = join(dir, 'journal.jsonl');
  });
  const common = () => ({ from: 'alice', to: 'carol', corpid: CORP, secret: SECRET, baseUrl: server.baseUrl, journal });
  const customersFile = (count: number) => {
    const path = join(dir, 'customers.csv');
    writeFileSync(path, `external_userid\n${customerIds(count).join('\n')}\n`);
    return path;
  };
  const started = async () =>
    (
      await server.wecom('POST', '/cgi-bin/externalcontact/transfer_result', {
        query: { access_token: await server.token(CORP, SECRET) },
        body: { handover_userid: 'alice', takeover_userid: 'carol' },
      })
    ).customer.length;

  describe('a damaged journal (defect 13)', () => {
    it.each([
      ['a damaged last line that ends with a newline', 'garbage{\n'],
      ['a damaged earlier line', 'garbage{\n{"sent":["x"]}\n'],
      ['a JSON line that is not a journal entry', '{"sent":[1,2]}\n'],
    ])('%s: exit 2 before anything is sent, the journal untouched', async (_name, text) => {
      writeFileSync(journal, text);
      const failure = await runTransfer({ ...common(), customers: customersFile(150) }, bufferIo()).catch((error) => error);
      expect(failure).toBeInstanceOf(CliFailure);
      expect(failure.exitCode).toBe(2);
      expect(failure.message).toMatch(/journal .* line \d is damaged .* nothing was sent/);
      expect(await started()).toBe(0);
      expect(readFileSync(journal, 'utf8')).toBe(text);
    });

    it('a last line with no newline (a crash mid-write) is dropped with a warning, and the run goes on', async () => {
      writeFileSync(journal, '{"sent":["wmNobody"]}\n{"result":[{"id":"wmNob');
      const io = bufferIo();
      const outcomes = await runTransfer({ ...common(), customers: customersFile(150) }, io);
      expect(io.errors).toMatch(/warning: the last line of .*journal\.jsonl was cut off mid-write .* dropped/);
      expect([...outcomes.values()].filter((errcode) => errcode === 0)).toHaveLength(150);
      // Every line of the journal is whole again: nothing was appended to the cut line.
      for (const line of readFileSync(journal, 'utf8').trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    });
  });

  it("a resumed --all run's report covers the customers earlier runs moved", async () => {
    await runTransfer({ ...common(), customers: customersFile(300) }, bufferIo());
    // The 24 h pass: those 300 are carol's now and no longer in alice's list.
    await server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
    const io = bufferIo();
    const report = join(dir, 'report.csv');
    const outcomes = await runTransfer({ ...common(), all: true, report }, io);
    const everyOne = [...customerIds(1000), 'wmShared'];
    expect(outcomes.size).toBe(everyOne.length);
    for (const id of customerIds(300)) expect(outcomes.get(id)).toBe(0);
    expect(io.output).toMatch(new RegExp(`resuming from .*: 300 of ${everyOne.length} already done`));
    expect(readFileSync(report, 'utf8').trim().split('\n')).toHaveLength(everyOne.length + 1);
  });

  it('a whole-call 40003 names --from/--to and does not suggest resuming', async () => {
    const failure = await runTransfer({ ...common(), to: 'nobody', customers: customersFile(10) }, bufferIo()).catch((error) => error);
    expect(failure).toBeInstanceOf(CliFailure);
    expect(failure.message).toMatch(/WeCom answered 40003: .* — check --from and --to/);
    expect(failure.message).not.toMatch(/resume/);
  });

  it('--base-url without a scheme names the flag and the expected form', async () => {
    for (const baseUrl of ['127.0.0.1:8080', 'localhost:8080']) {
      const failure = await runTransfer({ ...common(), baseUrl, customers: customersFile(1) }, bufferIo()).catch((error) => error);
      expect(failure).toMatchObject({ exitCode: 2, message: `--base-url must be a URL such as http://127.0.0.1:8080 or https://qyapi.weixin.qq.com, not "${baseUrl}"` });
    }
  });

  it('Ctrl-C stops sending, restores line wrapping and says how far it got (exit 130)', async () => {
    const { io, screen } = terminalIo(bufferIo());
    const interrupt = new AbortController();
    const failure = await runTransfer(
      { ...common(), customers: customersFile(1000), interrupt: interrupt.signal, afterChunk: ({ chunks }) => void (chunks === 3 && interrupt.abort()) },
      io,
    ).catch((error) => error);
    expect(failure).toMatchObject({ exitCode: 130, message: 'interrupted after 300 of 1000 — run the same command to resume' });
    expectBarStopped(screen());
    expect(await started()).toBe(300);
  });

  it('Ctrl-C on the real command: the message, exit code 130, and the next run resumes', async () => {
    // A proxy that holds the second transfer_customer call: SIGINT lands while a call is in flight.
    let calls = 0;
    let held!: () => void;
    const secondCall = new Promise<void>((resolve) => (held = resolve));
    const proxy = createServer(async (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (request.url!.includes('transfer_customer') && ++calls === 2) return held();
      const answer = await fetch(`${server.baseUrl}${request.url}`, { method: request.method!, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const csv = customersFile(1000);
      const child = spawn(process.execPath, [BIN, 'transfer', '--from', 'alice', '--to', 'carol', '--customers', csv, '--journal', journal, '--base-url', proxyUrl], {
        env: { ...process.env, WECOM_CORPID: CORP, WECOM_SECRET: SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      await secondCall;
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(output).toContain('interrupted after 100 of 1000 — run the same command to resume');
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common(), customers: join(dir, 'customers.csv') }, io);
    expect(io.output).toMatch(/resuming from .*: 100 of 1000 already done/);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    expect(await started()).toBe(1000);
  });
});
