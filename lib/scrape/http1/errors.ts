/**
 * The responses Go's net/http refuses, as values: a stable `code` for each kind, Go's own words
 * (`goMessage`, what Prometheus shows as the target's last error), and the contract's failure for
 * the verdict. Every one is a `connection_lost`: no complete response Go could read arrived.
 */
import { ScrapeFailureError } from '../failure.ts';

/** One code per kind of refusal (undici `lib/core/errors.js` keeps a catalogue the same way). */
export const HTTP1_ERROR = {
  /** The connection ended before any byte of a response: Go's `EOF`. */
  noResponse: 'HTTP1_NO_RESPONSE',
  /** The connection ended inside the head: Go's `unexpected EOF`. */
  headCutShort: 'HTTP1_HEAD_CUT_SHORT',
  /** The status line (`malformed HTTP response`, `… status code`, `… version`). */
  statusLine: 'HTTP1_STATUS_LINE',
  /** A header line textproto refuses (`malformed MIME header …`). */
  headerLine: 'HTTP1_HEADER_LINE',
  /** The head passed Go's MaxResponseHeaderBytes (10 MiB). */
  headTooLarge: 'HTTP1_HEAD_TOO_LARGE',
  /** More than five 1xx responses before the final one. */
  tooMany1xx: 'HTTP1_TOO_MANY_1XX',
  /** A Transfer-Encoding Go does not implement, or more than one. */
  transferEncoding: 'HTTP1_TRANSFER_ENCODING',
  /** A Content-Length Go cannot parse, or several that differ. */
  contentLength: 'HTTP1_CONTENT_LENGTH',
  /** A `Trailer` header naming a field that cannot be a trailer. */
  trailerKey: 'HTTP1_TRAILER_KEY',
  /** The body ended before Content-Length bytes, or inside a chunk. */
  bodyCutShort: 'HTTP1_BODY_CUT_SHORT',
  /** Chunked framing Go's chunked reader refuses. */
  chunked: 'HTTP1_CHUNKED',
  /** The trailer after the last chunk (cut short, too long, malformed). */
  trailer: 'HTTP1_TRAILER',
  /** The connection failed (reset) while the body was being read. */
  bodyConnection: 'HTTP1_BODY_CONNECTION',
} as const;

export type Http1ErrorCode = (typeof HTTP1_ERROR)[keyof typeof HTTP1_ERROR];

/** A response Go refuses. Carries the verdict (`failure`) through undici-free plumbing. */
export class Http1Error extends ScrapeFailureError {
  readonly code: Http1ErrorCode;
  /** Go's error text, as Prometheus reports it. */
  readonly goMessage: string;
  constructor(code: Http1ErrorCode, goMessage: string, diagnosis: string, cause?: unknown) {
    super({ reason: 'connection_lost', diagnosis });
    this.name = 'Http1Error';
    this.code = code;
    this.goMessage = goMessage;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Go's `%q` of a byte string (strconv.Quote): printable ASCII as is, the usual escapes, `\xNN`
 * for the rest. Bytes are carried as latin1 strings.
 */
export function goQuote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}
