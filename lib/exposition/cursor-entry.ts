/**
 * The current entry of a cursor as the scanner leaves it (offsets into the region's bytes, flags,
 * and the numbers already parsed), and the accessors that build strings and records from it on
 * demand: strings only when asked, unescaped only when the scanner saw a backslash (Prometheus
 * `promparse.go`, `unreplace`).
 */
import type { Exemplar } from '#lib/result/types.ts';
import { jsonValue } from '#lib/result/types.ts';
import { BACKSLASH, QUOTE } from './chars.ts';
import type { MetricType } from './families.ts';
import { MetricType as MT, TYPE_NAMES } from './families.ts';
import { ESCAPED, LabelSlots, NON_ASCII, SLOT, setKey } from './labels.ts';
import { StringCache } from './string-cache.ts';
import { asciiString, unescapeHelp, unescapeLabel, utf8String } from './text.ts';
import type { ExpositionFormat, ParseFailure } from './types.ts';

const EMPTY = new Uint8Array(0);

/**
 * What `ExpositionCursor` read last, and how to read it back. The fields are the scanner's: the
 * cursor, its two grammars and the scanning helpers of this folder write them, which is why they
 * are not private; everyone else uses the accessors.
 *
 * Accessors are valid after `next()` returned the entry they name (in parentheses), until the next
 * `next()` or `reset()`. Strings and records are copies and may be kept.
 */
export abstract class CursorEntry {
  readonly format: ExpositionFormat;
  /** The region being read (`reset()`); valid until the next `reset()`. */
  b: Uint8Array = EMPTY;

  /** Line number (1-based) of the current entry. */
  line = 0;
  /** Offset of the current line in `buffer`. */
  lineStart = 0;
  /** Set when `next()` returned `Entry.Invalid`; the cursor must not be advanced after that. */
  failure: ParseFailure | null = null;

  // Sample entry.
  nameStart = -1;
  nameEnd = -1;
  nameFlags = 0;
  readonly labels = new LabelSlots(16);
  /** The sample's value (Sample). */
  value = 0;
  /** The sample's timestamp in milliseconds, or null (Sample). */
  timestampMs: number | null = null;
  /** Whether the sample carries an OpenMetrics exemplar (Sample). */
  hasExemplar = false;
  readonly exLabels = new LabelSlots(4);
  exValue = 0;
  exTimestampMs: number | null = null;

  // Metadata entries (HELP, TYPE, UNIT) and comments.
  metaStart = 0;
  metaEnd = 0;
  metaFlags = 0;
  textStart = 0;
  textEnd = 0;
  textFlags = 0;
  /** The type of a `# TYPE` entry (Type). */
  metricType: MetricType = MT.unknown;

  private readonly cache = new StringCache();
  /** `decode` as a function, for `LabelSlots.firstDuplicate`. */
  readonly decodeFn = (s: number, e: number, flags: number): string => this.decode(s, e, flags);
  private lastNameBytes = new Uint8Array(64);
  private lastNameLen = -1;
  private lastName = '';

  constructor(format: ExpositionFormat) {
    this.format = format;
  }

  /** The string at `b[s..e)`, decoded and unescaped as its scan `flags` say. */
  decode(s: number, e: number, flags: number): string {
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
