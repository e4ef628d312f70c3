/**
 * The text format 0.0.4 line grammar
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details), as
 * Prometheus 2.42 reads it (`model/textparse/promlex.l`, `promparse.go`): blanks (`[ \t]+`)
 * between tokens, blank lines, `#` comments, `# HELP` and `# TYPE`, integer millisecond timestamps.
 */
import {
  BLANK,
  BRACE_CLOSE,
  BRACE_OPEN,
  COMMA,
  DIGIT,
  LABEL_START,
  LF,
  METRIC_CONT,
  PROM_VALUE,
  QUOTE,
} from './chars.ts';
import type { ScrapeRules } from './cursor.ts';
import { ExpositionCursor } from './cursor.ts';
import { checkLabels, scanPair } from './label-scan.ts';
import { checkHelp, checkType, scanMetaName } from './metadata-line.ts';
import { parseIntBytes } from './numbers.ts';
import { Entry } from './pull-cursor.ts';
import { afterValue, NEED_MORE, skipNuls } from './scrape-tolerance.ts';
import { columnOf, quoteBytes } from './text.ts';
import { Tolerance } from './tolerated.ts';

const TYPES = 'counter, gauge, histogram, summary or untyped';
const H = 0x48,
  E = 0x45,
  L = 0x4c,
  P = 0x50,
  T = 0x54,
  Y = 0x59;

/** The cursor for text 0.0.4; `createCursor('prometheus')` makes one. */
export class PrometheusCursor extends ExpositionCursor {
  readonly blankLines = true;

  constructor(maxLineBytes: number, scrape: ScrapeRules | null = null) {
    super('prometheus', maxLineBytes, scrape);
  }

  /** promlex.l `{M}({M}|{D})*`, `<sValue>`, `<sTimestamp>`; promparse.go `parseMetricSuffix`. */
  protected sampleLine(i: number): Entry {
    const b = this.b;
    this.resetSample();
    if (b[i] !== BRACE_OPEN) {
      this.nameStart = i;
      while (METRIC_CONT[b[++i]!] === 1);
      this.nameEnd = i;
      while (BLANK[b[i]!] === 1) i++;
    }
    if (b[i] === BRACE_OPEN) {
      i = this.labelSet(i + 1);
      if (i < 0) return i === NEED_MORE ? Entry.Partial : Entry.Invalid;
      while (BLANK[b[i]!] === 1) i++;
    }
    if (this.nameStart < 0) {
      // promparse.go: "metric name not set".
      return this.fail(this.lineStart, 'a metric name before "{" or quoted inside it', 'none');
    }
    let j = i;
    while (PROM_VALUE[b[j]!] === 1) j++;
    if (j === i) return this.fail(i, 'a value after the metric', this.got(i));
    if (!this.parseValue(i, j)) return Entry.Invalid;
    i = j;
    while (BLANK[b[i]!] === 1) i++;
    if (b[i] !== LF) {
      // promlex.l `<sTimestamp>{D}+`: digits only, so no negative timestamps.
      if (DIGIT[b[i]!] !== 1)
        return this.fail(i, 'a timestamp or the end of the line', this.got(i));
      j = i;
      while (DIGIT[b[j]!] === 1) j++;
      parseIntBytes(b, i, j, this.num);
      if (this.num.error !== 0)
        return this.fail(i, 'a timestamp within int64', quoteBytes(b, i, j));
      this.timestampMs = this.num.value;
      i = j;
      while (BLANK[b[i]!] === 1) i++;
      if (b[i] !== LF) return this.fail(i, 'the end of the line after the timestamp', this.got(i));
    }
    this.pos = i + 1;
    return checkLabels(this) ? Entry.Sample : Entry.Invalid;
  }

  /**
   * promparse.go `parseLVals`: blanks anywhere, an optional trailing comma and, a Prometheus quirk
   * kept so that what it scrapes passes here, no comma needed between pairs (a warning in scrape
   * mode: expfmt and so `promtool check metrics` refuse it).
   */
  private labelSet(i: number): number {
    const b = this.b;
    for (;;) {
      while (BLANK[b[i]!] === 1) i++;
      const c = b[i]!;
      if (c === BRACE_CLOSE) return i + 1;
      if (LABEL_START[c] !== 1 && c !== QUOTE) {
        i = this.notALabel(i);
        if (i < 0) return -1;
        continue;
      }
      i = scanPair(this, i, this.labels, true, false);
      if (i < 0) return i;
      while (BLANK[b[i]!] === 1) i++;
      if (b[i] === COMMA) i++;
      else if (this.notes !== null) this.noComma(i);
    }
  }

