/**
 * `ExpositionStream`: feeds chunks of a body to the cursor line by line, carrying a line cut by a
 * chunk boundary over to the next chunk, and checks what spans lines: families, metadata, `# EOF`.
 */
import type { Sample } from '#lib/result/types.ts';
import { jsonValue } from '#lib/result/types.ts';
import { LF } from './chars.ts';
import { makeCursor } from './create-cursor.ts';
import { Entry } from './cursor.ts';
import type { ExpositionCursor } from './cursor.ts';
import { SUFFIXES, belongsBytes, belongsString, typeAllows } from './families.ts';
import { FamilyState } from './family-state.ts';
import { Linter } from './lint.ts';
import { SampleView } from './sample-view.ts';
import { columnOf, quoteString } from './text.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
  Family,
  ParseFailure,
  SampleRef,
} from './types.ts';

const FORMATS = new Set<string>(['prometheus', 'openmetrics']);

/** The default `maxLineBytes`: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Parses one exposition fed in chunks. Memory stays bounded by the longest line (at most
 * `maxLineBytes`) plus what the options ask to keep.
 *
 * @example
 * const stream = new ExpositionStream({ format: 'prometheus' });
 * for await (const chunk of body) if (!stream.write(chunk)) break;
 * const { series, error } = stream.end();
 */
export class ExpositionStream {
  private readonly format: ExpositionFormat;
  private readonly om: boolean;
  private readonly cursor: ExpositionCursor;
  private readonly onSample: ((sample: SampleRef) => void) | null;
  private readonly view: SampleView;
  private readonly collect: boolean;
  private readonly linter: Linter | null;
  private readonly maxLine: number;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** Number of the next line to read. */
  private line = 1;
  private bytes = 0;
  private series = 0;
  private error: ParseFailure | null = null;
  private eofSeen = false;
  private eofLine = 0;
  private ended = false;
  private readonly families = new Map<string, FamilyState>();
  private readonly collected: Family[] | null;
  private current: FamilyState | null = null;

  constructor(options: ExpositionOptions) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${max}`);
    }
    if (!FORMATS.has(options.format)) {
      throw new RangeError(
        `format must be prometheus or openmetrics, got ${JSON.stringify(options.format)}`,
      );
    }
    this.format = options.format;
    this.om = options.format === 'openmetrics';
    this.maxLine = max;
    this.cursor = makeCursor(options.format, max);
    this.onSample = options.onSample ?? null;
    this.view = new SampleView(this.cursor);
    this.collect = options.collect === 'families';
    this.collected = this.collect ? [] : null;
    this.linter = options.lint === true ? new Linter(this.om) : null;
  }

  /**
   * Parses the complete lines in `chunk` and keeps the rest for the next one. The chunk is not
   * kept. Returns false once the input is known to be invalid (the caller may stop feeding).
   */
  write(chunk: Uint8Array): boolean {
    if (this.ended) throw new Error('ExpositionStream.write() after end()');
    this.bytes += chunk.length;
    if (this.error !== null) return false;
    if (chunk.length === 0) return true;
    if (this.eofSeen) return this.failAfterEof();
    let pos = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.appendCarry(chunk, 0, chunk.length);
      if (!this.appendCarry(chunk, 0, nl + 1)) return false;
      const len = this.carryLen;
      this.carryLen = 0;
      if (!this.run(this.carry, 0, len)) return false;
      pos = nl + 1;
      if (this.atEof()) return pos < chunk.length ? this.failAfterEof() : true;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= pos) {
      if (!this.run(chunk, pos, last + 1)) return false;
      pos = last + 1;
    }
    if (pos < chunk.length) {
      if (this.atEof()) return this.failAfterEof();
      return this.appendCarry(chunk, pos, chunk.length);
    }
    return true;
  }

  /** Parses what is left, checks how the input ends, and returns the result. Call once. */
  end(): ExpositionResult {
    if (this.ended) throw new Error('ExpositionStream.end() called twice');
    this.ended = true;
    let unterminated = false;
    if (this.error === null && this.carryLen > 0) {
      if (this.eofSeen) {
        this.failAfterEof();
      } else {
        // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
        unterminated = true;
        const len = this.carryLen;
        this.ensureCarry(len + 1);
        this.carry[len] = LF;
        this.run(this.carry, 0, len + 1);
      }
    }
    if (this.error === null && this.om && !this.eofSeen) {
      // openmetricsparse.go: "data does not end with # EOF".
      this.error = unterminated
        ? {
            line: this.line - 1,
            column: columnOf(this.carry, 0, this.carryLen),
            message: 'expected "# EOF" as the last line, got end of input',
          }
        : {
            line: this.line,
            column: 1,
            message: 'expected "# EOF" as the last line, got end of input',
          };
    }
    this.carry = new Uint8Array(0);
    this.carryLen = 0;
    return {
      format: this.format,
      bytes: this.bytes,
      series: this.series,
      familyCount: this.families.size,
      error: this.error,
      warnings: this.linter === null ? [] : this.linter.finish(),
      families: this.collected,
    };
  }

  /** Whether `# EOF` was read (a method, so that narrowing does not outlive `run()`). */
  private atEof(): boolean {
    return this.eofSeen;
  }

