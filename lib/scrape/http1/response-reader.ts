/**
 * One HTTP/1.x response read from a connection's bytes the way Go 1.19's Transport reads it, fed in
 * whatever pieces the socket delivers: heads of up to 10 MiB (Go's default MaxResponseHeaderBytes),
 * up to five 1xx responses skipped (101 is final), then the body as `decideFraming` delimits it.
 * Every refusal is Go's, worded as Go words it (errors.ts, diagnosis.ts); what Go takes although
 * RFC 9112 forbids it is collected in `notes`.
 *
 * Source: go1.19 src/net/http/transport.go (persistConn.readLoop, readResponse, maxHeaderResponseSize).
 */
import { ChunkedDecoder } from './chunked.ts';
import { refusalError } from './diagnosis.ts';
import { HTTP1_ERROR, type Http1Error } from './errors.ts';
import type { GoHeader } from './header.ts';
import { FieldReader, GoRefusal, parseStatusLine, type StatusLine } from './head.ts';
import { decideFraming, type Framing } from './transfer.ts';

/** Go's default `Transport.MaxResponseHeaderBytes` (transport.go maxHeaderResponseSize). */
export const MAX_HEAD_BYTES = 10 << 20;
const MAX_1XX = 5;
const LF = 0x0a;
const CR = 0x0d;

/** The final response's head, as Go holds it. */
export interface Http1Head extends StatusLine {
  header: GoHeader;
  framing: Framing;
}

export interface ReaderEvents {
  head(head: Http1Head): void;
  /** Body bytes: a view valid during the call. */
  data(bytes: Buffer): void;
  end(): void;
}

type State = 'status' | 'fields' | 'body' | 'done';

export class ResponseReader {
  /** What Go takes although the RFC forbids it, worded for the result's warnings. */
  readonly notes = new Set<string>();
  readonly #events: ReaderEvents;
  readonly #authority: string;
  readonly #tls: boolean;
  #state: State = 'status';
  #line: Buffer[] = [];
  #lineBytes = 0;
  #headBytes = 0;
  #seenBytes = 0;
  #firstByte: number | null = null;
  #interim = 0;
  #status: StatusLine | null = null;
  #fields: FieldReader | null = null;
  #framing: Framing = { kind: 'none' };
  #remaining = 0;
  #bodyBytes = 0;
  #chunked: ChunkedDecoder | null = null;

  constructor(events: ReaderEvents, target: { authority: string; tls: boolean }) {
    this.#events = events;
    this.#authority = target.authority;
    this.#tls = target.tls;
  }

