/**
 * The OpenMetrics 1.0 text line grammar
 * (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md#abnf),
 * as Prometheus 2.42 reads it (`model/textparse/openmetricslex.l`, `openmetricsparse.go`): single
 * spaces only, no blank lines or comments, `# HELP`, `# TYPE`, `# UNIT`, `# EOF`, timestamps in
 * seconds and exemplars.
 */
import {
  BRACE_CLOSE,
  BRACE_OPEN,
  COMMA,
  EOF_LINE,
  fourBytesAt,
  HASH,
  keywordAt,
  LABEL_START,
  LF,
  OM_TOKEN,
  QUOTE,
  SPACE,
} from './chars.ts';
import type { LabelSlots } from './labels.ts';
import { NumberOut, parseFloatBytes } from './numbers.ts';
import { Scanner } from './scanner.ts';
import { hexByte, quoteBytes } from './text.ts';
import { Tolerance } from './tolerance.ts';
import { Entry } from './types.ts';

/** The scanner for OpenMetrics 1.0; `createCursor('openmetrics')` makes one. */
export class OpenMetricsScanner extends Scanner {
  /**
   * openmetricslex.l: the name, labels, then one space before the value and before the timestamp
   * (`{S}[^ \n]+`), then an optional exemplar (`{S}#{S}\{`); no other spaces.
   */
  protected sampleLine(i: number): Entry {
    const b = this.bytes;
    const resumed = this.resumeSample();
    if (resumed >= 0) {
      i = this.#labelSet(resumed, this.labels, false, this.resumedAfterPair);
      if (i < 0) return Entry.Invalid;
    } else {
      i = this.beginSample(i);
      if (b[i] === BRACE_OPEN) {
        i = this.#labelSet(i + 1, this.labels, false, false);
        if (i < 0) return Entry.Invalid;
      }
      if (!this.hasName()) {
        return this.fail(this.lineStart, 'a metric name before "{" or quoted inside it', 'none');
      }
    }
    if (b[i] !== SPACE) return this.fail(i, 'a space and a value after the metric', this.got(i));
    i++;
    let j = i;
    while (OM_TOKEN[b[j]!] === 1) j++;
    if (j === i) return this.fail(i, 'a value after the metric', this.got(i));
    if (!this.readValue(i, j)) return Entry.Invalid;
    i = j;
    if (b[i] === SPACE) {
      i++;
      if (!this.#isExemplarStart(i)) {
        j = i;
        while (OM_TOKEN[b[j]!] === 1) j++;
        if (j === i) return this.fail(i, 'a timestamp or an exemplar', this.got(i));
        const ts = this.#parseSeconds(i, j, 'timestamp');
        if (ts === null) return Entry.Invalid;
        this.setTimestamp(ts);
        i = j;
        if (b[i] === SPACE) {
          i++;
          if (!this.#isExemplarStart(i)) {
            return this.fail(i, 'an exemplar ("# {") or the end of the line', this.got(i));
          }
        }
      }
      if (b[i] !== LF) {
        i = this.#exemplarAt(i + 3);
        if (i < 0) return Entry.Invalid;
      }
    }
    if (b[i] !== LF) return this.fail(i, 'the end of the line', this.got(i));
    this.endEntry(i);
    return this.checkLabels() ? Entry.Sample : Entry.Invalid;
  }

