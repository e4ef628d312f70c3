/**
 * What `mode: 'scrape'` lets through: format violations that Prometheus's scrape path accepts,
 * kept as warnings for a person, and the words of each warning. Each kind is written out once, at its first line, and counts the
 * lines like it after that, so that a body with the same fault on every line gives one warning,
 * not a hundred thousand. Only built in scrape mode; the notes come from cold paths (a line that
 * breaks the format), so a valid body never reaches this file.
 */

import { BACKSLASH, BLANK, EQUAL, LABEL_CONT, LF, QUOTE } from './chars.ts';
import type { LabelOffsets } from './labels.ts';
import { quoteBytes, quoteString } from './text.ts';

/** The kinds of tolerated violation; one warning each. */
export const Tolerance = {
  labelEscape: 0,
  nameEscape: 1,
  rawNewline: 2,
  nulAfterValue: 3,
  missingComma: 4,
  metaNoSpace: 5,
  helpEscape: 6,
  secondHelp: 7,
  secondType: 8,
  secondUnit: 9,
  typeAfterSamples: 10,
  metaAfterSamples: 11,
  metaInterleaved: 12,
  familyInterleaved: 13,
  emptyDuplicate: 14,
  exemplarLabels: 15,
  trailingComma: 16,
  quotedName: 17,
  stop: 18,
} as const;
export type Tolerance = (typeof Tolerance)[keyof typeof Tolerance];

const KINDS = Object.keys(Tolerance).length;

/** Collects the warnings of one exposition. */
export class Tolerated {
  /** Whether the exposition is OpenMetrics (the warnings name the spec they break). */
  readonly om: boolean;
  readonly #firstLines = new Float64Array(KINDS);
  readonly #lastLines = new Float64Array(KINDS);
  readonly #counts = new Float64Array(KINDS);
  readonly #texts: string[] = new Array<string>(KINDS).fill('');
  #lastLine = 0;

  constructor(om: boolean) {
    this.om = om;
  }

  /** What breaking the format costs outside Prometheus, for the end of a warning. */
  get forbids(): string {
    return this.om
      ? 'OpenMetrics 1.0 forbids it'
      : 'the format forbids it (promtool check metrics fails)';
  }

