/**
 * The pull cursor over complete exposition lines (Prometheus `model/textparse/interface.go`):
 * `next()` says what the next entry is, and the accessors read that entry. Scanning records offsets
 * and flags only; strings are built when an accessor asks, and unescaped only when the scanner saw
 * a backslash (`promparse.go`, `unreplace`).
 *
 * This file holds what both formats share; `prometheus-cursor.ts` and `openmetrics-cursor.ts`
 * hold each line grammar, hand-written byte state machines after Prometheus 2.42's lexers
 * (`model/textparse/promlex.l`, `openmetricslex.l`) and parsers (`promparse.go`,
 * `openmetricsparse.go`). Each check names its source; where this parser is stricter than
 * Prometheus it says so and why.
 *
 * In scrape mode (`ExpositionOptions.mode`) the cursor takes what Prometheus's scrape path takes
 * and notes each such violation in a `Tolerated`. Every scrape-mode decision sits in a branch that
 * a valid line never enters, so the mode costs a valid body nothing.
 */
import type { Exemplar } from '#lib/result/types.ts';
import { jsonValue } from '#lib/result/types.ts';
import { BACKSLASH, BLANK, BRACE_CLOSE, BRACE_OPEN, COMMA, EQUAL, HASH, LF } from './chars.ts';
import { LABEL_CONT, METRIC_CONT, METRIC_START, QUOTE, SPACE, STRING_PLAIN } from './chars.ts';
import type { MetricType } from './families.ts';
import { MetricType as MT, parseTypeWord, TYPE_NAMES } from './families.ts';
import { ESCAPED, LabelSlots, NON_ASCII, SLOT, setKey } from './labels.ts';
import { NumberOut, parseFloatBytes } from './numbers.ts';
import { StringCache } from './string-cache.ts';
import {
  asciiString,
  columnOf,
  firstInvalidUtf8,
  hexByte,
  quoteBytes,
  quoteString,
} from './text.ts';
import { unescapeHelp, unescapeLabel, utf8String, validUtf8 } from './text.ts';
import type { Tolerated } from './tolerated.ts';
import { Tolerance } from './tolerated.ts';
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

const EMPTY = new Uint8Array(0);

/** What a scanning helper returns, instead of an offset, when the entry needs more lines. */
export const NEED_MORE = -2;

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
 * The raw accessors (`buffer`, `rawNameStart`, `labelSlots`) are for this folder only; outside it
 * the cursor is a `PullCursor`.
 */
export abstract class ExpositionCursor implements PullCursor {
  readonly format: ExpositionFormat;
  protected readonly maxLine: number;
  protected b: Uint8Array = EMPTY;
  protected pos = 0;
  protected end = 0;

  /** Line number (1-based) of the current entry. */
  line = 0;
  /** Offset of the current line in `buffer`. */
  lineStart = 0;
  /** Set when `next()` returned `Entry.Invalid`; the cursor must not be advanced after that. */
  failure: ParseFailure | null = null;

  // Sample entry.
  protected nameStart = -1;
  protected nameEnd = -1;
  protected nameFlags = 0;
  protected readonly labels = new LabelSlots(16);
  /** The sample's value (Sample). */
  value = 0;
  /** The sample's timestamp in milliseconds, or null (Sample). */
  timestampMs: number | null = null;
  /** Whether the sample carries an OpenMetrics exemplar (Sample). */
  hasExemplar = false;
  protected readonly exLabels = new LabelSlots(4);
  protected exValue = 0;
  protected exTimestampMs: number | null = null;

  // Metadata entries (HELP, TYPE, UNIT) and comments.
  protected metaStart = 0;
  protected metaEnd = 0;
  protected metaFlags = 0;
  protected textStart = 0;
  protected textEnd = 0;
  protected textFlags = 0;
  /** The type of a `# TYPE` entry (Type). */
  metricType: MetricType = MT.unknown;

