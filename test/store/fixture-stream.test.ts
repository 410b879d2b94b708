import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeSyntaxError, fixtureFileEvents, FixtureSyntaxError } from '../../src/serve/fixture-file.js';
import { eventsOfFixture, ITEM_BATCH } from '../../src/service/fixture-events.js';
import { AdminInputError } from '../../src/service/fixture-input.js';
import { loadFixtureEvents } from '../../src/service/fixture-load.js';
import { FingerprintSet } from '../../src/service/fingerprint-set.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase, testBackends } from '../support/stores.js';

/** More customers than one item batch, so every check also runs across batches. */
const CUSTOMERS = ITEM_BATCH + 500;
const NOW = Date.UTC(2026, 0, 1);
const id = (i: number) => `wmStream${String(i).padStart(6, '0')}`;

function company(corpid: string, customers = CUSTOMERS) {
  return {
    corpid,
    name: `Corp ${corpid}`,
    apps: [{ agentid: 1000002, secret: `secret-${corpid}` }],
    members: [{ userid: 'alice' }, { userid: 'bob' }],
    customers: Array.from({ length: customers }, (_, i) => ({ external_userid: id(i), name: `客户${i}` })),
    relations: Array.from({ length: customers }, (_, i) => ({ userid: i % 2 ? 'bob' : 'alice', external_userid: id(i), createtime: 1_700_000_000, tags: [{ group_name: 'g', tag_name: 't' }] })),
    groupchats: [{ chat_id: `chat-${corpid}`, owner: 'alice', members: [{ userid: 'alice', type: 1 }] }],
  };
}

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'handover-stream-')), 'fixture.json');
  writeFileSync(path, text);
  return path;
}