  /** Keeps `chunk[s..e)` for the next chunk, refusing a line longer than `maxLineBytes`. */
  private appendCarry(chunk: Uint8Array, s: number, e: number): boolean {
    const len = this.carryLen;
    const endsLine = chunk[e - 1] === LF;
    const content = len + (e - s) - (endsLine ? 1 : 0);
    if (content > this.maxLine) {
      // Keep exactly maxLine bytes, enough to say where the limit fell, and no more.
      const take = this.maxLine - len;
      this.ensureCarry(this.maxLine);
      this.carry.set(chunk.subarray(s, s + take), len);
      this.error = {
        line: this.line,
        column: columnOf(this.carry, 0, this.maxLine),
        message: `expected a line of at most ${this.maxLine} bytes (maxLineBytes), got a longer line`,
      };
      return false;
    }
    this.ensureCarry(len + (e - s));
    this.carry.set(chunk.subarray(s, e), len);
    this.carryLen = len + (e - s);
    return true;
  }

  private ensureCarry(size: number): void {
    if (size <= this.carry.length) return;
    // Room for the line, its line feed and the sentinel end() may add.
    const cap = Math.min(Math.max(size * 2, 4096), this.maxLine + 2);
    const grown = new Uint8Array(Math.max(cap, size));
    grown.set(this.carry.subarray(0, this.carryLen));
    this.carry = grown;
  }

  /** Reads the complete lines `b[start..end)`. */
  private run(b: Uint8Array, start: number, end: number): boolean {
    const c = this.cursor;
    c.reset(b, start, end, this.line);
    for (;;) {
      const kind = c.next();
      switch (kind) {
        case Entry.End:
          this.line = c.line + 1;
          return true;
        case Entry.Sample:
          if (!this.sample()) return false;
          break;
        case Entry.Help:
        case Entry.Type:
        case Entry.Unit:
          if (!this.metadata(kind)) return false;
          break;
        case Entry.Comment:
          break;
        case Entry.Eof:
          this.eofSeen = true;
          this.eofLine = c.line;
          this.line = c.line + 1;
          if (c.offset < end) return this.failAfterEof();
          return true;
        case Entry.Invalid:
          this.error = c.failure;
          return false;
      }
    }
  }

  private sample(): boolean {
    const c = this.cursor;
    let fam = this.current;
    if (
      fam === null ||
      !(c.nameIsPlain
        ? belongsBytes(c.buffer, c.rawNameStart, c.rawNameEnd, fam.nameBytes, fam.type)
        : belongsString(c.metricName(), fam.name, fam.type))
    ) {
      fam = this.familyOf(c.metricName());
      if (fam === null) return false;
    }
    fam.samples++;
    this.series++;
    if (fam.out !== null) fam.out.samples.push(this.toSample());
    if (this.linter !== null) this.linter.sample(fam, c, c.line);
    if (this.onSample !== null) this.onSample(this.view);
    return true;
  }