  /**
   * Counts `line` as one more line of `kind`, and returns true when that kind is written out
   * already, so that the caller builds the text only for the first. Lines are counted once: a
   * second fault of the same kind on a line, or a line read again (an entry that spans lines is
   * read again once the rest of it arrives), counts nothing.
   */
  again(kind: Tolerance, line: number): boolean {
    this.#lastLine = line;
    if (this.#counts[kind]! > 0 && line <= this.#lastLines[kind]!) return true;
    this.#lastLines[kind] = line;
    return this.#counts[kind]!++ > 0;
  }

  /** The last line anything was noted on (0 before the first). */
  get lastLine(): number {
    return this.#lastLine;
  }

  /** The text of `kind`'s first line (after `again()` returned false). */
  first(kind: Tolerance, line: number, text: string): void {
    this.#firstLines[kind] = line;
    this.#texts[kind] = text;
  }

  /** `again()` and `first()` together, for callers whose text costs nothing to build. */
  note(kind: Tolerance, line: number, text: string): void {
    if (!this.again(kind, line)) this.first(kind, line, text);
  }

  /** `line N: …`, one per kind, in line order. */
  finish(): string[] {
    const out: { line: number; text: string }[] = [];
    for (let k = 0; k < KINDS; k++) {
      const n = this.#counts[k]!;
      if (n === 0) continue;
      const line = this.#firstLines[k]!;
      const more = n > 1 ? ` (and ${n - 1} more ${n === 2 ? 'line' : 'lines'} like it)` : '';
      out.push({ line, text: `line ${line}: ${this.#texts[k]!}${more}` });
    }
    out.sort((a, b) => a.line - b.line);
    return out.map((w) => w.text);
  }
}

/** How a warning names the string that opens at `open`: a label value by its label's name. */
function describeString(b: Uint8Array, lineStart: number, open: number, what: string): string {
  if (what !== 'label value') return `a quoted ${what}`;
  let k = open - 1;
  while (k > lineStart && BLANK[b[k]!] === 1) k--;
  if (b[k] !== EQUAL) return 'a label value';
  k--;
  while (k > lineStart && BLANK[b[k]!] === 1) k--;
  const e = k + 1;
  while (k >= lineStart && LABEL_CONT[b[k]!] === 1) k--;
  return e > k + 1 ? `the label value of ${quoteBytes(b, k + 1, e)}` : 'a label value';
}

/**
 * A quoted name at `b[i]`: Prometheus 3 reads it (promlex.l and openmetricslex.l
 * `\"(\\.|[^\\"])*\"` as a name, with the UTF-8 names of Prometheus 3); Prometheus 2.42's lexers
 * have no such token, so its scrape fails ("is not a valid start token", "expected label name").
 */
export function noteQuotedName(notes: Tolerated, line: number, b: Uint8Array, i: number): void {
  if (notes.again(Tolerance.quotedName, line)) return;
  // The name as written, up to its closing quote or the end of the line.
  let k = i + 1;
  while (b[k] !== QUOTE && b[k] !== LF) k += b[k] === BACKSLASH && b[k + 1] !== LF ? 2 : 1;
  notes.first(
    Tolerance.quotedName,
    line,
    `a quoted name (${quoteBytes(b, i, b[k] === QUOTE ? k + 1 : k)}); Prometheus 3 reads it, but Prometheus 2 refuses the whole scrape`,
  );
}

/**
 * A backslash at `j` that is none of the format's escapes, in the string opened at `open` on the
 * line starting at `lineStart` (promlex.l, openmetricslex.l `\\.`: any escape but one before a line
 * feed is taken, and `unreplace` keeps it as written).
 */
export function noteOtherEscape(
  notes: Tolerated,
  line: number,
  at: { b: Uint8Array; lineStart: number; open: number; j: number; what: string },
): void {
  const kind = at.what === 'label value' ? Tolerance.labelEscape : Tolerance.nameEscape;
  if (notes.again(kind, line)) return;
  notes.first(
    kind,
    line,
    `${describeString(at.b, at.lineStart, at.open, at.what)} has ${quoteBytes(at.b, at.j, at.j + 2)}, an escape the format does not define; Prometheus keeps it as written, but ${notes.forbids}`,
  );
}

/** A raw line feed in the string opened at `open`: text 0.0.4 goes on to the next line. */
export function noteRawNewline(
  notes: Tolerated,
  line: number,
  at: { b: Uint8Array; lineStart: number; open: number; what: string },
): void {
  if (notes.again(Tolerance.rawNewline, line)) return;
  notes.first(
    Tolerance.rawNewline,
    line,
    `${describeString(at.b, at.lineStart, at.open, at.what)} holds a raw line feed (the sample goes on to line ${line + 1}); Prometheus reads it as part of the ${at.what}, but ${notes.forbids}`,
  );
}

/** NULs after the closing quote of the label value opened at `open` (see `Scanner.skipNuls`). */
export function noteNulAfterValue(
  notes: Tolerated,
  line: number,
  at: { b: Uint8Array; lineStart: number; open: number },
): void {
  if (notes.again(Tolerance.nulAfterValue, line)) return;
  notes.first(
    Tolerance.nulAfterValue,
    line,
    `a NUL byte follows the closing quote of ${describeString(at.b, at.lineStart, at.open, 'label value')}; Prometheus accepts it, but keeps that quote (and any NULs but the last) in the value, and ${notes.forbids}`,
  );
}

/**
 * Whether a repeated label name would pass Prometheus: its scrape loop rebuilds every sample's
 * labels with a `labels.Builder` (scrape.go `mutateSampleLabels`), whose `Reset` deletes every
 * label of a name that has an empty value, before storage refuses a repeated name (tsdb
 * `headAppender.Append`: `label name "a" is not unique`). So a name repeated with an empty value
 * among its values vanishes from the sample, and the repeat passes. Notes it when it does.
 */
export function repeatVanishes(
  notes: Tolerated,
  line: number,
  slots: LabelOffsets,
  nameOf: (i: number) => string,
): boolean {
  const names: string[] = [];
  const empty = new Set<string>();
  for (let x = 0; x < slots.count; x++) {
    const name = nameOf(x);
    names.push(name);
    if (slots.valueEnd(x) === slots.valueStart(x)) empty.add(name);
  }
  const seen = new Set<string>();
  let repeated = '';
  for (const name of names) {
    if (seen.has(name)) {
      if (!empty.has(name)) return false;
      repeated = name;
    }
    seen.add(name);
  }
  if (!notes.again(Tolerance.emptyDuplicate, line)) {
    const q = quoteString(repeated);
    notes.first(
      Tolerance.emptyDuplicate,
      line,
      `the label ${q} appears more than once in one sample, once with an empty value; Prometheus accepts it because it drops every ${q} of a sample where one is empty (so the sample is stored without ${q}), but ${notes.forbids}`,
    );
  }
  return true;
}

/**
 * Exemplar labels that break the format (repeated or reserved names, `why`): Prometheus keeps the
 * sample, and drops only the exemplar, and only when exemplar storage is on (scrape.go: "we
 * don't fail the scrape on ingestion errors").
 */
export function noteExemplarLabels(notes: Tolerated, line: number, why: string): void {
  notes.note(
    Tolerance.exemplarLabels,
    line,
    `the exemplar's labels break the format${why}; Prometheus keeps the sample and at most drops the exemplar, but ${notes.forbids}`,
  );
}