  /** Scrape mode's notes, or null when validating. */
  protected readonly notes: Tolerated | null;
  /** Scrape mode for Prometheus 2. */
  protected readonly v2: boolean;
  /** Where the entry began that `next()` returned `Entry.Partial` for, and its line. */
  entryStart = 0;
  entryLine = 0;
  /** Line feeds crossed inside the current sample's quoted strings (scrape mode). */
  protected crossed = 0;
  /** Whether the last `Entry.Stop` came from a comment line (else from the start of a line). */
  stopInComment = false;

  protected readonly num = new NumberOut();
  /** Flags of the last `scanQuoted`. */
  protected scanFlags = 0;
  private readonly cache = new StringCache();
  private readonly decodeFn = (s: number, e: number, flags: number): string =>
    this.decode(s, e, flags);
  private lastNameBytes = new Uint8Array(64);
  private lastNameLen = -1;
  private lastName = '';

  constructor(format: ExpositionFormat, maxLineBytes: number, scrape: ScrapeRules | null) {
    this.format = format;
    this.maxLine = maxLineBytes;
    this.notes = scrape === null ? null : scrape.notes;
    this.v2 = scrape !== null && scrape.v2;
  }

  /** Reads a line that starts with a metric name or `{` at `i`; sets `pos` past its line feed. */
  protected abstract sampleLine(i: number): Entry;
  /** Reads a line that starts with `#` at `i`; sets `pos` past its line feed. */
  protected abstract hashLine(i: number): Entry;
  /** Whether blanks may open a line, and blank lines appear (text 0.0.4 yes, OpenMetrics no). */
  protected abstract readonly blankLines: boolean;

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
      if (METRIC_START[c] === 1 || c === BRACE_OPEN) return this.sampleLine(i);
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

  // ---------------------------------------------------------------------------------------------
  // Pieces both grammars use.

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

  /** The metric name of a metadata line, plain or quoted; returns the offset after it, or -1. */
  protected scanMetaName(j: number, what: string): number {
    const b = this.b;
    this.metaFlags = 0;
    if (METRIC_START[b[j]!] === 1) {
      this.metaStart = j;
      while (METRIC_CONT[b[++j]!] === 1);
      this.metaEnd = j;
      return j;
    }
    if (b[j] === QUOTE) {
      if (this.notes !== null && !this.quotedName(j)) return -1;
      const k = this.scanQuoted(j, 'metric name');
      if (k < 0) return -1;
      if (k - j === 2) {
        this.fail(j, 'a non-empty metric name', '""');
        return -1;
      }
      this.metaStart = j + 1;
      this.metaEnd = k - 1;
      this.metaFlags = this.scanFlags;
      return k;
    }
    this.fail(j, `a metric name after ${what}`, this.got(j));
    return -1;
  }

  /** promparse.go / openmetricsparse.go: help text must be valid UTF-8. */
  protected checkHelp(): Entry {
    const b = this.b;
    let flags = 0;
    for (let k = this.textStart; k < this.textEnd; k++) {
      const c = b[k]!;
      if (c === BACKSLASH) flags |= ESCAPED;
      else if (c >= 0x80) flags |= NON_ASCII;
    }
    this.textFlags = flags;
    if ((flags & NON_ASCII) !== 0 && !validUtf8(b, this.textStart, this.textEnd)) {
      const bad = firstInvalidUtf8(b, this.textStart, this.textEnd);
      return this.fail(bad, 'help text in UTF-8', `byte ${hexByte(b[bad]!)}`);
    }
    return Entry.Help;
  }

  /** promparse.go / openmetricsparse.go `Next`, `tType`: the exact type word. */
  protected checkType(choices: string, openMetrics: boolean): Entry {
    const s = this.textStart;
    const e = this.textEnd;
    let word: string | null = null;
    if (e - s <= 16) {
      word = asciiString(this.b, s, e);
      for (let k = s; k < e; k++) if (this.b[k]! >= 0x80) word = null;
    }
    const type = word === null ? -1 : parseTypeWord(word, openMetrics);
    if (type === -1) {
      return this.fail(
        s,
        `a metric type (${choices})`,
        s === e ? 'none' : quoteBytes(this.b, s, e),
      );
    }
    this.metricType = type;
    return Entry.Type;
  }

