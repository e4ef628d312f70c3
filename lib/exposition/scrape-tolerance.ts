/**
 * Where the formats and Prometheus part, for the cursor: each function fails the line, or in
 * scrape mode (`ExpositionOptions.mode`) takes what Prometheus's scrape path takes and notes it in
 * the cursor's `Tolerated`. Only branches that a valid line never enters call these, so scrape
 * mode costs a valid body nothing.
 */
import { BACKSLASH, BLANK, EQUAL, LABEL_CONT, LF, QUOTE } from './chars.ts';
import type { ExpositionCursor } from './cursor.ts';
import type { LabelSlots } from './labels.ts';
import { SLOT } from './labels.ts';
import { quoteBytes, quoteString } from './text.ts';
import { Tolerance } from './tolerated.ts';

/** What a scanning helper returns, instead of an offset, when the entry needs more lines. */
export const NEED_MORE = -2;

/**
 * A quoted name at `i`: Prometheus 3 reads it (promlex.l and openmetricslex.l
 * `\"(\\.|[^\\"])*\"` as a name, with the UTF-8 names of Prometheus 3); Prometheus 2.42's lexers
 * have no such token, so its scrape fails ("is not a valid start token", "expected label name").
 * Scrape mode only; returns false when the line fails.
 */
export function quotedName(cur: ExpositionCursor, i: number): boolean {
  if (cur.v2) {
    cur.fail(i, 'an unquoted name (Prometheus 2 reads no quoted names)', cur.got(i));
    return false;
  }
  const notes = cur.notes!;
  if (!notes.again(Tolerance.quotedName, cur.line)) {
    // The name as written, up to its closing quote or the end of the line.
    const b = cur.b;
    let k = i + 1;
    while (b[k] !== QUOTE && b[k] !== LF) k += b[k] === BACKSLASH && b[k + 1] !== LF ? 2 : 1;
    notes.first(
      Tolerance.quotedName,
      cur.line,
      `a quoted name (${quoteBytes(b, i, b[k] === QUOTE ? k + 1 : k)}); Prometheus 3 reads it, but Prometheus 2 refuses the whole scrape`,
    );
  }
  return true;
}

/** How a warning names the string that opens at `open`: a label value by its label's name. */
function describeString(cur: ExpositionCursor, open: number, what: string): string {
  if (what !== 'label value') return `a quoted ${what}`;
  const b = cur.b;
  let k = open - 1;
  while (k > cur.lineStart && BLANK[b[k]!] === 1) k--;
  if (b[k] !== EQUAL) return 'a label value';
  k--;
  while (k > cur.lineStart && BLANK[b[k]!] === 1) k--;
  const e = k + 1;
  while (k >= cur.lineStart && LABEL_CONT[b[k]!] === 1) k--;
  return e > k + 1 ? `the label value of ${quoteBytes(b, k + 1, e)}` : 'a label value';
}

/**
 * A backslash at `j` that is none of the format's escapes, in the string opened at `open`: a
 * failure, or in scrape mode a warning (promlex.l, openmetricslex.l `\\.`: any escape but one
 * before a line feed is taken, and `unreplace` keeps it as written). Returns false on failure.
 */
export function otherEscape(cur: ExpositionCursor, open: number, j: number, what: string): boolean {
  const b = cur.b;
  const n = b[j + 1];
  const notes = cur.notes;
  if (notes === null || n === LF) {
    cur.fail(
      j,
      `an escape sequence (\\\\, \\" or \\n) in the ${what}`,
      quoteBytes(b, j, n === LF ? j + 1 : j + 2),
    );
    return false;
  }
  const kind = what === 'label value' ? Tolerance.labelEscape : Tolerance.nameEscape;
  if (notes.again(kind, cur.line)) return true;
  notes.first(
    kind,
    cur.line,
    `${describeString(cur, open, what)} has ${quoteBytes(b, j, j + 2)}, an escape the format does not define; Prometheus keeps it as written, but ${notes.forbids}`,
  );
  return true;
}

/**
 * A raw line feed at `j` in the string opened at `open`: a failure, or in scrape mode for text
 * 0.0.4 a sample that goes on to the next line (promlex.l `[^\\"]`). Returns where to scan on,
 * -1, or `NEED_MORE` when the line feed ends the region.
 */
