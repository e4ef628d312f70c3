/**
 * The pull cursor over complete exposition lines (Prometheus `model/textparse/interface.go`):
 * `next()` says what the next entry is, and the accessors (`cursor-entry.ts`) read that entry.
 * Scanning records offsets and flags only; strings are built when an accessor asks.
 *
 * This file holds the line loop both formats share; `prometheus-cursor.ts` and
 * `openmetrics-cursor.ts` hold each line grammar, hand-written byte state machines after
 * Prometheus 2.42's lexers (`model/textparse/promlex.l`, `openmetricslex.l`) and parsers
 * (`promparse.go`, `openmetricsparse.go`). The pieces both grammars use are in `label-scan.ts`
 * (quoted strings and label pairs), `metadata-line.ts` (HELP and TYPE) and `scrape-tolerance.ts`
 * (what scrape mode lets through). Each check names its source; where this parser is stricter
 * than Prometheus it says so and why.
 *
 * In scrape mode (`ExpositionOptions.mode`) the cursor takes what Prometheus's scrape path takes
 * and notes each such violation in a `Tolerated`. Every scrape-mode decision sits in a branch that
 * a valid line never enters, so the mode costs a valid body nothing.
 */
import { BLANK, BRACE_CLOSE, BRACE_OPEN, COMMA, EQUAL, HASH, LF } from './chars.ts';
import { METRIC_START, QUOTE, SPACE } from './chars.ts';
import { CursorEntry } from './cursor-entry.ts';
import { NumberOut, parseFloatBytes } from './numbers.ts';
import { Entry } from './pull-cursor.ts';
import type { PullCursor } from './pull-cursor.ts';
import { columnOf, quoteBytes } from './text.ts';
import type { Tolerated } from './tolerated.ts';
import type { ExpositionFormat } from './types.ts';

/** Scrape mode's settings (`ExpositionOptions.mode: 'scrape'`). */
export interface ScrapeRules {
  /** Where tolerated violations are noted. */
  notes: Tolerated;
  /** Reproduce Prometheus 2, which reads no quoted names and no OpenMetrics trailing comma. */
  v2: boolean;
}

/**
 * Reads entries from a region of complete lines. Its owner (`ExpositionStream`) hands it regions
 * with `reset()`; every line in a region ends with a line feed, which is also what stops every
 * scanning loop, so none of them needs a bounds check.
 * The raw accessors (`buffer`, `rawNameStart`, `labelSlots`) and the scanner's fields are for this
 * folder only; outside it the cursor is a `PullCursor`.
 */
export abstract class ExpositionCursor extends CursorEntry implements PullCursor {
  protected readonly maxLine: number;
  protected pos = 0;
  /** End of the region. */
  end = 0;

  /** Scrape mode's notes, or null when validating. */
  readonly notes: Tolerated | null;
  /** Scrape mode for Prometheus 2. */
  readonly v2: boolean;
  /** Where the entry began that `next()` returned `Entry.Partial` for, and its line. */
  entryStart = 0;
  entryLine = 0;
  /** Line feeds crossed inside the current sample's quoted strings (scrape mode). */
  crossed = 0;
  /** Whether the last `Entry.Stop` came from a comment line (else from the start of a line). */
  stopInComment = false;

  protected readonly num = new NumberOut();
  /** Flags of the last `scanQuoted`. */
  scanFlags = 0;

  constructor(format: ExpositionFormat, maxLineBytes: number, scrape: ScrapeRules | null) {
    super(format);
    this.maxLine = maxLineBytes;
    this.notes = scrape === null ? null : scrape.notes;
    this.v2 = scrape !== null && scrape.v2;
  }

  /** Reads a line that starts with a metric name or `{` at `i`; sets `pos` past its line feed. */
  protected abstract sampleLine(i: number): Entry;
  /** Reads a line that starts with `#` at `i`; sets `pos` past its line feed. */
  protected abstract hashLine(i: number): Entry;
  /** Whether blanks may open a line, and blank lines appear (text 0.0.4 yes, OpenMetrics no). */
  abstract readonly blankLines: boolean;

  /**
   * Points the cursor at `b[start..end)`, complete lines each ending in a line feed; `firstLine`
   * is the number of its first line. The cursor reads `b` until the next `reset()` and keeps no
   * view of it past that.
   */
  reset(b: Uint8Array, start: number, end: number, firstLine: number): void {
    this.b = b;
    this.pos = start;
    this.end = end;
    this.line = firstLine - 1;
  }

  /** Offset just past the last line `next()` consumed. */
  get offset(): number {
    return this.pos;
  }

