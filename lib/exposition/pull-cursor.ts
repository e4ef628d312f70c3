/**
 * The pull cursor's contract (Prometheus `model/textparse/interface.go`): `next()` says what kind
 * of entry comes next, and the accessors read that entry. `ExpositionCursor` implements it.
 */
import type { Exemplar } from '#lib/result/types.ts';
import type { ExpositionFormat, ParseFailure } from './types.ts';

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
   * feed). `entryStart` and `entryLine` say where it began; hand it back with more lines after it.
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
