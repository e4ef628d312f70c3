/**
 * The pull cursor over complete exposition lines (Prometheus `model/textparse/interface.go`):
 * `next()` says what the next entry is, and the accessors read that entry back. Scanning records
 * offsets and flags only; strings are built when an accessor asks, and unescaped only when the
 * scanner saw a backslash (Prometheus `promparse.go`, `unreplace`).
 *
 * `Scanner` holds the state of the current entry, privately, with the line loop and the pieces both
 * grammars share (quoted strings, `name="value"` pairs, the label checks, the metric name and text
 * of HELP and TYPE lines). Each grammar (`prometheus.ts`, `openmetrics.ts`) is a subclass that
 * reads one line, hand-written after Prometheus 2.42's lexers (`model/textparse/promlex.l`,
 * `openmetricslex.l`) and parsers (`promparse.go`, `openmetricsparse.go`), and records what it
 * finds through the protected methods below. Each check names its source; where this parser is
 * stricter than Prometheus it says so and why.
 *
 * Consecutive sample lines mostly repeat each other (a histogram's buckets differ in `le` alone):
 * where a line repeats the previous one byte for byte, the scanner takes over what that line's scan
 * found instead of scanning again (`resumeSample`, `realign`), and tells the linter and the stream
 * which labels and name it took over (`reusedLabels`, `reusedName`).
 *
 * In scrape mode (`ExpositionOptions.mode`) the scanner takes what Prometheus's scrape path takes
 * and notes each such violation in a `Tolerated`. Every scrape-mode decision sits in a branch that
 * a valid line never enters, so the mode costs a valid body nothing.
 *
 * The state is in `#private` fields, which V8 (Node 24) optimizes as it does ordinary ones: a
 * line scanner over 30 MB ran at the same speed either way (63 ms against 63 ms warm, in one
 * run), and the whole parser no slower than before its fields were hidden. So the language keeps
 * them private, not a convention; the grammars reach them through the protected methods below,
 * which the optimizing compiler inlines.
 */
import type { Exemplar } from '#lib/result/types.ts';
import { jsonValue } from '#lib/result/types.ts';
import { BACKSLASH, BLANK, BRACE_CLOSE, BRACE_OPEN, COMMA, EQUAL, HASH, LF } from './chars.ts';
import { LABEL_CONT, METRIC_CONT, METRIC_START, QUOTE, SPACE, STRING_PLAIN } from './chars.ts';
import type { MetricType } from './metric-types.ts';
import { MetricType as MT, memberSuffix, memberSuffixOf, parseTypeWord } from './metric-types.ts';
import { typeChoices, TYPE_NAMES } from './metric-types.ts';
import { ESCAPED, LabelSlots, NON_ASCII, setKey } from './labels.ts';
import type { LabelOffsets } from './labels.ts';
import { NumberOut, parseFloatBytes } from './numbers.ts';
import { asciiString, columnOf, firstInvalidUtf8, hexByte, quoteBytes } from './text.ts';
import { quoteString, StringCache, unescapeHelp, unescapeLabel } from './text.ts';
import { utf8String, validUtf8 } from './text.ts';
import type { Tolerated } from './tolerance.ts';
import { noteExemplarLabels, noteNulAfterValue, noteOtherEscape } from './tolerance.ts';
import { noteQuotedName, noteRawNewline, repeatVanishes } from './tolerance.ts';
import { Entry } from './types.ts';
import type { ExpositionFormat, ParseFailure, PullCursor } from './types.ts';

/** Scrape mode's settings (`ExpositionOptions.mode: 'scrape'`). */
export interface ScrapeRules {
  /** Where tolerated violations are noted. */
  notes: Tolerated;
  /** Reproduce Prometheus 2, which reads no quoted names and no OpenMetrics trailing comma. */
  v2: boolean;
}

/** What a scanning method returns, instead of an offset, when the entry needs more lines. */
export const NEED_MORE = -2;

const EMPTY = new Uint8Array(0);

/**
 * Reads entries from a region of complete lines. Its owner (`ExpositionStream`) hands it regions
 * with `reset()`; every line in a region ends with a line feed, which is also what stops every
 * scanning loop, so none of them needs a bounds check.
 *
 * Accessors are valid after `next()` returned the entry they name (in parentheses), until the next
 * `next()` or `reset()`. Strings and records are copies and may be kept; the raw offsets
 * (`buffer`, `labelOffsets`) are for this folder only.
 */
export abstract class Scanner implements PullCursor {
  readonly format: ExpositionFormat;
  /** Whether blanks may open a line, and blank lines appear (text 0.0.4 yes, OpenMetrics no). */
  protected readonly blankLines: boolean;
  readonly #maxLine: number;
  /** Scrape mode's notes, or null when validating. */
  protected readonly notes: Tolerated | null;
  /** Scrape mode for Prometheus 2. */
  protected readonly v2: boolean;
  /** The sample's labels, to scan into (Sample). */
  protected readonly labels = new LabelSlots(16);
  /** The exemplar's labels, to scan into (Sample). */
  protected readonly exemplarLabels = new LabelSlots(4);

