/**
 * `ExpositionStream`: feeds chunks of a body to the cursor line by line, carrying a line cut by a
 * chunk boundary over to the next chunk, and checks what spans lines: families, metadata, `# EOF`.
 *
 * In scrape mode (`ExpositionOptions.mode`) a sample may span lines (a label value holding a raw
 * line feed, which Prometheus's text lexer takes): the cursor says `Entry.Partial`, and the stream
 * keeps that entry and what follows until there is enough to read it, retrying when what it holds
 * has doubled, so that a long entry is read a bounded number of times.
 */
import { LineCarry } from './carry.ts';
import { LF } from './chars.ts';
import { FamilyTracker } from './families.ts';
import type { FamilyState } from './families.ts';
import { makeScanner } from './formats.ts';
import { Linter } from './lint.ts';
import { memberSuffixOf, NOT_A_MEMBER } from './metric-types.ts';
import { checkOptions } from './options.ts';
import { copySample, SampleView } from './sample-view.ts';
import type { Scanner } from './scanner.ts';
import { columnOf } from './text.ts';
import { Tolerance, Tolerated } from './tolerance.ts';
import { Entry } from './types.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
  ParseFailure,
  SampleRef,
} from './types.ts';

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
  readonly #format: ExpositionFormat;
  readonly #om: boolean;
  readonly #cursor: Scanner;
  readonly #onSample: ((sample: SampleRef) => void) | null;
  readonly #view: SampleView;
  readonly #linter: Linter | null;
  /** Scrape mode's notes; null when validating. */
  readonly #notes: Tolerated | null;
  readonly #maxLine: number;
  readonly #carry: LineCarry;
  /** Number of the next line to read. */
  #line = 1;
  #bytes = 0;
  #series = 0;
  #error: ParseFailure | null = null;
  #eofSeen = false;
  #eofLine = 0;
  #ended = false;
  /** Scrape mode: a NUL ended the input where Prometheus's lexer ends it; the rest is ignored. */
  #stopped = false;
  /** Scrape mode: `carry` begins with an entry that spans lines and is not complete yet. */
  #pending = false;
  /** How many bytes `carry` held when that entry was last tried. */
  #pendingTried = 0;
  /** Set by `run()` when the cursor said `Entry.Partial`: where that entry starts in its buffer. */
  #partialAt = -1;
  readonly #families: FamilyTracker;
  /** The last sample's family, and how its name belongs to it (`memberSuffix`). */
  #lastFamily: FamilyState | null = null;
  #lastSuffix = NOT_A_MEMBER;

  constructor(options: ExpositionOptions) {
    const { format, maxLine, scrape, v2 } = checkOptions(options);
    this.#format = format;
    this.#om = format === 'openmetrics';
    this.#maxLine = maxLine;
    this.#carry = new LineCarry(maxLine);
    this.#notes = scrape ? new Tolerated(this.#om) : null;
    this.#cursor = makeScanner(
      format,
      maxLine,
      this.#notes === null ? null : { notes: this.#notes, v2 },
    );
    this.#onSample = options.onSample ?? null;
    this.#view = new SampleView(this.#cursor);
    this.#linter = options.lint === true ? new Linter(this.#om) : null;
    this.#families = new FamilyTracker(this.#cursor, {
      om: this.#om,
      collect: options.collect === 'families',
      notes: this.#notes,
      linter: this.#linter,
    });
  }

  /**
   * Parses the complete lines in `chunk` and keeps the rest for the next one. The chunk is not
   * kept. Returns false once the input is known to be invalid (the caller may stop feeding).
   */
  write(chunk: Uint8Array): boolean {
    if (this.#ended) throw new Error('ExpositionStream.write() after end()');
    this.#bytes += chunk.length;
    if (this.#error !== null) return false;
    if (chunk.length === 0 || this.#stopped) return true;
    if (this.#eofSeen) return this.#failAfterEof();
    let pos = 0;
    const carry = this.#carry;
    if (carry.length > 0 && !this.#pending) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.#carryLine(chunk, 0, chunk.length);
      if (!this.#carryLine(chunk, 0, nl + 1)) return false;
      const len = carry.length;
      carry.clear();
      if (!this.#run(carry.bytes, 0, len)) return false;
      pos = nl + 1;
      if (this.#partialAt >= 0) {
        if (!this.#keepPartial(carry.bytes, len)) return false;
      } else if (this.#isStopped()) {
        return true;
      } else if (this.#atEof()) {
        return pos < chunk.length ? this.#failAfterEof() : true;
      }
    }
    if (this.#pending) return this.#writePending(chunk, pos);
    const last = chunk.lastIndexOf(LF);
    if (last >= pos) {
      if (!this.#run(chunk, pos, last + 1)) return false;
      if (this.#partialAt >= 0) return this.#keepPartial(chunk, chunk.length);
      if (this.#isStopped()) return true;
      pos = last + 1;
    }
    if (pos < chunk.length) {
      if (this.#atEof()) return this.#failAfterEof();
      return this.#carryLine(chunk, pos, chunk.length);
    }
    return true;
  }

  /** Parses what is left, checks how the input ends, and returns the result. Call once. */
  end(): ExpositionResult {
    if (this.#ended) throw new Error('ExpositionStream.end() called twice');
    this.#ended = true;
    let unterminated = false;
    const carry = this.#carry;
    if (this.#error === null && this.#pending) {
      this.#endPending();
    } else if (this.#error === null && carry.length > 0 && !this.#stopped) {
      if (this.#eofSeen) {
        this.#failAfterEof();
      } else {
        // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
        unterminated = true;
        const len = carry.terminate();
        // An entry that is still open at the end of the input fails as the cursor says.
        if (this.#run(carry.bytes, 0, len) && this.#partialAt >= 0)
          this.#error = this.#cursor.failure;
      }
    }
    if (this.#error === null && this.#om && !this.#eofSeen && !this.#stopped) {
      // openmetricsparse.go: "data does not end with # EOF".
      this.#error = unterminated
        ? noEof(this.#line - 1, columnOf(carry.bytes, 0, carry.length))
        : noEof(this.#line, 1);
    }
    carry.release();
    return {
      format: this.#format,
      bytes: this.#bytes,
      series: this.#series,
      familyCount: this.#families.count,
      error: this.#error,
      warnings: [
        ...(this.#notes === null ? [] : this.#notes.finish()),
        ...(this.#linter === null ? [] : this.#linter.finish()),
      ],
      families: this.#families.collected,
    };
  }

  /** Whether `# EOF` was read (a method, so that narrowing does not outlive `run()`). */
  #atEof(): boolean {
    return this.#eofSeen;
  }

  /** Whether a NUL stopped the reading (scrape mode; a method for the same reason). */
  #isStopped(): boolean {
    return this.#stopped;
  }

  /** Keeps `chunk[s..e)` for the next chunk, refusing a line longer than `maxLineBytes`. */
  #carryLine(chunk: Uint8Array, s: number, e: number): boolean {
    if (this.#carry.appendLine(chunk, s, e)) return true;
    const column = columnOf(this.#carry.bytes, 0, this.#maxLine);
    return this.#failWith(lineTooLong(this.#line, column, this.#maxLine));
  }

  // ---------------------------------------------------------------------------------------------
  // Scrape mode: entries that span lines.

  /**
   * The cursor found an entry in `b` that goes on past the lines it was given: keep it, with the
   * bytes after it up to `end`, as the pending carry. Returns false when it is already too long.
   */
  #keepPartial(b: Uint8Array, end: number): boolean {
    const carry = this.#carry;
    carry.keep(b, this.#partialAt, end);
    this.#partialAt = -1;
    this.#pending = true;
    this.#pendingTried = carry.length;
    return carry.length <= this.#maxLine || this.#failWith(entryTooLong(this.#line, this.#maxLine));
  }

  /** Adds a chunk behind a pending entry; tries the entry again once what is held has doubled. */
  #writePending(chunk: Uint8Array, pos: number): boolean {
    const carry = this.#carry;
    carry.append(chunk, pos);
    if (carry.length < 2 * this.#pendingTried && carry.length <= this.#maxLine) return true;
    const last = carry.bytes.lastIndexOf(LF, carry.length - 1) + 1;
    return this.#retryPending(last);
  }

  /** Reads the complete lines `carry[0..last)`, which begin with the pending entry. */
  #retryPending(last: number): boolean {
    const carry = this.#carry;
    const len = carry.length;
    if (!this.#run(carry.bytes, 0, last)) return false;
    if (this.#partialAt >= 0) return this.#keepPartial(carry.bytes, len);
    this.#pending = false;
    if (this.#stopped) {
      carry.clear();
      return true;
    }
    carry.keep(carry.bytes, last, len);
    return true;
  }

  /** At the end of the input: the pending entry gets the rest, and must end within it. */
  #endPending(): void {
    const carry = this.#carry;
    // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
    if (carry.bytes[carry.length - 1] !== LF) carry.appendLineFeed();
    if (!this.#retryPending(carry.length)) return;
    if (this.#pending) this.#error = this.#cursor.failure;
    this.#pending = false;
    carry.clear();
  }

  /**
   * promlex.l `\0 return tEOF`: Prometheus stops reading at a NUL that starts a line (or starts
   * or sits in some comments, see `PrometheusScanner`'s comments) and keeps the samples before
   * it. Nothing after it is parsed; `write()` still counts the bytes, as Prometheus reads them all.
   */
  #stop(): void {
    const c = this.#cursor;
    this.#stopped = true;
    const notes = this.#notes!;
    const kept = `Prometheus stops reading the body there and keeps the ${this.#series} ${this.#series === 1 ? 'sample' : 'samples'} before it`;
    notes.note(
      Tolerance.stop,
      c.line,
      c.stopInComment
        ? `a NUL byte in a comment; the format allows it, but ${kept}`
        : `a NUL byte starts the line; ${kept}, and ${notes.forbids}`,
    );
  }

  /** Reads the complete lines `b[start..end)`. */
  #run(b: Uint8Array, start: number, end: number): boolean {
    const c = this.#cursor;
    this.#partialAt = -1;
    c.reset(b, start, end, this.#line);
    for (;;) {
      const kind = c.next();
      switch (kind) {
        case Entry.End:
          this.#line = c.line + 1;
          return true;
        case Entry.Sample:
          if (!this.#sample()) return false;
          break;
        case Entry.Help:
        case Entry.Type:
        case Entry.Unit:
          if (!this.#families.metadata(kind)) return this.#failWith(this.#families.failure);
          break;
        case Entry.Comment:
          break;
        case Entry.Eof:
          this.#eofSeen = true;
          this.#eofLine = c.line;
          this.#line = c.line + 1;
          if (c.offset < end) return this.#failAfterEof();
          return true;
        case Entry.Invalid:
          this.#error = c.failure;
          return false;
        case Entry.Partial:
          ({ start: this.#partialAt, line: this.#line } = c.partialEntry());
          return true;
        case Entry.Stop:
          this.#stop();
          return true;
      }
    }
  }

  #sample(): boolean {
    const c = this.#cursor;
    let fam = this.#lastFamily;
    let suffix = this.#lastSuffix;
    // A line that took over the previous one's name has its family too.
    if (!c.reusedName || fam === null) {
      const families = this.#families;
      fam = families.current;
      suffix = fam === null ? NOT_A_MEMBER : c.memberOf(fam);
      if (suffix === NOT_A_MEMBER || fam === null) {
        const name = c.metricName();
        fam = families.familyOf(name);
        if (fam === null) return this.#failWith(families.failure);
        suffix = memberSuffixOf(name, fam.name, fam.type);
      }
      this.#lastFamily = fam;
      this.#lastSuffix = suffix;
    }
    fam.addSample(fam.out === null ? null : copySample(c));
    this.#series++;
    if (this.#linter !== null) this.#linter.sample(fam, suffix, c);
    if (this.#onSample !== null) this.#onSample(this.#view);
    return true;
  }

  /** Sets `error` to `failure`, and returns false for `write()` to return. */
  #failWith(failure: ParseFailure | null): false {
    this.#error = failure;
    return false;
  }

  /** openmetricsparse.go: "unexpected data after # EOF". */
  #failAfterEof(): boolean {
    this.#error ??= dataAfterEof(this.#eofLine);
    return false;
  }
}

/**
 * A line longer than `maxLine`, `column` being where the limit fell. Prometheus has no such
 * limit; an unbounded line would grow memory without bound.
 */
function lineTooLong(line: number, column: number, maxLine: number): ParseFailure {
  return {
    line,
    column,
    message: `expected a line of at most ${maxLine} bytes (maxLineBytes), got a longer line`,
  };
}

/** Scrape mode: a sample starting on line `line` that spans lines and more than `maxLine` bytes. */
function entryTooLong(line: number, maxLine: number): ParseFailure {
  return {
    line,
    column: 1,
    message: `expected a sample of at most ${maxLine} bytes (maxLineBytes) over its lines, got a longer one`,
  };
}

/** openmetricsparse.go: "unexpected data after # EOF", the `# EOF` being on line `eofLine`. */
function dataAfterEof(eofLine: number): ParseFailure {
  return {
    line: eofLine + 1,
    column: 1,
    message: 'expected the end of the input after "# EOF", got more bytes',
  };
}

/**
 * openmetricsparse.go: "data does not end with # EOF". Where: past the end of a last line that
 * lacks its line feed, or at the start of the empty line after the input.
 */
function noEof(line: number, column: number): ParseFailure {
  return {
    line,
    column,
    message: 'expected "# EOF" as the last line, got end of input',
  };
}

const encoder = new TextEncoder();

/**
 * Parses a complete exposition.
 *
 * @example
 * const { series, error } = parseExposition(body, { format: 'prometheus' });
 * if (error) console.error(`${error.line}:${error.column}: ${error.message}`);
 */
export function parseExposition(
  input: Uint8Array | string,
  options: ExpositionOptions,
): ExpositionResult {
  const stream = new ExpositionStream(options);
  stream.write(typeof input === 'string' ? encoder.encode(input) : input);
  return stream.end();
}
