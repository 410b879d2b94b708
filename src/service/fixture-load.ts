import type { Customer, Member, Relation } from '../domain/types.js';
import type { StoreTx } from '../store/store.js';
import type { BigArray, FixtureEvent } from './fixture-events.js';
import { AdminInputError, FieldReader } from './fixture-input.js';
import { FingerprintSet } from './fingerprint-set.js';
import { readApp, readCustomer, readMember, readRelation, unique } from './fixture.js';
import { readGroupChats } from './fixture-groupchats.js';

export interface FixtureLoadResult {
  loaded: string[];
  /** Corps the database holds, validated and left as they are (start-up without --replace). */
  skipped: string[];
  customers: number;
}

/** Rows written per batch: two full multi-row INSERTs of customers on SQLite (3,200 rows of 10 columns each). */
const WRITE_BATCH = 6400;
/**
 * From this many rows loaded, customers' and relations' secondary indexes are dropped and built once at the
 * end (SQLite only, and only while the load is at least as big as what the tables held before: rebuilding
 * sorts the whole tables). Measured on 200,000 customers: dropping both saved ~18% of the load's CPU; on
 * 1,000,000, relations' index too: 48.7 → 38.8 s of CPU.
 */
const DEFER_INDEXES_FROM = 100_000;

export interface FixtureLoadOptions {
  now: number;
  /** Start-up without --replace: a corp the database holds is validated, then left as it is. */
  keepExisting: boolean;
  /** Rows loaded before dropping indexes is considered (tests lower it). */
  deferIndexesFrom?: number;
}

interface CorpState {
  index: number;
  path: string;
  head: Record<string, unknown>;
  /** Keys seen in this corp: a second one is refused (JSON.parse would silently keep the last). */
  keys: Set<string>;
  /** Head keys already validated and written (at open); later ones are applied at the corp's end. */
  applied: Set<string>;
  corpid: string | null;
  mode: 'load' | 'skip';
  agentids: Set<string>;
  secrets: Set<string>;
  members: Set<string>;
  customers: FingerprintSet;
  pairs: FingerprintSet;
  customerCount: number;
  relationCount: number;
  customersDone: boolean;
  /** The big array being read, and whether it streams or waits (its corpid, members or customers came later). */
  open: { key: BigArray; streams: boolean } | null;
  waiting: Record<BigArray, unknown[] | null>;
  pendingCustomers: Customer[];
  pendingRelations: Relation[];
}

/**
 * Validates a fixture and writes it in one transaction, one batch at a time (issue 13): memory holds a
 * batch and compact fingerprints of the ids read, never the document. Every check of the in-memory load
 * holds, with the same answers (the field it names, the same words): a relation's member and customer must
 * be in the corp, ids and pairs unique. A customer or relation batch streams when what it depends on came
 * before it in the document (corpid; for relations also members and customers), which is the order
 * GET /admin/fixtures writes; otherwise that array waits in memory until the corp's end. The first error
 * rejects the whole fixture: the caller's transaction rolls back.
 */
export class FixtureLoader {
  private readonly corpids = new Set<string>();
  private corp: CorpState | null = null;
  private readonly result: FixtureLoadResult = { loaded: [], skipped: [], customers: 0 };
  private loadedRows = 0;
  private nextIndexCheck: number;
  private deferredIndexes: string[] = [];

  constructor(
    private readonly tx: StoreTx,
    private readonly options: FixtureLoadOptions,
  ) {
    this.nextIndexCheck = options.deferIndexesFrom ?? DEFER_INDEXES_FROM;
  }

  async handle(event: FixtureEvent): Promise<void> {
    switch (event.type) {
      case 'bad-root':
        FieldReader.object(event.root, '');
        FieldReader.object({ corps: event.corps }, '').array('corps');
        throw new AdminInputError('corps', 'corps must be an array');
      case 'corps-twice':
        throw new AdminInputError('corps', 'corps appears twice in the fixture');
      case 'bad-corp':
        FieldReader.object(event.value, `corps[${event.index}]`);
        throw new AdminInputError(`corps[${event.index}]`, `corps[${event.index}] must be an object`);
      case 'corp':
        this.corp = newCorp(event.index);
        return;
      case 'field':
        return this.field(this.current(), event.key, event.value);
      case 'items':
        return this.items(this.current(), event.key, event.items, event.first);
      case 'items-end':
        return this.itemsEnd(this.current(), event.key);
      case 'corp-end':
        await this.endCorp(this.current());
        this.corp = null;
        return;
      case 'end':
        return;
    }
  }

  /** After the last event: the indexes dropped for the load are built again, inside the same transaction. */
  async finish(): Promise<FixtureLoadResult> {
    await this.restoreIndexes();
    return this.result;
  }

