/**
 * The lint pass's histogram checks (promlint `lintHistogram`-like): the buckets of a family that
 * share every label but `le` form a group, which must have a `le="+Inf"` bucket and counts that
 * never drop as `le` rises. Groups are checked as their buckets arrive, in typed arrays, without a
 * string or an object per bucket; a group also says, from the order of its bounds, whether a
 * bucket's series is new (see `seen`).
 */
import { grown, PairTable, SequenceSet } from './series-set.ts';

/** One warning, before `Linter.finish()` writes `line N: text`. */
export interface Warning {
  line: number;
  text: string;
}

/** A family's groups, in order of creation: a list through `BucketGroups`' own links. */
export interface GroupList {
  first: number;
  last: number;
}

/** A bucket group's check, as its buckets arrive in order of `le`. */
const Order = { ascending: 0, broken: 1, unordered: 2 } as const;

/** `{a="1",b="2"}` from `a="1"`-like pairs, sorted; nothing for none. */
export function braced(pairs: string[]): string {
  pairs.sort();
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** The bucket groups of one exposition. */
export class BucketGroups {
  /** The label pairs the keys' ids name (the linter's). */
  readonly #pairs: PairTable;
  /** A group's key: the family's index, the bucket name's id, the pair ids but `le`'s. */
  #groupKey = new Int32Array(34);
  readonly #groups = new SequenceSet(2);
  #groupLine = new Int32Array(256);
  #groupNext = new Int32Array(256);
  #groupOrder = new Uint8Array(256);
  #groupInf = new Uint8Array(256);
  #groupLastLe = new Float64Array(256);
  #groupLastCount = new Float64Array(256);
  #groupLastLeId = new Int32Array(256);
  /** A group's first drop: the bucket's `le` id and count, and those of the bucket before it. */
  #brokenLeId = new Int32Array(256);
  #brokenCount = new Float64Array(256);
  #brokenPrevLeId = new Int32Array(256);
  #brokenPrevCount = new Float64Array(256);
  /** Every bucket, for groups whose `le` does not ascend: a list per group (`#bucketNext`). */
  #groupFirstBucket = new Int32Array(256);
  #groupLastBucket = new Int32Array(256);
  #bucketNext = new Int32Array(1024);
  #bucketLine = new Int32Array(1024);
  #bucketLe = new Float64Array(1024);
  #bucketCount = new Float64Array(1024);
  #bucketLeId = new Int32Array(1024);
  #buckets = 0;
  /** The line of the bucket `#bucketSeen` just looked at, for `#addBucket`. */
  #pendingLine = 0;
  /** Groups whose buckets are looked up in `#bucketSeries` (1), or found new by their order (0). */
  #groupIndexed = new Uint8Array(256);
  readonly #bucketSeries = new SequenceSet(2);
  #bucketSeriesLine = new Int32Array(256);
  readonly #pairKey = new Int32Array(2);
  /** The group of the previous bucket, and the length of its key (in `#groupKey`). */
  #lastGroup = -1;
  #lastGroupLength = 0;

  constructor(pairs: PairTable) {
    this.#pairs = pairs;
  }

  /**
   * The group of a bucket of family `family` (index), whose series key is `key` (the name's id,
   * then `n` pair ids, `leId` among them): the key without its `le` pair. Consecutive buckets of
   * a group (the usual case) find it by comparing the key with the previous one.
   */
  groupOf(
    family: number,
    list: GroupList,
    key: Int32Array,
    n: number,
    leId: number,
    line: number,
  ): number {
    if (n + 2 > this.#groupKey.length) this.#groupKey = grown(this.#groupKey, n + 2);
    const gk = this.#groupKey;
    let same = gk[0] === family && gk[1] === key[0] && this.#lastGroup >= 0;
    gk[0] = family;
    gk[1] = key[0]!;
    let m = 2;
    for (let k = 1; k <= n; k++) {
      const id = key[k]!;
      if (id === leId) continue;
      if (gk[m] !== id) same = false;
      gk[m++] = id;
    }
    if (same && m === this.#lastGroupLength) return this.#lastGroup;
    const groups = this.#groups;
    const before = groups.size;
    const g = groups.add(gk, m);
    if (groups.size > before) this.#newGroup(list, g, line);
    this.#lastGroup = g;
    this.#lastGroupLength = m;
    return g;
  }

  #newGroup(list: GroupList, g: number, line: number): void {
    if (g >= this.#groupLine.length) {
      const size = g + 1;
      this.#groupLine = grown(this.#groupLine, size);
      this.#groupNext = grown(this.#groupNext, size);
      this.#groupOrder = grown(this.#groupOrder, size);
      this.#groupInf = grown(this.#groupInf, size);
      this.#groupLastLe = grown(this.#groupLastLe, size);
      this.#groupLastCount = grown(this.#groupLastCount, size);
      this.#groupLastLeId = grown(this.#groupLastLeId, size);
      this.#brokenLeId = grown(this.#brokenLeId, size);
      this.#brokenCount = grown(this.#brokenCount, size);
      this.#brokenPrevLeId = grown(this.#brokenPrevLeId, size);
      this.#brokenPrevCount = grown(this.#brokenPrevCount, size);
      this.#groupFirstBucket = grown(this.#groupFirstBucket, size);
      this.#groupLastBucket = grown(this.#groupLastBucket, size);
      this.#groupIndexed = grown(this.#groupIndexed, size);
    }
    this.#groupLine[g] = line;
    this.#groupNext[g] = -1;
    this.#groupOrder[g] = Order.ascending;
    this.#groupInf[g] = 0;
    this.#groupLastLe[g] = -Infinity;
    this.#groupLastLeId[g] = -1;
    this.#groupFirstBucket[g] = -1;
    this.#groupLastBucket[g] = -1;
    this.#groupIndexed[g] = 0;
    if (list.last < 0) list.first = g;
    else this.#groupNext[list.last] = g;
    list.last = g;
  }

  /**
   * The line where bucket `leId` of group `g` was first seen, or 0 when it is new. While a group's
   * bounds rise strictly, a higher bound is new without looking: all before it were lower. The
   * first time they do not, the group's buckets so far go into `#bucketSeries`, where it and every
   * later bucket of the group are looked up.
   */
  seen(g: number, leId: number, bound: number, line: number): number {
    if (this.#groupIndexed[g] === 0) {
      if (this.#groupLastLeId[g]! < 0 || bound > this.#groupLastLe[g]!) {
        this.#pendingLine = line;
        return 0;
      }
      this.#groupIndexed[g] = 1;
      for (let k = this.#groupFirstBucket[g]!; k >= 0; k = this.#bucketNext[k]!) {
        this.#bucketSeriesAdd(g, this.#bucketLeId[k]!, this.#bucketLine[k]!);
      }
    }
    this.#pendingLine = line;
    return this.#bucketSeriesAdd(g, leId, line);
  }

  /** `(g, leId)` into `#bucketSeries`: the line it was first seen on, or 0 after adding it. */
  #bucketSeriesAdd(g: number, leId: number, line: number): number {
    const pair = this.#pairKey;
    pair[0] = g;
    pair[1] = leId;
    const set = this.#bucketSeries;
    const before = set.size;
    const x = set.add(pair, 2);
    if (set.size === before) return this.#bucketSeriesLine[x]!;
    if (x >= this.#bucketSeriesLine.length) {
      this.#bucketSeriesLine = grown(this.#bucketSeriesLine, x + 1);
    }
    this.#bucketSeriesLine[x] = line;
    return 0;
  }

  /**
   * One bucket of group `g`. While the bounds ascend (as every client library writes them), the
   * first count that drops is kept as it comes; `finish()` sorts only a group that is not in order.
   */
  add(g: number, le: number, count: number, leId: number): void {
    const k = this.#buckets++;
    if (k >= this.#bucketNext.length) {
      this.#bucketNext = grown(this.#bucketNext, k + 1);
      this.#bucketLine = grown(this.#bucketLine, k + 1);
      this.#bucketLe = grown(this.#bucketLe, k + 1);
      this.#bucketCount = grown(this.#bucketCount, k + 1);
      this.#bucketLeId = grown(this.#bucketLeId, k + 1);
    }
    this.#bucketNext[k] = -1;
    this.#bucketLine[k] = this.#pendingLine;
    this.#bucketLe[k] = le;
    this.#bucketCount[k] = count;
    this.#bucketLeId[k] = leId;
    if (this.#groupLastBucket[g]! < 0) this.#groupFirstBucket[g] = k;
    else this.#bucketNext[this.#groupLastBucket[g]!] = k;
    this.#groupLastBucket[g] = k;

    if (le === Infinity) this.#groupInf[g] = 1;
    const order = this.#groupOrder[g]!;
    if (order !== Order.unordered && this.#groupLastLeId[g]! >= 0) {
      if (le < this.#groupLastLe[g]!) {
        this.#groupOrder[g] = Order.unordered;
      } else if (order === Order.ascending && count < this.#groupLastCount[g]!) {
        this.#groupOrder[g] = Order.broken;
        this.#brokenLeId[g] = leId;
        this.#brokenCount[g] = count;
        this.#brokenPrevLeId[g] = this.#groupLastLeId[g]!;
        this.#brokenPrevCount[g] = this.#groupLastCount[g]!;
      }
    }
    this.#groupLastLe[g] = le;
    this.#groupLastCount[g] = count;
    this.#groupLastLeId[g] = leId;
  }

  /** The warnings of a family's groups (`name` quoted), onto `out`. */
  warnings(name: string, list: GroupList, out: Warning[]): void {
    for (let g = list.first; g >= 0; g = this.#groupNext[g]!) {
      const line = this.#groupLine[g]!;
      const broken = this.#firstDrop(g);
      if (this.#groupInf[g] !== 0 && broken === null) continue;
      const where = this.#where(g);
      if (this.#groupInf[g] === 0) {
        out.push({ line, text: `histogram ${name} has no le="+Inf" bucket${where}` });
      }
      if (broken !== null) {
        const le = (id: number): string => JSON.stringify(this.#pairs.value(id));
        out.push({
          line,
          text:
            `histogram ${name} buckets are not cumulative${where}: ` +
            `le=${le(broken.leId)} counts ${broken.count}, ` +
            `less than le=${le(broken.prevLeId)} with ${broken.prevCount}`,
        });
      }
    }
  }

  /** The first bucket, in order of `le`, whose count is less than the one before it, or null. */
  #firstDrop(
    g: number,
  ): { leId: number; count: number; prevLeId: number; prevCount: number } | null {
    const order = this.#groupOrder[g]!;
    if (order === Order.ascending) return null;
    if (order === Order.broken) {
      return {
        leId: this.#brokenLeId[g]!,
        count: this.#brokenCount[g]!,
        prevLeId: this.#brokenPrevLeId[g]!,
        prevCount: this.#brokenPrevCount[g]!,
      };
    }
    const ks: number[] = [];
    for (let k = this.#groupFirstBucket[g]!; k >= 0; k = this.#bucketNext[k]!) ks.push(k);
    // A stable sort: buckets with equal bounds keep the order of the lines.
    ks.sort((a, b) => this.#bucketLe[a]! - this.#bucketLe[b]!);
    for (let j = 1; j < ks.length; j++) {
      const prev = ks[j - 1]!;
      const cur = ks[j]!;
      if (this.#bucketCount[cur]! < this.#bucketCount[prev]!) {
        return {
          leId: this.#bucketLeId[cur]!,
          count: this.#bucketCount[cur]!,
          prevLeId: this.#bucketLeId[prev]!,
          prevCount: this.#bucketCount[prev]!,
        };
      }
    }
    return null;
  }

  /** ` for {a="1",…}`: group `g`'s labels, sorted, or nothing when it has none. */
  #where(g: number): string {
    const groups = this.#groups;
    const pairs: string[] = [];
    for (let k = 2; k < groups.lengthOf(g); k++) {
      const id = groups.item(g, k);
      pairs.push(`${this.#pairs.name(id)}=${JSON.stringify(this.#pairs.value(id))}`);
    }
    const labels = braced(pairs);
    return labels === '' ? '' : ` for ${labels}`;
  }
}
