/**
 * Label name order and the per-shape cache behind `LabelBuilder`.
 *
 * Go sorts labels by name bytes (UTF-8), which is code-point order. JavaScript compares strings
 * by UTF-16 units, which is the same order unless a name holds a unit from U+D800 up (an astral
 * character against one in U+E000–U+FFFF), so the cheap native comparison is used unless one does.
 */

/** Any code unit from U+D800 up: where UTF-16 order and code-point order can differ. */
const HIGH_UNIT = /[\uD800-\uFFFF]/;

/** Code-point order, which is Go's (byte-wise UTF-8) order of label names. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+10000 and up) sort after U+E000–U+FFFF in code-point order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Whether `name` needs `compareCodePoints` (it holds a unit from U+D800 up). */
export function needsCodePointOrder(name: string): boolean {
  return HIGH_UNIT.test(name);
}

/** Native (UTF-16) order: code-point order when no name holds a unit from U+D800 up. */
export function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A label set's key sequence, sorted and indexed. Shared: never modify. */
export interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  /** Name → index in `sorted`. */
  readonly index: ReadonlyMap<string, number>;
  /** The comparison that gives Go's order for these names. */
  readonly compare: (a: string, b: string) => number;
}

const shapes = new Map<string, Shape>();
const SHAPES_MAX = 1024;
let last: Shape | null = null;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function build(keys: readonly string[]): Shape {
  const compare = keys.some(needsCodePointOrder) ? compareCodePoints : compareUnits;
  const sorted = [...keys];
  for (let i = 1; i < sorted.length; i++) {
    if (compare(sorted[i - 1]!, sorted[i]!) > 0) {
      // The native sort of strings is UTF-16 order, the same as `compareUnits`, and faster.
      if (compare === compareUnits) sorted.sort();
      else sorted.sort(compare);
      break;
    }
  }
  return { keys, sorted, index: new Map(sorted.map((name, i) => [name, i])), compare };
}

/**
 * The shape of a key sequence (`Object.keys` of a label set), cached: sorting ~25 names for every
 * target would be a large part of relabeling it. The cache key is cheap (count, first, middle
 * and last name); a hit is confirmed by comparing every key.
 */
export function shapeOf(keys: readonly string[]): Shape {
  // Consecutive targets usually share a shape: check the last one before building a signature.
  if (last !== null && sameKeys(last.keys, keys)) return last;
  const n = keys.length;
  const signature =
    n === 0 ? '' : `${n}\u0000${keys[0]!}\u0000${keys[n >> 1]!}\u0000${keys[n - 1]!}`;
  const known = shapes.get(signature);
  if (known !== undefined && sameKeys(known.keys, keys)) return (last = known);
  const shape = build(keys);
  if (shapes.size >= SHAPES_MAX) shapes.clear();
  shapes.set(signature, shape);
  return (last = shape);
}