  /**
   * Where a label set holds neither a label nor `}`: a failure, or in scrape mode NULs right
   * after a label value, which Prometheus skips. Returns where the label set goes on, or -1.
   */
  private notALabel(i: number): number {
    const b = this.b;
    if (b[i] !== 0 || this.notes === null || !afterValue(this.labels, i)) {
      this.fail(i, 'a label name or "}"', this.got(i));
      return -1;
    }
    i = skipNuls(this, i, this.labels);
    while (BLANK[b[i]!] === 1) i++;
    if (b[i] === COMMA) i++;
    else this.noComma(i);
    return i;
  }

  /** Scrape mode: a label that follows another without a comma (expfmt refuses it). */
  private noComma(i: number): void {
    const c = this.b[i];
    if (c === BRACE_CLOSE || c === 0 || (LABEL_START[c!] !== 1 && c !== QUOTE)) return;
    const notes = this.notes!;
    if (notes.again(Tolerance.missingComma, this.line)) return;
    notes.first(
      Tolerance.missingComma,
      this.line,
      `no comma before the label at column ${columnOf(this.b, this.lineStart, i)}; Prometheus reads the labels without it, but ${notes.forbids}`,
    );
  }

  /**
   * promlex.l: `#[ \t]+` then `HELP[\t ]+` or `TYPE[\t ]+` starts metadata; any other `#` line is
   * a comment.
   */
  protected hashLine(i: number): Entry {
    const b = this.b;
    let j = i + 1;
    let kind: Entry = Entry.Comment;
    if (BLANK[b[j]!] === 1) {
      while (BLANK[b[j]!] === 1) j++;
      if (BLANK[b[j + 4]!] === 1) {
        if (b[j] === H && b[j + 1] === E && b[j + 2] === L && b[j + 3] === P) kind = Entry.Help;
        else if (b[j] === T && b[j + 1] === Y && b[j + 2] === P && b[j + 3] === E)
          kind = Entry.Type;
      }
    }
    if (kind === Entry.Comment) {
      const nl = b.indexOf(LF, i);
      if (this.notes !== null && this.commentStops(i, j, nl)) return Entry.Stop;
      this.textStart = i;
      this.textEnd = nl;
      this.pos = nl + 1;
      return kind;
    }
    j += 4;
    while (BLANK[b[j]!] === 1) j++;
    const k = scanMetaName(this, j, kind === Entry.Help ? 'HELP' : 'TYPE');
    if (k < 0) return Entry.Invalid;
    const nl = b.indexOf(LF, k);
    // promlex.l `<sMeta2>{C}*` against `<*>[ \t]+`: the text is the rest of the line less its
    // first character (promparse.go `buf()[1:]`), or empty when the rest is only blanks. Stricter
    // than Prometheus: that first character must be a blank (scrape mode takes any but a NUL,
    // where Prometheus's lexer ends the input in the middle of the line).
    let ts = nl;
    if (k < nl) {
      if (BLANK[b[k]!] === 1) {
        let m = k;
        while (BLANK[b[m]!] === 1) m++;
        if (m < nl) ts = k + 1;
      } else if (this.notes !== null && b[k] !== 0) {
        this.noteMetaNoSpace(kind, k);
        ts = k + 1;
      } else {
        return this.fail(k, 'a space after the metric name', this.got(k));
      }
    }
    this.textStart = ts;
    this.textEnd = nl;
    this.pos = nl + 1;
    return kind === Entry.Help ? checkHelp(this) : checkType(this, TYPES, false);
  }

  /**
   * Scrape mode: whether a comment line holds a NUL where promlex.l ends the input. After `#` and
   * blanks (`#[ \t]+`) the lexer's `next()` skips NULs, except the first character, which it
   * reads directly; after a bare `#`, `consumeComment` returns tEOF at any NUL. `j` is where the
   * blanks after `#` end.
   */
  private commentStops(i: number, j: number, nl: number): boolean {
    const b = this.b;
    let stops = false;
    if (j > i + 1) stops = b[j] === 0;
    else for (let k = i + 1; k < nl && !stops; k++) stops = b[k] === 0;
    if (stops) this.stopInComment = true;
    return stops;
  }

  private noteMetaNoSpace(kind: Entry, k: number): void {
    const notes = this.notes!;
    if (notes.again(Tolerance.metaNoSpace, this.line)) return;
    const what = kind === Entry.Help ? 'HELP' : 'TYPE';
    notes.first(
      Tolerance.metaNoSpace,
      this.line,
      `# ${what} ${quoteBytes(this.b, this.metaStart, this.metaEnd)} is followed by ${quoteBytes(this.b, k, k + 1)}, not a space; Prometheus drops that character and reads the rest as the ${kind === Entry.Help ? 'help text' : 'type'}, but ${notes.forbids}`,
    );
  }
}