  /**
   * A double-quoted string at `b[i]`; returns the offset after the closing quote and leaves its
   * flags in `scanFlags`, or -1. The escapes are `\\`, `\"` and `\n`: the text format 0.0.4
   * description ("label_value can be any sequence of UTF-8 characters, but the backslash,
   * double-quote, and line feed characters have to be escaped") and the OpenMetrics ABNF
   * (`escaped-char`). Stricter than Prometheus 2.42's scrape parser, which keeps an unknown escape
   * as it is; like `promtool check metrics` (expfmt: "invalid escape sequence"). Raw line feeds are
   * refused too (openmetricslex.l `[^\\"\n]`; expfmt: "unescaped new-line").
   *
   * Scrape mode takes what Prometheus takes: any escape but a backslash before a line feed
   * (promlex.l and openmetricslex.l `\\.`, kept as written by `unreplace`), and in text 0.0.4 a
   * raw line feed inside the string of a sample line (promlex.l `[^\\"]`). When that line feed
   * ends the region it returns `NEED_MORE`, with `failure` saying what the end of the input
   * would mean.
   */
  protected scanQuoted(i: number, what: string): number {
    const b = this.b;
    let j = i + 1;
    let flags = 0;
    for (;;) {
      while (STRING_PLAIN[b[j]!] === 1) j++;
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const n = b[j + 1];
        if (n === BACKSLASH || n === QUOTE || n === 0x6e) {
          flags |= ESCAPED;
          j += 2;
          continue;
        }
        if (!this.otherEscape(i, j, what)) return -1;
        flags |= ESCAPED;
        j += 2;
        continue;
      }
      if (c === LF) {
        const k = this.lineFeedInString(i, j, what);
        if (k < 0) return k;
        j = k;
        continue;
      }
      flags |= NON_ASCII;
      j++;
    }
    // promparse.go / openmetricsparse.go `parseLVals`: "invalid UTF-8 label value".
    if ((flags & NON_ASCII) !== 0 && !validUtf8(b, i + 1, j)) {
      const bad = firstInvalidUtf8(b, i + 1, j);
      this.fail(bad, `a ${what} in UTF-8`, `byte ${hexByte(b[bad]!)}`);
      return -1;
    }
    this.scanFlags = flags;
    return j + 1;
  }

  /**
   * Reads one `name="value"` pair (or a quoted metric name) at `i`. Returns the offset after it,
   * or -1. `blanks` allows text 0.0.4's blanks around `=`. `exemplar` refuses a metric name.
   */
  protected scanPair(i: number, slots: LabelSlots, blanks: boolean, exemplar: boolean): number {
    const b = this.b;
    let c = b[i]!;
    const ns = i;
    let ne: number;
    let nflags = 0;
    let quoted = false;
    if (c === QUOTE) {
      if (this.notes !== null && !this.quotedName(i)) return -1;
      i = this.scanQuoted(i, 'label name');
      if (i < 0) return i;
      ne = i;
      nflags = this.scanFlags;
      quoted = true;
    } else {
      while (LABEL_CONT[b[++i]!] === 1);
      ne = i;
    }
    if (blanks) while (BLANK[b[i]!] === 1) i++;
    c = b[i]!;
    if (quoted && !exemplar && (c === COMMA || c === BRACE_CLOSE)) {
      // promparse.go `parseLVals`: a quoted string alone is the metric name, given once.
      if (this.nameStart >= 0) {
        this.fail(ns, 'one metric name', `a second, ${quoteBytes(b, ns + 1, ne - 1)}`);
        return -1;
      }
      if (ne - ns === 2) {
        this.fail(ns, 'a non-empty metric name', '""');
        return -1;
      }
      this.nameStart = ns + 1;
      this.nameEnd = ne - 1;
      this.nameFlags = nflags;
      return i;
    }
    if (c !== EQUAL) {
      this.fail(i, '"=" after the label name', this.got(i));
      return -1;
    }
    i++;
    if (blanks) while (BLANK[b[i]!] === 1) i++;
    if (b[i] !== QUOTE) {
      this.fail(i, 'a label value in double quotes', this.got(i));
      return -1;
    }
    const vs = i;
    i = this.scanQuoted(i, 'label value');
    if (i < 0) return i;
    if (quoted) slots.push(ns + 1, ne - 1, nflags, vs + 1, i - 1, this.scanFlags);
    else slots.push(ns, ne, 0, vs + 1, i - 1, this.scanFlags);
    return i;
  }

  /**
   * Label names must be unique and must not be `__name__` (OpenMetrics 1.0: "Label names MUST be
   * unique within a LabelSet"; Prometheus refuses such a sample when it stores it, and `__name__`
   * would repeat the metric name). Empty quoted names are refused too.
   */
  protected checkLabels(): boolean {
    if (!this.checkSlots(this.labels, true)) return false;
    if (!this.hasExemplar || this.checkSlots(this.exLabels, false)) return true;
    return this.notes !== null && this.tolerateExemplar();
  }

  private checkSlots(slots: LabelSlots, sample: boolean): boolean {
    const b = this.b;
    const a = slots.a;
    for (let x = 0; x < slots.count; x++) {
      const s = a[x * SLOT]!;
      const e = a[x * SLOT + 1]!;
      if (e === s) return this.failLabel(s - 1, 'a non-empty label name', '""');
      if (sample && e - s === 8 && isNameLabel(b, s)) {
        return this.failLabel(s, 'the metric name before "{", not as a label', '"__name__"');
      }
    }
    const dup = slots.firstDuplicate(b, this.decodeFn);
    if (dup < 0) return true;
    if (sample && this.notes !== null && this.repeatVanishes(slots)) return true;
    const s = a[dup * SLOT]!;
    const name = this.decode(s, a[dup * SLOT + 1]!, a[dup * SLOT + 4]! >> 2);
    return this.failLabel(s, 'unique label names', `${quoteString(name)} again`);
  }

  private failLabel(pos: number, expected: string, got: string): boolean {
    this.fail(pos, expected, got);
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Scrape mode: what Prometheus takes and the formats forbid. Only failure paths call these.

  /**
   * A quoted name: Prometheus 3 reads it (promlex.l and openmetricslex.l `\"(\\.|[^\\"])*\"` as a
   * name, with the UTF-8 names of Prometheus 3); Prometheus 2.42's lexers have no such token, so
   * its scrape fails ("is not a valid start token", "expected label name").
   */
  protected quotedName(i: number): boolean {
    if (this.v2) {
      this.fail(i, 'an unquoted name (Prometheus 2 reads no quoted names)', this.got(i));
      return false;
    }
    const notes = this.notes!;
    if (!notes.again(Tolerance.quotedName, this.line)) {
      // The name as written, up to its closing quote or the end of the line.
      const b = this.b;
      let k = i + 1;
      while (b[k] !== QUOTE && b[k] !== LF) k += b[k] === BACKSLASH && b[k + 1] !== LF ? 2 : 1;
      notes.first(
        Tolerance.quotedName,
        this.line,
        `a quoted name (${quoteBytes(b, i, b[k] === QUOTE ? k + 1 : k)}); Prometheus 3 reads it, but Prometheus 2 refuses the whole scrape`,
      );
    }
    return true;
  }

  /** How a warning names the string that opens at `open`: a label value by its label's name. */
  private describeString(open: number, what: string): string {
    if (what !== 'label value') return `a quoted ${what}`;
    const b = this.b;
    let k = open - 1;
    while (k > this.lineStart && BLANK[b[k]!] === 1) k--;
    if (b[k] !== EQUAL) return 'a label value';
    k--;
    while (k > this.lineStart && BLANK[b[k]!] === 1) k--;
    const e = k + 1;
    while (k >= this.lineStart && LABEL_CONT[b[k]!] === 1) k--;
    return e > k + 1 ? `the label value of ${quoteBytes(b, k + 1, e)}` : 'a label value';
  }

  /**
   * A backslash at `j` that is none of the format's escapes, in the string opened at `open`: a
   * failure, or in scrape mode a warning (promlex.l, openmetricslex.l `\\.`: any escape but one
   * before a line feed is taken, and `unreplace` keeps it as written).
   */
  private otherEscape(open: number, j: number, what: string): boolean {
    const b = this.b;
    const n = b[j + 1];
    const notes = this.notes;
    if (notes === null || n === LF) {
      this.fail(
        j,
        `an escape sequence (\\\\, \\" or \\n) in the ${what}`,
        quoteBytes(b, j, n === LF ? j + 1 : j + 2),
      );
      return false;
    }
    const kind = what === 'label value' ? Tolerance.labelEscape : Tolerance.nameEscape;
    if (notes.again(kind, this.line)) return true;
    notes.first(
      kind,
      this.line,
      `${this.describeString(open, what)} has ${quoteBytes(b, j, j + 2)}, an escape the format does not define; Prometheus keeps it as written, but ${notes.forbids}`,
    );
    return true;
  }

  /**
   * A raw line feed at `j` in the string opened at `open`: a failure, or in scrape mode for text
   * 0.0.4 a sample that goes on to the next line (promlex.l `[^\\"]`). Returns where to scan on,
   * -1, or `NEED_MORE` when the line feed ends the region.
   */
  private lineFeedInString(open: number, j: number, what: string): number {
    const notes = this.notes;
    if (notes === null || !this.blankLines || what === 'metric name') {
      this.fail(j, `a closing quote for the ${what}`, 'end of line');
      return -1;
    }
    if (this.crossed === 0) {
      this.entryStart = this.lineStart;
      this.entryLine = this.line;
    }
    if (j + 1 >= this.end) {
      this.fail(j, `a closing quote for the ${what}`, 'end of input');
      return NEED_MORE;
    }
    this.crossed++;
    if (!notes.again(Tolerance.rawNewline, this.line)) {
      notes.first(
        Tolerance.rawNewline,
        this.line,
        `${this.describeString(open, what)} holds a raw line feed (the sample goes on to line ${this.line + 1}); Prometheus reads it as part of the ${what}, but ${notes.forbids}`,
      );
    }
    this.line++;
    this.lineStart = j + 1;
    return j + 1;
  }

  /** Whether `i` is just past the closing quote of the last label value in `slots`. */
  protected afterValue(slots: LabelSlots, i: number): boolean {
    return slots.count > 0 && slots.a[(slots.count - 1) * SLOT + 3] === i - 1;
  }

  /**
   * NULs right after the closing quote of the last label value in `slots`: the lexers' `next()`
   * skips NULs while in a label value, and the closing quote's lookahead is read in that state.
   * The value Prometheus stores then runs from after the opening quote to one byte before the
   * lexer's position (promparse.go `p.l.start+1, p.l.i-1`): the closing quote and all but the last
   * NUL become part of it, and so they do here. Returns the offset past the NULs.
   */
  protected skipNuls(i: number, slots: LabelSlots): number {
    const b = this.b;
    const notes = this.notes!;
    const a = slots.a;
    const k = (slots.count - 1) * SLOT;
    const open = a[k + 2]! - 1;
    while (b[i] === 0) i++;
    a[k + 3] = i - 1;
    if (!notes.again(Tolerance.nulAfterValue, this.line)) {
      notes.first(
        Tolerance.nulAfterValue,
        this.line,
        `a NUL byte follows the closing quote of ${this.describeString(open, 'label value')}; Prometheus accepts it, but keeps that quote (and any NULs but the last) in the value, and ${notes.forbids}`,
      );
    }
    return i;
  }

  /**
   * Whether a repeated label name would pass Prometheus: its scrape loop rebuilds every sample's
   * labels with a `labels.Builder` (scrape.go `mutateSampleLabels`), whose `Reset` deletes every
   * label of a name that has an empty value, before storage refuses a repeated name (tsdb
   * `headAppender.Append`: `label name "a" is not unique`). So a name repeated with an empty value
   * among its values vanishes from the sample, and the repeat passes.
   */
  private repeatVanishes(slots: LabelSlots): boolean {
    const a = slots.a;
    const names: string[] = [];
    const empty = new Set<string>();
    for (let x = 0; x < slots.count; x++) {
      const k = x * SLOT;
      const name = this.decode(a[k]!, a[k + 1]!, a[k + 4]! >> 2);
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
    const notes = this.notes!;
    if (!notes.again(Tolerance.emptyDuplicate, this.line)) {
      const q = quoteString(repeated);
      notes.first(
        Tolerance.emptyDuplicate,
        this.line,
        `the label ${q} appears more than once in one sample, once with an empty value; Prometheus accepts it because it drops every ${q} of a sample where one is empty (so the sample is stored without ${q}), but ${notes.forbids}`,
      );
    }
    return true;
  }

  /**
   * Exemplar labels that break the format (repeated or reserved names): Prometheus keeps the
   * sample, and drops only the exemplar, and only when exemplar storage is on (scrape.go: "we
   * don't fail the scrape on ingestion errors").
   */
  private tolerateExemplar(): boolean {
    const why = this.failure === null ? '' : ` (${this.failure.message})`;
    this.failure = null;
    const notes = this.notes!;
    if (!notes.again(Tolerance.exemplarLabels, this.line)) {
      notes.first(
        Tolerance.exemplarLabels,
        this.line,
        `the exemplar's labels break the format${why}; Prometheus keeps the sample and at most drops the exemplar, but ${notes.forbids}`,
      );
    }
    return true;
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
  protected got(i: number): string {
    const b = this.b;
    const c = b[i]!;
    if (c === LF) return 'end of line';
    if (STOP[c] === 1) return quoteBytes(b, i, i + 1);
    let e = i + 1;
    while (e - i < 40 && STOP[b[e]!] !== 1) e++;
    return quoteBytes(b, i, e);
  }

  protected fail(pos: number, expected: string, got: string): typeof Entry.Invalid {
    this.failure = {
      line: this.line,
      column: columnOf(this.b, this.lineStart, pos),
      message: `expected ${expected}, got ${got}`,
    };
    return Entry.Invalid;
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors. Valid after `next()` returned the entry they name (in parentheses), until the next
  // `next()` or `reset()`. Strings and records are copies and may be kept.

  private decode(s: number, e: number, flags: number): string {
    if (flags === 0) return this.cache.get(this.b, s, e);
    const raw = (flags & NON_ASCII) !== 0 ? utf8String(this.b, s, e) : asciiString(this.b, s, e);
    return (flags & ESCAPED) !== 0 ? unescapeLabel(raw) : raw;
  }

  /** The metric name, unescaped (Sample). */
  metricName(): string {
    const b = this.b;
    const s = this.nameStart;
    const len = this.nameEnd - s;
    if (this.nameFlags !== 0) return this.decode(s, this.nameEnd, this.nameFlags);
    if (len === this.lastNameLen) {
      const last = this.lastNameBytes;
      let k = 0;
      while (k < len && last[k] === b[s + k]) k++;
      if (k === len) return this.lastName;
    }
    const name = asciiString(b, s, this.nameEnd);
    if (len > this.lastNameBytes.length) this.lastNameBytes = new Uint8Array(len * 2);
    this.lastNameBytes.set(b.subarray(s, this.nameEnd));
    this.lastNameLen = len;
    this.lastName = name;
    return name;
  }

  /** The buffer `rawNameStart`, `rawNameEnd` and `rawMetaStart` point into (until `reset()`). */
  get buffer(): Uint8Array {
    return this.b;
  }
  /** Where the metric name starts in `buffer` (Sample). */
  get rawNameStart(): number {
    return this.nameStart;
  }
  /** Where the metric name ends in `buffer` (Sample). */
  get rawNameEnd(): number {
    return this.nameEnd;
  }
  /** Whether the name's raw bytes are the name itself: ASCII, no escapes (Sample). */
  get nameIsPlain(): boolean {
    return this.nameFlags === 0;
  }
  /** Where the metric name of a HELP, TYPE or UNIT line starts in `buffer`. */
  get rawMetaStart(): number {
    return this.metaStart;
  }

  /** How many labels, not counting the metric name (Sample). */
  get labelCount(): number {
    return this.labels.count;
  }

  /** Name of label `i` (Sample). */
  labelName(i: number): string {
    const a = this.labels.a;
    return this.decode(a[i * SLOT]!, a[i * SLOT + 1]!, a[i * SLOT + 4]! >> 2);
  }

  /** Unescaped value of label `i` (Sample). */
  labelValue(i: number): string {
    const a = this.labels.a;
    return this.decode(a[i * SLOT + 2]!, a[i * SLOT + 3]!, a[i * SLOT + 4]! & 3);
  }

  /** Calls `fn` for each label, in the order of the line (Sample). */
  forEachLabel(fn: (name: string, value: string) => void): void {
    for (let i = 0; i < this.labels.count; i++) fn(this.labelName(i), this.labelValue(i));
  }

  /** A fresh record of the labels (Sample). */
  labelRecord(): Record<string, string> {
    return this.record(this.labels);
  }

  private record(slots: LabelSlots): Record<string, string> {
    const out: Record<string, string> = {};
    const a = slots.a;
    for (let i = 0; i < slots.count; i++) {
      const k = i * SLOT;
      setKey(
        out,
        this.decode(a[k]!, a[k + 1]!, a[k + 4]! >> 2),
        this.decode(a[k + 2]!, a[k + 3]!, a[k + 4]! & 3),
      );
    }
    return out;
  }

  /** Where the labels are in `buffer` (Sample; for the lint pass). */
  get labelSlots(): LabelSlots {
    return this.labels;
  }

  /** The exemplar, or null (Sample). */
  exemplar(): Exemplar | null {
    if (!this.hasExemplar) return null;
    return {
      labels: this.record(this.exLabels),
      value: jsonValue(this.exValue),
      timestampMs: this.exTimestampMs,
    };
  }

  /** The metric name of a HELP, TYPE or UNIT line. */
  metaName(): string {
    return this.decode(this.metaStart, this.metaEnd, this.metaFlags);
  }

  /** The unescaped text of a HELP line (text 0.0.4 escapes `\\` and `\n`; OpenMetrics also `\"`). */
  helpText(): string {
    const raw =
      (this.textFlags & NON_ASCII) !== 0
        ? utf8String(this.b, this.textStart, this.textEnd)
        : asciiString(this.b, this.textStart, this.textEnd);
    if ((this.textFlags & ESCAPED) === 0) return raw;
    return this.format === 'openmetrics' ? unescapeLabel(raw) : unescapeHelp(raw);
  }

  /**
   * Whether the HELP text has a backslash that is not one of the format's escapes (Help).
   * Prometheus keeps such a backslash as it is; `promtool check metrics` refuses it.
   */
  helpHasUnknownEscape(): boolean {
    if ((this.textFlags & ESCAPED) === 0) return false;
    const b = this.b;
    const om = this.format === 'openmetrics';
    for (let k = this.textStart; k < this.textEnd; k++) {
      if (b[k] !== BACKSLASH) continue;
      const n = b[k + 1];
      if (n === BACKSLASH || n === 0x6e || (om && n === QUOTE)) k++;
      else return true;
    }
    return false;
  }

  /** The type of a TYPE line, as `--json` spells it (Type). */
  typeName(): string {
    return TYPE_NAMES[this.metricType];
  }

  /** The unit of a UNIT line (Unit). */
  unitText(): string {
    return utf8String(this.b, this.textStart, this.textEnd);
  }

  /** The text of a comment line, `#` included (Comment). */
  commentText(): string {
    return utf8String(this.b, this.textStart, this.textEnd);
  }
}

/** Bytes that end a word in `got()`. */
const STOP = new Uint8Array(256);
for (const c of [LF, SPACE, 0x09, BRACE_OPEN, BRACE_CLOSE, EQUAL, COMMA, QUOTE, HASH]) STOP[c] = 1;

function isNameLabel(b: Uint8Array, s: number): boolean {
  // "__name__"
  return (
    b[s] === 0x5f &&
    b[s + 1] === 0x5f &&
    b[s + 2] === 0x6e &&
    b[s + 3] === 0x61 &&
    b[s + 4] === 0x6d &&
    b[s + 5] === 0x65 &&
    b[s + 6] === 0x5f &&
    b[s + 7] === 0x5f
  );
}
