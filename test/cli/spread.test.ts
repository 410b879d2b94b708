import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerTransferCommand } from '../../src/cli/transfer-command.js';
import { runStatus } from '../../src/cli/status-command.js';
import { runTransfer, SimulatedCrash } from '../../src/cli/transfer-run.js';
import { Spreader } from '../../src/cli/spread.js';
import { bufferIo } from '../support/cli-io.js';
import { expectBarStopped, terminalIo } from '../support/fake-terminal.js';
import { FakeWecom } from '../support/fake-wecom.js';

const ids = (n: number, prefix = 'wmR') => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
const journalLines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('Spreader', () => {
  it('deals card by card over the open takeovers, continuing the rotation, and skips full ones', () => {
    const spreader = new Spreader(['a', 'b', 'c']);
    const queue = ids(7);
    expect(spreader.deal(queue, 2).map((h) => [h.takeover, h.ids.length])).toEqual([['a', 2], ['b', 2], ['c', 2]]);
    expect(spreader.deal(queue, 2)).toEqual([{ takeover: 'a', ids: ['wmR0007'] }]);
    spreader.markFull('b');
    // Open are a and c now; the rotation goes on from where it stopped (c's turn).
    expect(spreader.deal(['x', 'y', 'z'], 2)).toEqual([{ takeover: 'a', ids: ['y'] }, { takeover: 'c', ids: ['x', 'z'] }]);
    spreader.markFull('a');
    spreader.markFull('c');
    expect(spreader.deal(['x'])).toEqual([]);
  });
});