  #isExemplarStart(i: number): boolean {
    const b = this.bytes;
    return b[i] === HASH && b[i + 1] === SPACE && b[i + 2] === BRACE_OPEN;
  }

  /** openmetricsparse.go `parseComment`: ` # {labels} value [timestamp]`. */
  #exemplarAt(i: number): number {
    const b = this.bytes;
    this.beginExemplar();
    i = this.#labelSet(i, this.exemplarLabels, true, false);
    if (i < 0) return -1;
    if (this.notes !== null && !this.#exemplarWithoutNul()) return -1;
    if (b[i] !== SPACE) {
      this.fail(i, 'a space and a value after the exemplar labels', this.got(i));
      return -1;
    }
    i++;
    let j = i;
    while (OM_TOKEN[b[j]!] === 1) j++;
    if (j === i) {
      this.fail(i, 'a value after the exemplar labels', this.got(i));
      return -1;
    }
    parseFloatBytes(b, i, j, this.#num);
    if (this.#num.error !== 0) {
      this.failNumber(i, j, 'an exemplar value', this.#num.error);
      return -1;
    }
    this.setExemplarValue(this.#num.value);
    i = j;
    if (b[i] === SPACE) {
      i++;
      j = i;
      while (OM_TOKEN[b[j]!] === 1) j++;
      if (j === i) {
        this.fail(i, 'an exemplar timestamp', this.got(i));
        return -1;
      }
      const ts = this.#parseSeconds(i, j, 'exemplar timestamp');
      if (ts === null) return -1;
      this.setExemplarTimestamp(ts);
      i = j;
    }
    return i;
  }

  /**
   * openmetricsparse.go `parseLVals` (2.42): `{}`, or pairs separated by single commas, with no
   * blanks and no trailing comma. A quoted name alone is the metric name (Prometheus 3's UTF-8
   * names), never in an exemplar. Scrape mode for Prometheus 3 takes a trailing comma (its
   * `parseLVals`: "Free trailing commas are allowed"), and NULs after a sample's label value.
   * `afterPair`: `i` is just past a pair (labels taken over from the previous line,
   * `resumeSample`; `realign` takes over more after a sample's pair read anew).
   */
  #labelSet(i: number, slots: LabelSlots, exemplar: boolean, afterPair: boolean): number {
    const b = this.bytes;
    if (!afterPair && b[i] === BRACE_CLOSE) return i + 1;
    for (;;) {
      if (!afterPair) {
        const c = b[i]!;
        if (LABEL_START[c] !== 1 && c !== QUOTE) {
          if (c === BRACE_CLOSE && b[i - 1] === COMMA && this.#trailingComma()) return i + 1;
          this.fail(i, 'a label name', this.got(i));
          return -1;
        }
        i = this.scanPair(i, slots, false, exemplar);
        if (i < 0) return -1;
        if (!exemplar) i = this.realign(i);
      }
      afterPair = false;
      const d = b[i];
      if (d === BRACE_CLOSE) return i + 1;
      if (d !== COMMA) {
        i = this.#notAComma(i, slots, exemplar);
        if (i < 0) return -1;
        if (b[i] === BRACE_CLOSE) return i + 1;
      }
      i++;
    }
  }

  /**
   * Where a label set holds neither `,` nor `}` after a label: a failure, or in scrape mode NULs
   * right after a sample's label value, which Prometheus skips. Returns the offset of the `,` or
   * `}` after them, or -1.
   */
  #notAComma(i: number, slots: LabelSlots, exemplar: boolean): number {
    const b = this.bytes;
    if (b[i] === 0 && !exemplar && this.notes !== null && slots.endsValueAt(i)) {
      i = this.skipNuls(i, slots);
      if (b[i] === BRACE_CLOSE || b[i] === COMMA) return i;
    }
    this.fail(i, '"," or "}"', this.got(i));
    return -1;
  }

  #trailingComma(): boolean {
    const notes = this.notes;
    if (notes === null || this.v2) return false;
    notes.note(
      Tolerance.trailingComma,
      this.line,
      `a trailing comma ends a label set; Prometheus 3 reads it, but Prometheus 2 refuses the whole scrape, and ${notes.forbids}`,
    );
    return true;
  }

  /**
   * openmetricslex.l `<sEValue>\"(\\.|[^\\"\n])*\"`: golex leaves NUL out of every class, and
   * the lexer skips NULs only in a sample's label values, so an exemplar's cannot hold one.
   */
  #exemplarWithoutNul(): boolean {
    const b = this.bytes;
    const ex = this.exemplarLabels;
    for (let x = 0; x < ex.count; x++) {
      const e = ex.valueEnd(x);
      for (let k = ex.valueStart(x); k < e; k++) {
        if (b[k] === 0) {
          this.fail(k, 'an exemplar label value without NUL bytes', `byte ${hexByte(0)}`);
          return false;
        }
      }
    }
    return true;
  }

  /** Where exemplar values and timestamps are parsed. */
  readonly #num = new NumberOut();

  /**
   * OpenMetrics timestamps are seconds, read with `parseFloat` and turned into milliseconds as
   * openmetricsparse.go does (`int64(ts * 1000)`, truncating); NaN and infinities are refused
   * ("invalid timestamp").
   */
  #parseSeconds(s: number, e: number, what: string): number | null {
    parseFloatBytes(this.bytes, s, e, this.#num);
    if (this.#num.error !== 0) {
      this.failNumber(s, e, `a ${what} in seconds`, this.#num.error);
      return null;
    }
    const v = this.#num.value;
    if (!Number.isFinite(v)) {
      this.fail(s, `a finite ${what}`, quoteBytes(this.bytes, s, e));
      return null;
    }
    const ms = Math.trunc(v * 1000);
    return ms === 0 ? 0 : ms;
  }

  /** openmetricslex.l: `# HELP `, `# TYPE `, `# UNIT ` or `# EOF`, each with single spaces. */
  protected hashLine(i: number): Entry {
    const b = this.bytes;
    const j = i + 2;
    let kind: Entry = Entry.Invalid;
    if (b[i + 1] === SPACE) {
      if (fourBytesAt(b, j) === EOF_LINE) {
        this.endEntry(j + 3);
        return Entry.Eof;
      }
      if (b[j + 4] === SPACE) {
        const word = keywordAt(b, j, true);
        if (word === Entry.Help || word === Entry.Type || word === Entry.Unit) kind = word;
      }
    }
    if (kind === Entry.Invalid) {
      const nl = b.indexOf(LF, i);
      return this.fail(i, '"# HELP", "# TYPE", "# UNIT" or "# EOF"', quoteBytes(b, i, nl));
    }
    const what = kind === Entry.Help ? 'HELP' : kind === Entry.Type ? 'TYPE' : 'UNIT';
    const k = this.scanMetaName(j + 5, what);
    if (k < 0) return Entry.Invalid;
    if (b[k] !== SPACE) {
      const text = kind === Entry.Help ? 'help text' : kind === Entry.Type ? 'type' : 'unit';
      return this.fail(k, `a space and the ${text} after the metric name`, this.got(k));
    }
    const nl = b.indexOf(LF, k);
    this.setText(k + 1, nl);
    this.endEntry(nl);
    if (kind === Entry.Help) return this.checkHelp();
    if (kind === Entry.Type) return this.checkType();
    return this.checkUnit();
  }
}