  #b: Uint8Array = EMPTY;
  #pos = 0;
  #end = 0;
  #line = 0;
  #lineStart = 0;
  #failure: ParseFailure | null = null;

  // Sample entry.
  #nameStart = -1;
  #nameEnd = -1;
  #nameFlags = 0;
  #value = 0;
  #timestampMs: number | null = null;
  #hasExemplar = false;
  #exValue = 0;
  #exTimestampMs: number | null = null;

  // Metadata entries (HELP, TYPE, UNIT) and comments.
  #metaStart = 0;
  #metaEnd = 0;
  #metaFlags = 0;
  #textStart = 0;
  #textEnd = 0;
  #textFlags = 0;
  #metricType: MetricType = MT.unknown;

  // Scrape mode: entries that span lines, and NULs that end the input.
  #entryStart = 0;
  #entryLine = 0;
  #crossed = 0;
  #stopInComment = false;

  readonly #num = new NumberOut();
  /** Flags of the last `scanQuoted`. */
  #scanFlags = 0;
  readonly #cache = new StringCache();
  readonly #decodeFn = (s: number, e: number, flags: number): string => this.#decode(s, e, flags);
  #lastNameBytes = new Uint8Array(64);
  #lastNameLen = -1;
  #lastName = '';

  // The previous sample line of the region, whose repeated bytes the next one takes over
  // (`resumeSample`, `realign`): where it starts (-1: none to take over), how many labels it has,
  // where each of its pairs ends (past the closing quote, from the line's start), its name.
  #prevStart = -1;
  #prevLabels = 0;
  #prevEnds = new Int32Array(16);
  /** Where each of its label names starts and ends, from the line's start. */
  #prevNames = new Int32Array(32);
  #prevNameStart = 0;
  #prevNameEnd = 0;
  /** The metric name was quoted inside the braces (the line is not taken over from). */
  #nameQuoted = false;
  /** Which labels the current sample took over (bit x: label x, for x < 31), and its name. */
  #reusedMask = 0;
  #reusedName = false;
  /** `resumeSample` stopped just past a pair (else at the first pair). */
  #resumedAfterPair = false;
  /** A `DataView` of `#b`, to compare lines four bytes at a time. */
  #view: DataView = new DataView(EMPTY.buffer);

  constructor(format: ExpositionFormat, maxLineBytes: number, scrape: ScrapeRules | null) {
    this.format = format;
    this.blankLines = format === 'prometheus';
    this.#maxLine = maxLineBytes;
    this.notes = scrape === null ? null : scrape.notes;
    this.v2 = scrape !== null && scrape.v2;
  }

  /** Reads a line that starts with a metric name or `{` at `i`; ends with `endEntry()`. */
  protected abstract sampleLine(i: number): Entry;
  /** Reads a line that starts with `#` at `i`; ends with `endEntry()`. */
  protected abstract hashLine(i: number): Entry;

  // ---------------------------------------------------------------------------------------------
  // The cursor.

