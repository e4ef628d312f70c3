/**
 * The accept lane's core, in AssemblyScript (compiled to WebAssembly by scripts/build-cli.ts):
 * reads a text 0.0.4 exposition and says whether it lies in a subset that the JavaScript parser,
 * with lint, reads as valid and without a warning, and if so how many series and families it holds.
 * WebAssembly is compiled before it runs, so a fresh process reads at full speed from the first
 * line, where JavaScript spends half of a 30 MB parse warming up its compiler (bench/parse.bench.ts:
 * a first parse costs about twice a warm one).
 *
 * The subset is deliberately narrow: anything outside it (a blank before a value, a comment, a
 * non-ASCII byte, an escape in HELP other than `\\` and `\n`, a number this core cannot read
 * exactly) and anything the parser would refuse or warn about makes the core answer "not mine",
 * and the JavaScript parser reads the input from its start, with its messages. So the core never
 * needs to explain anything, and test/exposition/accept.test.ts checks that whatever it accepts,
 * the parser accepts alike.
 *
 * Memory: the lines of the current chunk (`inputAt`), and tables that only grow: the stub runtime
 * frees nothing, and as each table doubles, the copies it leaves behind add up to less than itself.
 */

// ---- Character classes -------------------------------------------------------------------------

const METRIC_START: u8 = 1;
const METRIC_CONT: u8 = 2;
const LABEL_START: u8 = 4;
const LABEL_CONT: u8 = 8;
const DIGIT: u8 = 16;
/** A byte a label value holds as it is: printable ASCII but `"` and `\`. */
const VALUE_PLAIN: u8 = 32;
/** A byte a HELP text holds as it is: printable ASCII but `\`. */
const HELP_PLAIN: u8 = 64;

const classes = memory.data(256);

function setClasses(): void {
  for (let c = 0; c < 256; c++) {
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const digit = c >= 0x30 && c <= 0x39;
    let k: u8 = 0;
    if (alpha || c == 0x5f || c == 0x3a) k |= METRIC_START;
    if (alpha || digit || c == 0x5f || c == 0x3a) k |= METRIC_CONT;
    if (alpha || c == 0x5f) k |= LABEL_START;
    if (alpha || digit || c == 0x5f) k |= LABEL_CONT;
    if (digit) k |= DIGIT;
    if (c >= 0x20 && c < 0x7f && c != 0x22 && c != 0x5c) k |= VALUE_PLAIN;
    if (c >= 0x20 && c < 0x7f && c != 0x5c) k |= HELP_PLAIN;
    store<u8>(classes + c, k);
  }
}

function is(c: u32, k: u8): bool {
  return (load<u8>(classes + c) & k) != 0;
}

// ---- Growable arrays ---------------------------------------------------------------------------

/** A copy of `bytes` bytes at `p` in a new block of `size` bytes, the rest zero. */
function regrow(p: usize, bytes: i32, size: i32): usize {
  const q = heap.alloc(<usize>size);
  memory.copy(q, p, <usize>bytes);
  memory.fill(q + <usize>bytes, 0, <usize>(size - bytes));
  return q;
}

function zeroed(bytes: i32): usize {
  const p = heap.alloc(<usize>bytes);
  memory.fill(p, 0, <usize>bytes);
  return p;
}

/** Numbers of type `T` (`i32`, `f64`) in an array that grows by doubling. */
class Growing<T> {
  p: usize;
  cap: i32;
  constructor(cap: i32) {
    this.cap = cap;
    this.p = zeroed(cap * sizeof<T>());
  }
  get(i: i32): T {
    return load<T>(this.p + <usize>i * sizeof<T>());
  }
  set(i: i32, v: T): void {
    if (i >= this.cap) {
      let cap = this.cap * 2;
      while (cap <= i) cap *= 2;
      const size = <i32>sizeof<T>();
      this.p = regrow(this.p, this.cap * size, cap * size);
      this.cap = cap;
    }
    store<T>(this.p + <usize>i * sizeof<T>(), v);
  }
}

