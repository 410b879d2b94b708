/**
 * A fixture as a sequence of events, whatever it comes from (issue 13): a file streamed through a JSON
 * tokenizer (fixture-tokens.ts) or a document already in memory (eventsOfFixture below, for the admin route
 * and the demo company). The loader (fixture-load.ts) sees one shape, so both validate alike.
 *
 * A corp's small fields (corpid, name, apps, members, groupchats) arrive whole; its customers and relations
 * arrive as batches of raw elements in document order.
 */
export type FixtureEvent =
  /** The root is not an object, or `corps` is not an array (or is missing): the value as it was. */
  | { type: 'bad-root'; root: unknown; corps: unknown }
  | { type: 'corp'; index: number }
  /** An element of `corps` that is not an object. */
  | { type: 'bad-corp'; index: number; value: unknown }
  | { type: 'field'; key: string; value: unknown }
  | { type: 'items'; key: BigArray; items: unknown[]; first: number }
  | { type: 'items-end'; key: BigArray }
  | { type: 'corp-end' }
  /** The `corps` key appeared a second time in the root (JSON.parse would keep the last one). */
  | { type: 'corps-twice' }
  | { type: 'end' };

export type BigArray = 'customers' | 'relations';

export const BIG_ARRAYS: readonly string[] = ['customers', 'relations'];
/** The corp keys the loader reads; any other key is skipped unread. */
export const CORP_FIELDS: readonly string[] = ['corpid', 'name', 'apps', 'members', 'groupchats'];

/** Elements of a big array handed over at once: bounds memory, and is one multi-row INSERT's worth. */
export const ITEM_BATCH = 2000;

/** The events of a fixture already parsed (admin route, demo company): the same ones a streamed file gives. */
export function* eventsOfFixture(fixture: unknown): Generator<FixtureEvent> {
  const root = fixture as Record<string, unknown> | null;
  if (root === null || typeof root !== 'object' || Array.isArray(root) || !Array.isArray(root['corps'])) {
    yield { type: 'bad-root', root: fixture, corps: root !== null && typeof root === 'object' ? root['corps'] : undefined };
    return;
  }
  for (const [index, corp] of (root['corps'] as unknown[]).entries()) {
    if (corp === null || typeof corp !== 'object' || Array.isArray(corp)) {
      yield { type: 'bad-corp', index, value: corp };
      continue;
    }
    yield { type: 'corp', index };
    for (const [key, value] of Object.entries(corp)) {
      if (BIG_ARRAYS.includes(key) && Array.isArray(value)) {
        for (let first = 0; first < value.length; first += ITEM_BATCH) {
          yield { type: 'items', key: key as BigArray, items: value.slice(first, first + ITEM_BATCH), first };
        }
        yield { type: 'items-end', key: key as BigArray };
      } else if (CORP_FIELDS.includes(key) || BIG_ARRAYS.includes(key)) {
        yield { type: 'field', key, value };
      }
    }
    yield { type: 'corp-end' };
  }
  yield { type: 'end' };
}