  /**
   * Points the cursor at `b[start..end)`, complete lines each ending in a line feed; `firstLine`
   * is the number of its first line. The cursor reads `b` until the next `reset()` and keeps no
   * view of it past that.
   */
  reset(b: Uint8Array, start: number, end: number, firstLine: number): void {
    if (b !== this.#b) this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.#b = b;
    this.#prevStart = -1;
    this.#pos = start;
    this.#end = end;
    this.#line = firstLine - 1;
  }

  /** Offset just past the last line `next()` consumed. */
  get offset(): number {
    return this.#pos;
  }

  /** Moves to the next entry of the region. Blank text 0.0.4 lines are skipped. */
  next(): Entry {
    const b = this.#b;
    for (;;) {
      const start = this.#pos;
      if (start >= this.#end) return Entry.End;
      this.#line++;
      this.#lineStart = start;
      if (this.#end - start > this.#maxLine && !this.#checkLineLength(start)) return Entry.Invalid;
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
        const kind = this.sampleLine(i);
        this.#remember(kind);
        return kind;
      }
      this.#prevStart = -1;
      if (c === HASH) return this.hashLine(i);
      if (c === LF && this.blankLines) {
        this.#pos = i + 1; // promlex.l: blank lines are allowed
        continue;
      }
      return this.#badLineStart(start, i);
    }
  }

  /**
   * After a sample line: whether the next may take over its start. Not after a line that spans
   * lines, has a quoted name or no labels, or drew a scrape-mode note, which a line taken over
   * would have to draw again.
   */
  #remember(kind: Entry): void {
    const notes = this.notes;
    if (
      kind !== Entry.Sample ||
      this.#crossed !== 0 ||
      this.#nameQuoted ||
      this.labels.count === 0 ||
      (notes !== null && notes.lastLine === this.#line)
    ) {
      this.#prevStart = -1;
      return;
    }
    const labels = this.labels;
    const n = labels.count;
    const ls = this.#lineStart;
    let mask = this.#reusedMask;
    if (n > this.#prevEnds.length) {
      this.#prevEnds = new Int32Array(n * 2);
      this.#prevNames = new Int32Array(n * 4);
      mask = 0;
    }
    const ends = this.#prevEnds;
    const names = this.#prevNames;
    for (let x = 0; x < n; x++) {
      // A label taken over sits where it sat on the previous line: its offsets are still right.
      if (x < 31 && ((mask >>> x) & 1) !== 0) continue;
      ends[x] = labels.valueEnd(x) + 1 - ls;
      names[2 * x] = labels.nameStart(x) - ls;
      names[2 * x + 1] = labels.nameEnd(x) - ls;
    }
    this.#prevStart = ls;
    this.#prevLabels = n;
    this.#prevNameStart = this.#nameStart;
    this.#prevNameEnd = this.#nameEnd;
  }

  /** Line number (1-based) of the current entry. */
  get line(): number {
    return this.#line;
  }

  /** What `next()` makes of a line that starts with no name, `{` or `#` (kept out of its loop). */
  #badLineStart(start: number, i: number): Entry {
    const c = this.#b[i]!;
    if (c === 0 && this.notes !== null && this.blankLines) {
      // promlex.l `\0 return tEOF`: at the start of a line a NUL ends the input, and the scrape
      // keeps the samples before it (scrape.go `append`: io.EOF is no error).
      return this.stopReading(false);
    }
    return this.fail(
      i,
      this.blankLines ? 'a metric name or "#"' : 'a metric name or "# "',
      c === LF && i === start ? 'an empty line' : this.got(i),
    );
  }

  /** Prometheus has no line limit; an unbounded line would grow memory without bound. */
  #checkLineLength(start: number): boolean {
    const nl = this.#b.indexOf(LF, start);
    if (nl - start <= this.#maxLine) return true;
    this.fail(
      start + this.#maxLine,
      `a line of at most ${this.#maxLine} bytes (maxLineBytes)`,
      'a longer line',
    );
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the entry back.

  /** The string at `b[s..e)`, decoded and unescaped as its scan `flags` say. */
  #decode(s: number, e: number, flags: number): string {
    if (flags === 0) return this.#cache.get(this.#b, s, e);
    const raw = (flags & NON_ASCII) !== 0 ? utf8String(this.#b, s, e) : asciiString(this.#b, s, e);
    return (flags & ESCAPED) !== 0 ? unescapeLabel(raw) : raw;
  }

  /** The metric name, unescaped (Sample). */
  metricName(): string {
    const b = this.#b;
    const s = this.#nameStart;
    const e = this.#nameEnd;
    const len = e - s;
    if (this.#nameFlags !== 0) return this.#decode(s, e, this.#nameFlags);
    if (len === this.#lastNameLen) {
      const last = this.#lastNameBytes;
      let k = 0;
      while (k < len && last[k] === b[s + k]) k++;
      if (k === len) return this.#lastName;
    }
    const name = asciiString(b, s, e);
    if (len > this.#lastNameBytes.length) this.#lastNameBytes = new Uint8Array(len * 2);
    this.#lastNameBytes.set(b.subarray(s, e));
    this.#lastNameLen = len;
    this.#lastName = name;
    return name;
  }

  /**
   * How the sample's metric name belongs to a family (`memberSuffix`): compared as bytes when the
   * name is plain, else decoded (Sample).
   */
  memberOf(family: { nameBytes: Uint8Array; name: string; type: MetricType }): number {
    if (this.#nameFlags !== 0) return memberSuffixOf(this.metricName(), family.name, family.type);
    return memberSuffix(this.#b, this.#nameStart, this.#nameEnd, family.nameBytes, family.type);
  }

  /** The sample's value (Sample). */
  get value(): number {
    return this.#value;
  }

  /** Name of label `i` (Sample). */
  labelName(i: number): string {
    const l = this.labels;
    return this.#decode(l.nameStart(i), l.nameEnd(i), l.nameFlags(i));
  }

  /** The sample's timestamp in milliseconds, or null (Sample). */
  get timestampMs(): number | null {
    return this.#timestampMs;
  }

  /** Unescaped value of label `i` (Sample). */
  labelValue(i: number): string {
    const l = this.labels;
    return this.#decode(l.valueStart(i), l.valueEnd(i), l.valueFlags(i));
  }

  /** How many labels, not counting the metric name (Sample). */
  get labelCount(): number {
    return this.labels.count;
  }

  /** Calls `fn` for each label, in the order of the line (Sample). */
  forEachLabel(fn: (name: string, value: string) => void): void {
    for (let i = 0; i < this.labels.count; i++) fn(this.labelName(i), this.labelValue(i));
  }

  /** A fresh record of the labels (Sample). */
  labelRecord(): Record<string, string> {
    return this.#record(this.labels);
  }

  /** Where the labels are in `buffer` (Sample; for the lint pass). */
  get labelOffsets(): LabelOffsets {
    return this.labels;
  }

  #record(l: LabelSlots): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < l.count; i++) {
      setKey(
        out,
        this.#decode(l.nameStart(i), l.nameEnd(i), l.nameFlags(i)),
        this.#decode(l.valueStart(i), l.valueEnd(i), l.valueFlags(i)),
      );
    }
    return out;
  }

  /** Whether the sample carries an OpenMetrics exemplar (Sample). */
  get hasExemplar(): boolean {
    return this.#hasExemplar;
  }

  /** The exemplar, or null (Sample). */
  exemplar(): Exemplar | null {
    if (!this.#hasExemplar) return null;
    return {
      labels: this.#record(this.exemplarLabels),
      value: jsonValue(this.#exValue),
      timestampMs: this.#exTimestampMs,
    };
  }

  /** A `DataView` of `buffer`, to compare four bytes at a time (this folder only). */
  get view(): DataView {
    return this.#view;
  }

  /** The bytes the raw offsets point into (until `reset()`; this folder only). */
  get buffer(): Uint8Array {
    return this.#b;
  }

  /** The 1-based column, in code points, of the metric name of a sample line. */
  nameColumn(): number {
    return columnOf(this.#b, this.#lineStart, Math.max(this.#lineStart, this.#nameStart));
  }

  /** Where the current line starts. */
  protected get lineStart(): number {
    return this.#lineStart;
  }
  /** The 1-based column of the metric name of a HELP, TYPE or UNIT line. */
  metaColumn(): number {
    return columnOf(this.#b, this.#lineStart, this.#metaStart);
  }

  /** The metric name of a HELP, TYPE or UNIT line. */
  metaName(): string {
    return this.#decode(this.#metaStart, this.#metaEnd, this.#metaFlags);
  }

  /** The unescaped text of a HELP line (text 0.0.4 escapes `\\` and `\n`; OpenMetrics also `\"`). */
  helpText(): string {
    const raw =
      (this.#textFlags & NON_ASCII) !== 0
        ? utf8String(this.#b, this.#textStart, this.#textEnd)
        : asciiString(this.#b, this.#textStart, this.#textEnd);
    if ((this.#textFlags & ESCAPED) === 0) return raw;
    return this.format === 'openmetrics' ? unescapeLabel(raw) : unescapeHelp(raw);
  }

  /**
   * Whether the HELP text has a backslash that is not one of the format's escapes (Help).
   * Prometheus keeps such a backslash as it is; `promtool check metrics` refuses it.
   */
  helpHasUnknownEscape(): boolean {
    if ((this.#textFlags & ESCAPED) === 0) return false;
    const b = this.#b;
    const om = this.format === 'openmetrics';
    for (let k = this.#textStart; k < this.#textEnd; k++) {
      if (b[k] !== BACKSLASH) continue;
      const n = b[k + 1];
      if (n === BACKSLASH || n === 0x6e || (om && n === QUOTE)) k++;
      else return true;
    }
    return false;
  }

  /** The type of a TYPE line (Type). */
  get metricType(): MetricType {
    return this.#metricType;
  }

  /** The type of a TYPE line, as `--json` spells it (Type). */
  typeName(): string {
    return TYPE_NAMES[this.#metricType];
  }
  /** The unit of a UNIT line (Unit). */
  unitText(): string {
    return utf8String(this.#b, this.#textStart, this.#textEnd);
  }
  /** The text of a comment line, `#` included (Comment). */
  commentText(): string {
    return utf8String(this.#b, this.#textStart, this.#textEnd);
  }

  // ---------------------------------------------------------------------------------------------
  // For the grammars: the region and the settings.

  /** The region's bytes (valid during one `next()`). */
  protected get bytes(): Uint8Array {
    return this.#b;
  }
  // For the grammars: recording the entry.

  /**
   * Starts a sample line at `i`: clears the entry and reads the plain metric name there, if any
   * (promlex.l `{M}({M}|{D})*`). Returns the offset after it.
   */
  protected beginSample(i: number): number {
    this.#nameStart = -1;
    this.#nameEnd = -1;
    this.labels.clear();
    this.#reusedMask = 0;
    this.#reusedName = false;
    this.#clearSample();
    const b = this.#b;
    if (b[i] === BRACE_OPEN) return i;
    this.#nameStart = i;
    while (METRIC_CONT[b[++i]!] === 1);
    this.#nameEnd = i;
    return i;
  }

  /** What `beginSample` and `resumeSample` both clear. */
  #clearSample(): void {
    this.#nameFlags = 0;
    this.#nameQuoted = false;
    this.#timestampMs = null;
    this.#hasExemplar = false;
    this.exemplarLabels.clear();
    this.#exTimestampMs = null;
    this.#crossed = 0;
  }

  /**
   * Starts a sample line by taking over the start of the previous one, when it repeats it byte
   * for byte through its name and perhaps whole labels: they are what the previous line's scan
   * found, moved, and every check on them came out the same. A histogram's buckets repeat all but
   * `le`, so most of each line is compared four bytes at a time instead of scanned. Returns where
   * the grammar goes on: just past the last label taken over (`resumedAfterPair`), or at the first
   * label; or -1 when the line is to be read from its start (`beginSample`).
   */
  protected resumeSample(): number {
    const ps = this.#prevStart;
    if (ps < 0) return -1;
    const labels = this.labels;
    const ls = this.#lineStart;
    const ends = this.#prevEnds;
    let n = this.#prevLabels;
    const same = samePrefix(this.#view, this.#b, ps, ls, Math.min(ends[n - 1]!, this.#end - ls));
    while (n > 0 && ends[n - 1]! > same) n--;
    // Past the last label taken over; or with none, the name alone, when the line repeats the
    // previous one up to its first label (a counter's lines differ in their first value): the
    // grammar reads the labels from there. (`at` is added to once, below, for both: V8 throws
    // away code at arithmetic it has not seen run.)
    let at = n > 0 ? ends[n - 1]! : this.#firstPairAt(ps);
    if (n === 0 && same < at) return -1;
    at += ls;
    const delta = ls - ps;
    this.#nameStart = this.#prevNameStart + delta;
    this.#nameEnd = this.#prevNameEnd + delta;
    labels.takeOver(0, n, delta);
    this.#reusedMask = n >= 31 ? 0x7fffffff : (1 << n) - 1;
    this.#reusedName = true;
    this.#resumedAfterPair = n > 0;
    this.#clearSample();
    return at;
  }

  /** Where the previous line's first pair starts (its quote, for a quoted name), from `ps`. */
  #firstPairAt(ps: number): number {
    const first = this.labels.nameStart(0);
    return first - ps - (this.#b[first - 1] === QUOTE ? 1 : 0);
  }

  /** Whether `resumeSample` stopped just past a pair (else at the first pair of the label set). */
  protected get resumedAfterPair(): boolean {
    return this.#resumedAfterPair;
  }

  /**
   * After a pair read anew at `i` (just past it): when it ends where the previous line's pair of
   * the same place ended, the pairs after it may repeat that line's byte for byte, and are taken
   * over as `resumeSample` takes over a start (a counter's lines: `code="200"` then `code="201"`,
   * the rest alike). Returns where the grammar goes on: `i`, or past the last pair taken over.
   */
  protected realign(i: number): number {
    const ps = this.#prevStart;
    if (ps < 0) return i;
    const labels = this.labels;
    const x = labels.count;
    const n = this.#prevLabels;
    const ls = this.#lineStart;
    const ends = this.#prevEnds;
    const r = i - ls;
    if (x >= n || ends[x - 1] !== r) return i;
    const same =
      r + samePrefix(this.#view, this.#b, ps + r, i, Math.min(ends[n - 1]!, this.#end - ls) - r);
    let m = n;
    while (m > x && ends[m - 1]! > same) m--;
    if (m === x) return i;
    labels.takeOver(x, m, ls - ps);
    for (let k = x; k < m && k < 31; k++) this.#reusedMask |= 1 << k;
    return ls + ends[m - 1]!;
  }

  /**
   * Which labels the current sample took over from the previous line (`resumeSample`, `realign`):
   * bit x for label x (x < 31), the same bytes at the same place, so the same label (Sample; this
   * folder only).
   */
  get reusedLabels(): number {
    return this.#reusedMask;
  }

  /** Whether the sample took over its name, and so its family, from the previous line. */
  get reusedName(): boolean {
    return this.#reusedName;
  }

  /** Whether the sample has its metric name (before `{` or quoted inside it). */
  protected hasName(): boolean {
    return this.#nameStart >= 0;
  }

  /** Both formats read values with Prometheus's `parseFloat`; see numbers.ts. */
  protected readValue(s: number, e: number): boolean {
    parseFloatBytes(this.#b, s, e, this.#num);
    if (this.#num.error !== 0) {
      this.failNumber(s, e, 'a number', this.#num.error);
      return false;
    }
    this.#value = this.#num.value;
    return true;
  }

  protected setTimestamp(ms: number): void {
    this.#timestampMs = ms;
  }

  /** The sample has an exemplar, whose labels are scanned next. */
  protected beginExemplar(): void {
    this.#hasExemplar = true;
  }

  protected setExemplarValue(value: number): void {
    this.#exValue = value;
  }

  protected setExemplarTimestamp(ms: number): void {
    this.#exTimestampMs = ms;
  }

  /** The text of a metadata or comment line at `b[s..e)`. */
  protected setText(s: number, e: number): void {
    this.#textStart = s;
    this.#textEnd = e;
  }

  /** The entry ends at `b[nl]`, its line feed. */
  protected endEntry(nl: number): void {
    this.#pos = nl + 1;
  }

  /**
   * Scrape mode: a NUL where Prometheus's lexer ends the input (promlex.l `\0 return tEOF`), at
   * the start of a line or in a comment.
   */
  protected stopReading(inComment: boolean): typeof Entry.Stop {
    this.#stopInComment = inComment;
    return Entry.Stop;
  }

  /** Whether the last `Entry.Stop` came from a comment line (else from the start of a line). */
  get stopInComment(): boolean {
    return this.#stopInComment;
  }

  // ---------------------------------------------------------------------------------------------
  // For the grammars: what both read alike.

  /**
   * A double-quoted string at `b[i]`; returns the offset after the closing quote and leaves its
   * flags in `#scanFlags`, or -1. The escapes are `\\`, `\"` and `\n`: the text format 0.0.4
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
  #scanQuoted(i: number, what: string): number {
    const b = this.#b;
    let j = i + 1;
    let flags = 0;
    for (;;) {
      while (STRING_PLAIN[b[j]!] === 1) j++;
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const n = b[j + 1];
        if (n === BACKSLASH || n === QUOTE || n === 0x6e) flags |= ESCAPED;
        else if (!this.#otherEscape(i, j, what)) return -1;
        j += 2;
        continue;
      }
      if (c === LF) {
        const k = this.#lineFeedInString(i, j, what);
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
    this.#scanFlags = flags;
    return j + 1;
  }

  /**
   * A backslash at `j` that is none of the format's escapes, in the string opened at `open`: a
   * failure, or in scrape mode a warning. Returns false on failure.
   */
  #otherEscape(open: number, j: number, what: string): boolean {
    const b = this.#b;
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
    noteOtherEscape(notes, this.#line, { b, lineStart: this.#lineStart, open, j, what });
    return true;
  }

  /**
   * A raw line feed at `j` in the string opened at `open`: a failure, or in scrape mode for text
   * 0.0.4 a sample that goes on to the next line (promlex.l `[^\\"]`). Returns where to scan on,
   * -1, or `NEED_MORE` when the line feed ends the region.
   */
  #lineFeedInString(open: number, j: number, what: string): number {
    const notes = this.notes;
    if (notes === null || !this.blankLines || what === 'metric name') {
      this.fail(j, `a closing quote for the ${what}`, 'end of line');
      return -1;
    }
    if (this.#crossed === 0) {
      this.#entryStart = this.#lineStart;
      this.#entryLine = this.#line;
    }
    if (j + 1 >= this.#end) {
      this.fail(j, `a closing quote for the ${what}`, 'end of input');
      return NEED_MORE;
    }
    this.#crossed++;
    noteRawNewline(notes, this.#line, { b: this.#b, lineStart: this.#lineStart, open, what });
    this.#line++;
    this.#lineStart = j + 1;
    return j + 1;
  }

  /**
   * Where the entry began that `next()` returned `Entry.Partial` for (scrape mode): its offset in
   * the region and its line.
   */
  partialEntry(): { start: number; line: number } {
    return { start: this.#entryStart, line: this.#entryLine };
  }

  /**
   * Reads one `name="value"` pair (or a quoted metric name) at `i` into `slots`. Returns the offset
   * after it, or -1. `blanks` allows text 0.0.4's blanks around `=`. `exemplar` refuses a metric
   * name.
   */
  protected scanPair(i: number, slots: LabelSlots, blanks: boolean, exemplar: boolean): number {
    const b = this.#b;
    let c = b[i]!;
    const ns = i;
    let ne: number;
    let nflags = 0;
    let quoted = false;
    if (c === QUOTE) {
      if (this.notes !== null && !this.#quotedName(i)) return -1;
      i = this.#scanQuoted(i, 'label name');
      if (i < 0) return i;
      ne = i;
      nflags = this.#scanFlags;
      quoted = true;
    } else {
      while (LABEL_CONT[b[++i]!] === 1);
      ne = i;
    }
    if (blanks) while (BLANK[b[i]!] === 1) i++;
    c = b[i]!;
    if (quoted && !exemplar && (c === COMMA || c === BRACE_CLOSE)) {
      return this.#quotedMetricName(ns, ne, nflags) ? i : -1;
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
    i = this.#scanQuoted(i, 'label value');
    if (i < 0) return i;
    if (quoted) slots.push(ns + 1, ne - 1, nflags, vs + 1, i - 1, this.#scanFlags);
    else slots.push(ns, ne, 0, vs + 1, i - 1, this.#scanFlags);
    return i;
  }

  /** promparse.go `parseLVals`: a quoted string alone is the metric name, given once. */
  #quotedMetricName(ns: number, ne: number, flags: number): boolean {
    if (this.#nameStart >= 0) {
      this.fail(ns, 'one metric name', `a second, ${quoteBytes(this.#b, ns + 1, ne - 1)}`);
      return false;
    }
    if (ne - ns === 2) {
      this.fail(ns, 'a non-empty metric name', '""');
      return false;
    }
    this.#nameStart = ns + 1;
    this.#nameEnd = ne - 1;
    this.#nameFlags = flags;
    this.#nameQuoted = true;
    return true;
  }

  /**
   * Scrape mode: a quoted name at `i`, which Prometheus 3 reads and Prometheus 2 refuses. Returns
   * false when the line fails.
   */
  #quotedName(i: number): boolean {
    if (this.v2) {
      this.fail(i, 'an unquoted name (Prometheus 2 reads no quoted names)', this.got(i));
      return false;
    }
    noteQuotedName(this.notes!, this.#line, this.#b, i);
    return true;
  }

  /**
   * Scrape mode: NULs at `i`, right after the closing quote of the last label value in `slots`:
   * the lexers' `next()` skips NULs while in a label value, and the closing quote's lookahead is
   * read in that state. The value Prometheus stores then runs from after the opening quote to one
   * byte before the lexer's position (promparse.go `p.l.start+1, p.l.i-1`): the closing quote and
   * all but the last NUL become part of it, and so they do here. Returns the offset past the NULs.
   */
  protected skipNuls(i: number, slots: LabelSlots): number {
    const b = this.#b;
    const open = slots.valueStart(slots.count - 1) - 1;
    while (b[i] === 0) i++;
    slots.setLastValueEnd(i - 1);
    noteNulAfterValue(this.notes!, this.#line, { b, lineStart: this.#lineStart, open });
    return i;
  }

  /**
   * Label names must be unique and must not be `__name__` (OpenMetrics 1.0: "Label names MUST be
   * unique within a LabelSet"; Prometheus refuses such a sample when it stores it, and `__name__`
   * would repeat the metric name). Empty quoted names are refused too.
   */
  protected checkLabels(): boolean {
    if (!this.#checkSlots(this.labels, true)) return false;
    if (!this.#hasExemplar || this.#checkSlots(this.exemplarLabels, false)) return true;
    if (this.notes === null) return false;
    const why = this.#failure === null ? '' : ` (${this.#failure.message})`;
    this.#failure = null;
    noteExemplarLabels(this.notes, this.#line, why);
    return true;
  }

  #checkSlots(slots: LabelSlots, sample: boolean): boolean {
    const b = this.#b;
    // Labels taken over passed these checks on the previous line; and when the others have that
    // line's names at the same places too, so do the names' repeats.
    const mask = sample ? this.#reusedMask : 0;
    let sameNames = mask !== 0 && slots.count === this.#prevLabels;
    for (let x = 0; x < slots.count; x++) {
      if (x < 31 && ((mask >>> x) & 1) !== 0) continue;
      const s = slots.nameStart(x);
      const e = slots.nameEnd(x);
      if (e === s) return this.#failLabel(s - 1, 'a non-empty label name', '""');
      if (sample && e - s === 8 && isNameLabel(b, s)) {
        return this.#failLabel(s, 'the metric name before "{", not as a label', '"__name__"');
      }
      if (sameNames) sameNames = this.#prevNameAt(x, s, e);
    }
    if (sameNames) return true;
    const dup = slots.firstDuplicate(b, this.#decodeFn);
    if (dup < 0) return true;
    if (sample && this.notes !== null) {
      const nameOf = (x: number): string =>
        this.#decode(slots.nameStart(x), slots.nameEnd(x), slots.nameFlags(x));
      if (repeatVanishes(this.notes, this.#line, slots, nameOf)) return true;
    }
    const s = slots.nameStart(dup);
    const name = this.#decode(s, slots.nameEnd(dup), slots.nameFlags(dup));
    return this.#failLabel(s, 'unique label names', `${quoteString(name)} again`);
  }

  /** Whether the previous line's label `x` has the name `b[s..e)`. */
  #prevNameAt(x: number, s: number, e: number): boolean {
    const b = this.#b;
    const p = this.#prevStart + this.#prevNames[2 * x]!;
    if (this.#prevStart + this.#prevNames[2 * x + 1]! - p !== e - s) return false;
    for (let k = 0; k < e - s; k++) if (b[p + k] !== b[s + k]) return false;
    return true;
  }

  #failLabel(pos: number, expected: string, got: string): boolean {
    this.fail(pos, expected, got);
    return false;
  }

  /**
   * The metric name of a metadata line at `j`, plain or quoted, into `metaStart..metaEnd`; returns
   * the offset after it, or -1. `what` names the keyword for the error.
   */
  protected scanMetaName(j: number, what: string): number {
    const b = this.#b;
    this.#metaFlags = 0;
    if (METRIC_START[b[j]!] === 1) {
      this.#metaStart = j;
      while (METRIC_CONT[b[++j]!] === 1);
      this.#metaEnd = j;
      return j;
    }
    if (b[j] === QUOTE) {
      if (this.notes !== null && !this.#quotedName(j)) return -1;
      const k = this.#scanQuoted(j, 'metric name');
      if (k < 0) return -1;
      if (k - j === 2) {
        this.fail(j, 'a non-empty metric name', '""');
        return -1;
      }
      this.#metaStart = j + 1;
      this.#metaEnd = k - 1;
      this.#metaFlags = this.#scanFlags;
      return k;
    }
    this.fail(j, `a metric name after ${what}`, this.got(j));
    return -1;
  }

  /**
   * The help text at `textStart..textEnd`: promparse.go / openmetricsparse.go, help text must be
   * valid UTF-8. Returns `Entry.Help`, or `Entry.Invalid`.
   */
  protected checkHelp(): Entry {
    const b = this.#b;
    const s = this.#textStart;
    const e = this.#textEnd;
    let flags = 0;
    for (let k = s; k < e; k++) {
      const c = b[k]!;
      if (c === BACKSLASH) flags |= ESCAPED;
      else if (c >= 0x80) flags |= NON_ASCII;
    }
    this.#textFlags = flags;
    if ((flags & NON_ASCII) !== 0 && !validUtf8(b, s, e)) {
      const bad = firstInvalidUtf8(b, s, e);
      return this.fail(bad, 'help text in UTF-8', `byte ${hexByte(b[bad]!)}`);
    }
    return Entry.Help;
  }

  /**
   * The type word at `textStart..textEnd`: promparse.go / openmetricsparse.go `Next`, `tType`, the
   * exact word, one of the format's. Returns `Entry.Type`, or `Entry.Invalid`.
   */
  protected checkType(): Entry {
    const b = this.#b;
    const s = this.#textStart;
    const e = this.#textEnd;
    let word: string | null = null;
    if (e - s <= 16) {
      word = asciiString(b, s, e);
      for (let k = s; k < e; k++) if (b[k]! >= 0x80) word = null;
    }
    const om = this.format === 'openmetrics';
    const type = word === null ? -1 : parseTypeWord(word, om);
    if (type === -1) {
      const choices = typeChoices(om);
      return this.fail(s, `a metric type (${choices})`, s === e ? 'none' : quoteBytes(b, s, e));
    }
    this.#metricType = type;
    return Entry.Type;
  }

  /** openmetricsparse.go (`tUnit`): a non-empty unit must end the metric name, after `_`. */
  protected checkUnit(): Entry {
    const b = this.#b;
    const us = this.#textStart;
    const ue = this.#textEnd;
    const len = ue - us;
    if (len === 0) return Entry.Unit;
    const ms = this.#metaStart;
    const me = this.#metaEnd;
    let ok = me - ms > len && b[me - len - 1] === 0x5f;
    for (let k = 0; ok && k < len; k++) ok = b[me - len + k] === b[us + k];
    if (ok) return Entry.Unit;
    return this.fail(
      us,
      `a unit that ends the metric name after "_" (${quoteBytes(b, ms, me)})`,
      quoteBytes(b, us, ue),
    );
  }

  /** The metric name of the metadata line as written, quoted for a message. */
  protected quotedMetaName(): string {
    return quoteBytes(this.#b, this.#metaStart, this.#metaEnd);
  }

  // ---------------------------------------------------------------------------------------------
  // Failures.

  /** Why `next()` returned `Entry.Invalid`; the cursor must not be advanced after that. */
  get failure(): ParseFailure | null {
    return this.#failure;
  }

  /** Fails the number at `b[s..e)` that a parse refused with `error`: 2 out of range, 1 not one. */
  protected failNumber(s: number, e: number, expected: string, error: number): void {
    const b = this.#b;
    if (error === 2) {
      this.fail(s, `${expected} within float64 range`, quoteBytes(b, s, e));
    } else if (b[e - 1] === 0x0d) {
      this.fail(s, expected, `${quoteBytes(b, s, e)} (lines must end in "\\n", not "\\r\\n")`);
    } else {
      this.fail(s, expected, quoteBytes(b, s, e));
    }
  }

  /** Describes what stands at `i` for an error message: one punctuation mark, or a word. */
  protected got(i: number): string {
    const b = this.#b;
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
  protected fail(pos: number, expected: string, got: string): typeof Entry.Invalid {
    this.#failure = {
      line: this.#line,
      column: columnOf(this.#b, this.#lineStart, pos),
      message: `expected ${expected}, got ${got}`,
    };
    return Entry.Invalid;
  }
}

/**
 * How many bytes `b[p..)` and `b[q..)` have in common, up to `limit`; `view` is a `DataView` of
 * `b`, to compare four at a time.
 */
function samePrefix(view: DataView, b: Uint8Array, p: number, q: number, limit: number): number {
  let m = 0;
  while (m + 4 <= limit && view.getInt32(p + m) === view.getInt32(q + m)) m += 4;
  while (m < limit && b[p + m] === b[q + m]) m++;
  return m;
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
