/**
 * Exact sets for the lint pass, in typed arrays (open addressing, linear probing), so that checking
 * a sample for a duplicate allocates nothing and builds no string. Hashes only find candidates;
 * every hit is confirmed by comparing the bytes, or the ids, themselves, so a collision can never
 * report a false duplicate (promtool compares whole label sets too).
 *
 * `PairTable` gives each distinct `name="value"` pair (or metric name) a small integer id, keeping
 * one copy of its bytes; `SequenceSet` gives each distinct key of ids (a series: its name's id,
 * then the set of its pairs' ids) an index. A series costs a few integers, not its
 * text, so 64 MiB of exposition lints inside a 128 MB heap.
 */
import { ESCAPED, NON_ASCII } from './labels.ts';
import { asciiString, unescapeLabel, utf8String } from './text.ts';

/** FNV-1a over bytes, continuing from `h`. */
function hashBytes(h: number, b: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** A table of open-addressing slots holding `index + 1` (0: empty), sized to a power of two. */
function emptySlots(size: number): Int32Array {
  return new Int32Array(size);
}

/**
 * `a`, or a copy with room for `size` (at least twice as long), the rest filled with `fill`: the
 * typed arrays of this folder's tables grow by doubling, so that adding stays cheap.
 */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(
  a: T,
  size: number,
  fill = 0,
): T {
  if (size <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

/** Whether `a[p..)` (through `av`) holds the bytes `b[s..e)` (through `bv`), four at a time. */
function sameBytes(
  av: DataView,
  p: number,
  b: Uint8Array,
  bv: DataView,
  s: number,
  e: number,
): boolean {
  let i = s;
  for (; i + 4 <= e; i += 4, p += 4) if (av.getInt32(p) !== bv.getInt32(i)) return false;
  for (; i < e; i++, p++) if (av.getUint8(p) !== b[i]) return false;
  return true;
}

/** Distinct byte pairs (a name and a value), each with an id: 0, 1, 2… in order of arrival. */
export class PairTable {
  #arena = new Uint8Array(1 << 16);
  #view = new DataView(this.#arena.buffer);
  #used = 0;
  /** Per id: where its bytes start in the arena, the name's length, the value's length, flags. */
  #start = new Int32Array(1024);
  #nameLen = new Int32Array(1024);
  #valueLen = new Int32Array(1024);
  #flags = new Int32Array(1024);
  #hash = new Int32Array(1024);
  #count = 0;
  #slots = emptySlots(2048);

  /** How many distinct pairs. */
  get size(): number {
    return this.#count;
  }

  /**
   * Whether pair `id` is the bytes `b[ns..ne)` and `b[vs..ve)`; `view` is a `DataView` of `b`, to
   * compare four bytes at a time.
   */
  equals(
    id: number,
    b: Uint8Array,
    view: DataView,
    ns: number,
    ne: number,
    vs: number,
    ve: number,
  ): boolean {
    const nl = ne - ns;
    if (this.#nameLen[id] !== nl || this.#valueLen[id] !== ve - vs) return false;
    const p = this.#start[id]!;
    return (
      sameBytes(this.#view, p, b, view, ns, ne) && sameBytes(this.#view, p + nl, b, view, vs, ve)
    );
  }

  /**
   * The id of the pair `b[ns..ne)`, `b[vs..ve)` (an empty value range for a metric name), adding
   * it when new. `flags` (name flags << 2 | value flags) say how to decode it later.
   */
  intern(
    b: Uint8Array,
    view: DataView,
    flags: number,
    ns: number,
    ne: number,
    vs: number,
    ve: number,
  ): number {
    const h = hashBytes(hashBytes(0x811c9dc5, b, ns, ne) ^ 0x3d, b, vs, ve);
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const found = slots[i]!;
      if (found === 0) break;
      const id = found - 1;
      if (this.#hash[id] === h && this.equals(id, b, view, ns, ne, vs, ve)) return id;
      i = (i + 1) & mask;
    }
    return this.#add(b, ns, ne, vs, ve, flags, h, i);
  }

  #add(
    b: Uint8Array,
    ns: number,
    ne: number,
    vs: number,
    ve: number,
    flags: number,
    h: number,
    slot: number,
  ): number {
    const id = this.#count++;
    if (id === this.#start.length) {
      this.#start = grown(this.#start, id + 1);
      this.#nameLen = grown(this.#nameLen, id + 1);
      this.#valueLen = grown(this.#valueLen, id + 1);
      this.#flags = grown(this.#flags, id + 1);
      this.#hash = grown(this.#hash, id + 1);
    }
    const nl = ne - ns;
    const vl = ve - vs;
    if (this.#used + nl + vl > this.#arena.length) {
      const grown = new Uint8Array(Math.max(this.#arena.length * 2, this.#used + nl + vl));
      grown.set(this.#arena.subarray(0, this.#used));
      this.#arena = grown;
      this.#view = new DataView(grown.buffer);
    }
    const arena = this.#arena;
    let p = this.#used;
    for (let i = ns; i < ne; i++) arena[p++] = b[i]!;
    for (let i = vs; i < ve; i++) arena[p++] = b[i]!;
    this.#start[id] = this.#used;
    this.#nameLen[id] = nl;
    this.#valueLen[id] = vl;
    this.#flags[id] = flags;
    this.#hash[id] = h;
    this.#used += nl + vl;
    this.#slots[slot] = id + 1;
    if (this.#count * 2 > this.#slots.length) this.#rehash();
    return id;
  }

  #rehash(): void {
    // The new table is stored before the loop fills it: V8 compiles a long loop mid-way, and a
    // store it has not yet seen run would throw that code away at the end of every rehash.
    const slots = emptySlots(this.#slots.length * 2);
    this.#slots = slots;
    const mask = slots.length - 1;
    for (let id = 0; id < this.#count; id++) {
      const h = this.#hash[id]!;
      let i = (h ^ (h >>> 15)) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
  }

  /** The name of pair `id`, decoded and unescaped (for messages). */
  name(id: number): string {
    const s = this.#start[id]!;
    return decode(this.#arena, s, s + this.#nameLen[id]!, this.#flags[id]! >> 2);
  }

  /** The value of pair `id`, decoded and unescaped (for messages). */
  value(id: number): string {
    const s = this.#start[id]! + this.#nameLen[id]!;
    return decode(this.#arena, s, s + this.#valueLen[id]!, this.#flags[id]! & 3);
  }
}

function decode(b: Uint8Array, s: number, e: number, flags: number): string {
  const raw = (flags & NON_ASCII) !== 0 ? utf8String(b, s, e) : asciiString(b, s, e);
  return (flags & ESCAPED) !== 0 ? unescapeLabel(raw) : raw;
}

/**
 * Distinct keys, each with an index: 0, 1, 2… in order of arrival. A key is a few integers in
 * order (a family, a name), then a set of distinct integers in any order (a label set's pair ids):
 * two keys are the same when their ordered parts are and their sets hold the same integers. So a
 * label set needs no sorting: its hash is a sum, the same in any order, and two sets are compared
 * in order first, and member by member only when their orders differ.
 */
export class SequenceSet {
  /** How many leading integers of a key are in order. */
  readonly #ordered: number;
  #items = new Int32Array(1 << 16);
  #used = 0;
  /** Per index: where its integers start in `#items`, and how many. */
  #start = new Int32Array(1024);
  #length = new Int32Array(1024);
  #count = 0;
  /**
   * The slots: a hash each (never 0; 0 marks an empty slot), and in `#slotIndex` the index. A probe
   * reads the compact hashes only, and the rest when a hash agrees: one place in memory per new
   * sequence, in a table a quarter the size it would be with the indexes beside the hashes.
   */
  #slotHash = new Int32Array(4096);
  #slotIndex = new Int32Array(4096);

  /** `ordered`: how many leading integers of each key are in order; the rest are a set. */
  constructor(ordered: number) {
    this.#ordered = ordered;
  }

  /** How many distinct keys. */
  get size(): number {
    return this.#count;
  }

  /** The index of the key `seq[0..n)`, adding it when new (then `size` grows by one). */
  add(seq: Int32Array, n: number): number {
    const ordered = this.#ordered;
    let h = 0x811c9dc5 ^ n;
    for (let k = 0; k < ordered; k++) h = Math.imul(h ^ seq[k]!, 0x9e3779b1);
    let sum = 0;
    for (let k = ordered; k < n; k++) {
      const m = Math.imul(seq[k]! ^ 0x5bd1e995, 0x85ebca6b);
      sum = (sum + (m ^ (m >>> 13))) | 0;
    }
    h = Math.imul(h ^ sum, 0x9e3779b1);
    h ^= h >>> 16;
    if (h === 0) h = 1;
    const hashes = this.#slotHash;
    const mask = hashes.length - 1;
    let i = h & mask;
    for (;;) {
      const found = hashes[i]!;
      if (found === 0) break;
      if (found === h) {
        const x = this.#slotIndex[i]!;
        if (this.#equals(x, seq, n)) return x;
      }
      i = (i + 1) & mask;
    }
    return this.#add(seq, n, h, i);
  }

  /** Integer `k` of sequence `x`. */
  item(x: number, k: number): number {
    return this.#items[this.#start[x]! + k]!;
  }

  /** How many integers sequence `x` holds. */
  lengthOf(x: number): number {
    return this.#length[x]!;
  }

  #equals(x: number, seq: Int32Array, n: number): boolean {
    if (this.#length[x] !== n) return false;
    const items = this.#items;
    const s = this.#start[x]!;
    for (let k = 0; k < n; k++) {
      if (items[s + k] !== seq[k]) return k >= this.#ordered && this.#sameSet(s, seq, k, n);
    }
    return true;
  }

  /**
   * Whether `seq[from..n)` holds the integers stored at `#items[s + from..s + n)`, in any order,
   * each as many times (a scrape-mode label set may repeat a label with an empty value).
   */
  #sameSet(s: number, seq: Int32Array, from: number, n: number): boolean {
    const items = this.#items;
    for (let k = from; k < n; k++) {
      const v = seq[k]!;
      let count = 0;
      for (let j = from; j < n; j++) {
        if (seq[j] === v) count++;
        if (items[s + j] === v) count--;
      }
      if (count !== 0) return false;
    }
    return true;
  }

  #add(seq: Int32Array, n: number, h: number, slot: number): number {
    const x = this.#count++;
    if (x === this.#start.length) {
      this.#start = grown(this.#start, x + 1);
      this.#length = grown(this.#length, x + 1);
    }
    if (this.#used + n > this.#items.length) {
      this.#items = grown(this.#items, this.#used + n);
    }
    const items = this.#items;
    const s = this.#used;
    for (let k = 0; k < n; k++) items[s + k] = seq[k]!;
    this.#start[x] = s;
    this.#length[x] = n;
    this.#used = s + n;
    this.#slotHash[slot] = h;
    this.#slotIndex[slot] = x;
    if (this.#count * 2 > this.#slotHash.length) this.#rehash();
    return x;
  }

  #rehash(): void {
    const oldHash = this.#slotHash;
    const oldIndex = this.#slotIndex;
    const hashes = new Int32Array(oldHash.length * 2);
    const indexes = new Int32Array(oldHash.length * 2);
    // Stored before the loop fills them (see `PairTable`'s `#rehash`).
    this.#slotHash = hashes;
    this.#slotIndex = indexes;
    const mask = hashes.length - 1;
    for (let j = 0; j < oldHash.length; j++) {
      const h = oldHash[j]!;
      if (h === 0) continue;
      let i = h & mask;
      while (hashes[i] !== 0) i = (i + 1) & mask;
      hashes[i] = h;
      indexes[i] = oldIndex[j]!;
    }
  }
}
