/**
 * Warnings in the spirit of `promtool check metrics` (client_golang `prometheus/testutil/promlint`):
 * they never make an exposition invalid. Only built when `lint: true`.
 *
 * The per-sample work runs at the scanner's pace and allocates nothing: a sample's name and label
 * pairs become ids in a `PairTable` (a pair equal to the one at the same place on the previous
 * line is recognised by comparing bytes, without hashing), its series is its name's id and the set
 * of its pairs' ids in a `SequenceSet`, and a histogram's buckets are checked as they arrive, in
 * typed arrays. Strings are built only for a warning.
 */
import type { FamilyState } from './families.ts';
import { BARE_NAME, MetricType, SUFFIXES } from './metric-types.ts';
import type { Scanner } from './scanner.ts';
import { BucketGroups, braced } from './buckets.ts';
import type { GroupList, Warning } from './buckets.ts';
import { grown, PairTable, SequenceSet } from './series-set.ts';
import { quoteString } from './text.ts';

/** Warnings kept at most; the rest are counted in one last line. */
const MAX_WARNINGS = 200;

/** What the lint pass keeps per family. */
interface FamilyLint {
  bareCounterLine: number;
  /** The family's bucket groups. */
  groups: GroupList;
}

const encoder = new TextEncoder();

/** How many `memberSuffix` values there are: each suffix, and the bare name. */
const SUFFIX_KINDS = BARE_NAME + 1;
/** `memberSuffix` of a histogram's `_bucket` sample. */
const BUCKET = SUFFIXES.indexOf('_bucket');

/** `name{a="1",b="2"}` with the labels sorted, leaving out label `skip`. */
function describeSeries(c: Scanner, skip: number, withName: boolean): string {
  const pairs: string[] = [];
  for (let i = 0; i < c.labelCount; i++) {
    if (i !== skip) pairs.push(`${c.labelName(i)}=${JSON.stringify(c.labelValue(i))}`);
  }
  return withName ? `${c.metricName()}${braced(pairs)}` : braced(pairs);
}

/** Collects warnings while the stream reads; `finish()` adds the per-family ones. */
export class Linter {
  readonly #om: boolean;
  readonly #found: Warning[] = [];
  readonly #families: FamilyState[] = [];
  readonly #famLint: FamilyLint[] = [];

  readonly #names = new PairTable();
  readonly #pairs = new PairTable();
  readonly #series = new SequenceSet(1);
  /** Per series: the line it first appeared on. */
  #seriesLine = new Int32Array(1024);

  /** Name ids by family and `memberSuffix`: `index * SUFFIX_KINDS + suffix`; -1 when not seen. */
  #nameIds = new Int32Array(256).fill(-1);
  /** The previous sample's pair ids by position, to skip hashing repeated pairs. */
  #prevPairs = new Int32Array(32).fill(-1);
  /** The current sample's key: its name id, then its pair ids in the order of the line. */
  #key = new Int32Array(33);

  readonly #buckets: BucketGroups;
  /** `le` bounds by pair id: 1 in `#leKnown` once parsed into `#leBound`. */
  #leKnown = new Uint8Array(256);
  #leBound = new Float64Array(256);

  constructor(om: boolean) {
    this.#om = om;
    this.#buckets = new BucketGroups(this.#pairs);
  }

