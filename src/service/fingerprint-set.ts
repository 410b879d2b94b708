/**
 * A set of strings kept as 64-bit fingerprints (two 32-bit hashes) in one typed array: what the streaming
 * fixture load remembers of every customer id and relation pair it has read, to refuse duplicates and
 * dangling references without holding the strings (issue 13). 16 bytes a slot at most half full: ~32 MB for
 * a million ids, where a Set of the strings took ~100 MB and kept each id's 64 KiB parse chunk alive.
 *
 * Two different strings share a fingerprint with probability 2^-64 per pair: ~3·10^-8 over a whole
 * million-customer corp. Such a collision would name a valid id a duplicate (or let a relation to a missing
 * customer through, which the relations → customers foreign key then refuses).
 */
export class FingerprintSet {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 1024;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `value`; answers false when it was already there. */
  add(value: string): boolean {
    const [a, b] = fingerprint(value);
    const found = this.find(a, b);
    if (found < 0) return false;
    this.slots[found * 2] = a;
    this.slots[found * 2 + 1] = b;
    if (++this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  has(value: string): boolean {
    const [a, b] = fingerprint(value);
    return this.find(a, b) < 0;
  }

  /** The empty slot where (a, b) belongs, or -1 when it is there already. */
  private find(a: number, b: number): number {
    const slots = this.slots;
    let i = (a ^ (b >>> 7)) & this.mask;
    for (;;) {
      const sa = slots[i * 2]!;
      const sb = slots[i * 2 + 1]!;
      if (sa === 0 && sb === 0) return i;
      if (sa === a && sb === b) return -1;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a !== 0 || b !== 0) {
        const slot = this.find(a, b);
        this.slots[slot * 2] = a;
        this.slots[slot * 2 + 1] = b;
      }
    }
  }
}

const pair: [number, number] = [0, 0];

/** FNV-1a and a murmur-style mix over the UTF-16 code units, in one pass; (0, 0) marks an empty slot. */
function fingerprint(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  pair[0] = a | 0;
  pair[1] = a === 0 && b === 0 ? 1 : b | 0;
  return pair;
}