  private async restoreIndexes(): Promise<void> {
    if (this.deferredIndexes.length > 0) await this.tx.restoreLoadIndexes(this.deferredIndexes);
    this.deferredIndexes = [];
  }

  private current(): CorpState {
    if (!this.corp) throw new Error('fixture event outside a corp');
    return this.corp;
  }

  private seeKey(corp: CorpState, key: string): void {
    if (corp.keys.has(key)) throw new AdminInputError(`${corp.path}.${key}`, `${corp.path}.${key} appears twice in the corp`);
    corp.keys.add(key);
  }

  private field(corp: CorpState, key: string, value: unknown): void {
    this.seeKey(corp, key);
    corp.head[key] = value;
  }

  private async startArray(corp: CorpState, key: BigArray): Promise<void> {
    this.seeKey(corp, key);
    const streams =
      key === 'customers' ? 'corpid' in corp.head : 'corpid' in corp.head && corp.keys.has('members') && corp.customersDone && !corp.waiting.customers;
    if (streams && corp.corpid === null) await this.openCorp(corp);
    corp.open = { key, streams };
    if (!streams) corp.waiting[key] = [];
  }

  private async items(corp: CorpState, key: BigArray, items: unknown[], first: number): Promise<void> {
    if (corp.open?.key !== key) await this.startArray(corp, key);
    if (!corp.open!.streams) {
      for (const item of items) corp.waiting[key]!.push(item);
      return;
    }
    if (key === 'customers') await this.readCustomers(corp, items, first);
    else await this.readRelations(corp, items, first);
  }

  private async itemsEnd(corp: CorpState, key: BigArray): Promise<void> {
    if (corp.open?.key !== key) await this.startArray(corp, key);
    if (corp.open!.streams && key === 'customers') {
      await this.flushCustomers(corp);
      corp.customersDone = true;
    }
    if (corp.open!.streams && key === 'relations') await this.flushRelations(corp);
    corp.open = null;
  }

  /**
   * Validates what the corp gave before its first streamed batch (corpid, name, apps, members, in that order
   * as the in-memory load did) and writes it, or, at start-up without --replace, finds the corp kept.
   */
  private async openCorp(corp: CorpState): Promise<void> {
    const reader = FieldReader.object(corp.head, corp.path);
    const corpid = reader.string('corpid', { max: 64 });
    const name = reader.string('name', { fallback: corpid });
    const apps = reader.array('apps', { optional: true }).map((a, i) => readApp(FieldReader.object(a, `${corp.path}.apps[${i}]`), corpid, corp.agentids, corp.secrets));
    const members = this.readMembers(corp, reader, corpid);
    for (const key of ['corpid', 'name', 'apps', 'members']) if (key in corp.head) corp.applied.add(key);
    unique(this.corpids, corpid, `${corp.path}.corpid`);
    corp.corpid = corpid;
    // Asked once, and only where the answer matters: a kept corp is skipped, and a replaced one needs the
    // indexes a big load dropped.
    const exists = (this.options.keepExisting || this.deferredIndexes.length > 0) && (await this.tx.corpExists(corpid));
    corp.mode = this.options.keepExisting && exists ? 'skip' : 'load';
    if (corp.mode === 'skip') return;
    // Replacing a corp the database holds deletes its customers, and each deleted customer looks for its
    // relations by relations' index (the foreign key's cascade): without the index, a full scan each.
    if (this.deferredIndexes.length > 0 && exists) await this.restoreIndexes();
    await this.tx.beginCorpLoad({ corpid, name });
    await this.tx.insertApps(apps);
    await this.tx.insertMembers(members);
  }

  private readMembers(corp: CorpState, reader: FieldReader, corpid: string): Member[] {
    return reader.array('members', { optional: true }).map((m, i) => {
      const member = readMember(FieldReader.object(m, `${corp.path}.members[${i}]`), corpid, this.options.now);
      unique(corp.members, member.userid, `${corp.path}.members[${i}].userid`);
      return member;
    });
  }

  private async readCustomers(corp: CorpState, items: readonly unknown[], first: number): Promise<void> {
    const corpid = corp.corpid!;
    for (let i = 0; i < items.length; i++) {
      const path = `${corp.path}.customers[${first + i}]`;
      const customer = readCustomer(FieldReader.object(items[i], path), corpid);
      if (!corp.customers.add(customer.externalUserid)) {
        throw new AdminInputError(`${path}.external_userid`, `${path}.external_userid "${customer.externalUserid}" appears twice`);
      }
      corp.customerCount++;
      if (corp.mode === 'load') corp.pendingCustomers.push(customer);
    }
    if (corp.pendingCustomers.length >= WRITE_BATCH) await this.flushCustomers(corp);
  }