  /** A family was created. */
  family(fam: FamilyState): void {
    this.#famLint[fam.index] = {
      bareCounterLine: 0,
      groups: { first: -1, last: -1 },
    };
    this.#families.push(fam);
  }

  /** A HELP line whose text has a backslash that the format does not define as an escape. */
  helpEscape(fam: FamilyState, line: number): void {
    this.#found.push({
      line,
      text:
        `HELP of ${quoteString(fam.name)} has a backslash that is not an escape ` +
        `(${this.#om ? '\\\\, \\" or \\n' : '\\\\ or \\n'}); Prometheus keeps it as it is`,
    });
  }

  /**
   * A sample line of `fam`, read from `c`; `suffix` says how its name belongs to the family
   * (`memberSuffix`).
   */
  sample(fam: FamilyState, suffix: number, c: Scanner): void {
    const line = c.line;
    const state = this.#famLint[fam.index]!;
    const n = this.#keyOf(c, this.#nameId(fam, suffix, c));
    // A histogram's bucket with a numeric `le` joins its group, which also says whether the series
    // is new; any other sample is looked up among all series.
    let le = -1;
    let bound = NaN;
    if (suffix === BUCKET) {
      le = c.labelOffsets.find(c.buffer, 'le');
      if (le >= 0) bound = this.#leOf(this.#prevPairs[le]!, c, le);
    }
    const group = Number.isNaN(bound)
      ? -1
      : this.#buckets.groupOf(fam.index, state.groups, this.#key, n, this.#prevPairs[le]!, line);
    const first =
      group >= 0
        ? this.#buckets.seen(group, this.#prevPairs[le]!, bound, line)
        : this.#seen(n, line);
    if (first !== 0) {
      this.#found.push({
        line,
        text: `duplicate series ${describeSeries(c, -1, true)} (first on line ${first})`,
      });
    }

    if (c.hasExemplar) this.#exemplar(c, line);
    if (fam.type === MetricType.counter) {
      if (this.#om && state.bareCounterLine === 0 && c.metricName() === fam.name) {
        state.bareCounterLine = line;
      }
      return;
    }
    if (suffix !== BUCKET) return;
    if (group >= 0) {
      this.#buckets.add(group, bound, c.value, this.#prevPairs[le]!);
    } else if (le < 0) {
      const series = describeSeries(c, -1, true);
      this.#found.push({ line, text: `histogram bucket ${series} has no "le" label` });
    } else {
      const series = describeSeries(c, -1, true);
      const leText = JSON.stringify(c.labelValue(le));
      this.#found.push({
        line,
        text: `histogram bucket ${series} has le=${leText}, not a number`,
      });
    }
  }

  /** The line where the series in `#key` (`n` labels) was first seen, or 0 when it is new. */
  #seen(n: number, line: number): number {
    const series = this.#series;
    const before = series.size;
    const x = series.add(this.#key, n + 1);
    if (series.size === before) return this.#seriesLine[x]!;
    if (x >= this.#seriesLine.length) this.#seriesLine = grown(this.#seriesLine, x + 1);
    this.#seriesLine[x] = line;
    return 0;
  }

  /**
   * The id of the sample's metric name: the family's name plus the suffix `memberSuffix` found,
   * so it is looked up by family and suffix, without reading the name again.
   */
  #nameId(fam: FamilyState, suffix: number, c: Scanner): number {
    const k = fam.index * SUFFIX_KINDS + suffix;
    if (k >= this.#nameIds.length) this.#nameIds = grown(this.#nameIds, k + 1, -1);
    let id = this.#nameIds[k]!;
    if (id < 0) {
      const bytes = encoder.encode(c.metricName());
      id = this.#names.intern(bytes, new DataView(bytes.buffer), 0, 0, bytes.length, 0, 0);
      this.#nameIds[k] = id;
    }
    return id;
  }

  /**
   * Fills `#key` with the sample's name id and its pair ids, in the order of the line (the series
   * set compares label sets in any order); returns the number of labels. Labels the scanner took
   * over from the previous line (`reusedLabels`) are that line's pairs, at the same places.
   */
  #keyOf(c: Scanner, nameId: number): number {
    const b = c.buffer;
    const view = c.view;
    const labels = c.labelOffsets;
    const n = labels.count;
    if (n >= this.#prevPairs.length) {
      this.#prevPairs = grown(this.#prevPairs, n + 1);
      this.#key = grown(this.#key, n + 2);
    }
    const prev = this.#prevPairs;
    const key = this.#key;
    const pairs = this.#pairs;
    key[0] = nameId;
    const reused = c.reusedLabels;
    for (let x = 0; x < n; x++) {
      if (x < 31 && ((reused >>> x) & 1) !== 0) {
        key[x + 1] = prev[x]!;
        continue;
      }
      const lns = labels.nameStart(x);
      const lne = labels.nameEnd(x);
      const vs = labels.valueStart(x);
      const ve = labels.valueEnd(x);
      let id = prev[x]!;
      if (id < 0 || !pairs.equals(id, b, view, lns, lne, vs, ve)) {
        const flags = (labels.nameFlags(x) << 2) | labels.valueFlags(x);
        id = pairs.intern(b, view, flags, lns, lne, vs, ve);
        prev[x] = id;
      }
      key[x + 1] = id;
    }
    return n;
  }

  /** The bound of `le` pair `leId` (label `le` of the current sample), parsed once per pair. */
  #leOf(leId: number, c: Scanner, le: number): number {
    if (leId >= this.#leKnown.length) {
      this.#leKnown = grown(this.#leKnown, leId + 1);
      this.#leBound = grown(this.#leBound, leId + 1);
    }
    if (this.#leKnown[leId] === 0) {
      this.#leBound[leId] = parseLe(c.labelValue(le));
      this.#leKnown[leId] = 1;
    }
    return this.#leBound[leId]!;
  }

  /**
   * OpenMetrics 1.0, Exemplars: "The combined length of the label names and values of an
   * Exemplar's LabelSet MUST NOT exceed 128 UTF-8 character code points." Prometheus drops such an
   * exemplar and keeps the sample.
   */
  #exemplar(c: Scanner, line: number): void {
    const labels = c.exemplar()?.labels ?? {};
    let length = 0;
    // Code points, as the spec counts them (Array.from splits by code point).
    for (const [k, v] of Object.entries(labels))
      length += Array.from(k).length + Array.from(v).length;
    if (length > 128) {
      this.#found.push({
        line,
        text: `exemplar labels are ${length} characters long, more than the 128 OpenMetrics allows`,
      });
    }
  }

  /** All warnings, in line order. */
  finish(): string[] {
    const out = this.#found.slice();
    for (const fam of this.#families) this.#finishFamily(fam, out);
    out.sort((a, b) => a.line - b.line);
    const lines = out.slice(0, MAX_WARNINGS).map((w) => `line ${w.line}: ${w.text}`);
    if (out.length > MAX_WARNINGS) lines.push(`… and ${out.length - MAX_WARNINGS} more warnings`);
    return lines;
  }

  #finishFamily(fam: FamilyState, out: Warning[]): void {
    const name = quoteString(fam.name);
    if (!fam.hasHelp && (fam.samples > 0 || fam.hasType)) {
      out.push({ line: fam.line, text: `${name} has no HELP` });
    }
    const state = this.#famLint[fam.index]!;
    if (fam.type === MetricType.counter) {
      // promlint lintCounter: "counter metrics should have \"_total\" suffix".
      if (!this.#om && !fam.name.endsWith('_total')) {
        out.push({ line: fam.line, text: `counter ${name} should have the suffix "_total"` });
      } else if (this.#om && fam.name.endsWith('_total')) {
        // OpenMetrics 1.0, Counter: the family is named without "_total"; its samples add it.
        out.push({
          line: fam.line,
          text: `OpenMetrics counter ${name} should be named without the suffix "_total"`,
        });
      } else if (this.#om && state.bareCounterLine !== 0) {
        out.push({
          line: state.bareCounterLine,
          text: `counter sample ${name} should be named ${quoteString(`${fam.name}_total`)}`,
        });
      }
    }
    this.#buckets.warnings(name, state.groups, out);
  }
}

/** A bucket bound as Prometheus reads `le` (Go's ParseFloat; "+Inf" included). */
function parseLe(le: string): number {
  const t = le.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}