  /**
   * The family of a sample that does not belong to the current one: a family of that exact name,
   * or of that name less a suffix its type allows (text 0.0.4 may come back to a family, as
   * expfmt's parser allows), or a new family of unknown type.
   */
  private familyOf(name: string): FamilyState | null {
    let fam = this.families.get(name);
    if (fam === undefined) {
      for (const suffix of SUFFIXES) {
        if (!name.endsWith(suffix)) continue;
        const base = this.families.get(name.slice(0, -suffix.length));
        if (base !== undefined && typeAllows(base.type, suffix)) fam = base;
        break;
      }
    }
    if (fam === undefined) return (this.current = this.newFamily(name));
    if (this.om && fam !== this.current) {
      // OpenMetrics 1.0, "MetricFamily": "MetricFamilies MUST NOT be interleaved."
      const c = this.cursor;
      this.error = {
        line: c.line,
        column: columnOf(c.buffer, c.lineStart, Math.max(c.lineStart, c.rawNameStart)),
        message:
          `expected the samples of family ${quoteString(fam.name)} together (OpenMetrics families ` +
          `must not be interleaved), got ${quoteString(name)} after ${this.currentName()}`,
      };
      return null;
    }
    return (this.current = fam);
  }

  private currentName(): string {
    return this.current === null ? 'the start' : `family ${quoteString(this.current.name)}`;
  }

  private newFamily(name: string): FamilyState {
    const fam = new FamilyState(name, this.cursor.line, this.collect);
    this.families.set(name, fam);
    if (this.collected !== null && fam.out !== null) this.collected.push(fam.out);
    if (this.linter !== null) this.linter.family(fam);
    return fam;
  }

  /**
   * HELP, TYPE and UNIT. Text 0.0.4 ("Only one TYPE line may exist for a given metric name. The
   * TYPE line for a metric name must appear before the first sample is reported for that metric
   * name. […] Only one HELP line may exist for any given metric name."); OpenMetrics 1.0 (ABNF
   * `metricfamily = *metric-descriptor *metric`; "There MUST NOT be more than one of each type of
   * metadata line for a MetricFamily"). Prometheus 2.42's scrape parser checks none of this;
   * `promtool check metrics` refuses a second TYPE or HELP.
   */
  private metadata(kind: typeof Entry.Help | typeof Entry.Type | typeof Entry.Unit): boolean {
    const c = this.cursor;
    const name = c.metaName();
    const what = kind === Entry.Help ? '# HELP' : kind === Entry.Type ? '# TYPE' : '# UNIT';
    let fam = this.families.get(name);
    if (fam === undefined) {
      fam = this.newFamily(name);
    } else if (this.om && fam !== this.current) {
      return this.failMeta(
        `the metadata and samples of family ${quoteString(name)} together (OpenMetrics families ` +
          `must not be interleaved), got ${what} after ${this.currentName()}`,
      );
    } else if (this.om && fam.samples > 0) {
      return this.failMeta(`${what} before the samples of ${quoteString(name)}, got it after them`);
    }
    this.current = fam;
    if (kind === Entry.Help) {
      if (fam.hasHelp)
        return this.failMeta(`one # HELP line for ${quoteString(name)}, got a second`);
      fam.setHelp(c.helpText());
      if (this.linter !== null && c.helpHasUnknownEscape()) this.linter.helpEscape(fam, c.line);
    } else if (kind === Entry.Type) {
      if (fam.hasType)
        return this.failMeta(`one # TYPE line for ${quoteString(name)}, got a second`);
      if (fam.samples > 0) {
        return this.failMeta(
          `# TYPE before the first sample of ${quoteString(name)}, got it after`,
        );
      }
      fam.setType(c.metricType);
    } else {
      if (fam.hasUnit)
        return this.failMeta(`one # UNIT line for ${quoteString(name)}, got a second`);
      fam.setUnit(c.unitText());
    }
    return true;
  }

  private failMeta(expected: string): boolean {
    const c = this.cursor;
    this.error = {
      line: c.line,
      column: columnOf(c.buffer, c.lineStart, c.rawMetaStart),
      message: `expected ${expected}`,
    };
    return false;
  }

  /** openmetricsparse.go: "unexpected data after # EOF". */
  private failAfterEof(): boolean {
    this.error ??= {
      line: this.eofLine + 1,
      column: 1,
      message: 'expected the end of the input after "# EOF", got more bytes',
    };
    return false;
  }

  private toSample(): Sample {
    const c = this.cursor;
    const sample: Sample = {
      name: c.metricName(),
      labels: c.labelRecord(),
      value: jsonValue(c.value),
      timestampMs: c.timestampMs,
    };
    const exemplar = c.exemplar();
    if (exemplar !== null) sample.exemplar = exemplar;
    return sample;
  }
}
