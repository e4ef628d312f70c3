/**
 * A chunked body decoded as Go 1.19's chunked reader and `body.readTrailer` decode it, fed in pieces:
 * a chunk-size line ends at LF, its trailing whitespace and anything from `;` on are dropped, what
 * remains must be hex (an empty size is the last chunk), the line must stay under 4096 bytes; each
 * chunk's data must be followed by exactly CRLF; after the last chunk a CRLF ends the body, or a
 * trailer whose CRLFCRLF ends within 4096 bytes, read as MIME header lines.
 * Sources: go1.19 src/net/http/internal/chunked.go, src/net/http/transfer.go (readTrailer).
 */
import { HTTP1_ERROR } from './errors.ts';
import { FieldReader, GoRefusal } from './head.ts';

const LF = 0x0a;
const CR = 0x0d;
/** internal.maxLineLength, and the bufio buffer the trailer is peeked in. */
const MAX_LINE = 4096;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

export class ChunkedDecoder {
  readonly #notes: Set<string>;
  #state: State = 'size';
  /** Bytes of a size line, a data terminator or the trailer carried across pieces. */
  #carry: Buffer[] = [];
  #carried = 0;
  #remaining = 0;

  constructor(notes: Set<string>) {
    this.#notes = notes;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /**
   * Decodes `chunk` from `at`, handing data to `onData` (views into `chunk`, valid during the call);
   * returns the offset after the body's end when it ended in this piece, -1 when it needs more, or
   * Go's refusal.
   */
  feed(chunk: Buffer, at: number, onData: (data: Buffer) => void): number | GoRefusal {
    let i = at;
    while (i < chunk.length) {
      switch (this.#state) {
        case 'size': {
          const lf = chunk.indexOf(LF, i);
          const end = lf < 0 ? chunk.length : lf + 1;
          this.#keep(chunk.subarray(i, end));
          i = end;
          if (this.#carried >= MAX_LINE) return refuse('header line too long');
          if (lf < 0) break;
          const refusal = this.#sizeLine(this.#take());
          if (refusal) return refusal;
          break;
        }
        case 'data': {
          const n = Math.min(this.#remaining, chunk.length - i);
          onData(chunk.subarray(i, i + n));
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = 'data-end';
          break;
        }
        case 'data-end': {
          const need = 2 - this.#carried;
          this.#keep(chunk.subarray(i, i + need));
          i += Math.min(need, chunk.length - i);
          if (this.#carried < 2) break;
          const end = this.#take();
          if (end[0] !== CR || end[1] !== LF) return refuse('malformed chunked encoding');
          this.#state = 'size';
          break;
        }
        case 'trailer': {
          const prior = this.#carried;
          const take = Math.min(MAX_LINE - prior, chunk.length - i);
          this.#keep(chunk.subarray(i, i + take));
          const result = this.#trailer(prior);
          if (result instanceof GoRefusal) return result;
          if (result === null) {
            i += take;
            break;
          }
          // The body ends after the trailer: what follows it is not this response's.
          return i + (result - prior);
        }
        case 'done':
          return i;
      }
    }
    return this.#state === 'done' ? i : -1;
  }

  /** The connection ended before the body did: Go's error for where it stopped. */
  end(): GoRefusal {
    if (this.#state === 'trailer') {
      const held = Buffer.concat(this.#carry);
      if (held.length < 2)
        return refuse('http: unexpected EOF reading trailer', HTTP1_ERROR.trailer);
      return refuse('http: suspiciously long trailer after chunked body', HTTP1_ERROR.trailer);
    }
    return refuse('unexpected EOF', HTTP1_ERROR.bodyCutShort);
  }

  #sizeLine(line: Buffer): GoRefusal | null {
    const crlf = line.length >= 2 && line[line.length - 2] === CR;
    if (!crlf) {
      this.#notes.add(
        'the chunked framing ends lines with a bare LF, not CRLF (RFC 9112 §7.1); Go accepts it',
      );
    }
    // trimTrailingWhitespace, then removeChunkExtension.
    const content = line.length - (crlf ? 2 : 1);
    let end = content;
    while (end > 0 && isSpace(line[end - 1]!)) end--;
    if (end < content) {
      this.#notes.add(
        'a chunk-size line has whitespace before its line end (RFC 9112 §7.1); Go accepts it',
      );
    }
    const semi = line.indexOf(';');
    if (semi >= 0 && semi < end) end = semi;
    let size = 0;
    for (let k = 0; k < end; k++) {
      const digit = hex(line[k]!);
      if (digit < 0) return refuse('invalid byte in chunk length');
      if (k === 16) return refuse('http chunk length too large');
      size = size * 16 + digit;
    }
    if (end === 0) this.#notes.add('a chunk-size line is empty; Go takes it as the last chunk');
    if (size === 0) this.#state = 'trailer';
    else {
      this.#state = 'data';
      this.#remaining = size;
    }
    return null;
  }

  /**
   * The trailer, once enough of it is held: null while more is needed, the trailer's length in
   * the held bytes when it is complete, or Go's refusal.
   */
  #trailer(before: number): number | GoRefusal | null {
    const held = Buffer.concat(this.#carry);
    this.#carry = [held];
    if (held.length < 2) return null;
    if (held[0] === CR && held[1] === LF) {
      this.#state = 'done';
      return 2;
    }
    // seeUpcomingDoubleCRLF: the first CRLFCRLF must end within the reader's 4096-byte buffer.
    const found = held.indexOf(CRLF_CRLF, Math.max(0, before - 3));
    if (found < 0) {
      if (held.length >= MAX_LINE)
        return refuse('http: suspiciously long trailer after chunked body', HTTP1_ERROR.trailer);
      return null;
    }
    this.#notes.add('the chunked body has a trailer; Go reads it and Prometheus ignores it');
    const fields = new FieldReader(this.#notes);
    let at = 0;
    for (;;) {
      const lf = held.indexOf(LF, at);
      const crlf = lf > at && held[lf - 1] === CR;
      const line = held.toString('latin1', at, crlf ? lf - 1 : lf);
      at = lf + 1;
      const result = fields.line(line);
      if (result instanceof GoRefusal) return new GoRefusal(HTTP1_ERROR.trailer, result.message);
      if (result) break;
    }
    this.#state = 'done';
    return at;
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Copied: the socket's buffers are not ours to hold.
    this.#carry.push(Buffer.from(bytes));
    this.#carried += bytes.length;
  }

  #take(): Buffer {
    const whole = this.#carry.length === 1 ? this.#carry[0]! : Buffer.concat(this.#carry);
    this.#carry = [];
    this.#carried = 0;
    return whole;
  }
}

function refuse(message: string, code: GoRefusal['code'] = HTTP1_ERROR.chunked): GoRefusal {
  return new GoRefusal(code, message);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === LF || c === CR;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}
