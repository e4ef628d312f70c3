/**
 * The parser's public types, and the pull cursor's contract (Prometheus
 * `model/textparse/interface.go`): `next()` says what kind of entry comes next, and the accessors
 * read that entry. `index.ts` re-exports them.
 */
import type { Exemplar, Sample } from '#lib/result/types.ts';

/** The two text formats: Prometheus text 0.0.4, and OpenMetrics 1.0 text. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/**
 * Why an exposition is invalid, in Prometheus's `parseError` template: `message` reads
 * "expected …, got …". `line` and `column` are 1-based; the column counts code points.
 */
export interface ParseFailure {
  line: number;
  column: number;
  message: string;
}

/**
 * One sample line, handed to `ExpositionOptions.onSample`.
 *
 * Valid only during that callback: the object is reused for the next sample and reads bytes that
 * the next chunk replaces. Everything it returns (strings, records, the exemplar) is a copy and
 * may be kept.
 */
export interface SampleRef {
  /** The metric name, unescaped (built on the first read). */
  readonly name: string;
  readonly value: number;
  /** Milliseconds since the epoch (OpenMetrics seconds are converted), or null. */
  readonly timestampMs: number | null;
  /** How many labels, not counting the metric name. */
  readonly labelCount: number;
  /** Calls `fn` with each label's name and unescaped value, in the order of the line. */
  forEachLabel(fn: (name: string, value: string) => void): void;
  /** A fresh record of the labels. */
  labels(): Record<string, string>;
  /** The OpenMetrics exemplar on this line, or null. */
  exemplar(): Exemplar | null;
}

export interface ExpositionOptions {
  format: ExpositionFormat;
  /** Called synchronously from `write()`/`end()`, once per sample line. */
  onSample?: (sample: SampleRef) => void;
  /** `'families'` keeps every family and sample (for `--json`); the default `'none'` keeps none. */
  collect?: 'none' | 'families';
  /** Adds `promtool check metrics`-like warnings to the result. Never makes it fail. */
  lint?: boolean;
  /** The longest line accepted, in bytes (default 16 MiB). A longer one is a parse failure. */
  maxLineBytes?: number;
  /**
   * `'validate'` (the default, `scrape-check parse`) holds the input to the format specs and
   * `promtool check metrics`. `'scrape'` (`scrape-check run`) accepts exactly what Prometheus's
   * scrape path accepts (`model/textparse` plus the checks a sample meets on its way into storage)
   * and turns each violation it tolerates into a line of `ExpositionResult.warnings`; what
   * Prometheus refuses is still a `ParseFailure`, and `series` is still Prometheus's
   * `scrape_samples_scraped`.
   *
   * @example
   * parseExposition('a{b="x\\ty"} 1\n', { format: 'prometheus', mode: 'scrape' }).warnings;
   * // one warning: 'line 1: the label value of "b" has …, an escape the format does not define; …'
   */
  mode?: 'validate' | 'scrape';
  /**
   * With `mode: 'scrape'`, whose scrape path to reproduce (default `'3'`). They differ on quoted
   * names (`{"a.b"} 1`, `a{"c.d"="1"}`) and on a trailing comma in an OpenMetrics label set, which
   * Prometheus 3 reads and Prometheus 2 refuses; either way the warnings say what the other does.
   */
  prometheusVersion?: '2' | '3';
}

/** A metric family as `scrape-check parse --json` prints it. */
export interface Family {
  name: string;
  /** counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown. */
  type: string;
  help: string;
  unit: string;
  samples: Sample[];
}

export interface ExpositionResult {
  format: ExpositionFormat;
  /** Bytes given to `write()`. */
  bytes: number;
  /** Sample lines (Prometheus's `scrape_samples_scraped`); on failure, those before it. */
  series: number;
  familyCount: number;
  error: ParseFailure | null;
  /**
   * `line N: …`: in scrape mode, each kind of violation Prometheus tolerates (once, with a count
   * of the lines like it), then with `lint`, the lint warnings.
   */
  warnings: string[];
  /** With `collect: 'families'`, every family in order of first appearance; else null. */
  families: Family[] | null;
}

/** What `next()` found. */
export const Entry = {
  /** No complete line is left in the region. */
  End: 0,
  Sample: 1,
  Help: 2,
  Type: 3,
  /** OpenMetrics only. */
  Unit: 4,
  /** Text 0.0.4 only: `#` lines that are neither HELP nor TYPE. */
  Comment: 5,
  /** OpenMetrics `# EOF`. */
  Eof: 6,
  /** A malformed line: `failure` says why. */
  Invalid: 7,
  /**
   * Scrape mode, text 0.0.4: the entry goes on past the region (a label value holding a raw line
   * feed). `partialEntry()` says where it began; hand it back with more lines after it.
   */
  Partial: 8,
  /**
   * Scrape mode, text 0.0.4: a NUL where Prometheus's lexer ends the input (promlex.l
   * `\0 return tEOF`). Prometheus keeps what it read before it and ignores the rest.
   */
  Stop: 9,
} as const;
/** One of the `Entry` kinds. */
export type Entry = (typeof Entry)[keyof typeof Entry];

/**
 * The pull cursor as callers outside this folder see it: entries and copies, never the bytes.
 * Accessors are valid after `next()` returned the entry named in their comment, until the next
 * `next()` or `reset()`; what they return are strings and records that may be kept.
 *
 * @example
 * const cursor = createCursor('prometheus');
 * cursor.reset(bytes, 0, bytes.length, 1); // complete lines: bytes end with "\n"
 * for (let e = cursor.next(); e !== Entry.End && e !== Entry.Invalid; e = cursor.next()) {
 *   if (e === Entry.Sample) console.log(cursor.metricName(), cursor.labelRecord(), cursor.value);
 * }
 */
export interface PullCursor {
  readonly format: ExpositionFormat;
  /** Reads `b[start..end)`, complete lines; `firstLine` numbers the first. Returns no view of `b`. */
  reset(b: Uint8Array, start: number, end: number, firstLine: number): void;
  next(): Entry;
  /** Line number of the current entry. */
  readonly line: number;
  /** Why `next()` returned `Entry.Invalid`. */
  readonly failure: ParseFailure | null;
  /** (Sample) */
  metricName(): string;
  readonly value: number;
  readonly timestampMs: number | null;
  readonly labelCount: number;
  labelName(i: number): string;
  labelValue(i: number): string;
  forEachLabel(fn: (name: string, value: string) => void): void;
  labelRecord(): Record<string, string>;
  exemplar(): Exemplar | null;
  /** (Help, Type, Unit) */
  metaName(): string;
  /** (Help) */
  helpText(): string;
  /** (Type) counter, gauge, …, unknown (text 0.0.4's untyped). */
  typeName(): string;
  /** (Unit) */
  unitText(): string;
  /** (Comment) */
  commentText(): string;
}
