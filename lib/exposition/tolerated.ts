/**
 * What `mode: 'scrape'` lets through: format violations that Prometheus's scrape path accepts,
 * kept as warnings for a person. Each kind is written out once, at its first line, and counts the
 * lines like it after that, so that a body with the same fault on every line gives one warning,
 * not a hundred thousand. Only built in scrape mode; the notes come from cold paths (a line that
 * breaks the format), so a valid body never reaches this file.
 */

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
  private readonly firstLines = new Float64Array(KINDS);
  private readonly lastLines = new Float64Array(KINDS);
  private readonly counts = new Float64Array(KINDS);
  private readonly texts: string[] = new Array<string>(KINDS).fill('');

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
    if (this.counts[kind]! > 0 && line <= this.lastLines[kind]!) return true;
    this.lastLines[kind] = line;
    return this.counts[kind]!++ > 0;
  }

  /** The text of `kind`'s first line (after `again()` returned false). */
  first(kind: Tolerance, line: number, text: string): void {
    this.firstLines[kind] = line;
    this.texts[kind] = text;
  }

  /** `again()` and `first()` together, for callers whose text costs nothing to build. */
  note(kind: Tolerance, line: number, text: string): void {
    if (!this.again(kind, line)) this.first(kind, line, text);
  }

  /** `line N: …`, one per kind, in line order. */
  finish(): string[] {
    const out: { line: number; text: string }[] = [];
    for (let k = 0; k < KINDS; k++) {
      const n = this.counts[k]!;
      if (n === 0) continue;
      const line = this.firstLines[k]!;
      const more = n > 1 ? ` (and ${n - 1} more ${n === 2 ? 'line' : 'lines'} like it)` : '';
      out.push({ line, text: `line ${line}: ${this.texts[k]!}${more}` });
    }
    out.sort((a, b) => a.line - b.line);
    return out.map((w) => w.text);
  }
}
