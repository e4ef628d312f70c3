/**
 * Warnings in the spirit of `promtool check metrics` (client_golang `prometheus/testutil/promlint`):
 * they never make an exposition invalid. Only built when `lint: true`, so a scrape that only counts
 * series never pays for the strings this needs.
 */
import type { ExpositionCursor } from './cursor.ts';
import { MetricType } from './families.ts';
import type { FamilyState } from './family-state.ts';
import { findLabel, seriesHashes } from './labels.ts';
import { HashLines } from './number-map.ts';
import { quoteString } from './text.ts';

/** Warnings kept at most; the rest are counted in one last line. */
const MAX_WARNINGS = 200;

interface BucketGroup {
  line: number;
  /** The group's labels, for messages: built once per group. */
  where: string;
  les: number[];
  counts: number[];
  leTexts: string[];
}

interface FamilyLint {
  bucketName: string;
  bareCounterLine: number;
  buckets: Map<number, BucketGroup>;
}

interface Warning {
  line: number;
  text: string;
}

/** `name{a="1",b="2"}` with the labels sorted, leaving out label `skip`. */
function describeSeries(c: ExpositionCursor, skip: number, withName: boolean): string {
  const pairs: string[] = [];
  for (let i = 0; i < c.labelCount; i++) {
    if (i !== skip) pairs.push(`${c.labelName(i)}=${JSON.stringify(c.labelValue(i))}`);
  }
  pairs.sort();
  const labels = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
  return withName ? `${c.metricName()}${labels}` : labels;
}

/** Collects warnings while the stream reads; `finish()` adds the per-family ones. */
export class Linter {
  private readonly om: boolean;
  /**
   * Series seen so far, by a 52-bit hash of name and labels (`seriesHashes`): no string per
   * sample. A collision could report a false duplicate, about once in 10^9 expositions of 10^5
   * series.
   */
  private readonly seen = new HashLines();
  private readonly found: Warning[] = [];
  private readonly families: FamilyState[] = [];
  private readonly leCache = new Map<string, number>();
  private readonly hashes = new Float64Array(2);

  constructor(om: boolean) {
    this.om = om;
  }

  /** A family was created. */
  family(fam: FamilyState): void {
    const state: FamilyLint = {
      bucketName: `${fam.name}_bucket`,
      bareCounterLine: 0,
      buckets: new Map(),
    };
    fam.lint = state;
    this.families.push(fam);
  }

  /** A HELP line whose text has a backslash that the format does not define as an escape. */
  helpEscape(fam: FamilyState, line: number): void {
    this.found.push({
      line,
      text:
        `HELP of ${quoteString(fam.name)} has a backslash that is not an escape ` +
        `(${this.om ? '\\\\, \\" or \\n' : '\\\\ or \\n'}); Prometheus keeps it as it is`,
    });
  }

  /** A sample line of `fam`, read from `c`. */
  sample(fam: FamilyState, c: ExpositionCursor, line: number): void {
    const state = fam.lint as FamilyLint;
    const histogram = fam.type === MetricType.histogram || fam.type === MetricType.gaugehistogram;
    const bucket = histogram && c.metricName() === state.bucketName;
    const b = c.buffer;
    const le = bucket ? findLabel(b, c.labelSlots, 'le') : -1;
    seriesHashes(b, c.rawNameStart, c.rawNameEnd, c.labelSlots, le, this.hashes);
    const first = this.seen.getOrSet(this.hashes[0]!, line);
    if (first !== 0) {
      const series = describeSeries(c, -1, true);
      this.found.push({ line, text: `duplicate series ${series} (first on line ${first})` });
    }

    if (c.hasExemplar) this.exemplar(c, line);
    if (fam.type === MetricType.counter) {
      if (this.om && state.bareCounterLine === 0 && c.metricName() === fam.name) {
        state.bareCounterLine = line;
      }
      return;
    }
    if (!bucket) return;
    if (le < 0) {
      const series = describeSeries(c, -1, true);
      this.found.push({ line, text: `histogram bucket ${series} has no "le" label` });
      return;
    }
    const leText = c.labelValue(le);
    let bound = this.leCache.get(leText);
    if (bound === undefined) {
      bound = parseLe(leText);
      this.leCache.set(leText, bound);
    }
    if (Number.isNaN(bound)) {
      const series = describeSeries(c, -1, true);
      this.found.push({
        line,
        text: `histogram bucket ${series} has le=${JSON.stringify(leText)}, not a number`,
      });
      return;
    }
    const groupKey = this.hashes[1]!;
    let group = state.buckets.get(groupKey);
    if (group === undefined) {
      const where = describeSeries(c, le, false);
      group = {
        line,
        where: where === '' ? '' : ` for ${where}`,
        les: [],
        counts: [],
        leTexts: [],
      };
      state.buckets.set(groupKey, group);
    }
    group.les.push(bound);
    group.counts.push(c.value);
    group.leTexts.push(leText);
  }