  private async readRelations(corp: CorpState, items: readonly unknown[], first: number): Promise<void> {
    const corpid = corp.corpid!;
    for (let i = 0; i < items.length; i++) {
      const path = `${corp.path}.relations[${first + i}]`;
      const relation = readRelation(FieldReader.object(items[i], path), corpid, this.options.now);
      if (!corp.members.has(relation.userid)) throw new AdminInputError(`${path}.userid`, `${path}.userid "${relation.userid}" is not a member of ${corpid}`);
      if (!corp.customers.has(relation.externalUserid)) {
        throw new AdminInputError(`${path}.external_userid`, `${path}.external_userid "${relation.externalUserid}" is not a customer of ${corpid}`);
      }
      if (!corp.pairs.add(`${relation.userid}\u0000${relation.externalUserid}`)) {
        throw new AdminInputError(path, `${path} "${relation.userid} → ${relation.externalUserid}" appears twice`);
      }
      corp.relationCount++;
      if (corp.mode === 'load') corp.pendingRelations.push(relation);
    }
    if (corp.pendingRelations.length >= WRITE_BATCH) await this.flushRelations(corp);
  }

  private async flushCustomers(corp: CorpState): Promise<void> {
    const rows = corp.pendingCustomers;
    if (rows.length === 0) return;
    corp.pendingCustomers = [];
    await this.beforeWrite(rows.length);
    await this.tx.insertCustomers(rows);
  }

  private async flushRelations(corp: CorpState): Promise<void> {
    const rows = corp.pendingRelations;
    if (rows.length === 0) return;
    corp.pendingRelations = [];
    await this.tx.insertRelations(rows);
  }

  /** Before customers are written: whether the load has grown big enough to build the indexes after it. */
  private async beforeWrite(rows: number): Promise<void> {
    this.loadedRows += rows;
    if (this.deferredIndexes.length > 0 || this.loadedRows < this.nextIndexCheck) return;
    this.nextIndexCheck *= 2;
    this.deferredIndexes = await this.tx.deferLoadIndexes(this.loadedRows);
  }

  /** What the corp gave after its first streamed batch, or everything when nothing streamed, in the in-memory order. */
  private async endCorp(corp: CorpState): Promise<void> {
    if (corp.corpid === null) await this.openCorp(corp);
    const corpid = corp.corpid!;
    const reader = FieldReader.object(corp.head, corp.path);
    const late = (key: string) => key in corp.head && !corp.applied.has(key);
    if (late('name') && corp.mode === 'load') await this.tx.renameCorp(corpid, reader.string('name', { fallback: corpid }));
    if (late('apps')) {
      const apps = reader.array('apps', { optional: true }).map((a, i) => readApp(FieldReader.object(a, `${corp.path}.apps[${i}]`), corpid, corp.agentids, corp.secrets));
      if (corp.mode === 'load') await this.tx.insertApps(apps);
    }
    if (late('members')) {
      const members = this.readMembers(corp, reader, corpid);
      if (corp.mode === 'load') await this.tx.insertMembers(members);
    }
    // A big array that was not an array arrived as a field: refused here, in the in-memory order (null is none).
    for (const key of ['customers', 'relations'] as const) if (key in corp.head) reader.array(key, { optional: true });
    if (corp.waiting.customers) {
      await this.readCustomers(corp, corp.waiting.customers, 0);
      corp.waiting.customers = null;
    }
    await this.flushCustomers(corp);
    if (corp.waiting.relations) {
      await this.readRelations(corp, corp.waiting.relations, 0);
      corp.waiting.relations = null;
    }
    await this.flushRelations(corp);
    const groupChats = readGroupChats(reader, corpid, corp.members, this.options.now);
    if (corp.mode === 'skip') {
      this.result.skipped.push(corpid);
      return;
    }
    await this.tx.finishCorpLoad(corpid, groupChats);
    this.result.loaded.push(corpid);
    this.result.customers += corp.customerCount;
  }
}

function newCorp(index: number): CorpState {
  return {
    index,
    path: `corps[${index}]`,
    head: {},
    keys: new Set(),
    applied: new Set(),
    corpid: null,
    mode: 'load',
    agentids: new Set(),
    secrets: new Set(),
    members: new Set(),
    customers: new FingerprintSet(),
    pairs: new FingerprintSet(),
    customerCount: 0,
    relationCount: 0,
    customersDone: false,
    open: null,
    waiting: { customers: null, relations: null },
    pendingCustomers: [],
    pendingRelations: [],
  };
}

/** Feeds every event of `events` to a loader on `tx` and finishes it. */
export async function loadFixtureEvents(tx: StoreTx, events: AsyncIterable<FixtureEvent> | Iterable<FixtureEvent>, options: FixtureLoadOptions): Promise<FixtureLoadResult> {
  const loader = new FixtureLoader(tx, options);
  for await (const event of events) await loader.handle(event);
  return loader.finish();
}
