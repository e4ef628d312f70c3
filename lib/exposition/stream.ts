/**
 * `ExpositionStream`: feeds chunks of a body to the cursor line by line, carrying a line cut by a
 * chunk boundary over to the next chunk, and checks what spans lines: families, metadata, `# EOF`.
 *
 * In scrape mode (`ExpositionOptions.mode`) a sample may span lines (a label value holding a raw
 * line feed, which Prometheus's text lexer takes): the cursor says `Entry.Partial`, and the stream
 * keeps that entry and what follows until there is enough to read it, retrying when what it holds
 * has doubled, so that a long entry is read a bounded number of times.
 */
import { LF } from './chars.ts';
import { makeCursor } from './create-cursor.ts';
import type { ExpositionCursor } from './cursor.ts';
import { belongsBytes, belongsString } from './families.ts';
import { FamilyTracker } from './family-tracker.ts';
import { LineCarry } from './line-carry.ts';
import { Linter } from './lint.ts';
import { Entry } from './pull-cursor.ts';
import { copySample, SampleView } from './sample-view.ts';
import { dataAfterEof, entryTooLong, lineTooLong, noEof } from './stream-errors.ts';
import { checkOptions } from './stream-options.ts';
import { columnOf } from './text.ts';
import { Tolerance, Tolerated } from './tolerated.ts';
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
  private readonly format: ExpositionFormat;
  private readonly om: boolean;
  private readonly cursor: ExpositionCursor;
  private readonly onSample: ((sample: SampleRef) => void) | null;
  private readonly view: SampleView;
  private readonly linter: Linter | null;
  /** Scrape mode's notes; null when validating. */
  private readonly notes: Tolerated | null;
  private readonly maxLine: number;
  private readonly carry: LineCarry;
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
  private readonly families: FamilyTracker;

  constructor(options: ExpositionOptions) {
    const { format, maxLine, scrape, v2 } = checkOptions(options);
    this.format = format;
    this.om = format === 'openmetrics';
    this.maxLine = maxLine;
    this.carry = new LineCarry(maxLine);
    this.notes = scrape ? new Tolerated(this.om) : null;
    this.cursor = makeCursor(
      format,
      maxLine,
      this.notes === null ? null : { notes: this.notes, v2 },
    );
    this.onSample = options.onSample ?? null;
    this.view = new SampleView(this.cursor);
    this.linter = options.lint === true ? new Linter(this.om) : null;
    this.families = new FamilyTracker(this.cursor, {
      om: this.om,
      collect: options.collect === 'families',
      notes: this.notes,
      linter: this.linter,
    });
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
    const carry = this.carry;
    if (carry.length > 0 && !this.pending) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.carryLine(chunk, 0, chunk.length);
      if (!this.carryLine(chunk, 0, nl + 1)) return false;
      const len = carry.length;
      carry.length = 0;
      if (!this.run(carry.bytes, 0, len)) return false;
      pos = nl + 1;
      if (this.partialAt >= 0) {
        if (!this.keepPartial(carry.bytes, len)) return false;
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
      return this.carryLine(chunk, pos, chunk.length);
    }
    return true;
  }

  /** Parses what is left, checks how the input ends, and returns the result. Call once. */
  end(): ExpositionResult {
    if (this.ended) throw new Error('ExpositionStream.end() called twice');
    this.ended = true;
    let unterminated = false;
    const carry = this.carry;
    if (this.error === null && this.pending) {
      this.endPending();
    } else if (this.error === null && carry.length > 0 && !this.stopped) {
      if (this.eofSeen) {
        this.failAfterEof();
      } else {
        // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
        unterminated = true;
        const len = carry.terminate();
        // An entry that is still open at the end of the input fails as the cursor says.
        if (this.run(carry.bytes, 0, len) && this.partialAt >= 0) this.error = this.cursor.failure;
      }
    }
    if (this.error === null && this.om && !this.eofSeen && !this.stopped) {
      // openmetricsparse.go: "data does not end with # EOF".
      this.error = unterminated
        ? noEof(this.line - 1, columnOf(carry.bytes, 0, carry.length))
        : noEof(this.line, 1);
    }
    carry.release();
    return {
      format: this.format,
      bytes: this.bytes,
      series: this.series,
      familyCount: this.families.count,
      error: this.error,
      warnings: [
        ...(this.notes === null ? [] : this.notes.finish()),
        ...(this.linter === null ? [] : this.linter.finish()),
      ],
      families: this.families.collected,
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
  private carryLine(chunk: Uint8Array, s: number, e: number): boolean {
    if (this.carry.appendLine(chunk, s, e)) return true;
    const column = columnOf(this.carry.bytes, 0, this.maxLine);
    return this.failWith(lineTooLong(this.line, column, this.maxLine));
  }

  // ---------------------------------------------------------------------------------------------
  // Scrape mode: entries that span lines.

  /**
   * The cursor found an entry in `b` that goes on past the lines it was given: keep it, with the
   * bytes after it up to `end`, as the pending carry. Returns false when it is already too long.
   */
  private keepPartial(b: Uint8Array, end: number): boolean {
    const carry = this.carry;
    carry.keep(b, this.partialAt, end);
    this.partialAt = -1;
    this.pending = true;
    this.pendingTried = carry.length;
    return carry.length <= this.maxLine || this.failWith(entryTooLong(this.line, this.maxLine));
  }

  /** Adds a chunk behind a pending entry; tries the entry again once what is held has doubled. */
  private writePending(chunk: Uint8Array, pos: number): boolean {
    const carry = this.carry;
    carry.append(chunk, pos);
    if (carry.length < 2 * this.pendingTried && carry.length <= this.maxLine) return true;
    const last = carry.bytes.lastIndexOf(LF, carry.length - 1) + 1;
    return this.retryPending(last);
  }

  /** Reads the complete lines `carry[0..last)`, which begin with the pending entry. */
  private retryPending(last: number): boolean {
    const carry = this.carry;
    const len = carry.length;
    if (!this.run(carry.bytes, 0, last)) return false;
    if (this.partialAt >= 0) return this.keepPartial(carry.bytes, len);
    this.pending = false;
    if (this.stopped) {
      carry.length = 0;
      return true;
    }
    carry.keep(carry.bytes, last, len);
    return true;
  }

  /** At the end of the input: the pending entry gets the rest, and must end within it. */
  private endPending(): void {
    const carry = this.carry;
    // Like promparse.go (`append(b, '\n')`): the last line may lack its line feed.
    if (carry.bytes[carry.length - 1] !== LF) carry.length = carry.terminate();
    if (!this.retryPending(carry.length)) return;
    if (this.pending) this.error = this.cursor.failure;
    this.pending = false;
    carry.length = 0;
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
          if (!this.families.metadata(kind)) return this.failWith(this.families.failure);
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
    const families = this.families;
    let fam = families.current;
    if (
      fam === null ||
      !(c.nameIsPlain
        ? belongsBytes(c.buffer, c.rawNameStart, c.rawNameEnd, fam.nameBytes, fam.type)
        : belongsString(c.metricName(), fam.name, fam.type))
    ) {
      fam = families.familyOf(c.metricName());
      if (fam === null) return this.failWith(families.failure);
    }
    fam.samples++;
    this.series++;
    if (fam.out !== null) fam.out.samples.push(copySample(c));
    if (this.linter !== null) this.linter.sample(fam, c, c.line);
    if (this.onSample !== null) this.onSample(this.view);
    return true;
  }

  /** Sets `error` to `failure`, and returns false for `write()` to return. */
  private failWith(failure: ParseFailure | null): false {
    this.error = failure;
    return false;
  }

  /** openmetricsparse.go: "unexpected data after # EOF". */
  private failAfterEof(): boolean {
    this.error ??= dataAfterEof(this.eofLine);
    return false;
  }
}