describe('handover transfer --resigned / --to a,b,c against a fake WeCom', () => {
  const wecom = new FakeWecom();
  let dir: string;
  beforeAll(() => wecom.start());
  afterAll(() => wecom.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handover-spread-'));
    for (const map of [wecom.holds, wecom.resigned, wecom.caps, wecom.groups]) map.clear();
    wecom.transfers.length = 0;
    wecom.calls.length = 0;
    wecom.pageSize = 1000;
  });
  const common = (to: string) => ({ from: 'alice', to, corpid: 'ww', secret: 's', baseUrl: wecom.baseUrl, journal: join(dir, 'journal.jsonl') });

  it('Ctrl-C stops a spread run: no call after it, line wrapping restored, exit 130 with how far it got; the same command resumes', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(500));
    const { io, screen } = terminalIo(bufferIo());
    const interrupt = new AbortController();
    const failure = await runTransfer(
      { ...common('bob,carol'), resigned: true, all: true, interrupt: interrupt.signal, afterChunk: ({ chunks }) => void (chunks === 2 && interrupt.abort()) },
      io,
    ).catch((error) => error);
    expect(failure).toMatchObject({ exitCode: 130, message: 'interrupted after 200 of 500 — run the same command to resume' });
    expectBarStopped(screen());
    expect(wecom.transfers).toHaveLength(200);
    const again = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol'), resigned: true, all: true }, again);
    expect(again.output).toMatch(/resuming from .*: 200 of 500 already done/);
    expect(outcomes.size).toBe(500);
    expect(wecom.transfers).toHaveLength(500);
  });

  it('spreads a resigned member’s unassigned customers round-robin; a takeover that answers 40099 gets no more and its customers go to the others', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(250));
    wecom.resigned.set('olga', 1_795_000_001);
    wecom.hold('olga', ['wmOlga']);
    wecom.caps.set('bob', 40);
    wecom.pageSize = 100;
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol,dave'), resigned: true, all: true, report: join(dir, 'report.csv') }, io);
    expect(outcomes.size).toBe(250);
    expect([...outcomes.values()].every((errcode) => errcode === 0)).toBe(true);
    const takenBy = (t: string) => wecom.transfers.filter((x) => x.takeover === t && x.kind === 'resigned').length;
    expect([takenBy('bob'), takenBy('carol'), takenBy('dave')]).toEqual([40, 105, 105]);
    expect(wecom.transfers.some((t) => t.id === 'wmOlga')).toBe(false);
    expect(wecom.calls.filter((c) => c.path === 'externalcontact/transfer_customer')).toEqual([]);
    expect(io.output).toMatch(/bob is full: 44 go to the others/);
    expect(io.output).toMatch(/250 customers:\n\s+250\s+0\s+accepted/);
    expect(io.output).toContain('accepted per takeover: bob 40, carol 105, dave 105');
    expect(io.output).toContain('full (answered 40099, sent nothing more): bob');
    // The journal says which takeover each id went to; the report carries it.
    const lines = journalLines(join(dir, 'journal.jsonl'));
    expect(lines.filter((l) => 'sent' in l).every((l) => ['bob', 'carol', 'dave'].includes(l.to))).toBe(true);
    const last = new Map(lines.filter((l) => 'result' in l).flatMap((l) => l.result).map((r: { id: string; to: string }) => [r.id, r.to]));
    for (const t of wecom.transfers) expect(last.get(t.id)).toBe(t.takeover);
    const report = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('external_userid,errcode,meaning,takeover_userid');
    expect(report).toHaveLength(251);
    expect(report.filter((row) => row.endsWith(',bob'))).toHaveLength(40);
    // The 44 bob refused were sent twice (bob, then another): no id went to the same takeover twice.
    const pairs = wecom.calls.filter((c) => c.path.endsWith('resigned/transfer_customer')).flatMap((c) => c.body.external_userid.map((id: string) => `${c.body.takeover_userid}:${id}`));
    expect(pairs).toHaveLength(294);
    expect(new Set(pairs).size).toBe(294);
  });

  it('when every takeover is full the rest are 40099, and a resumed run with the same journal sends nothing', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(30));
    wecom.caps.set('bob', 10);
    wecom.caps.set('carol', 10);
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol'), resigned: true, all: true }, io);
    expect([...outcomes.values()].filter((e) => e === 0)).toHaveLength(20);
    expect([...outcomes.values()].filter((e) => e === 40099)).toHaveLength(10);
    expect(io.output).toContain('full (answered 40099, sent nothing more): bob, carol');
    const calls = wecom.calls.length;
    const again = bufferIo();
    await runTransfer({ ...common('bob,carol'), resigned: true, all: true }, again);
    expect(again.output).toMatch(/30 of 30 already done/);
    expect(wecom.calls.filter((c, i) => i >= calls && c.path.endsWith('transfer_customer'))).toEqual([]);
  });

  it('resumes after a crash without resending: ids sent without a journaled answer are looked up per takeover', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(500));
    await expect(runTransfer({ ...common('bob,carol'), resigned: true, all: true, crashAfterChunks: 3 }, bufferIo())).rejects.toBeInstanceOf(SimulatedCrash);
    expect(wecom.transfers).toHaveLength(300);
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol'), resigned: true, all: true }, io);
    expect(io.output).toMatch(/resuming from .*: 300 of 500 already done \(100 confirmed started\)/);
    expect(outcomes.size).toBe(500);
    expect([...outcomes.values()].every((e) => e === 0)).toBe(true);
    const sent = wecom.sent('resigned/transfer_customer');
    expect(sent).toHaveLength(500);
    expect(new Set(sent).size).toBe(500);
    expect(wecom.calls.some((c) => c.path === 'externalcontact/resigned/transfer_result')).toBe(true);
  });

  it('a crash while re-routing a full takeover’s customers: the resumed run finds them waiting for the other one, not 40099', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(300));
    wecom.caps.set('bob', 10);
    // Call 1: bob takes 10 of 100 (90 answered 40099); call 2: carol 100; call 3: carol gets bob's 90 and 10 more, then the run dies.
    await expect(runTransfer({ ...common('bob,carol'), resigned: true, all: true, crashAfterChunks: 3 }, bufferIo())).rejects.toBeInstanceOf(SimulatedCrash);
    expect(wecom.transfers).toHaveLength(210);
    const io = bufferIo();
    const outcomes = await runTransfer({ ...common('bob,carol'), resigned: true, all: true }, io);
    expect(io.output).toMatch(/\(100 confirmed started\)/);
    expect([...outcomes.values()].filter((e) => e !== 0)).toEqual([]);
    expect(outcomes.size).toBe(300);
    expect(wecom.transfers.filter((t) => t.takeover === 'carol')).toHaveLength(290);
    expect(wecom.calls.filter((c) => c.path.endsWith('resigned/transfer_customer') && c.body.takeover_userid === 'bob')).toHaveLength(1);
  });

  it('--dry-run for a resigned member says what would happen and sends nothing', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(5));
    wecom.transfers.push({ kind: 'resigned', handover: 'alice', takeover: 'carol', id: 'wmR0001', status: 2, takeover_time: 1 });
    const file = join(dir, 'some.json');
    writeFileSync(file, JSON.stringify(['wmNope', ...ids(5)]));
    const io = bufferIo();
    await runTransfer({ ...common('bob,carol'), resigned: true, customers: file, dryRun: true }, io);
    expect(io.output).toContain('dry run: 6 customers from resigned member alice to bob, carol, nothing sent');
    expect(io.output).toContain('1 are not unassigned customers of resigned member alice (would be 40131): wmNope');
    expect(io.output).toContain('1 already wait for bob or carol (would be 40129): wmR0001');
    expect(io.output).toContain('4 would be sent in 2 calls of at most 100, round-robin: bob 2, carol 2');
    expect(io.output).toMatch(/a takeover that answers 40099 gets no more customers/);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
    expect(wecom.calls.filter((c) => c.path.endsWith('transfer_customer'))).toEqual([]);
  });

  it('in-service customers spread over two takeovers with the message; refuses --message with --resigned and --to naming --from', async () => {
    wecom.hold('alice', ids(10));
    const outcomes = await runTransfer({ ...common('bob,carol'), all: true, message: 'hi' }, bufferIo());
    expect(outcomes.size).toBe(10);
    const calls = wecom.calls.filter((c) => c.path === 'externalcontact/transfer_customer');
    expect(calls.map((c) => [c.body.takeover_userid, c.body.external_userid.length, c.body.transfer_success_msg])).toEqual([['bob', 5, 'hi'], ['carol', 5, 'hi']]);
    await expect(runTransfer({ ...common('bob'), resigned: true, all: true, message: 'hi' }, bufferIo())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--message is for in-service transfers/) });
    await expect(runTransfer({ ...common('bob,alice'), all: true }, bufferIo())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--to names --from/) });
    await expect(runTransfer({ ...common('bob,carol'), all: true, message: 'é'.repeat(201) }, bufferIo())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--message is 201 characters/) });
  });

  it('a whole-call 40097 (not resigned) stops the run with how to resume', async () => {
    wecom.hold('alice', ids(3));
    const file = join(dir, 'c.csv');
    writeFileSync(file, ids(3).join('\n'));
    const failure = await runTransfer({ ...common('bob'), resigned: true, customers: file }, bufferIo()).catch((e) => e);
    expect(failure).toMatchObject({ exitCode: 1, message: expect.stringMatching(/WeCom answered 40097: the handover member has not resigned.*stopped after 0 calls — run the same command again/) });
  });

  it('status --resigned counts resigned transfers per takeover', async () => {
    wecom.transfers.push(
      { kind: 'resigned', handover: 'alice', takeover: 'bob', id: 'wm1', status: 2, takeover_time: 1_800_000_000 },
      { kind: 'resigned', handover: 'alice', takeover: 'bob', id: 'wm2', status: 3, takeover_time: 0 },
      { kind: 'resigned', handover: 'alice', takeover: 'carol', id: 'wm3', status: 1, takeover_time: 1 },
      { kind: 'onjob', handover: 'alice', takeover: 'bob', id: 'wm4', status: 2, takeover_time: 1 },
    );
    const io = bufferIo();
    const counts = await runStatus({ from: 'alice', to: 'bob,carol', resigned: true, corpid: 'ww', secret: 's', baseUrl: wecom.baseUrl }, io);
    expect(counts).toEqual({ waiting: 1, done: 1, refused: 1, 'takeover full': 0 });
    expect(io.output).toBe(
      'resigned alice → bob: 1 waiting, 0 done, 1 refused, 0 takeover full; next takeover due 2027-01-15T08:00:00.000Z\nresigned alice → carol: 0 waiting, 1 done, 0 refused, 0 takeover full\n',
    );
  });

  it('the command: --resigned and --to a,b,c reach the run and the status', async () => {
    wecom.resigned.set('alice', 1_795_000_000);
    wecom.hold('alice', ids(4));
    const io = bufferIo();
    const program = new Command().exitOverride().enablePositionalOptions();
    registerTransferCommand(program, { corpId: 'ww', secret: 's' }, io);
    const connection = ['--base-url', wecom.baseUrl];
    await program.parseAsync(['transfer', '--resigned', '--from', 'alice', '--to', 'bob,carol', '--all', '--journal', join(dir, 'j.jsonl'), ...connection], { from: 'user' });
    expect(io.output).toContain('accepted per takeover: bob 2, carol 2');
    await program.parseAsync(['transfer', 'status', '--resigned', '--from', 'alice', '--to', 'bob,carol', ...connection], { from: 'user' });
    expect(io.output).toContain('resigned alice → carol: 2 waiting, 0 done, 0 refused, 0 takeover full');
    expect(io.errors).toBe('');
  });
});
