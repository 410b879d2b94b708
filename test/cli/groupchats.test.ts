import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerGroupchatsCommand } from '../../src/cli/groupchats-command.js';
import { runGroupchatTransfer } from '../../src/cli/groupchats-run.js';
import { SimulatedCrash } from '../../src/cli/transfer-run.js';
import { bufferIo } from '../support/cli-io.js';
import { expectBarStopped, terminalIo } from '../support/fake-terminal.js';
import { FakeWecom } from '../support/fake-wecom.js';

const chats = (n: number, prefix = 'wrA') => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

describe('handover groupchats transfer against a fake WeCom', () => {
  const wecom = new FakeWecom();
  let dir: string;
  beforeAll(() => wecom.start());
  afterAll(() => wecom.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handover-groups-'));
    wecom.groups.clear();
    wecom.resigned.clear();
    wecom.calls.length = 0;
    wecom.pageSize = 1000;
    for (const chat_id of chats(150)) wecom.groups.set(chat_id, { chat_id, owner: 'alice', status: 0 });
    for (const chat_id of chats(3, 'wrE')) wecom.groups.set(chat_id, { chat_id, owner: 'erin', status: 1 });
    wecom.groups.set('wrV', { chat_id: 'wrV', owner: 'victor', status: 0 });
    wecom.resigned.set('erin', 1_795_000_000);
  });
  const common = (from: string, to = 'bob') => ({ from, to, corpid: 'ww', secret: 's', baseUrl: wecom.baseUrl, journal: join(dir, 'journal.jsonl') });

  it('--all moves every group of an in-service owner at once, 100 per call, and writes a report', async () => {
    wecom.pageSize = 60;
    const io = bufferIo();
    const outcomes = await runGroupchatTransfer({ ...common('alice'), all: true, report: join(dir, 'report.csv') }, io);
    expect(outcomes.size).toBe(150);
    expect([...wecom.groups.values()].filter((g) => g.owner === 'bob')).toHaveLength(150);
    expect(wecom.calls.filter((c) => c.path.endsWith('onjob_transfer')).map((c) => c.body.chat_id_list.length)).toEqual([100, 50]);
    expect(wecom.calls.find((c) => c.path.endsWith('groupchat/list'))!.body).toMatchObject({ owner_filter: { userid_list: ['alice'] } });
    expect(io.output).toMatch(/sent 150\/150, 150 transferred/);
    expect(io.output).toMatch(/150 group chats:\n\s+150\s+0\s+transferred: the new owner owns the group now/);
    const report = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('chat_id,errcode,meaning');
    expect(report).toHaveLength(151);
  });

  it('--resigned --all takes the groups waiting for inheritance; a second run sends nothing; per-group codes are outcomes', async () => {
    const io = bufferIo();
    const outcomes = await runGroupchatTransfer({ ...common('erin'), resigned: true, all: true }, io);
    expect([...outcomes.values()]).toEqual([0, 0, 0]);
    expect(wecom.calls.filter((c) => c.path.endsWith('groupchat/transfer')).map((c) => c.body)).toEqual([{ chat_id_list: chats(3, 'wrE'), new_owner: 'bob' }]);
    expect(io.output).toMatch(/3 group chats:\n\s+3\s+0\s+inheritance started/);
    const again = bufferIo();
    await runGroupchatTransfer({ ...common('erin'), resigned: true, all: true }, again);
    expect(again.output).toMatch(/3 group chats:/);
    expect(wecom.calls.filter((c) => c.path.endsWith('groupchat/transfer'))).toHaveLength(1);
    // --resigned on an in-service owner's groups: WeCom answers 90500 per group, shown as outcomes.
    const file = join(dir, 'chats.csv');
    writeFileSync(file, `chat_id\n${chats(2).join('\n')}\n`);
    const wrong = bufferIo();
    const refused = await runGroupchatTransfer({ ...common('alice'), journal: join(dir, 'other.jsonl'), resigned: true, chats: file }, wrong);
    expect([...refused.values()]).toEqual([90500, 90500]);
    expect(wrong.output).toMatch(/2\s+90500\s+the owner of this group has not resigned/);
  });

  it('--chats refuses groups that are not --from’s before sending anything', async () => {
    const file = join(dir, 'chats.json');
    writeFileSync(file, JSON.stringify([{ chat_id: 'wrA0001' }, { chat_id: 'wrV' }]));
    const failure = await runGroupchatTransfer({ ...common('alice'), chats: file }, bufferIo()).catch((e) => e);
    expect(failure).toMatchObject({ exitCode: 2, message: expect.stringMatching(/1 chats in .* are not groups of alice: wrV — remove them or check --from/) });
    expect(wecom.calls.filter((c) => c.path.includes('transfer'))).toEqual([]);
  });

  it('--dry-run says what would happen and sends nothing', async () => {
    wecom.groups.get('wrE0001')!.status = 2;
    const io = bufferIo();
    await runGroupchatTransfer({ ...common('erin'), resigned: true, chats: writeChats(dir, chats(3, 'wrE')), dryRun: true }, io);
    expect(io.output).toContain('dry run: 3 group chats of erin to bob (resigned owner), nothing sent');
    expect(io.output).toContain('1 are being inherited already (would be 90507): wrE0001');
    expect(io.output).toContain('2 would be sent in 1 calls of at most 100');
    const onjob = bufferIo();
    await runGroupchatTransfer({ ...common('erin'), all: true, dryRun: true }, onjob);
    expect(onjob.output).toMatch(/3 have an owner who resigned \(would be 90502: add --resigned\)/);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
    expect(wecom.calls.filter((c) => c.path.includes('transfer'))).toEqual([]);
  });

  it('resumes after a crash without resending: a chat now owned by --to counts as transferred', async () => {
    await expect(runGroupchatTransfer({ ...common('alice'), all: true, crashAfterChunks: 1 }, bufferIo())).rejects.toBeInstanceOf(SimulatedCrash);
    const io = bufferIo();
    // The first 100 now belong to bob, so --all lists only 50: the summary still covers the whole job.
    const outcomes = await runGroupchatTransfer({ ...common('alice'), all: true }, io);
    expect(io.output).toMatch(/resuming from .*: 100 of 150 already done \(100 confirmed transferred\)/);
    expect(outcomes.size).toBe(150);
    const sent = wecom.sent('onjob_transfer');
    expect(sent).toHaveLength(150);
    expect(new Set(sent).size).toBe(150);
  });

  it('Ctrl-C stops the run: no call after it, line wrapping restored, exit 130 with how far it got', async () => {
    for (const chat_id of chats(150, 'wrB')) wecom.groups.set(chat_id, { chat_id, owner: 'alice', status: 0 });
    const { io, screen } = terminalIo(bufferIo());
    const interrupt = new AbortController();
    const failure = await runGroupchatTransfer(
      { ...common('alice'), all: true, interrupt: interrupt.signal, afterChunk: ({ chunks }) => void (chunks === 2 && interrupt.abort()) },
      io,
    ).catch((error) => error);
    expect(failure).toMatchObject({ exitCode: 130, message: 'interrupted after 200 of 300 — run the same command to resume' });
    expectBarStopped(screen());
    expect(wecom.sent('onjob_transfer')).toHaveLength(200);
  });

  it('the command installs the Ctrl-C handler: SIGINT during a call ends it with 130', async () => {
    const before = process.listeners('SIGINT');
    const record = wecom.calls.push.bind(wecom.calls);
    // The first transfer call is in flight when Ctrl-C comes (the handler the command added, called as the signal would).
    wecom.calls.push = (...calls) => {
      if (calls.some((c) => c.path.endsWith('onjob_transfer'))) for (const listener of process.listeners('SIGINT').filter((l) => !before.includes(l))) (listener as () => void)();
      return record(...calls);
    };
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    try {
      const io = bufferIo();
      const program = new Command().exitOverride().enablePositionalOptions();
      registerGroupchatsCommand(program, { corpId: 'ww', secret: 's' }, io);
      await program.parseAsync(['groupchats', 'transfer', '--from', 'alice', '--to', 'bob', '--all', '--base-url', wecom.baseUrl, '--journal', join(dir, 'j.jsonl')], { from: 'user' });
      expect(io.errors).toBe('handover groupchats transfer: interrupted after 0 of 150 — run the same command to resume\n');
      expect(exit).toHaveBeenCalledWith(130);
      expect(process.listeners('SIGINT')).toEqual(before);
    } finally {
      exit.mockRestore();
      wecom.calls.push = record;
    }
  });

  it('the command: flags reach the run, errors are one line with the command name', async () => {
    const io = bufferIo();
    const program = new Command().exitOverride().enablePositionalOptions();
    registerGroupchatsCommand(program, { corpId: 'ww', secret: 's' }, io);
    await program.parseAsync(['groupchats', 'transfer', '--from', 'erin', '--to', 'bob', '--resigned', '--all', '--base-url', wecom.baseUrl, '--journal', join(dir, 'j.jsonl')], { from: 'user' });
    expect(io.output).toMatch(/3 group chats:/);
    await program.parseAsync(['groupchats', 'transfer', '--from', 'erin', '--to', 'bob', '--base-url', wecom.baseUrl], { from: 'user' });
    expect(io.errors).toBe('handover groupchats transfer: say which groups: --chats FILE (CSV or JSON of chat_id) or --all\n');
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });
});

function writeChats(dir: string, ids: string[]): string {
  const file = join(dir, 'chats.txt');
  writeFileSync(file, ids.join('\n'));
  return file;
}