export function lineFeedInString(
  cur: ExpositionCursor,
  open: number,
  j: number,
  what: string,
): number {
  const notes = cur.notes;
  if (notes === null || !cur.blankLines || what === 'metric name') {
    cur.fail(j, `a closing quote for the ${what}`, 'end of line');
    return -1;
  }
  if (cur.crossed === 0) {
    cur.entryStart = cur.lineStart;
    cur.entryLine = cur.line;
  }
  if (j + 1 >= cur.end) {
    cur.fail(j, `a closing quote for the ${what}`, 'end of input');
    return NEED_MORE;
  }
  cur.crossed++;
  if (!notes.again(Tolerance.rawNewline, cur.line)) {
    notes.first(
      Tolerance.rawNewline,
      cur.line,
      `${describeString(cur, open, what)} holds a raw line feed (the sample goes on to line ${cur.line + 1}); Prometheus reads it as part of the ${what}, but ${notes.forbids}`,
    );
  }
  cur.line++;
  cur.lineStart = j + 1;
  return j + 1;
}

/** Whether `i` is just past the closing quote of the last label value in `slots`. */
export function afterValue(slots: LabelSlots, i: number): boolean {
  return slots.count > 0 && slots.a[(slots.count - 1) * SLOT + 3] === i - 1;
}

/**
 * NULs right after the closing quote of the last label value in `slots`: the lexers' `next()`
 * skips NULs while in a label value, and the closing quote's lookahead is read in that state.
 * The value Prometheus stores then runs from after the opening quote to one byte before the
 * lexer's position (promparse.go `p.l.start+1, p.l.i-1`): the closing quote and all but the last
 * NUL become part of it, and so they do here. Scrape mode only; returns the offset past the NULs.
 */
export function skipNuls(cur: ExpositionCursor, i: number, slots: LabelSlots): number {
  const b = cur.b;
  const notes = cur.notes!;
  const a = slots.a;
  const k = (slots.count - 1) * SLOT;
  const open = a[k + 2]! - 1;
  while (b[i] === 0) i++;
  a[k + 3] = i - 1;
  if (!notes.again(Tolerance.nulAfterValue, cur.line)) {
    notes.first(
      Tolerance.nulAfterValue,
      cur.line,
      `a NUL byte follows the closing quote of ${describeString(cur, open, 'label value')}; Prometheus accepts it, but keeps that quote (and any NULs but the last) in the value, and ${notes.forbids}`,
    );
  }
  return i;
}

/**
 * Whether a repeated label name would pass Prometheus: its scrape loop rebuilds every sample's
 * labels with a `labels.Builder` (scrape.go `mutateSampleLabels`), whose `Reset` deletes every
 * label of a name that has an empty value, before storage refuses a repeated name (tsdb
 * `headAppender.Append`: `label name "a" is not unique`). So a name repeated with an empty value
 * among its values vanishes from the sample, and the repeat passes. Scrape mode only.
 */
export function repeatVanishes(cur: ExpositionCursor, slots: LabelSlots): boolean {
  const a = slots.a;
  const names: string[] = [];
  const empty = new Set<string>();
  for (let x = 0; x < slots.count; x++) {
    const k = x * SLOT;
    const name = cur.decode(a[k]!, a[k + 1]!, a[k + 4]! >> 2);
    names.push(name);
    if (a[k + 3] === a[k + 2]) empty.add(name);
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
  const notes = cur.notes!;
  if (!notes.again(Tolerance.emptyDuplicate, cur.line)) {
    const q = quoteString(repeated);
    notes.first(
      Tolerance.emptyDuplicate,
      cur.line,
      `the label ${q} appears more than once in one sample, once with an empty value; Prometheus accepts it because it drops every ${q} of a sample where one is empty (so the sample is stored without ${q}), but ${notes.forbids}`,
    );
  }
  return true;
}

/**
 * Exemplar labels that break the format (repeated or reserved names): Prometheus keeps the
 * sample, and drops only the exemplar, and only when exemplar storage is on (scrape.go: "we
 * don't fail the scrape on ingestion errors"). Scrape mode only: clears `failure`.
 */
export function tolerateExemplar(cur: ExpositionCursor): boolean {
  const why = cur.failure === null ? '' : ` (${cur.failure.message})`;
  cur.failure = null;
  const notes = cur.notes!;
  if (!notes.again(Tolerance.exemplarLabels, cur.line)) {
    notes.first(
      Tolerance.exemplarLabels,
      cur.line,
      `the exemplar's labels break the format${why}; Prometheus keeps the sample and at most drops the exemplar, but ${notes.forbids}`,
    );
  }
  return true;
}
