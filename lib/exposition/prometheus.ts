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
  keywordAt,
  LF,
  PROM_VALUE,
  QUOTE,
} from './chars.ts';
import { NumberOut, parseIntBytes } from './numbers.ts';
import { NEED_MORE, Scanner } from './scanner.ts';
import { columnOf, quoteBytes } from './text.ts';
import { Tolerance } from './tolerance.ts';
import { Entry } from './types.ts';

/** The scanner for text 0.0.4; `createCursor('prometheus')` makes one. */
export class PrometheusScanner extends Scanner {
  /** Where timestamps are parsed. */
  readonly #num = new NumberOut();

  /** promlex.l `{M}({M}|{D})*`, `<sValue>`, `<sTimestamp>`; promparse.go `parseMetricSuffix`. */
  protected sampleLine(i: number): Entry {
    const b = this.bytes;
    const resumed = this.resumeSample();
    if (resumed >= 0) {
      i = this.#labelSet(resumed, this.resumedAfterPair);
      if (i < 0) return i === NEED_MORE ? Entry.Partial : Entry.Invalid;
      while (BLANK[b[i]!] === 1) i++;
    } else {
      i = this.beginSample(i);
      while (BLANK[b[i]!] === 1) i++;
      if (b[i] === BRACE_OPEN) {
        i = this.#labelSet(i + 1, false);
        if (i < 0) return i === NEED_MORE ? Entry.Partial : Entry.Invalid;
        while (BLANK[b[i]!] === 1) i++;
      }
      if (!this.hasName()) {
        // promparse.go: "metric name not set".
        return this.fail(this.lineStart, 'a metric name before "{" or quoted inside it', 'none');
      }
    }
    let j = i;
    while (PROM_VALUE[b[j]!] === 1) j++;
    if (j === i) return this.fail(i, 'a value after the metric', this.got(i));
    if (!this.readValue(i, j)) return Entry.Invalid;
    i = j;
    while (BLANK[b[i]!] === 1) i++;
    if (b[i] !== LF) {
      // promlex.l `<sTimestamp>{D}+`: digits only, so no negative timestamps.
      if (DIGIT[b[i]!] !== 1)
        return this.fail(i, 'a timestamp or the end of the line', this.got(i));
      j = i;
      while (DIGIT[b[j]!] === 1) j++;
      parseIntBytes(b, i, j, this.#num);
      if (this.#num.error !== 0)
        return this.fail(i, 'a timestamp within int64', quoteBytes(b, i, j));
      this.setTimestamp(this.#num.value);
      i = j;
      while (BLANK[b[i]!] === 1) i++;
      if (b[i] !== LF) return this.fail(i, 'the end of the line after the timestamp', this.got(i));
    }
    this.endEntry(i);
    return this.checkLabels() ? Entry.Sample : Entry.Invalid;
  }

  /**
   * promparse.go `parseLVals`: blanks anywhere, an optional trailing comma and, a Prometheus quirk
   * kept so that what it scrapes passes here, no comma needed between pairs (a warning in scrape
   * mode: expfmt and so `promtool check metrics` refuse it). `afterPair`: `i` is just past a pair
   * (labels taken over from the previous line, `resumeSample`; `realign` takes over more after a
   * pair read anew).
   */
  #labelSet(i: number, afterPair: boolean): number {
    const b = this.bytes;
    for (;;) {
      if (!afterPair) {
        while (BLANK[b[i]!] === 1) i++;
        const c = b[i]!;
        if (c === BRACE_CLOSE) return i + 1;
        if (LABEL_START[c] !== 1 && c !== QUOTE) {
          i = this.#notALabel(i);
          if (i < 0) return -1;
          continue;
        }
        i = this.scanPair(i, this.labels, true, false);
        if (i < 0) return i;
        i = this.realign(i);
      }
      afterPair = false;
      while (BLANK[b[i]!] === 1) i++;
      if (b[i] === COMMA) i++;
      else if (this.notes !== null) this.#noComma(i);
    }
  }

  /**
   * Where a label set holds neither a label nor `}`: a failure, or in scrape mode NULs right
   * after a label value, which Prometheus skips. Returns where the label set goes on, or -1.
   */
  #notALabel(i: number): number {
    const b = this.bytes;
    if (b[i] !== 0 || this.notes === null || !this.labels.endsValueAt(i)) {
      this.fail(i, 'a label name or "}"', this.got(i));
      return -1;
    }
    i = this.skipNuls(i, this.labels);
    while (BLANK[b[i]!] === 1) i++;
    if (b[i] === COMMA) i++;
    else this.#noComma(i);
    return i;
  }

  /** Scrape mode: a label that follows another without a comma (expfmt refuses it). */
  #noComma(i: number): void {
    const c = this.bytes[i];
    if (c === BRACE_CLOSE || c === 0 || (LABEL_START[c!] !== 1 && c !== QUOTE)) return;
    const notes = this.notes!;
    if (notes.again(Tolerance.missingComma, this.line)) return;
    notes.first(
      Tolerance.missingComma,
      this.line,
      `no comma before the label at column ${columnOf(this.bytes, this.lineStart, i)}; Prometheus reads the labels without it, but ${notes.forbids}`,
    );
  }

