/**
 * `ExpositionStream`: feeds chunks of a body to the cursor line by line, carrying a line cut by a
 * chunk boundary over to the next chunk, and checks what spans lines: families, metadata, `# EOF`.
 *
 * In scrape mode (`ExpositionOptions.mode`) a sample may span lines (a label value holding a raw
 * line feed, which Prometheus's text lexer takes): the cursor says `Entry.Partial`, and the stream
 * keeps that entry and what follows until there is enough to read it, retrying when what it holds
 * has doubled, so that a long entry is read a bounded number of times.
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
import { Tolerance, Tolerated } from './tolerated.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
  Family,
  ParseFailure,
  SampleRef,
} from './types.ts';

const FORMATS = new Set<string>(['prometheus', 'openmetrics']);
const MODES = new Set<string>(['validate', 'scrape']);
const VERSIONS = new Set<string>(['2', '3']);

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
  /** Scrape mode's notes; null when validating. */
  private readonly notes: Tolerated | null;
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
  /** Scrape mode: a NUL ended the input where Prometheus's lexer ends it; the rest is ignored. */
  private stopped = false;
  /** Scrape mode: `carry` begins with an entry that spans lines and is not complete yet. */
  private pending = false;
  /** How many bytes `carry` held when that entry was last tried. */
  private pendingTried = 0;
  /** Set by `run()` when the cursor said `Entry.Partial`: where that entry starts in its buffer. */
  private partialAt = -1;
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
    const mode = options.mode ?? 'validate';
    if (!MODES.has(mode)) {
      throw new RangeError(`mode must be validate or scrape, got ${JSON.stringify(mode)}`);
    }
    const version = options.prometheusVersion ?? '3';
    if (!VERSIONS.has(version)) {
      throw new RangeError(`prometheusVersion must be 2 or 3, got ${JSON.stringify(version)}`);
    }
    this.format = options.format;
    this.om = options.format === 'openmetrics';
    this.maxLine = max;
    this.notes = mode === 'scrape' ? new Tolerated(this.om) : null;
    this.cursor = makeCursor(
      options.format,
      max,
      this.notes === null ? null : { notes: this.notes, v2: version === '2' },
    );
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
    if (chunk.length === 0 || this.stopped) return true;
    if (this.eofSeen) return this.failAfterEof();
    let pos = 0;
    if (this.carryLen > 0 && !this.pending) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.appendCarry(chunk, 0, chunk.length);
      if (!this.appendCarry(chunk, 0, nl + 1)) return false;
      const len = this.carryLen;
      this.carryLen = 0;
      if (!this.run(this.carry, 0, len)) return false;
      pos = nl + 1;
      if (this.partialAt >= 0) {
        if (!this.keepPartial(this.carry, len)) return false;
      } else if (this.isStopped()) {
        return true;
      } else if (this.atEof()) {
        return pos < chunk.length ? this.failAfterEof() : true;
      }
    }
    if (this.pending) return this.writePending(chunk, pos);
    const last = chunk.lastIndexOf(LF);
    if (last >= pos) {
      if (!this.run(chunk, pos, last + 1)) return false;
      if (this.partialAt >= 0) return this.keepPartial(chunk, chunk.length);
      if (this.isStopped()) return true;
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
    if (this.error === null && this.pending) {
      this.endPending();
    } else if (this.error === null && this.carryLen > 0 && !this.stopped) {
      if (this.eofSeen) {
        this.failAfterEof();
      } else {
        // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
        unterminated = true;
        const len = this.carryLen;
        this.ensureCarry(len + 1);
        this.carry[len] = LF;
        // An entry that is still open at the end of the input fails as the cursor says.
        if (this.run(this.carry, 0, len + 1) && this.partialAt >= 0)
          this.error = this.cursor.failure;
      }
    }
    if (this.error === null && this.om && !this.eofSeen && !this.stopped) {
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
      warnings: [
        ...(this.notes === null ? [] : this.notes.finish()),
        ...(this.linter === null ? [] : this.linter.finish()),
      ],
      families: this.collected,
    };
  }

  /** Whether `# EOF` was read (a method, so that narrowing does not outlive `run()`). */
  private atEof(): boolean {
    return this.eofSeen;
  }

  /** Whether a NUL stopped the reading (scrape mode; a method for the same reason). */
  private isStopped(): boolean {
    return this.stopped;
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

  // ---------------------------------------------------------------------------------------------
  // Scrape mode: entries that span lines.

  /**
   * The cursor found an entry in `b` that goes on past the lines it was given: keep it, with the
   * bytes after it up to `end`, as the pending carry. Returns false when it is already too long.
   */
  private keepPartial(b: Uint8Array, end: number): boolean {
    const from = this.partialAt;
    this.partialAt = -1;
    const len = end - from;
    if (b === this.carry) {
      b.copyWithin(0, from, end);
    } else {
      this.ensureCarry(len);
      this.carry.set(b.subarray(from, end), 0);
    }
    this.carryLen = len;
    this.pending = true;
    this.pendingTried = len;
    return len <= this.maxLine || this.failLongEntry();
  }

  /** Adds a chunk behind a pending entry; tries the entry again once what is held has doubled. */
  private writePending(chunk: Uint8Array, pos: number): boolean {
    const n = chunk.length - pos;
    if (n > 0) {
      this.ensureCarry(this.carryLen + n);
      this.carry.set(chunk.subarray(pos), this.carryLen);
      this.carryLen += n;
    }
    if (this.carryLen < 2 * this.pendingTried && this.carryLen <= this.maxLine) return true;
    const last = this.carry.lastIndexOf(LF, this.carryLen - 1) + 1;
    return this.retryPending(last);
  }

  /** Reads the complete lines `carry[0..last)`, which begin with the pending entry. */
  private retryPending(last: number): boolean {
    const len = this.carryLen;
    if (!this.run(this.carry, 0, last)) return false;
    if (this.partialAt >= 0) return this.keepPartial(this.carry, len);
    this.pending = false;
    if (this.stopped) {
      this.carryLen = 0;
      return true;
    }
    this.carry.copyWithin(0, last, len);
    this.carryLen = len - last;
    return true;
  }

  /** At the end of the input: the pending entry gets the rest, and must end within it. */
  private endPending(): void {
    let len = this.carryLen;
    if (this.carry[len - 1] !== LF) {
      // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
      this.ensureCarry(len + 1);
      this.carry[len] = LF;
      len++;
      this.carryLen = len;
    }
    if (!this.retryPending(len)) return;
    if (this.pending) this.error = this.cursor.failure;
    this.pending = false;
    this.carryLen = 0;
  }

  private failLongEntry(): boolean {
    this.error = {
      line: this.line,
      column: 1,
      message: `expected a sample of at most ${this.maxLine} bytes (maxLineBytes) over its lines, got a longer one`,
    };
    return false;
  }

  /**
   * promlex.l `\0 return tEOF`: Prometheus stops reading at a NUL that starts a line (or starts
   * or sits in some comments, see `PrometheusCursor.commentStops`) and keeps the samples before
   * it. Nothing after it is parsed; `write()` still counts the bytes, as Prometheus reads them all.
   */
  private stop(): void {
    const c = this.cursor;
    this.stopped = true;
    const notes = this.notes!;
    const kept = `Prometheus stops reading the body there and keeps the ${this.series} ${this.series === 1 ? 'sample' : 'samples'} before it`;
    notes.note(
      Tolerance.stop,
      c.line,
      c.stopInComment
        ? `a NUL byte in a comment; the format allows it, but ${kept}`
        : `a NUL byte starts the line; ${kept}, and ${notes.forbids}`,
    );
  }

  /** Reads the complete lines `b[start..end)`. */
  private run(b: Uint8Array, start: number, end: number): boolean {
    const c = this.cursor;
    this.partialAt = -1;
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
        case Entry.Partial:
          this.partialAt = c.entryStart;
          this.line = c.entryLine;
          return true;
        case Entry.Stop:
          this.stop();
          return true;
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
    if (this.om && fam !== this.current && this.notes !== null) {
      this.notes.note(
        Tolerance.familyInterleaved,
        this.cursor.line,
        `the samples of family ${quoteString(fam.name)} go on after ${this.currentName()}; Prometheus accepts it, but OpenMetrics 1.0 forbids interleaved families`,
      );
    } else if (this.om && fam !== this.current) {
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
    const notes = this.notes;
    let fam = this.families.get(name);
    if (fam === undefined) {
      fam = this.newFamily(name);
    } else if (this.om && fam !== this.current) {
      if (notes === null) {
        return this.failMeta(
          `the metadata and samples of family ${quoteString(name)} together (OpenMetrics families ` +
            `must not be interleaved), got ${what} after ${this.currentName()}`,
        );
      }
      notes.note(
        Tolerance.metaInterleaved,
        c.line,
        `${what} for ${quoteString(name)} comes after ${this.currentName()}; Prometheus accepts it, but OpenMetrics 1.0 keeps a family's metadata and samples together`,
      );
    } else if (this.om && fam.samples > 0) {
      if (notes === null) {
        return this.failMeta(
          `${what} before the samples of ${quoteString(name)}, got it after them`,
        );
      }
      notes.note(
        Tolerance.metaAfterSamples,
        c.line,
        `${what} for ${quoteString(name)} comes after its samples; Prometheus accepts it, but OpenMetrics 1.0 puts a family's metadata first`,
      );
    }
    this.current = fam;
    if (kind === Entry.Help) {
      if (!fam.hasHelp) fam.setHelp(c.helpText());
      else if (!this.second(Tolerance.secondHelp, what, name)) return false;
      if ((this.linter !== null || notes !== null) && c.helpHasUnknownEscape())
        this.helpEscape(fam);
    } else if (kind === Entry.Type) {
      if (fam.hasType) return this.second(Tolerance.secondType, what, name);
      if (fam.samples > 0 && !this.om) {
        if (notes === null) {
          return this.failMeta(
            `# TYPE before the first sample of ${quoteString(name)}, got it after`,
          );
        }
        notes.note(
          Tolerance.typeAfterSamples,
          c.line,
          `# TYPE for ${quoteString(name)} comes after its samples; Prometheus accepts it, but ${notes.forbids}`,
        );
      }
      fam.setType(c.metricType);
    } else {
      if (fam.hasUnit) return this.second(Tolerance.secondUnit, what, name);
      fam.setUnit(c.unitText());
    }
    return true;
  }

  /**
   * A second HELP, TYPE or UNIT for a family: a failure, or in scrape mode a warning (Prometheus's
   * parsers hand every metadata line to the scrape cache, which keeps the last; this stream keeps
   * the first).
   */
  private second(kind: Tolerance, what: string, name: string): boolean {
    const notes = this.notes;
    if (notes === null)
      return this.failMeta(`one ${what} line for ${quoteString(name)}, got a second`);
    notes.note(
      kind,
      this.cursor.line,
      `a second ${what} for ${quoteString(name)}; Prometheus accepts it, but ${notes.forbids}`,
    );
    return true;
  }

  /** A HELP text with a backslash that is no escape: a lint warning, or a scrape-mode one. */
  private helpEscape(fam: FamilyState): void {
    const notes = this.notes;
    if (notes === null) {
      this.linter?.helpEscape(fam, this.cursor.line);
      return;
    }
    notes.note(
      Tolerance.helpEscape,
      this.cursor.line,
      `the # HELP text of ${quoteString(fam.name)} has a backslash that is not an escape (${this.om ? '\\\\, \\" or \\n' : '\\\\ or \\n'}); Prometheus keeps it as written, but ${notes.forbids}`,
    );
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
