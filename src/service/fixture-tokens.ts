import type { Token } from 'stream-json/core/parser.js';
import { BIG_ARRAYS, type BigArray, CORP_FIELDS, type FixtureEvent, ITEM_BATCH } from './fixture-events.js';

/**
 * Builds one JSON value from tokens, as JSON.parse would (a `__proto__` key is an own property, the last of
 * two equal keys wins). Answers true on the token that completes the value.
 */
class ValueBuilder {
  private stack: (unknown[] | Record<string, unknown>)[] = [];
  private key = '';
  value: unknown = undefined;

  token(token: Token): boolean {
    switch (token.name) {
      case 'startObject':
        return this.open({});
      case 'startArray':
        return this.open([]);
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        return this.stack.length === 0;
      case 'keyValue':
        this.key = token.value;
        return false;
      case 'stringValue':
        return this.scalar(token.value);
      case 'numberValue':
        return this.scalar(Number(token.value));
      case 'nullValue':
        return this.scalar(null);
      case 'trueValue':
        return this.scalar(true);
      case 'falseValue':
        return this.scalar(false);
      default:
        return false;
    }
  }

  private open(container: unknown[] | Record<string, unknown>): boolean {
    if (this.stack.length === 0) this.value = container;
    else this.attach(container);
    this.stack.push(container);
    return false;
  }

  private scalar(value: unknown): boolean {
    if (this.stack.length === 0) {
      this.value = value;
      return true;
    }
    this.attach(value);
    return false;
  }

  private attach(value: unknown): void {
    const top = this.stack[this.stack.length - 1]!;
    if (Array.isArray(top)) top.push(value);
    else if (this.key === '__proto__') Object.defineProperty(top, this.key, { value, enumerable: true, writable: true, configurable: true });
    else top[this.key] = value;
  }
}

type Place = 'start' | 'root' | 'corps' | 'corp' | 'items' | 'done';
type Building = 'root' | 'root-field' | 'corps' | 'bad-corp' | 'field' | 'item' | 'skip';

/**
 * Routes the tokens of a fixture (stream-json's, packed values) to FixtureEvents: it knows the fixture's
 * outline (root → corps[] → corp → customers[]/relations[]) and builds only what lies below it, one element
 * or small field at a time, so memory holds one batch of elements and never the document.
 */
export class FixtureTokenRouter {
  private place: Place = 'start';
  private building: Building | null = null;
  private builder = new ValueBuilder();
  private rootKey = '';
  private corpKey = '';
  private sawCorps = false;
  private corpIndex = -1;
  private itemsKey: BigArray = 'customers';
  private items: unknown[] = [];
  private first = 0;
  /** Events since the last take(). */
  private events: FixtureEvent[] = [];

  take(): FixtureEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  push(tokens: readonly Token[]): void {
    for (const token of tokens) this.token(token);
  }

  private startBuilding(what: Building, token: Token): void {
    this.building = what;
    this.builder = new ValueBuilder();
    if (this.builder.token(token)) this.built();
  }

  private built(): void {
    const what = this.building!;
    const value = this.builder.value;
    this.building = null;
    switch (what) {
      case 'root':
        this.events.push({ type: 'bad-root', root: value, corps: undefined });
        this.place = 'done';
        break;
      case 'root-field':
        // `corps` that is not an array: the answer names it once the root is read.
        if (this.rootKey === 'corps') this.events.push({ type: 'bad-root', root: {}, corps: value });
        break;
      case 'bad-corp':
        this.events.push({ type: 'bad-corp', index: this.corpIndex, value });
        break;
      case 'field':
        this.events.push({ type: 'field', key: this.corpKey, value });
        break;
      case 'item':
        this.items.push(value);
        if (this.items.length >= ITEM_BATCH) this.flushItems();
        break;
      default:
        break;
    }
  }

  private flushItems(): void {
    if (this.items.length === 0) return;
    this.events.push({ type: 'items', key: this.itemsKey, items: this.items, first: this.first });
    this.first += this.items.length;
    this.items = [];
  }

  private token(token: Token): void {
    if (this.building !== null) {
      if (this.builder.token(token)) this.built();
      return;
    }
    switch (this.place) {
      case 'start':
        if (token.name === 'startObject') this.place = 'root';
        else this.startBuilding('root', token);
        return;
      case 'root':
        if (token.name === 'keyValue') this.rootKey = token.value;
        else if (token.name === 'endObject') {
          if (!this.sawCorps) this.events.push({ type: 'bad-root', root: {}, corps: undefined });
          this.events.push({ type: 'end' });
          this.place = 'done';
        } else if (this.rootKey === 'corps') {
          if (this.sawCorps) this.events.push({ type: 'corps-twice' });
          this.sawCorps = true;
          if (token.name === 'startArray') this.place = 'corps';
          else this.startBuilding('root-field', token);
        } else this.startBuilding('skip', token);
        return;
      case 'corps':
        if (token.name === 'endArray') {
          this.place = 'root';
          return;
        }
        this.corpIndex++;
        if (token.name === 'startObject') {
          this.events.push({ type: 'corp', index: this.corpIndex });
          this.place = 'corp';
        } else this.startBuilding('bad-corp', token);
        return;
      case 'corp':
        if (token.name === 'keyValue') this.corpKey = token.value;
        else if (token.name === 'endObject') {
          this.events.push({ type: 'corp-end' });
          this.place = 'corps';
        } else if (token.name === 'startArray' && BIG_ARRAYS.includes(this.corpKey)) {
          this.itemsKey = this.corpKey as BigArray;
          this.first = 0;
          this.place = 'items';
        } else this.startBuilding(CORP_FIELDS.includes(this.corpKey) || BIG_ARRAYS.includes(this.corpKey) ? 'field' : 'skip', token);
        return;
      case 'items':
        if (token.name === 'endArray') {
          this.flushItems();
          this.events.push({ type: 'items-end', key: this.itemsKey });
          this.place = 'corp';
        } else this.startBuilding('item', token);
        return;
      default:
        return;
    }
  }
}