  /**
   * promlex.l: `#[ \t]+` then `HELP[\t ]+` or `TYPE[\t ]+` starts metadata; any other `#` line is
   * a comment.
   */
  protected hashLine(i: number): Entry {
    const b = this.bytes;
    let j = i + 1;
    let kind: Entry = Entry.Comment;
    if (BLANK[b[j]!] === 1) {
      while (BLANK[b[j]!] === 1) j++;
      if (BLANK[b[j + 4]!] === 1) {
        const word = keywordAt(b, j, false);
        if (word === Entry.Help || word === Entry.Type) kind = word;
      }
    }
    if (kind === Entry.Comment) {
      const nl = b.indexOf(LF, i);
      if (this.notes !== null && this.#commentStops(i, j, nl)) return this.stopReading(true);
      this.setText(i, nl);
      this.endEntry(nl);
      return kind;
    }
    j += 4;
    while (BLANK[b[j]!] === 1) j++;
    const k = this.scanMetaName(j, kind === Entry.Help ? 'HELP' : 'TYPE');
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
        this.#noteMetaNoSpace(kind, k);
        ts = k + 1;
      } else {
        return this.fail(k, 'a space after the metric name', this.got(k));
      }
    }
    this.setText(ts, nl);
    this.endEntry(nl);
    return kind === Entry.Help ? this.checkHelp() : this.checkType();
  }

  /**
   * Scrape mode: whether a comment line holds a NUL where promlex.l ends the input. After `#` and
   * blanks (`#[ \t]+`) the lexer's `next()` skips NULs, except the first character, which it
   * reads directly; after a bare `#`, `consumeComment` returns tEOF at any NUL. `j` is where the
   * blanks after `#` end.
   */
  #commentStops(i: number, j: number, nl: number): boolean {
    const b = this.bytes;
    if (j > i + 1) return b[j] === 0;
    for (let k = i + 1; k < nl; k++) if (b[k] === 0) return true;
    return false;
  }

  #noteMetaNoSpace(kind: Entry, k: number): void {
    const notes = this.notes!;
    if (notes.again(Tolerance.metaNoSpace, this.line)) return;
    const what = kind === Entry.Help ? 'HELP' : 'TYPE';
    notes.first(
      Tolerance.metaNoSpace,
      this.line,
      `# ${what} ${this.quotedMetaName()} is followed by ${quoteBytes(this.bytes, k, k + 1)}, not a space; Prometheus drops that character and reads the rest as the ${kind === Entry.Help ? 'help text' : 'type'}, but ${notes.forbids}`,
    );
  }
}