  /**
   * OpenMetrics 1.0, Exemplars: "The combined length of the label names and values of an
   * Exemplar's LabelSet MUST NOT exceed 128 UTF-8 character code points." Prometheus drops such an
   * exemplar and keeps the sample.
   */
  private exemplar(c: ExpositionCursor, line: number): void {
    const labels = c.exemplar()?.labels ?? {};
    let length = 0;
    // Code points, as the spec counts them (Array.from splits by code point).
    for (const [k, v] of Object.entries(labels))
      length += Array.from(k).length + Array.from(v).length;
    if (length > 128) {
      this.found.push({
        line,
        text: `exemplar labels are ${length} characters long, more than the 128 OpenMetrics allows`,
      });
    }
  }

  /** All warnings, in line order. */
  finish(): string[] {
    const out = this.found.slice();
    for (const fam of this.families) this.finishFamily(fam, out);
    out.sort((a, b) => a.line - b.line);
    const lines = out.slice(0, MAX_WARNINGS).map((w) => `line ${w.line}: ${w.text}`);
    if (out.length > MAX_WARNINGS) lines.push(`… and ${out.length - MAX_WARNINGS} more warnings`);
    return lines;
  }

  private finishFamily(fam: FamilyState, out: Warning[]): void {
    const name = quoteString(fam.name);
    if (!fam.hasHelp && (fam.samples > 0 || fam.hasType)) {
      out.push({ line: fam.line, text: `${name} has no HELP` });
    }
    const state = fam.lint as FamilyLint;
    if (fam.type === MetricType.counter) {
      // promlint lintCounter: "counter metrics should have \"_total\" suffix".
      if (!this.om && !fam.name.endsWith('_total')) {
        out.push({ line: fam.line, text: `counter ${name} should have the suffix "_total"` });
      } else if (this.om && fam.name.endsWith('_total')) {
        // OpenMetrics 1.0, Counter: the family is named without "_total"; its samples add it.
        out.push({
          line: fam.line,
          text: `OpenMetrics counter ${name} should be named without the suffix "_total"`,
        });
      } else if (this.om && state.bareCounterLine !== 0) {
        out.push({
          line: state.bareCounterLine,
          text: `counter sample ${name} should be named ${quoteString(`${fam.name}_total`)}`,
        });
      }
    }
    for (const group of state.buckets.values()) {
      const where = group.where;
      const order = group.les.map((_, i) => i).sort((a, b) => group.les[a]! - group.les[b]!);
      if (group.les[order[order.length - 1]!] !== Infinity) {
        out.push({ line: group.line, text: `histogram ${name} has no le="+Inf" bucket${where}` });
      }
      for (let k = 1; k < order.length; k++) {
        const prev = order[k - 1]!;
        const cur = order[k]!;
        if (group.counts[cur]! < group.counts[prev]!) {
          out.push({
            line: group.line,
            text:
              `histogram ${name} buckets are not cumulative${where}: ` +
              `le=${JSON.stringify(group.leTexts[cur])} counts ${group.counts[cur]}, ` +
              `less than le=${JSON.stringify(group.leTexts[prev])} with ${group.counts[prev]}`,
          });
          break;
        }
      }
    }
  }
}

/** A bucket bound as Prometheus reads `le` (Go's ParseFloat; "+Inf" included). */
function parseLe(le: string): number {
  const t = le.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}