  /** True once the response has been read to its end, or refused. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** Reads one piece of the connection; returns Go's refusal, if there is one. */
  feed(chunk: Buffer): Http1Error | null {
    if (chunk.length === 0 || this.#state === 'done') return null;
    if (this.#seenBytes === 0) this.#firstByte = chunk[0]!;
    this.#seenBytes += chunk.length;
    let i = 0;
    while (i < chunk.length && (this.#state as State) !== 'done') {
      if ((this.#state as State) === 'body') {
        const refusal = this.#body(chunk, i);
        if (refusal) return this.#error(refusal);
        return null;
      }
      const lf = chunk.indexOf(LF, i);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.#headBytes += end - i;
      if (lf < 0) {
        this.#keep(chunk.subarray(i));
        i = end;
      } else {
        this.#keep(chunk.subarray(i, lf));
        i = end;
        const refusal = this.#headLine(this.#takeLine(true));
        if (refusal) return this.#error(refusal);
      }
      // Go stops reading once the head has taken the whole limit and is not complete.
      const inHead = (this.#state as State) === 'status' || (this.#state as State) === 'fields';
      if (inHead && this.#headBytes >= MAX_HEAD_BYTES) {
        return this.#error(
          new GoRefusal(
            HTTP1_ERROR.headTooLarge,
            `net/http: server response headers exceeded ${MAX_HEAD_BYTES} bytes; aborted`,
          ),
        );
      }
    }
    return null;
  }

  /** The connection ended (EOF): completes a close-delimited body, or returns Go's refusal. */
  end(): Http1Error | null {
    switch (this.#state) {
      case 'done':
        return null;
      case 'status': {
        if (this.#seenBytes === 0) return this.#error(new GoRefusal(HTTP1_ERROR.noResponse, 'EOF'));
        // bufio.ReadLine hands over a last line without its LF: Go judges it before the EOF.
        if (this.#lineBytes > 0) {
          const refusal = this.#headLine(this.#takeLine(false));
          if (refusal) return this.#error(refusal);
        }
        return this.#error(new GoRefusal(HTTP1_ERROR.headCutShort, 'unexpected EOF'));
      }
      case 'fields': {
        if (this.#lineBytes > 0) {
          const refusal = this.#fields!.line(this.#takeLine(false).text);
          if (refusal instanceof GoRefusal) return this.#error(refusal);
        }
        return this.#error(new GoRefusal(HTTP1_ERROR.headCutShort, 'unexpected EOF'));
      }
      case 'body':
        if (this.#framing.kind === 'close') {
          this.#finish();
          return null;
        }
        if (this.#chunked) return this.#error(this.#chunked.end());
        return this.#error(new GoRefusal(HTTP1_ERROR.bodyCutShort, 'unexpected EOF'));
    }
  }

  /** The error for a failure of the connection itself (a reset) after the head. */
  connectionError(cause: NodeJS.ErrnoException): Http1Error | null {
    if (this.#state !== 'body') return null;
    const message = `read: ${cause.code === 'ECONNRESET' ? 'connection reset by peer' : (cause.code ?? cause.message)}`;
    return this.#error(new GoRefusal(HTTP1_ERROR.bodyConnection, message), cause);
  }

  #headLine(line: { text: string; bareLf: boolean }): GoRefusal | null {
    if (line.bareLf) {
      this.notes.add(
        'the response head ends lines with a bare LF, not CRLF (RFC 9112 §2.2); Go accepts it',
      );
    }
    if (this.#state === 'status') {
      const status = parseStatusLine(line.text, this.notes);
      if (status instanceof GoRefusal) return status;
      this.#status = status;
      this.#fields = new FieldReader(this.notes);
      this.#state = 'fields';
      return null;
    }
    const result = this.#fields!.line(line.text);
    if (result instanceof GoRefusal) return result;
    if (!result) return null;
    const status = this.#status!;
    const header = this.#fields!.header;
    const framing = decideFraming(status, header, this.notes);
    if (framing instanceof GoRefusal) return framing;
    const code = status.statusCode;
    if (code >= 100 && code <= 199 && code !== 101) {
      // https://www.rfc-editor.org/rfc/rfc9110#section-15.2: informational, skipped.
      if (++this.#interim > MAX_1XX) {
        return new GoRefusal(
          HTTP1_ERROR.tooMany1xx,
          'net/http: too many 1xx informational responses',
        );
      }
      this.#state = 'status';
      this.#headBytes = 0;
      return null;
    }
    for (const name of ['Content-Type', 'Content-Encoding']) {
      const values = header.values(name);
      if (values && values.some((v) => v !== values[0])) {
        this.notes.add(
          `the response has ${values.length} ${name} headers that differ; Go, and so Prometheus, takes the first (${JSON.stringify(values[0])})`,
        );
      }
    }
    this.#framing = framing;
    this.#state = 'body';
    if (framing.kind === 'length') this.#remaining = framing.length;
    if (framing.kind === 'chunked') this.#chunked = new ChunkedDecoder(this.notes);
    this.#events.head({ ...status, header, framing });
    if (framing.kind === 'none') this.#finish();
    return null;
  }

  #body(chunk: Buffer, at: number): GoRefusal | null {
    switch (this.#framing.kind) {
      case 'close':
        this.#deliver(chunk.subarray(at));
        return null;
      case 'length': {
        const n = Math.min(this.#remaining, chunk.length - at);
        this.#remaining -= n;
        this.#deliver(chunk.subarray(at, at + n));
        if (this.#remaining === 0) this.#finish();
        return null;
      }
      case 'chunked': {
        const end = this.#chunked!.feed(chunk, at, (data) => {
          this.#deliver(data);
        });
        if (end instanceof GoRefusal) return end;
        if (end >= 0) this.#finish();
        return null;
      }
      case 'none':
        return null;
    }
  }

  #deliver(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#bodyBytes += bytes.length;
    this.#events.data(bytes);
  }

  #finish(): void {
    this.#state = 'done';
    this.#events.end();
  }

  #error(refusal: GoRefusal, cause?: unknown): Http1Error {
    this.#state = 'done';
    return refusalError(
      refusal,
      {
        authority: this.#authority,
        tls: this.#tls,
        firstByte: this.#firstByte,
        bodyBytes: this.#bodyBytes,
        contentLength: this.#framing.kind === 'length' ? this.#framing.length : null,
      },
      cause,
    );
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#line.push(bytes);
    this.#lineBytes += bytes.length;
  }

  /** The line held so far, without its CR (when `terminated`, an LF was just read). */
  #takeLine(terminated: boolean): { text: string; bareLf: boolean } {
    const whole = this.#line.length === 1 ? this.#line[0]! : Buffer.concat(this.#line);
    this.#line = [];
    this.#lineBytes = 0;
    const cr = terminated && whole.length > 0 && whole[whole.length - 1] === CR;
    return {
      text: whole.toString('latin1', 0, cr ? whole.length - 1 : whole.length),
      bareLf: terminated && !cr,
    };
  }
}
