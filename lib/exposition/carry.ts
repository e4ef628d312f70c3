/**
 * The bytes a stream carries from one chunk to the next: the start of a line cut by a chunk
 * boundary or, in scrape mode, an entry that spans lines and what came after it. The chunks
 * themselves are never kept; the carry is a copy, in one buffer grown as needed, bounded by
 * `maxLineBytes` for a line.
 */
import { LF } from './chars.ts';

const EMPTY = new Uint8Array(0);

/**
 * The carried bytes, `bytes[0..length)`. Touched once per chunk at most, never per line or per
 * sample.
 */
export class LineCarry {
  #bytes: Uint8Array = EMPTY;
  #length = 0;
  readonly #maxLine: number;

  constructor(maxLine: number) {
    this.#maxLine = maxLine;
  }

  /** The buffer; only `bytes[0..length)` is carried. Replaced when it grows. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** How many bytes are carried. */
  get length(): number {
    return this.#length;
  }

  /** Carries nothing more, keeping the buffer. */
  clear(): void {
    this.#length = 0;
  }

  /** Appends a line feed, counted in `length` (the input's last line may lack its own). */
  appendLineFeed(): void {
    this.#length = this.terminate();
  }

  /**
   * Appends `chunk[s..e)`, part of one line (`e` may be just past its line feed). Returns false,
   * carrying nothing more, when the line would pass `maxLine`; `bytes[0..maxLine)` then hold its
   * start, enough to say where the limit fell, and no more.
   */
  appendLine(chunk: Uint8Array, s: number, e: number): boolean {
    const len = this.#length;
    const endsLine = chunk[e - 1] === LF;
    const content = len + (e - s) - (endsLine ? 1 : 0);
    if (content > this.#maxLine) {
      const take = this.#maxLine - len;
      this.#ensure(this.#maxLine);
      this.#bytes.set(chunk.subarray(s, s + take), len);
      return false;
    }
    this.#ensure(len + (e - s));
    this.#bytes.set(chunk.subarray(s, e), len);
    this.#length = len + (e - s);
    return true;
  }

  /** Appends `chunk[s..)`, with no limit (the caller checks the length). */
  append(chunk: Uint8Array, s: number): void {
    const n = chunk.length - s;
    if (n === 0) return;
    this.#ensure(this.#length + n);
    this.#bytes.set(chunk.subarray(s), this.#length);
    this.#length += n;
  }

  /** Carries `b[from..end)` instead, where `b` is a chunk or `bytes` itself. */
  keep(b: Uint8Array, from: number, end: number): void {
    const len = end - from;
    if (b === this.#bytes) {
      b.copyWithin(0, from, end);
    } else {
      this.#ensure(len);
      this.#bytes.set(b.subarray(from, end), 0);
    }
    this.#length = len;
  }

  /**
   * Puts a line feed after the carried bytes, not counted in `length`, and returns the length
   * with it: like promparse.go (`append(b, '\n')`), the last line may lack its line feed.
   */
  terminate(): number {
    const len = this.#length;
    this.#ensure(len + 1);
    this.#bytes[len] = LF;
    return len + 1;
  }

  /** Drops the carried bytes and the buffer. */
  release(): void {
    this.#bytes = EMPTY;
    this.#length = 0;
  }

  #ensure(size: number): void {
    if (size <= this.#bytes.length) return;
    // Room for the line, its line feed and the sentinel `terminate()` may add.
    const cap = Math.min(Math.max(size * 2, 4096), this.#maxLine + 2);
    const grown = new Uint8Array(Math.max(cap, size));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
