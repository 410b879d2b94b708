import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runGroupchatTransfer } from '../../src/cli/groupchats-run.js';
import { CORP, SECRET } from '../support/company.js';
import { group, groupCompany } from '../support/groupchat-company.js';
import { useFixtureServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';

/** `handover groupchats transfer` end to end against a real handover server (SQLite; the server suites cover both stores). */
describe('handover groupchats transfer against a real server', () => {
  const server = useFixtureServer(() => groupCompany({ extraGroups: Array.from({ length: 120 }, (_, i) => group(`wrMany${String(i).padStart(3, '0')}`, 'alice', ['wmCust00001'])) }));
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handover-groups-e2e-'));
  });
  const common = (from: string, to: string) => ({ from, to, corpid: CORP, secret: SECRET, baseUrl: server.baseUrl, journal: join(dir, 'journal.jsonl') });
  const owners = async () => {
    const token = await server.token(CORP, SECRET);
    const page = await server.wecom('POST', '/cgi-bin/externalcontact/groupchat/list', { query: { access_token: token }, body: { limit: 1000, owner_filter: { userid_list: ['alice', 'bob', 'carol', 'rita'] } } });
    const result: Record<string, string> = {};
    for (const { chat_id } of page.group_chat_list) {
      const got = await server.wecom('POST', '/cgi-bin/externalcontact/groupchat/get', { query: { access_token: token }, body: { chat_id } });
      result[chat_id] = got.group_chat.owner;
    }
    return result;
  };

  it('moves all 122 groups of an in-service owner in two calls, then a resigned owner’s groups through inheritance', async () => {
    const io = bufferIo();
    const outcomes = await runGroupchatTransfer({ ...common('alice', 'bob'), all: true }, io);
    expect(outcomes.size).toBe(122);
    expect([...outcomes.values()].every((e) => e === 0)).toBe(true);
    expect(io.output).toMatch(/sent 100\/122, 100 transferred\nsent 122\/122, 122 transferred/);
    const after = await owners();
    expect(Object.entries(after).filter(([, owner]) => owner === 'alice')).toEqual([]);
    expect(Object.entries(after).filter(([, owner]) => owner === 'bob')).toHaveLength(122);

    const resigned = bufferIo();
    const inherited = await runGroupchatTransfer({ ...common('rita', 'carol'), journal: join(dir, 'rita.jsonl'), resigned: true, all: true }, resigned);
    expect([...inherited.entries()]).toEqual([['wrRita1', 0], ['wrRita2', 0]]);
    expect(resigned.output).toMatch(/2 group chats:\n\s+2\s+0\s+inheritance started/);
    await server.admin('POST', '/admin/clock', { advance_seconds: 61 });
    expect(await owners()).toMatchObject({ wrRita1: 'carol', wrRita2: 'carol' });

    // Without --resigned the same groups would be refused per group (90502), which a dry run says up front.
    const dry = bufferIo();
    await runGroupchatTransfer({ ...common('alice', 'carol'), journal: join(dir, 'none.jsonl'), all: true, dryRun: true }, dry);
    expect(dry.output).toContain('dry run: 0 group chats of alice to carol, nothing sent');
  });

  it('per-group codes from the server are outcomes: an in-service owner’s groups sent as resigned answer 90500', async () => {
    const io = bufferIo();
    const outcomes = await runGroupchatTransfer({ ...common('alice', 'bob'), resigned: true, all: false, chats: writeIds(dir, ['wrAlice1', 'wrAlice2']) }, io);
    expect([...outcomes.values()]).toEqual([90500, 90500]);
    expect(io.output).toMatch(/2\s+90500\s+the owner of this group has not resigned/);
  });
});

function writeIds(dir: string, ids: string[]): string {
  const file = join(dir, 'chats.csv');
  writeFileSync(file, `chat_id\n${ids.join('\n')}\n`);
  return file;
}
