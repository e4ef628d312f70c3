/**
 * A response head read line by line exactly as Go 1.19's `http.ReadResponse` reads it: the status
 * line split at the first space, a three-character status code, `HTTP/X.Y` parsed loosely; the
 * fields through `textproto.ReadMIMEHeader` (obsolete folding joined with one space, a first field
 * line that starts with whitespace refused, a line without a colon refused, an empty name skipped,
 * names canonicalized only when they are tokens). What Go takes but RFC 9112 forbids is noted, for
 * the result's warnings.
 *
 * Lines arrive without their terminator (LF, or CRLF), as latin1 strings so that every byte
 * survives. Sources: go1.19 src/net/http/response.go ReadResponse, request.go ParseHTTPVersion,
 * src/net/textproto/reader.go readMIMEHeader and readContinuedLineSlice.
 */
import { goQuote, HTTP1_ERROR, type Http1ErrorCode } from './errors.ts';
import { canonicalKey, GoHeader, isToken } from './header.ts';

/** A refusal in Go's words, before it is given a diagnosis (see response-reader.ts). */
export class GoRefusal {
  readonly code: Http1ErrorCode;
  readonly message: string;
  constructor(code: Http1ErrorCode, message: string) {
    this.code = code;
    this.message = message;
  }
}

export interface StatusLine {
  proto: string;
  major: number;
  minor: number;
  statusCode: number;
  /** Go's `resp.Status`: the text after the version, e.g. `200 OK`. */
  status: string;
}

// RFC 9110 §5.5: a field value holds no control character but HTAB.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** strconv.Atoi of a three-character status code: an optional sign, then decimal digits. */
function atoi3(text: string): number | null {
  return /^[+-]?[0-9]+$/.test(text) ? Number(text) : null;
}

/** net/http ParseHTTPVersion (go1.19): `HTTP/1.1`, `HTTP/1.0`, or `HTTP/` digit `.` digit. */
function parseVersion(proto: string): [number, number] | null {
  if (proto === 'HTTP/1.1') return [1, 1];
  if (proto === 'HTTP/1.0') return [1, 0];
  if (!/^HTTP\/[0-9]\.[0-9]$/.test(proto)) return null;
  return [Number(proto[5]), Number(proto[7])];
}

/** The status line, or Go's refusal of it; `notes` gets what the RFC forbids but Go takes. */
export function parseStatusLine(line: string, notes: Set<string>): StatusLine | GoRefusal {
  const space = line.indexOf(' ');
  if (space < 0) {
    return new GoRefusal(HTTP1_ERROR.statusLine, `malformed HTTP response ${goQuote(line)}`);
  }
  const proto = line.slice(0, space);
  const status = line.slice(space + 1).replace(/^ +/, '');
  const codeEnd = status.indexOf(' ');
  const codeText = codeEnd < 0 ? status : status.slice(0, codeEnd);
  const code = codeText.length === 3 ? atoi3(codeText) : null;
  if (code === null || code < 0) {
    return new GoRefusal(HTTP1_ERROR.statusLine, `malformed HTTP status code ${goQuote(codeText)}`);
  }
  const version = parseVersion(proto);
  if (version === null) {
    return new GoRefusal(HTTP1_ERROR.statusLine, `malformed HTTP version ${goQuote(proto)}`);
  }
  // https://www.rfc-editor.org/rfc/rfc9112#section-4
  if (version[0] !== 1)
    notes.add(`the status line says ${proto}, not HTTP/1.x; Go reads the response anyway`);
  else if (version[1] > 1)
    notes.add(
      `the status line says ${proto}, a version that does not exist; Go reads it as HTTP/1.1`,
    );
  if (status.length !== line.length - space - 1 || !/^[0-9]{3}( |$)/.test(status))
    notes.add(
      `the status line ${goQuote(line)} is not "HTTP-version SP 3DIGIT SP reason"; Go takes it`,
    );
  else if (CONTROL.test(status))
    notes.add(`the status line's reason phrase holds a control character; Go takes it`);
  return { proto, major: version[0], minor: version[1], statusCode: code, status };
}

/**
 * Header field lines, one at a time, as textproto.readMIMEHeader takes them. `line()` returns true
 * when the blank line ending the head has been read, and a GoRefusal when Go refuses the line.
 */
export class FieldReader {
  readonly header = new GoHeader();
  readonly #notes: Set<string>;
  #first = true;
  /** The field being read: it may still be continued by the next line (obsolete folding). */
  #pending: string | null = null;

  constructor(notes: Set<string>) {
    this.#notes = notes;
  }

  line(text: string): boolean | GoRefusal {
    const folded = text.length > 0 && (text[0] === ' ' || text[0] === '\t');
    if (this.#first) {
      this.#first = false;
      if (folded) {
        return new GoRefusal(HTTP1_ERROR.headerLine, `malformed MIME header initial line: ${text}`);
      }
    }
    if (folded && this.#pending !== null) {
      // https://www.rfc-editor.org/rfc/rfc9112#section-5.2 (obs-fold): Go joins with one space.
      this.#notes.add(
        'a header is folded over several lines (obsolete line folding, RFC 9112 §5.2); Go joins them with a space',
      );
      this.#pending += ` ${trim(text)}`;
      return false;
    }
    this.#flush();
    if (text.length === 0) return true;
    if (!text.includes(':')) {
      return new GoRefusal(
        HTTP1_ERROR.headerLine,
        `malformed MIME header: missing colon: ${goQuote(text)}`,
      );
    }
    this.#pending = trim(text);
    return false;
  }

  /** Files the pending field under its name. */
  #flush(): void {
    const kv = this.#pending;
    if (kv === null) return;
    this.#pending = null;
    const colon = kv.indexOf(':');
    const name = kv.slice(0, colon);
    const value = kv.slice(colon + 1).replace(/^[ \t]+/, '');
    // https://www.rfc-editor.org/rfc/rfc9110#section-5.1: a field name is a token.
    if (name === '') {
      this.#notes.add(`a header line has no name (${goQuote(kv)}); Go skips it`);
      return;
    }
    if (!isToken(name)) {
      this.#notes.add(
        `the header name ${goQuote(name)} is not a token (RFC 9110 §5.1); Go keeps it as written, so it is no header Go knows`,
      );
    }
    if (CONTROL.test(value)) {
      this.#notes.add(
        `the ${goQuote(name)} header holds a control character (RFC 9110 §5.5); Go takes it`,
      );
    }
    this.header.add(canonicalKey(name), value);
  }
}

/** textproto's trim: spaces and tabs at both ends. */
function trim(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}