describe.each(await testBackends())('streaming fixture load on %s (issue 13)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    store = await openStore(database.location);
    // Another corp already in the database: a load must keep it whole, indexes and all.
    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [company('wwother', 300)] }), { now: NOW, keepExisting: false }));
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const loadFile = (path: string, options: { keepExisting?: boolean; deferIndexesFrom?: number } = {}) =>
    store.write((tx) => loadFixtureEvents(tx, fixtureFileEvents(path), { now: NOW, keepExisting: options.keepExisting ?? false, deferIndexesFrom: options.deferIndexesFrom ?? 1000 }));
  const exported = async (corpid: string) => (await store.read((tx) => tx.exportCorps())).find((s) => s.corp.corpid === corpid);

  it('loads a streamed file exactly as the parsed document, next to a corp it leaves alone, and rebuilds the indexes it dropped', async () => {
    const fixture = { corps: [company('wwstream1')] };
    const result = await loadFile(file(JSON.stringify(fixture)));
    expect(result).toEqual({ loaded: ['wwstream1'], skipped: [], customers: CUSTOMERS });
    const streamed = await exported('wwstream1');
    expect(streamed!.customers).toHaveLength(CUSTOMERS);
    expect(streamed!.relations).toHaveLength(CUSTOMERS);
    // Each member's customer count, which the cap check reads, is the relations just loaded.
    expect(await store.write(async (tx) => [await tx.takeoverLoad('wwstream1', 'alice', false), await tx.takeoverLoad('wwstream1', 'bob', false)])).toEqual([CUSTOMERS / 2, CUSTOMERS / 2]);
    expect((await exported('wwother'))!.customers).toHaveLength(300);

    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture(fixture), { now: NOW, keepExisting: false }));
    expect(await exported('wwstream1')).toEqual(streamed);

    if (backend === 'sqlite') {
      await store.close();
      const db = new Database((database.location as { path: string }).path, { readonly: true });
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('customers', 'relations') ORDER BY name").pluck().all();
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT corpid FROM customers WHERE external_userid = 'wmStream000001'").all() as { detail: string }[];
      db.close();
      store = await openStore(database.location);
      expect(indexes).toEqual(['customers_by_external_userid', 'relations_by_customer']);
      expect(plan.map((p) => p.detail).join(' ')).toContain('customers_by_external_userid');
    }
  });

  it('replaces a corp the database holds after dropping the indexes for a bigger one, and keeps both indexes', async () => {
    // wwother comes second: its customers are deleted while relations' index is dropped, unless the loader
    // builds it again first (the cascade looks each deleted customer's relations up by that index).
    const fixture = { corps: [company('wwstream1'), company('wwother', 400)] };
    expect(await loadFile(file(JSON.stringify(fixture)))).toEqual({ loaded: ['wwstream1', 'wwother'], skipped: [], customers: CUSTOMERS + 400 });
    expect((await exported('wwother'))!.customers).toHaveLength(400);
    expect((await exported('wwother'))!.relations).toHaveLength(400);
    expect((await exported('wwstream1'))!.relations).toHaveLength(CUSTOMERS);
    if (backend === 'sqlite') {
      await store.close();
      const db = new Database((database.location as { path: string }).path, { readonly: true });
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('customers', 'relations') ORDER BY name").pluck().all();
      db.close();
      store = await openStore(database.location);
      expect(indexes).toEqual(['customers_by_external_userid', 'relations_by_customer']);
    }
  });

  it('loads any key order: relations before customers, customers before corpid, members after customers', async () => {
    const { corpid, name, apps, members, customers, relations, groupchats } = company('wwstream2');
    const text = JSON.stringify({ corps: [{ relations, customers, corpid, groupchats, apps, members, name }] });
    await loadFile(file(text));
    const reordered = await exported('wwstream2');
    await store.write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [company('wwstream2')] }), { now: NOW, keepExisting: false }));
    expect(reordered).toEqual(await exported('wwstream2'));
  });

  it.each([
    ['a duplicate customer in a later batch', (c: ReturnType<typeof company>) => c.customers.push({ ...c.customers[5]! }), `corps[1].customers[${CUSTOMERS}].external_userid`, 'appears twice'],
    ['a relation to an unknown customer', (c: ReturnType<typeof company>) => (c.relations[ITEM_BATCH + 10]!.external_userid = 'wmNobody'), `corps[1].relations[${ITEM_BATCH + 10}].external_userid`, 'is not a customer of wwstream3'],
    ['a relation to an unknown member', (c: ReturnType<typeof company>) => (c.relations[7]!.userid = 'nobody'), 'corps[1].relations[7].userid', 'is not a member of wwstream3'],
    ['a relation twice', (c: ReturnType<typeof company>) => c.relations.push({ ...c.relations[ITEM_BATCH + 1]! }), `corps[1].relations[${CUSTOMERS}]`, 'appears twice'],
    ['a bad customer field', (c: ReturnType<typeof company>) => ((c.customers[ITEM_BATCH + 3] as Record<string, unknown>)['gender'] = 7), `corps[1].customers[${ITEM_BATCH + 3}].gender`, 'must be one of 0, 1, 2'],
  ])('refuses %s with the in-memory answer, and changes nothing', async (_name, spoil, field, words) => {
    const corp = company('wwstream3');
    spoil(corp);
    const fromFile = await loadFile(file(JSON.stringify({ corps: [company('wwstream4', 10), corp] }))).catch((error: unknown) => error);
    const fromDocument = await store
      .write((tx) => loadFixtureEvents(tx, eventsOfFixture({ corps: [company('wwstream4', 10), corp] }), { now: NOW, keepExisting: false }))
      .catch((error: unknown) => error);
    expect(fromFile).toBeInstanceOf(AdminInputError);
    expect((fromFile as AdminInputError).field).toBe(field);
    expect((fromFile as AdminInputError).message).toContain(words);
    expect((fromDocument as AdminInputError).message).toBe((fromFile as AdminInputError).message);
    expect(await exported('wwstream3')).toBeUndefined();
    expect(await exported('wwstream4')).toBeUndefined();
    expect((await exported('wwother'))!.customers).toHaveLength(300);
  });

  it('takes null for no customers or relations, and refuses any other value that is not an array', async () => {
    const { corpid, members } = company('wwstream7');
    expect(await loadFile(file(JSON.stringify({ corps: [{ corpid, members, customers: null, relations: null }] })))).toMatchObject({ loaded: ['wwstream7'], customers: 0 });
    await expect(loadFile(file(JSON.stringify({ corps: [{ corpid, members, customers: {} }] })))).rejects.toThrow('corps[0].customers must be an array');
    await expect(loadFile(file(JSON.stringify({ corps: [{ corpid, relations: 'none' }] })))).rejects.toThrow('corps[0].relations must be an array');
  });

  it.each([
    ['[]', 'body must be an object'],
    ['{"version": 1}', 'corps must be an array'],
    ['{"corps": {"corpid": "x"}}', 'corps must be an array'],
    ['{"corps": [7]}', 'corps[0] must be an object'],
    ['{"corps": [], "corps": []}', 'corps appears twice in the fixture'],
  ])('refuses the outline %s as the parsed document is refused', async (text, words) => {
    await expect(loadFile(file(text))).rejects.toThrow(words);
  });

  it('skips keys it does not read, at the root and in a corp', async () => {
    const corp = { note: { deep: [1, { x: null }] }, ...company('wwstream8', 3), extra: [[], {}] };
    expect(await loadFile(file(JSON.stringify({ comment: 'made by hand', corps: [corp], tail: [1, 2] })))).toMatchObject({ loaded: ['wwstream8'], customers: 3 });
  });

  it('refuses a big array given twice in one corp instead of keeping the last silently', async () => {
    const { corpid, customers } = company('wwstream5', 3);
    const text = `{"corps":[{"corpid":"${corpid}","customers":${JSON.stringify(customers)},"customers":${JSON.stringify(customers)}}]}`;
    await expect(loadFile(file(text))).rejects.toThrow('corps[0].customers appears twice in the corp');
  });

  it('validates a kept corp whole at start-up without writing it', async () => {
    const kept = company('wwother', 300);
    kept.relations[299]!.external_userid = 'wmNobody';
    await expect(loadFile(file(JSON.stringify({ corps: [kept] })), { keepExisting: true })).rejects.toThrow('corps[0].relations[299].external_userid "wmNobody" is not a customer of wwother');
    const fine = company('wwother', 10);
    expect(await loadFile(file(JSON.stringify({ corps: [fine] })), { keepExisting: true })).toEqual({ loaded: [], skipped: ['wwother'], customers: 0 });
    expect((await exported('wwother'))!.customers).toHaveLength(300);
  });

  it('says where a malformed file stops being JSON, and loads nothing of it', async () => {
    const good = JSON.stringify({ corps: [company('wwstream6', 50)] }, null, 1);
    const path = file(`${good.slice(0, good.length - 20)},,${good.slice(good.length - 20)}`);
    const error = await loadFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureSyntaxError);
    const lines = good.slice(0, good.length - 20).split('\n');
    const described = await describeSyntaxError(path, error as FixtureSyntaxError);
    expect(described.message).toMatch(new RegExp(`is not valid JSON: line ${lines.length}, column ${lines.at(-1)!.length + 2}: `));
    expect(await exported('wwstream6')).toBeUndefined();
  });
});

describe('FingerprintSet', () => {
  it('tells every one of 300,000 distinct ids apart across its growth, and finds each again', () => {
    const set = new FingerprintSet();
    let refused = 0;
    for (let i = 0; i < 300_000; i++) if (!set.add(`wm${i.toString(36)}x`)) refused++;
    expect(refused).toBe(0);
    expect(set.size).toBe(300_000);
    for (let i = 0; i < 300_000; i += 997) {
      expect(set.has(`wm${i.toString(36)}x`)).toBe(true);
      expect(set.add(`wm${i.toString(36)}x`)).toBe(false);
      expect(set.has(`wm${i.toString(36)}y`)).toBe(false);
    }
    expect(set.has('')).toBe(false);
    expect(set.add('')).toBe(true);
    expect(set.has('')).toBe(true);
  });
});
