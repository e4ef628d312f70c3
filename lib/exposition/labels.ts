/**
 * Where a line's labels are: offsets into the line's bytes, five per label, reused from line to
 * line so that reading labels allocates nothing until someone asks for a string.
 */

/** Flags of a scanned string: it holds an escape, or bytes beyond ASCII. */
export const ESCAPED = 1;
export const NON_ASCII = 2;

/** Per label: name start, name end, value start, value end, flags (name flags << 2 | value's). */
const SLOT = 5;

/**
 * The labels of one line, as the scanner found them. Offsets are valid until the scanner's next
 * `reset()`; the names and values are read back through the scanner, which decodes them.
 */
export interface LabelOffsets {
  /** How many labels. */
  readonly count: number;
  /** Where label `i`'s name starts (after an opening quote, for a quoted name). */
  nameStart(i: number): number;
  nameEnd(i: number): number;
  /** Where label `i`'s value starts, after its opening quote. */
  valueStart(i: number): number;
  /** Where label `i`'s value ends, at its closing quote. */
  valueEnd(i: number): number;
  /** `ESCAPED | NON_ASCII` of label `i`'s name. */
  nameFlags(i: number): number;
  /** `ESCAPED | NON_ASCII` of label `i`'s value. */
  valueFlags(i: number): number;
  /** The index of the label whose name is the ASCII `name` in `b`, or -1. */
  find(b: Uint8Array, name: string): number;
}

/** The labels of one line, written by the scanner. */
export class LabelSlots implements LabelOffsets {
  #count = 0;
  #a: Int32Array;
  /** Generation stamps by a small hash of a name, for `firstDuplicate`. */
  readonly #stamps = new Int32Array(1024);
  #generation = 0;

  constructor(capacity: number) {
    this.#a = new Int32Array(SLOT * capacity);
  }

  get count(): number {
    return this.#count;
  }

  nameStart(i: number): number {
    return this.#a[i * SLOT]!;
  }
  nameEnd(i: number): number {
    return this.#a[i * SLOT + 1]!;
  }
  valueStart(i: number): number {
    return this.#a[i * SLOT + 2]!;
  }
  valueEnd(i: number): number {
    return this.#a[i * SLOT + 3]!;
  }
  nameFlags(i: number): number {
    return this.#a[i * SLOT + 4]! >> 2;
  }
  valueFlags(i: number): number {
    return this.#a[i * SLOT + 4]! & 3;
  }

  /** Forgets the labels, for the next line. */
  clear(): void {
    this.#count = 0;
  }

  /** Adds a label; the offsets exclude the quotes. */
  push(ns: number, ne: number, nflags: number, vs: number, ve: number, vflags: number): void {
    const k = this.#count * SLOT;
    if (k + SLOT > this.#a.length) {
      const grown = new Int32Array(this.#a.length * 2);
      grown.set(this.#a);
      this.#a = grown;
    }
    const a = this.#a;
    a[k] = ns;
    a[k + 1] = ne;
    a[k + 2] = vs;
    a[k + 3] = ve;
    a[k + 4] = (nflags << 2) | vflags;
    this.#count++;
  }

  /**
   * Keeps labels `from` to `to` (excluded) of the previous line, moved by `delta` bytes, after the
   * `from` this line has: the line repeats them byte for byte at the same place
   * (`Scanner.resumeSample`, `Scanner.realign`). The slots still hold them, since `clear()` only
   * resets the count and this line has written none past `from`.
   */
  takeOver(from: number, to: number, delta: number): void {
    const a = this.#a;
    for (let k = from * SLOT; k < to * SLOT; k += SLOT) {
      a[k] = a[k]! + delta;
      a[k + 1] = a[k + 1]! + delta;
      a[k + 2] = a[k + 2]! + delta;
      a[k + 3] = a[k + 3]! + delta;
    }
    this.#count = to;
  }

  /** Whether `i` is just past the closing quote of the last label's value. */
  endsValueAt(i: number): boolean {
    return this.#count > 0 && this.#a[(this.#count - 1) * SLOT + 3] === i - 1;
  }

  /** Moves the end of the last label's value (scrape mode's NULs, see `Scanner.skipNuls`). */
  setLastValueEnd(e: number): void {
    this.#a[(this.#count - 1) * SLOT + 3] = e;
  }

  /**
   * The index of the first label whose name repeats an earlier one, or -1. `decode` builds a name
   * when bytes alone cannot tell (escaped names). Plain names are first sorted by a small hash of
   * their length and end bytes into stamped buckets, so that a line without a repeat (nearly
   * every one) costs one pass and no comparison of bytes.
   */
  firstDuplicate(b: Uint8Array, decode: (s: number, e: number, flags: number) => string): number {
    const n = this.#count;
    if (n < 2) return -1;
    const a = this.#a;
    const stamps = this.#stamps;
    const gen = ++this.#generation;
    let escaped = false;
    let suspect = false;
    for (let x = 0; x < n; x++) {
      const k = x * SLOT;
      const s = a[k]!;
      const e = a[k + 1]!;
      if (((a[k + 4]! >> 2) & ESCAPED) !== 0) escaped = true;
      const h = ((e - s) * 73 + b[s]! * 31 + b[e - 1]!) & 1023;
      if (stamps[h] === gen) suspect = true;
      stamps[h] = gen;
    }
    if (gen === 0x7fffffff) {
      this.#generation = 0;
      stamps.fill(0);
    }
    if (escaped) return this.#decodedDuplicate(decode);
    return suspect ? this.#byteDuplicate(b) : -1;
  }

  /** Names compared as bytes (none is escaped, so equal names are equal bytes). */
  #byteDuplicate(b: Uint8Array): number {
    const a = this.#a;
    for (let x = 1; x < this.#count; x++) {
      const s = a[x * SLOT]!;
      const len = a[x * SLOT + 1]! - s;
      for (let y = 0; y < x; y++) {
        const t = a[y * SLOT]!;
        if (a[y * SLOT + 1]! - t !== len || b[t] !== b[s]) continue;
        let k = 1;
        while (k < len && b[t + k] === b[s + k]) k++;
        if (k === len) return x;
      }
    }
    return -1;
  }

  /** Names compared decoded (an escaped name may equal a plain one). */
  #decodedDuplicate(decode: (s: number, e: number, flags: number) => string): number {
    const a = this.#a;
    const seen = new Set<string>();
    for (let x = 0; x < this.#count; x++) {
      const name = decode(a[x * SLOT]!, a[x * SLOT + 1]!, a[x * SLOT + 4]! >> 2);
      if (seen.has(name)) return x;
      seen.add(name);
    }
    return -1;
  }

  find(b: Uint8Array, name: string): number {
    const a = this.#a;
    outer: for (let i = 0; i < this.#count; i++) {
      const s = a[i * SLOT]!;
      if (a[i * SLOT + 1]! - s !== name.length) continue;
      for (let k = 0; k < name.length; k++) if (b[s + k] !== name.charCodeAt(k)) continue outer;
      return i;
    }
    return -1;
  }
}

/** Sets `o[k] = v` even for `__proto__`, which a plain assignment would swallow. */
export function setKey(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    o[k] = v;
  }
}
