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
  HASH,
  LABEL_START,
  LF,
  METRIC_CONT,
  OM_TOKEN,
  QUOTE,
  SPACE,
} from './chars.ts';
import type { ScrapeRules } from './cursor.ts';
import { ExpositionCursor } from './cursor.ts';
import { checkLabels, scanPair } from './label-scan.ts';
import type { LabelSlots } from './labels.ts';
import { SLOT } from './labels.ts';
import { checkHelp, checkType, scanMetaName } from './metadata-line.ts';
import { parseFloatBytes } from './numbers.ts';
import { Entry } from './pull-cursor.ts';
import { afterValue, skipNuls } from './scrape-tolerance.ts';
import { hexByte, quoteBytes } from './text.ts';
import { Tolerance } from './tolerated.ts';

const TYPES = 'counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown';
const H = 0x48,
  E = 0x45,
  L = 0x4c,
  P = 0x50,
  T = 0x54,
  Y = 0x59,
  U = 0x55,
  N = 0x4e,
  I = 0x49,
  O = 0x4f,
  F = 0x46;

/** The cursor for OpenMetrics 1.0; `createCursor('openmetrics')` makes one. */
export class OpenMetricsCursor extends ExpositionCursor {
  readonly blankLines = false;

  constructor(maxLineBytes: number, scrape: ScrapeRules | null = null) {
    super('openmetrics', maxLineBytes, scrape);
  }

  /**
   * openmetricslex.l: the name, labels, then one space before the value and before the timestamp
   * (`{S}[^ \n]+`), then an optional exemplar (`{S}#{S}\{`); no other spaces.
   */
  protected sampleLine(i: number): Entry {
    const b = this.b;
    this.resetSample();
    if (b[i] !== BRACE_OPEN) {
      this.nameStart = i;
      while (METRIC_CONT[b[++i]!] === 1);
      this.nameEnd = i;
    }
    if (b[i] === BRACE_OPEN) {
      i = this.labelSet(i + 1, this.labels, false);
      if (i < 0) return Entry.Invalid;
    }
    if (this.nameStart < 0) {
      return this.fail(this.lineStart, 'a metric name before "{" or quoted inside it', 'none');
    }
    if (b[i] !== SPACE) return this.fail(i, 'a space and a value after the metric', this.got(i));
    i++;
    let j = i;
    while (OM_TOKEN[b[j]!] === 1) j++;
    if (j === i) return this.fail(i, 'a value after the metric', this.got(i));
    if (!this.parseValue(i, j)) return Entry.Invalid;
    i = j;
    if (b[i] === SPACE) {
      i++;
      if (!this.isExemplarStart(i)) {
        j = i;
        while (OM_TOKEN[b[j]!] === 1) j++;
        if (j === i) return this.fail(i, 'a timestamp or an exemplar', this.got(i));
        const ts = this.parseSeconds(i, j, 'timestamp');
        if (ts === null) return Entry.Invalid;
        this.timestampMs = ts;
        i = j;
        if (b[i] === SPACE) {
          i++;
          if (!this.isExemplarStart(i)) {
            return this.fail(i, 'an exemplar ("# {") or the end of the line', this.got(i));
          }
        }
      }
      if (b[i] !== LF) {
        i = this.exemplarAt(i + 3);
        if (i < 0) return Entry.Invalid;
      }
    }
    if (b[i] !== LF) return this.fail(i, 'the end of the line', this.got(i));
    this.pos = i + 1;
    return checkLabels(this) ? Entry.Sample : Entry.Invalid;
  }

  private isExemplarStart(i: number): boolean {
    const b = this.b;
    return b[i] === HASH && b[i + 1] === SPACE && b[i + 2] === BRACE_OPEN;
  }

  /** openmetricsparse.go `parseComment`: ` # {labels} value [timestamp]`. */
  private exemplarAt(i: number): number {
    const b = this.b;
    this.hasExemplar = true;
    i = this.labelSet(i, this.exLabels, true);
    if (i < 0) return -1;
    if (this.notes !== null && !this.exemplarWithoutNul()) return -1;
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
    parseFloatBytes(b, i, j, this.num);
    if (this.num.error !== 0) {
      this.failNumber(i, j, 'an exemplar value');
      return -1;
    }
    this.exValue = this.num.value;
    i = j;
    if (b[i] === SPACE) {
      i++;
      j = i;
      while (OM_TOKEN[b[j]!] === 1) j++;
      if (j === i) {
        this.fail(i, 'an exemplar timestamp', this.got(i));
        return -1;
      }
      const ts = this.parseSeconds(i, j, 'exemplar timestamp');
      if (ts === null) return -1;
      this.exTimestampMs = ts;
      i = j;
    }
    return i;
  }