  /** Moves to the next entry of the region. Blank text 0.0.4 lines are skipped. */
  next(): Entry {
    const b = this.b;
    for (;;) {
      const start = this.pos;
      if (start >= this.end) return Entry.End;
      this.line++;
      this.lineStart = start;
      if (this.end - start > this.maxLine && !this.checkLineLength(start)) return Entry.Invalid;
      let i = start;
      if (this.blankLines) while (BLANK[b[i]!] === 1) i++;
      const c = b[i]!;
      if (METRIC_START[c] === 1 || c === BRACE_OPEN) {
        // Prometheus 2's promparse keeps a sample line's leading blanks in the metric name (Next
        // sets p.start before the lexer skips them), and scrape.go then refuses the name
        // ("invalid metric name or label names"): the scrape fails.
        if (i > start && this.v2 && this.notes !== null) {
          return this.fail(
            start,
            'a metric name at the start of the line (Prometheus 2 keeps the blanks in the name and refuses it)',
            this.got(start),
          );
        }
        return this.sampleLine(i);
      }
      if (c === HASH) return this.hashLine(i);
      if (c === LF && this.blankLines) {
        this.pos = i + 1; // promlex.l: blank lines are allowed
        continue;
      }
      return this.badLineStart(start, i);
    }
  }

  /** What `next()` makes of a line that starts with no name, `{` or `#` (kept out of its loop). */
  private badLineStart(start: number, i: number): Entry {
    const c = this.b[i]!;
    if (c === 0 && this.notes !== null && this.blankLines) {
      // promlex.l `\0 return tEOF`: at the start of a line a NUL ends the input, and the scrape
      // keeps the samples before it (scrape.go `append`: io.EOF is no error).
      this.stopInComment = false;
      return Entry.Stop;
    }
    return this.fail(
      i,
      this.blankLines ? 'a metric name or "#"' : 'a metric name or "# "',
      c === LF && i === start ? 'an empty line' : this.got(i),
    );
  }

  /** Prometheus has no line limit; an unbounded line would grow memory without bound. */
  private checkLineLength(start: number): boolean {
    const nl = this.b.indexOf(LF, start);
    if (nl - start <= this.maxLine) return true;
    this.fail(
      start + this.maxLine,
      `a line of at most ${this.maxLine} bytes (maxLineBytes)`,
      'a longer line',
    );
    return false;
  }

  /** Clears the sample entry before a sample line is read. */
  protected resetSample(): void {
    this.nameStart = -1;
    this.nameEnd = -1;
    this.nameFlags = 0;
    this.labels.count = 0;
    this.timestampMs = null;
    this.hasExemplar = false;
    this.exLabels.count = 0;
    this.exTimestampMs = null;
    this.crossed = 0;
  }

  /** Both formats read values with Prometheus's `parseFloat`; see numbers.ts. */
  protected parseValue(s: number, e: number): boolean {
    parseFloatBytes(this.b, s, e, this.num);
    if (this.num.error !== 0) {
      this.failNumber(s, e, 'a number');
      return false;
    }
    this.value = this.num.value;
    return true;
  }

  /** Fails the number at `b[s..e)` that `num` refused: out of range, or not a number. */
  protected failNumber(s: number, e: number, expected: string): void {
    const b = this.b;
    if (this.num.error === 2) {
      this.fail(s, `${expected} within float64 range`, quoteBytes(b, s, e));
    } else if (b[e - 1] === 0x0d) {
      this.fail(s, expected, `${quoteBytes(b, s, e)} (lines must end in "\\n", not "\\r\\n")`);
    } else {
      this.fail(s, expected, quoteBytes(b, s, e));
    }
  }

  /** Describes what stands at `i` for an error message: one punctuation mark, or a word. */
  got(i: number): string {
    const b = this.b;
    const c = b[i]!;
    if (c === LF) return 'end of line';
    if (STOP[c] === 1) return quoteBytes(b, i, i + 1);
    let e = i + 1;
    while (e - i < 40 && STOP[b[e]!] !== 1) e++;
    return quoteBytes(b, i, e);
  }

  /**
   * Sets `failure` in the one template of parse errors (Prometheus `promparse.go`, `parseError`):
   * what was expected, what was found, at `pos` on the current line.
   */
  fail(pos: number, expected: string, got: string): typeof Entry.Invalid {
    this.failure = {
      line: this.line,
      column: columnOf(this.b, this.lineStart, pos),
      message: `expected ${expected}, got ${got}`,
    };
    return Entry.Invalid;
  }
}

/** Bytes that end a word in `got()`. */
const STOP = new Uint8Array(256);
for (const c of [LF, SPACE, 0x09, BRACE_OPEN, BRACE_CLOSE, EQUAL, COMMA, QUOTE, HASH]) STOP[c] = 1;