function sameBytes(a: usize, b: usize, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

// ---- Word lists ---------------------------------------------------------------------------------

/** Short ASCII words as bytes, to compare with the input: word `k` is `length(k)` bytes at `at(k)`. */
class Words {
  text: usize;
  starts: usize;
  count: i32;
  constructor(list: string[]) {
    this.count = list.length;
    this.starts = heap.alloc(<usize>(list.length + 1) * 4);
    let total = 0;
    for (let k = 0; k < list.length; k++) total += list[k].length;
    this.text = heap.alloc(<usize>total);
    let p = 0;
    for (let k = 0; k < list.length; k++) {
      store<i32>(this.starts + ((<usize>k) << 2), p);
      for (let i = 0; i < list[k].length; i++) {
        store<u8>(this.text + <usize>p, <u8>list[k].charCodeAt(i));
        p++;
      }
    }
    store<i32>(this.starts + ((<usize>list.length) << 2), p);
  }
  at(k: i32): usize {
    return this.text + <usize>load<i32>(this.starts + ((<usize>k) << 2));
  }
  length(k: i32): i32 {
    return (
      load<i32>(this.starts + ((<usize>(k + 1)) << 2)) - load<i32>(this.starts + ((<usize>k) << 2))
    );
  }
  /** Whether `[s, e)` ends with word `k` (and is longer than it when `longer`). */
  endOf(s: usize, e: usize, k: i32, longer: bool): bool {
    const n = this.length(k);
    const room = <i32>(e - s);
    return (longer ? room > n : room >= n) && sameBytes(e - <usize>n, this.at(k), n);
  }
  /** The word `p` starts with, or -1. */
  startOf(p: usize): i32 {
    for (let k = 0; k < this.count; k++) if (sameBytes(p, this.at(k), this.length(k))) return k;
    return -1;
  }
}

// ---- Open addressing ---------------------------------------------------------------------------

/** Where a hash's probe starts in a table of `mask + 1` slots. */
function slotOf(h: i32, mask: i32): i32 {
  return (h ^ (h >>> 15)) & mask;
}

/**
 * A table of `size` slots (a power of two) for entries 0 to `count - 1` with hashes `hash`: each
 * slot holds an entry's index + 1, or 0 when empty (linear probing).
 */
function slotsFor(hash: Growing<i32>, count: i32, size: i32): usize {
  const slots = zeroed(size * 4);
  const mask = size - 1;
  for (let x = 0; x < count; x++) {
    let i = slotOf(hash.get(x), mask);
    while (load<i32>(slots + ((<usize>i) << 2)) != 0) i = (i + 1) & mask;
    store<i32>(slots + ((<usize>i) << 2), x + 1);
  }
  return slots;
}

// ---- Exact byte strings with ids ---------------------------------------------------------------

/** Distinct byte strings, each with an id 0, 1, 2… (open addressing, linear probing). */
class ByteTable {
  slots: usize = zeroed(4 * 1024);
  mask: i32 = 1023;
  count: i32 = 0;
  start: Growing<i32> = new Growing<i32>(256);
  length: Growing<i32> = new Growing<i32>(256);
  hash: Growing<i32> = new Growing<i32>(256);
  arena: usize = heap.alloc(1 << 16);
  arenaCap: i32 = 1 << 16;
  used: i32 = 0;

  /** The id of the bytes `[s, e)`, or -1 when they are not in the table. */
  find(s: usize, e: usize): i32 {
    const h = hashOf(s, e);
    return this.probe(s, e, h) >= 0 ? this.found : -1;
  }

  /** The id of the bytes `[s, e)`, adding them when new. */
  intern(s: usize, e: usize): i32 {
    const h = hashOf(s, e);
    const slot = this.probe(s, e, h);
    if (slot >= 0) return this.found;
    return this.add(s, e, h, -slot - 1);
  }

  /** The bytes of id `id` start here. */
  bytesOf(id: i32): usize {
    return this.arena + <usize>this.start.get(id);
  }

  found: i32 = -1;

  /** The slot that holds `[s, e)` (its id in `found`), or `-(empty slot) - 1`. */
  private probe(s: usize, e: usize, h: i32): i32 {
    const n = <i32>(e - s);
    let i = slotOf(h, this.mask);
    for (;;) {
      const f = load<i32>(this.slots + ((<usize>i) << 2));
      if (f == 0) return -i - 1;
      const id = f - 1;
      if (
        this.hash.get(id) == h &&
        this.length.get(id) == n &&
        sameBytes(this.arena + <usize>this.start.get(id), s, n)
      ) {
        this.found = id;
        return i;
      }
      i = (i + 1) & this.mask;
    }
    return unreachable();
  }

  private add(s: usize, e: usize, h: i32, slot: i32): i32 {
    const n = <i32>(e - s);
    const id = this.count++;
    if (this.used + n > this.arenaCap) {
      let cap = this.arenaCap * 2;
      while (cap < this.used + n) cap *= 2;
      this.arena = regrow(this.arena, this.used, cap);
      this.arenaCap = cap;
    }
    memory.copy(this.arena + <usize>this.used, s, <usize>n);
    this.start.set(id, this.used);
    this.length.set(id, n);
    this.hash.set(id, h);
    this.used += n;
    store<i32>(this.slots + ((<usize>slot) << 2), id + 1);
    if (this.count * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.slots = slotsFor(this.hash, this.count, size);
    this.mask = size - 1;
  }
}

/** FNV-1a. */
function hashOf(s: usize, e: usize): i32 {
  let h: u32 = 0x811c9dc5;
  for (let p = s; p < e; p++) h = (h ^ load<u8>(p)) * 0x01000193;
  return <i32>h;
}

// ---- Keys of ids -------------------------------------------------------------------------------

/**
 * Distinct keys of integers, each with an index: the first `ordered` integers in order, the rest a
 * set (a label set in any order is the same series), as `SequenceSet` in series-set.ts.
 */
class KeySet {
  ordered: i32;
  slots: usize = zeroed(4 * 4096);
  mask: i32 = 4095;
  count: i32 = 0;
  start: Growing<i32> = new Growing<i32>(1024);
  hash: Growing<i32> = new Growing<i32>(1024);
  items: Growing<i32> = new Growing<i32>(1 << 14);
  used: i32 = 0;
  /** Whether the last `add` added its key. */
  added: bool = false;

  constructor(ordered: i32) {
    this.ordered = ordered;
  }

  /** The index of the key `key[0..n)`, adding it when new (then `added`). */
  add(key: usize, n: i32): i32 {
    let h: u32 = 0x811c9dc5 ^ (<u32>n);
    for (let k = 0; k < this.ordered; k++)
      h = (h ^ load<u32>(key + ((<usize>k) << 2))) * 0x9e3779b1;
    let sum: u32 = 0;
    for (let k = this.ordered; k < n; k++) {
      const m = (load<u32>(key + ((<usize>k) << 2)) ^ 0x5bd1e995) * 0x85ebca6b;
      sum += m ^ (m >>> 13);
    }
    h = (h ^ sum) * 0x9e3779b1;
    h ^= h >>> 16;
    let i = slotOf(<i32>h, this.mask);
    for (;;) {
      const f = load<i32>(this.slots + ((<usize>i) << 2));
      if (f == 0) break;
      const x = f - 1;
      if (this.hash.get(x) == <i32>h && this.equals(x, key, n)) {
        this.added = false;
        return x;
      }
      i = (i + 1) & this.mask;
    }
    const x = this.count++;
    const s = this.used;
    this.items.set(s + n, 0);
    this.items.set(s, n);
    memory.copy(this.items.p + ((<usize>(s + 1)) << 2), key, (<usize>n) << 2);
    this.used = s + n + 1;
    this.start.set(x, s);
    this.hash.set(x, <i32>h);
    store<i32>(this.slots + ((<usize>i) << 2), x + 1);
    if (this.count * 2 > this.mask) this.rehash();
    this.added = true;
    return x;
  }

  private equals(x: i32, key: usize, n: i32): bool {
    const s = this.start.get(x);
    if (this.items.get(s) != n) return false;
    const at = this.items.p + ((<usize>(s + 1)) << 2);
    for (let k = 0; k < n; k++) {
      if (load<i32>(at + ((<usize>k) << 2)) != load<i32>(key + ((<usize>k) << 2))) {
        return k >= this.ordered && sameSet(at, key, k, n);
      }
    }
    return true;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.slots = slotsFor(this.hash, this.count, size);
    this.mask = size - 1;
  }
}

/** Whether `a[from..n)` and `b[from..n)` hold the same integers, each as many times. */
function sameSet(a: usize, b: usize, from: i32, n: i32): bool {
  for (let k = from; k < n; k++) {
    const v = load<i32>(b + ((<usize>k) << 2));
    let count = 0;
    for (let j = from; j < n; j++) {
      if (load<i32>(b + ((<usize>j) << 2)) == v) count++;
      if (load<i32>(a + ((<usize>j) << 2)) == v) count--;
    }
    if (count != 0) return false;
  }
  return true;
}

// ---- Numbers -----------------------------------------------------------------------------------

const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/** Set by `readNumber`: the value, when it could be read exactly (else NaN and `numberExact` false). */
let numberValue: f64 = 0;
let numberExact: bool = false;

/**
 * Whether `[s, e)` is a number this core is sure the parser takes (Go's ParseFloat):
 * `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,2})?` with at most 20 digits, or `+Inf`, `-Inf`, `NaN`.
 * Sets `numberValue` when the value is exact by Clinger's fast path: at most 15 significant digits
 * and a power of ten within 10^±22, where one multiplication or division rounds correctly.
 */
function readNumber(s: usize, e: usize): bool {
  numberExact = false;
  const n = <i32>(e - s);
  if (n == 4 && load<u32>(s) == 0x666e492b) {
    numberValue = Infinity; // +Inf
    return true;
  }
  if (n == 4 && load<u32>(s) == 0x666e492d) {
    numberValue = -Infinity; // -Inf
    return true;
  }
  if (n == 3 && load<u16>(s) == 0x614e && load<u8>(s + 2) == 0x4e) {
    numberValue = NaN; // NaN
    return true;
  }
  let p = s;
  let negative = false;
  let c = load<u8>(p);
  if (c == 0x2b || c == 0x2d) {
    negative = c == 0x2d;
    p++;
  }
  let mantissa: u64 = 0;
  let digits = 0;
  let significant = 0;
  let exponent = 0;
  while (p < e && is(load<u8>(p), DIGIT)) {
    const d = load<u8>(p) - 0x30;
    if (significant > 0 || d != 0) {
      significant++;
      if (significant <= 19) mantissa = mantissa * 10 + <u64>d;
    }
    digits++;
    p++;
  }
  if (p < e && load<u8>(p) == 0x2e) {
    p++;
    while (p < e && is(load<u8>(p), DIGIT)) {
      const d = load<u8>(p) - 0x30;
      if (significant > 0 || d != 0) {
        significant++;
        if (significant <= 19) mantissa = mantissa * 10 + <u64>d;
      }
      exponent--;
      digits++;
      p++;
    }
  }
  if (digits == 0 || digits > 20) return false;
  if (p < e && (load<u8>(p) | 0x20) == 0x65) {
    p++;
    let minus = false;
    if (p < e && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) {
      minus = load<u8>(p) == 0x2d;
      p++;
    }
    let value = 0;
    let count = 0;
    while (p < e && is(load<u8>(p), DIGIT)) {
      value = value * 10 + (load<u8>(p) - 0x30);
      count++;
      p++;
    }
    if (count == 0 || count > 2) return false;
    exponent += minus ? -value : value;
  }
  if (p != e) return false;
  if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    let v = <f64>mantissa;
    v = exponent >= 0 ? v * POW10[exponent] : v / POW10[-exponent];
    numberValue = negative ? -v : v;
    numberExact = true;
  } else {
    numberValue = NaN;
  }
  return true;
}

// ---- Why an input is given back ----------------------------------------------------------------
// Outside the subset (the parser may well take it):
const COMMENT = 1; // a `#` line other than `# HELP ` and `# TYPE `
const UNUSUAL_SPACING = 2; // blanks or tabs other than one space where the subset puts one
const UNUSUAL_BYTE = 3; // a control or non-ASCII byte in a label value or HELP text
const UNUSUAL_NUMBER = 4; // a value the subset does not read (hex, `1_000`, `Inf`, long digits)
const UNUSUAL_TIMESTAMP = 5;
const UNUSUAL_LE = 6; // an `le` the subset cannot read exactly
const INEXACT_COUNT = 7; // a bucket count the subset cannot read exactly
const NOT_A_NAME = 8; // a quoted name, or none
const NOT_A_LABEL = 9;
const NOT_A_PAIR = 10; // a label without `="`
const NOT_A_SEPARATOR = 11; // a missing or trailing comma
const UNKNOWN_ESCAPE = 12; // other than `\\`, `\"`, `\n` (HELP: `\\`, `\n`)
const RESERVED_LABEL = 13; // a label name starting with `__`
const TOO_MANY_LABELS = 14;
const LONG_LINE = 15;
const UNKNOWN_TYPE = 16;
const LE_ORDER = 17; // a histogram group whose bounds do not rise line by line
// What the parser refuses or warns about:
const SECOND_HELP = 20;
const SECOND_TYPE = 21;
const TYPE_AFTER_SAMPLES = 22;
const DUPLICATE_LABEL = 23;
const COUNTER_NAME = 24; // a counter not named `…_total`
const NO_FAMILY = 25; // a sample of no family so far: its family would have no HELP
const DUPLICATE_SERIES = 26;
const NO_LE = 27;
const NOT_CUMULATIVE = 28;
const NO_HELP = 29;
const NO_INF = 30; // a histogram group without `le="+Inf"`

// ---- The exposition ----------------------------------------------------------------------------

/** Metric types as families.ts numbers them. */
const UNKNOWN: u8 = 0;
const COUNTER: u8 = 1;
const GAUGE: u8 = 2;
const HISTOGRAM: u8 = 3;
const SUMMARY: u8 = 5;

/** `memberSuffix` values (metric-types.ts `SUFFIXES` order; `BARE` is the bare name). */
const SUFFIX_CREATED = 0;
const SUFFIX_BUCKET = 1;
const SUFFIX_TOTAL = 3;
const SUFFIX_COUNT = 4;
const SUFFIX_SUM = 7;
const BARE = 8;
const NOT_A_MEMBER = -1;

/** Why the core gave the input back, and on which line (for tests and `SCRAPE_CHECK_ACCEPT=why`). */
export let why: i32 = 0;
export let whyLine: i32 = 0;
export let series: i32 = 0;

let line = 1;
let failed = false;

/** Gives the input back for `reason` (the first reason stays); false, for a caller to return. */
function giveBack(reason: i32): bool {
  if (!failed) {
    failed = true;
    why = reason;
    whyLine = line;
  }
  return false;
}

const names = new ByteTable();
const pairs = new ByteTable();
const familyNames = new ByteTable();
const famType = new Growing<i32>(64);
const famHelp = new Growing<i32>(64);
const famHasType = new Growing<i32>(64);
const famSamples = new Growing<i32>(64);
const seriesSet = new KeySet(1);
const groups = new KeySet(2);
const groupLastLe = new Growing<f64>(256);
const groupLastCount = new Growing<f64>(256);
const groupInf = new Growing<i32>(256);
/** Per pair id: the `le` bound (NaN until read), and whether it was read. */
const leBound = new Growing<f64>(256);
const leRead = new Growing<i32>(256);

/** The current sample's key: its name's id, then its pairs' ids in the order of the line. */
const key = heap.alloc(4 * 66);
const groupKey = heap.alloc(4 * 66);
/** Per pair of the current line and of the previous one: where it ends (from the line's start). */
let pairEnds = heap.alloc(4 * 66);
let prevEnds = heap.alloc(4 * 66);
/** Per pair: where its name starts and ends, from the line's start. */
let nameStarts = heap.alloc(4 * 66);
let nameEndsAt = heap.alloc(4 * 66);
let prevNameStarts = heap.alloc(4 * 66);
let prevNameEnds = heap.alloc(4 * 66);
const prevKey = heap.alloc(4 * 66);
const MAX_PAIRS = 64;

let prevLine: usize = 0;
let prevLength: i32 = 0;
let prevPairs: i32 = 0;
/** The name end of the previous sample line, from its start (where its labels or value begin). */
let prevNameEnd: i32 = 0;

/** The family of the current metadata or sample line, and the last sample's name and suffix. */
let current: i32 = -1;
let lastName: i32 = -1;
let lastFamily: i32 = -1;
let lastSuffix: i32 = NOT_A_MEMBER;

let input: usize = 0;
let inputCap: i32 = 0;
let held: i32 = 0;

/** Sets up the core; call once, before anything else. */
export function begin(): void {
  setClasses();
}

/**
 * Where the host writes the next `n` bytes of input: after the cut line held from the last chunk.
 */
export function inputAt(n: i32): usize {
  // 16 bytes to spare: comparisons read 8 bytes at a time, past the end of the last line.
  if (held + n + 16 > inputCap) {
    let cap = inputCap == 0 ? 1 << 20 : inputCap * 2;
    while (cap < held + n + 16) cap *= 2;
    input = regrow(input, held, cap);
    inputCap = cap;
  }
  return input + <usize>held;
}

/** Reads the complete lines of what `inputAt(n)` took; false once the input is given back. */
export function feed(n: i32): bool {
  if (failed) return false;
  const end = input + <usize>(held + n);
  let last = end;
  while (last > input && load<u8>(last - 1) != 0x0a) last--;
  const done = readLines(input, last);
  held = <i32>(end - last);
  if (<usize>held > MAX_LINE) {
    return giveBack(LONG_LINE);
  }
  memory.copy(input, last, <usize>held);
  // The previous line's bytes were moved over: the next line starts afresh.
  prevLength = 0;
  return done;
}

/**
 * Reads the last line (which may lack its line feed), checks what only the end can tell, and
 * says whether the whole input is accepted. Then `series` and `familyCount()` are the result.
 */
export function finish(): bool {
  if (failed) return false;
  if (held > 0) {
    const at = inputAt(1);
    store<u8>(at, 0x0a);
    if (!readLines(input, at + 1)) return false;
  }
  for (let f = 0; f < familyNames.count; f++) {
    // lint: "has no HELP" (a family with samples or a TYPE); counters are checked at their TYPE.
    if (famHelp.get(f) == 0 && (famSamples.get(f) > 0 || famHasType.get(f) != 0)) {
      line = 0;
      return giveBack(NO_HELP);
    }
  }
  for (let g = 0; g < groups.count; g++) {
    if (groupInf.get(g) == 0) {
      line = 0;
      return giveBack(NO_INF);
    }
  }
  return true;
}

export function familyCount(): i32 {
  return familyNames.count;
}

const MAX_LINE: usize = 1 << 20;

function readLines(s: usize, e: usize): bool {
  let p = s;
  while (p < e) {
    const c = load<u8>(p);
    let next: usize;
    if (c == 0x0a) next = p + 1;
    else if (c == 0x23) next = metadataLine(p);
    else next = sampleLine(p);
    if (next == 0) return false;
    // The parser refuses a line over maxLineBytes (16 MiB by default): leave long ones to it.
    if (next - p > MAX_LINE) return giveBack(LONG_LINE);
    p = next;
    line++;
  }
  return true;
}

/** `# HELP name text` or `# TYPE name type`, nothing else; returns where the next line starts. */
function metadataLine(p: usize): usize {
  prevLength = 0;
  lastName = -1;
  const kind = METADATA.startOf(p);
  if (kind < 0) return fail(COMMENT);
  const help = kind == 0;
  const ns = p + <usize>METADATA.length(kind);
  let q = ns;
  if (!is(load<u8>(q), METRIC_START)) return fail(NOT_A_NAME);
  while (is(load<u8>(q), METRIC_CONT)) q++;
  const ne = q;
  let f = familyNames.find(ns, ne);
  if (f < 0) f = newFamily(ns, ne);
  current = f;
  if (help) {
    if (famHelp.get(f) != 0) return fail(SECOND_HELP); // a second HELP
    famHelp.set(f, 1);
    if (load<u8>(q) == 0x0a) return q + 1;
    if (load<u8>(q) != 0x20) return fail(UNUSUAL_SPACING);
    q++;
    for (;;) {
      const b = load<u8>(q);
      if (b == 0x0a) return q + 1;
      if (b == 0x5c) {
        const x = load<u8>(q + 1);
        if (x != 0x5c && x != 0x6e) return fail(UNKNOWN_ESCAPE); // lint: not an escape text 0.0.4 has
        q += 2;
      } else if (is(b, HELP_PLAIN)) {
        q++;
      } else {
        return fail(UNUSUAL_BYTE);
      }
    }
  }
  if (load<u8>(q) != 0x20) return fail(UNUSUAL_SPACING);
  q++;
  if (famHasType.get(f) != 0) return fail(SECOND_TYPE); // a second TYPE
  if (famSamples.get(f) > 0) return fail(TYPE_AFTER_SAMPLES); // TYPE after the samples
  const word = TYPE_WORDS.startOf(q);
  if (word < 0) return fail(UNKNOWN_TYPE); // or blanks after it
  const type = TYPES[word];
  // lint: "counter metrics should have \"_total\" suffix"
  if (type == COUNTER && !SUFFIXES.endOf(ns, ne, SUFFIX_TOTAL, false)) return fail(COUNTER_NAME);
  famType.set(f, type);
  famHasType.set(f, 1);
  return q + <usize>TYPE_WORDS.length(word);
}

/** Gives the input back for `reason`; 0, for a line reader to return. */
function fail(reason: i32): usize {
  giveBack(reason);
  return 0;
}

/** A new family named `[s, e)`, of unknown type, without HELP, TYPE or samples yet. */
function newFamily(s: usize, e: usize): i32 {
  const f = familyNames.intern(s, e);
  famType.set(f, UNKNOWN);
  famHelp.set(f, 0);
  famHasType.set(f, 0);
  famSamples.set(f, 0);
  return f;
}

/**
 * metric-types.ts `SUFFIXES`, in its order (longest first where one ends another); AssemblyScript
 * cannot import it, so test/exposition/accept.test.ts checks the two lists are the same.
 */
const SUFFIXES = new Words([
  '_created',
  '_bucket',
  '_gcount',
  '_total',
  '_count',
  '_gsum',
  '_info',
  '_sum',
]);

/** The metadata lines the subset has: HELP (0) and TYPE (1). */
const METADATA = new Words(['# HELP ', '# TYPE ']);

/** The TYPE words of text 0.0.4, each with the line feed that must follow, and their types. */
const TYPE_WORDS = new Words(['counter\n', 'gauge\n', 'histogram\n', 'summary\n', 'untyped\n']);
const TYPES: StaticArray<u8> = [COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNKNOWN];

/** Whether a family of `type` has samples named with suffix `k` (metric-types.ts). */
function typeAllows(type: i32, k: i32): bool {
  if (type == COUNTER) return k == SUFFIX_TOTAL || k == SUFFIX_CREATED;
  if (type == HISTOGRAM)
    return k == SUFFIX_BUCKET || k == SUFFIX_COUNT || k == SUFFIX_SUM || k == SUFFIX_CREATED;
  if (type == SUMMARY) return k == SUFFIX_COUNT || k == SUFFIX_SUM || k == SUFFIX_CREATED;
  return false;
}

/** metric-types.ts `memberSuffix`: how the name `[s, e)` belongs to family `f`. */
function memberSuffix(s: usize, e: usize, f: i32): i32 {
  const fs = familyNames.bytesOf(f);
  const fn = familyNames.length.get(f);
  const n = <i32>(e - s);
  if (n < fn || !sameBytes(fs, s, fn)) return NOT_A_MEMBER;
  if (n == fn) return BARE;
  for (let k = 0; k < SUFFIXES.count; k++) {
    if (
      SUFFIXES.length(k) == n - fn &&
      typeAllows(famType.get(f), k) &&
      SUFFIXES.endOf(s, e, k, true)
    )
      return k;
  }
  return NOT_A_MEMBER;
}

/**
 * families.ts `familyOf` for a name not of the current family: that exact family, or the one it
 * names less the first suffix it ends with, when that family's type allows the suffix. A name of
 * no family would start one without HELP (a lint warning): given back.
 */
function familyOf(s: usize, e: usize): i32 {
  const f = familyNames.find(s, e);
  if (f >= 0) return f;
  for (let k = 0; k < SUFFIXES.count; k++) {
    if (!SUFFIXES.endOf(s, e, k, true)) continue;
    const base = familyNames.find(s, e - <usize>SUFFIXES.length(k));
    if (base >= 0 && typeAllows(famType.get(base), k)) return base;
    break;
  }
  return -1;
}

/**
 * `name{label="value",…} value [timestamp]`, with single spaces and no trailing comma. A label
 * taken over from the previous line (its bytes and the one after them are the same) keeps its id
 * without being read again, as the scanner's `resumeSample` does. Returns the next line's start.
 */
function sampleLine(p: usize): usize {
  const ls = p;
  // The prefix this line shares with the previous one.
  let same = 0;
  if (prevLength > 0) {
    while (
      same + 8 <= prevLength &&
      load<u64>(prevLine + <usize>same) == load<u64>(ls + <usize>same)
    )
      same += 8;
    while (same < prevLength && load<u8>(prevLine + <usize>same) == load<u8>(ls + <usize>same))
      same++;
  }
  let nameId: i32;
  let ne: usize;
  if (prevLength > 0 && prevNameEnd < same) {
    nameId = load<i32>(prevKey);
    ne = ls + <usize>prevNameEnd;
  } else {
    if (!is(load<u8>(p), METRIC_START)) return fail(NOT_A_NAME);
    while (is(load<u8>(p), METRIC_CONT)) p++;
    ne = p;
    nameId = names.intern(ls, ne);
  }
  p = ne;
  store<i32>(key, nameId);
  let n = 0;
  /** Pairs before it were taken over from the previous line, whose names had no duplicate. */
  let firstNew = -1;
  if (load<u8>(p) == 0x7b) {
    p++;
    if (load<u8>(p) != 0x7d) {
      for (;;) {
        if (n == MAX_PAIRS) return fail(TOO_MANY_LABELS);
        const at = (<usize>n) << 2;
        const prevEnd = n < prevPairs ? load<i32>(prevEnds + at) : 0x7fffffff;
        if (prevLength > 0 && prevEnd < same) {
          store<i32>(key + at + 4, load<i32>(prevKey + at + 4));
          store<i32>(nameStarts + at, load<i32>(prevNameStarts + at));
          store<i32>(nameEndsAt + at, load<i32>(prevNameEnds + at));
          p = ls + <usize>prevEnd;
        } else {
          if (firstNew < 0) firstNew = n;
          const ps = p;
          if (!is(load<u8>(p), LABEL_START)) return fail(NOT_A_LABEL);
          while (is(load<u8>(p), LABEL_CONT)) p++;
          // A reserved name (`__name__` in braces, `__meta_…`): left to the parser.
          if (load<u8>(ps) == 0x5f && load<u8>(ps + 1) == 0x5f) return fail(RESERVED_LABEL);
          store<i32>(nameStarts + at, <i32>(ps - ls));
          store<i32>(nameEndsAt + at, <i32>(p - ls));
          if (load<u16>(p) != 0x223d) return fail(NOT_A_PAIR); // ="
          p += 2;
          for (;;) {
            const b = load<u8>(p);
            if (is(b, VALUE_PLAIN)) {
              p++;
            } else if (b == 0x22) {
              break;
            } else if (b == 0x5c) {
              const x = load<u8>(p + 1);
              if (x != 0x5c && x != 0x22 && x != 0x6e) return fail(UNKNOWN_ESCAPE);
              p += 2;
            } else {
              return fail(UNUSUAL_BYTE); // a line feed, a control or a non-ASCII byte
            }
          }
          p++;
          store<i32>(key + at + 4, pairs.intern(ps, p));
        }
        store<i32>(pairEnds + at, <i32>(p - ls));
        n++;
        const b = load<u8>(p);
        if (b == 0x7d) break;
        if (b != 0x2c || load<u8>(p + 1) == 0x7d) return fail(NOT_A_SEPARATOR);
        p++;
      }
    }
    p++;
  }
  if (firstNew >= 0 && n > 1 && hasDuplicateName(ls, firstNew, n)) return fail(DUPLICATE_LABEL);
  if (load<u8>(p) != 0x20) return fail(UNUSUAL_SPACING);
  p++;
  const vs = p;
  while (load<u8>(p) != 0x20 && load<u8>(p) != 0x0a) p++;
  const ve = p;
  if (!readNumber(vs, ve)) return fail(UNUSUAL_NUMBER);
  const value = numberValue;
  const exact = numberExact;
  if (load<u8>(p) == 0x20) {
    p++;
    const ts = p;
    while (is(load<u8>(p), DIGIT)) p++;
    if (p == ts || p - ts > 18) return fail(UNUSUAL_TIMESTAMP);
  }
  if (load<u8>(p) != 0x0a) return fail(UNUSUAL_SPACING);
  const next = p + 1;

  if (!sample(ls, ne, nameId, n, value, exact)) return 0;

  // This line becomes the previous one.
  prevLine = ls;
  prevLength = <i32>(p - ls);
  prevPairs = n;
  prevNameEnd = <i32>(ne - ls);
  memory.copy(prevKey, key, (<usize>(n + 1)) << 2);
  let t = prevEnds;
  prevEnds = pairEnds;
  pairEnds = t;
  t = prevNameStarts;
  prevNameStarts = nameStarts;
  nameStarts = t;
  t = prevNameEnds;
  prevNameEnds = nameEndsAt;
  nameEndsAt = t;
  return next;
}

/** Whether a label name of pairs `[from, n)` is also the name of an earlier pair. */
function hasDuplicateName(ls: usize, from: i32, n: i32): bool {
  for (let i = max(from, 1); i < n; i++) {
    const is_ = load<i32>(nameStarts + ((<usize>i) << 2));
    const il = load<i32>(nameEndsAt + ((<usize>i) << 2)) - is_;
    for (let j = 0; j < i; j++) {
      const js = load<i32>(nameStarts + ((<usize>j) << 2));
      const jl = load<i32>(nameEndsAt + ((<usize>j) << 2)) - js;
      if (il == jl && sameBytes(ls + <usize>is_, ls + <usize>js, il)) return true;
    }
  }
  return false;
}

/** The stream's `#sample` and the linter's `sample` for a line read into `key`. */
function sample(ls: usize, ne: usize, nameId: i32, n: i32, count: f64, exact: bool): bool {
  let f = lastFamily;
  let suffix = lastSuffix;
  if (nameId != lastName) {
    f = current;
    suffix = f < 0 ? NOT_A_MEMBER : memberSuffix(ls, ne, f);
    if (suffix == NOT_A_MEMBER) {
      f = familyOf(ls, ne);
      if (f < 0) return giveBack(NO_FAMILY);
      suffix = memberSuffix(ls, ne, f);
    }
    current = f;
    lastName = nameId;
    lastFamily = f;
    lastSuffix = suffix;
  }
  famSamples.set(f, famSamples.get(f) + 1);
  series++;
  if (suffix != SUFFIX_BUCKET) {
    seriesSet.add(key, n + 1);
    if (!seriesSet.added) return giveBack(DUPLICATE_SERIES); // lint: a duplicate series
    return true;
  }
  // A histogram's bucket: its `le`, its group (the key without `le`), bounds that rise.
  let le = -1;
  for (let x = 0; x < n; x++) {
    const s = load<i32>(nameStarts + ((<usize>x) << 2));
    const e = load<i32>(nameEndsAt + ((<usize>x) << 2));
    if (e - s == 2 && load<u16>(ls + <usize>s) == 0x656c) {
      le = x;
      break;
    }
  }
  if (le < 0) return giveBack(NO_LE); // lint: no le
  const leId = load<i32>(key + ((<usize>(le + 1)) << 2));
  if (leRead.get(leId) == 0) {
    // The value between the quotes: `le="` is 4 bytes into the pair.
    const ps = pairs.bytesOf(leId);
    const pn = pairs.length.get(leId);
    if (!readNumber(ps + 4, ps + <usize>pn - 1) || !(numberExact || numberValue == Infinity)) {
      return giveBack(UNUSUAL_LE);
    }
    leBound.set(leId, numberValue);
    leRead.set(leId, 1);
  }
  const bound = leBound.get(leId);
  // The bucket's count must be read exactly: it is compared with the one before.
  if (!exact) return giveBack(INEXACT_COUNT);
  store<i32>(groupKey, f);
  store<i32>(groupKey + 4, nameId);
  let m = 2;
  for (let x = 0; x < n; x++) {
    if (x == le) continue;
    store<i32>(groupKey + ((<usize>m) << 2), load<i32>(key + ((<usize>(x + 1)) << 2)));
    m++;
  }
  const g = groups.add(groupKey, m);
  if (groups.added) {
    groupLastLe.set(g, -Infinity);
    groupLastCount.set(g, -Infinity);
    groupInf.set(g, 0);
  } else if (!(bound > groupLastLe.get(g))) {
    return giveBack(LE_ORDER); // bounds that do not rise (or a duplicate bucket)
  }
  if (groupLastCount.get(g) > count) return giveBack(NOT_CUMULATIVE); // lint: not cumulative
  groupLastLe.set(g, bound);
  groupLastCount.set(g, count);
  if (bound == Infinity) groupInf.set(g, 1);
  return true;
}