  /**
   * openmetricsparse.go `parseLVals` (2.42): `{}`, or pairs separated by single commas, with no
   * blanks and no trailing comma. A quoted name alone is the metric name (Prometheus 3's UTF-8
   * names), never in an exemplar. Scrape mode for Prometheus 3 takes a trailing comma (its
   * `parseLVals`: "Free trailing commas are allowed"), and NULs after a sample's label value.
   */
  private labelSet(i: number, slots: LabelSlots, exemplar: boolean): number {
    const b = this.b;
    if (b[i] === BRACE_CLOSE) return i + 1;
    for (;;) {
      const c = b[i]!;
      if (LABEL_START[c] !== 1 && c !== QUOTE) {
        if (c === BRACE_CLOSE && b[i - 1] === COMMA && this.trailingComma()) return i + 1;
        this.fail(i, 'a label name', this.got(i));
        return -1;
      }
      i = scanPair(this, i, slots, false, exemplar);
      if (i < 0) return -1;
      const d = b[i];
      if (d === BRACE_CLOSE) return i + 1;
      if (d !== COMMA) {
        i = this.notAComma(i, slots, exemplar);
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
  private notAComma(i: number, slots: LabelSlots, exemplar: boolean): number {
    const b = this.b;
    if (b[i] === 0 && !exemplar && this.notes !== null && afterValue(slots, i)) {
      i = skipNuls(this, i, slots);
      if (b[i] === BRACE_CLOSE || b[i] === COMMA) return i;
    }
    this.fail(i, '"," or "}"', this.got(i));
    return -1;
  }

  private trailingComma(): boolean {
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
  private exemplarWithoutNul(): boolean {
    const b = this.b;
    const a = this.exLabels.a;
    for (let x = 0; x < this.exLabels.count; x++) {
      const e = a[x * SLOT + 3]!;
      for (let k = a[x * SLOT + 2]!; k < e; k++) {
        if (b[k] === 0) {
          this.fail(k, 'an exemplar label value without NUL bytes', `byte ${hexByte(0)}`);
          return false;
        }
      }
    }
    return true;
  }

  /**
   * OpenMetrics timestamps are seconds, read with `parseFloat` and turned into milliseconds as
   * openmetricsparse.go does (`int64(ts * 1000)`, truncating); NaN and infinities are refused
   * ("invalid timestamp").
   */
  private parseSeconds(s: number, e: number, what: string): number | null {
    parseFloatBytes(this.b, s, e, this.num);
    if (this.num.error !== 0) {
      this.failNumber(s, e, `a ${what} in seconds`);
      return null;
    }
    const v = this.num.value;
    if (!Number.isFinite(v)) {
      this.fail(s, `a finite ${what}`, quoteBytes(this.b, s, e));
      return null;
    }
    const ms = Math.trunc(v * 1000);
    return ms === 0 ? 0 : ms;
  }

  /** openmetricslex.l: `# HELP `, `# TYPE `, `# UNIT ` or `# EOF`, each with single spaces. */
  protected hashLine(i: number): Entry {
    const b = this.b;
    const j = i + 2;
    let kind: Entry = Entry.Invalid;
    if (b[i + 1] === SPACE) {
      if (b[j] === E && b[j + 1] === O && b[j + 2] === F && b[j + 3] === LF) {
        this.pos = j + 4;
        return Entry.Eof;
      }
      if (b[j + 4] === SPACE) {
        if (b[j] === H && b[j + 1] === E && b[j + 2] === L && b[j + 3] === P) kind = Entry.Help;
        else if (b[j] === T && b[j + 1] === Y && b[j + 2] === P && b[j + 3] === E)
          kind = Entry.Type;
        else if (b[j] === U && b[j + 1] === N && b[j + 2] === I && b[j + 3] === T)
          kind = Entry.Unit;
      }
    }
    if (kind === Entry.Invalid) {
      const nl = b.indexOf(LF, i);
      return this.fail(i, '"# HELP", "# TYPE", "# UNIT" or "# EOF"', quoteBytes(b, i, nl));
    }
    const what = kind === Entry.Help ? 'HELP' : kind === Entry.Type ? 'TYPE' : 'UNIT';
    const k = scanMetaName(this, j + 5, what);
    if (k < 0) return Entry.Invalid;
    if (b[k] !== SPACE) {
      const text = kind === Entry.Help ? 'help text' : kind === Entry.Type ? 'type' : 'unit';
      return this.fail(k, `a space and the ${text} after the metric name`, this.got(k));
    }
    const nl = b.indexOf(LF, k);
    this.textStart = k + 1;
    this.textEnd = nl;
    this.pos = nl + 1;
    if (kind === Entry.Help) return checkHelp(this);
    if (kind === Entry.Type) return checkType(this, TYPES, true);
    return this.checkUnit();
  }

  /** openmetricsparse.go (`tUnit`): a non-empty unit must end the metric name, after `_`. */
  private checkUnit(): Entry {
    const b = this.b;
    const us = this.textStart;
    const ue = this.textEnd;
    const len = ue - us;
    if (len === 0) return Entry.Unit;
    const ms = this.metaStart;
    const me = this.metaEnd;
    let ok = me - ms > len && b[me - len - 1] === 0x5f;
    for (let k = 0; ok && k < len; k++) ok = b[me - len + k] === b[us + k];
    if (ok) return Entry.Unit;
    return this.fail(
      us,
      `a unit that ends the metric name after "_" (${quoteBytes(b, ms, me)})`,
      quoteBytes(b, us, ue),
    );
  }
}
