/**
 * Where a line's labels are: offsets into the line's bytes, five per label, reused from line to
 * line so that reading labels allocates nothing until someone asks for a string.
 */

/** Flags of a scanned string: it holds an escape, or bytes beyond ASCII. */
export const ESCAPED = 1;
export const NON_ASCII = 2;

/** Per label: name start, name end, value start, value end, flags (name flags << 2 | value's). */
export const SLOT = 5;

export class LabelSlots {
  count = 0;
  a: Int32Array;

  constructor(capacity: number) {
    this.a = new Int32Array(SLOT * capacity);
  }

  /** Adds a label; the offsets exclude the quotes. */
  push(ns: number, ne: number, nflags: number, vs: number, ve: number, vflags: number): void {
    const k = this.count * SLOT;
    if (k + SLOT > this.a.length) {
      const grown = new Int32Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    const a = this.a;
    a[k] = ns;
    a[k + 1] = ne;
    a[k + 2] = vs;
    a[k + 3] = ve;
    a[k + 4] = (nflags << 2) | vflags;
    this.count++;
  }

  /**
   * The index of the first label whose name repeats an earlier one, or -1. `decode` builds a name
   * when bytes alone cannot tell (escaped names, or many labels).
   */
  firstDuplicate(b: Uint8Array, decode: (s: number, e: number, flags: number) => string): number {
    const n = this.count;
    const a = this.a;
    if (n < 2) return -1;
    let escaped = false;
    for (let x = 0; x < n; x++) if (((a[x * SLOT + 4]! >> 2) & ESCAPED) !== 0) escaped = true;
    if (escaped || n > 16) {
      const seen = new Set<string>();
      for (let x = 0; x < n; x++) {
        const name = decode(a[x * SLOT]!, a[x * SLOT + 1]!, a[x * SLOT + 4]! >> 2);
        if (seen.has(name)) return x;
        seen.add(name);
      }
      return -1;
    }
    for (let x = 1; x < n; x++) {
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
}

/**
 * A 52-bit hash of a sample's metric name (`b[ns..ne)`) and its labels, independent of label
 * order, read from the bytes without building strings (for the lint pass). Label `skip` (or none,
 * with -1) is left out of the second hash, returned in `out[1]`. Escaped label values hash by their
 * escaped form, which is canonical.
 */
export function seriesHashes(
  b: Uint8Array,
  ns: number,
  ne: number,
  slots: LabelSlots,
  skip: number,
  out: Float64Array,
): void {
  const a = slots.a;
  let n1 = 0x811c9dc5 | 0;
  let n2 = 0x01000193 | 0;
  for (let i = ns; i < ne; i++) {
    n1 = Math.imul(n1 ^ b[i]!, 0x01000193);
    n2 = Math.imul(n2 ^ b[i]!, 0x5bd1e995);
  }
  let s1 = 0;
  let s2 = 0;
  let k1 = 0;
  let k2 = 0;
  for (let l = 0; l < slots.count; l++) {
    const k = l * SLOT;
    let h1 = 0x9e3779b9 | 0;
    let h2 = 0x7f4a7c15 | 0;
    for (let i = a[k]!, e = a[k + 1]!; i < e; i++) {
      h1 = Math.imul(h1 ^ b[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ b[i]!, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 0x3d, 0x01000193);
    h2 = Math.imul(h2 ^ 0x3d, 0x5bd1e995);
    for (let i = a[k + 2]!, e = a[k + 3]!; i < e; i++) {
      h1 = Math.imul(h1 ^ b[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ b[i]!, 0x5bd1e995);
    }
    // A sum of per-label hashes is the same whatever the order of the labels.
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0x85ebca6b);
    h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
    s1 = (s1 + h1) | 0;
    s2 = (s2 + h2) | 0;
    if (l === skip) {
      k1 = h1;
      k2 = h2;
    }
  }
  out[0] = combine(n1 + s1, n2 + s2);
  out[1] = combine(n1 + s1 - k1, n2 + s2 - k2);
}

/** Two 32-bit hashes as one 52-bit number, exact in a double. */
function combine(h1: number, h2: number): number {
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 12) & 0xfffff);
}

/** The index of the label whose name is the ASCII `name`, or -1. */
export function findLabel(b: Uint8Array, slots: LabelSlots, name: string): number {
  const a = slots.a;
  outer: for (let i = 0; i < slots.count; i++) {
    const s = a[i * SLOT]!;
    if (a[i * SLOT + 1]! - s !== name.length) continue;
    for (let k = 0; k < name.length; k++) if (b[s + k] !== name.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** Sets `o[k] = v` even for `__proto__`, which a plain assignment would swallow. */
export function setKey(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    o[k] = v;
  }
}
