/**
 * How the body of a response is delimited, decided as Go 1.19's `readTransfer` decides it for a GET:
 * `Transfer-Encoding` honoured only from HTTP/1.1 on, and then only one field whose value is
 * `chunked` (any case), which also drops Content-Length; repeated Content-Length fields only when
 * they agree; no body for 1xx, 204 and 304; otherwise the body runs to the end of the connection.
 * Source: go1.19 src/net/http/transfer.go (parseTransferEncoding, fixLength, fixTrailer,
 * parseContentLength).
 */
import { goQuote, HTTP1_ERROR } from './errors.ts';
import { canonicalKey, type GoHeader } from './header.ts';
import { GoRefusal, type StatusLine } from './head.ts';

export type Framing =
  { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

const MAX_INT63 = 2n ** 63n - 1n;

/** textproto.TrimString: ASCII space, tab, CR and LF at both ends. */
function trimString(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** Go's `%q` of a []string: `["a" "b"]`. */
function quoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

function bodyAllowed(status: number): boolean {
  return !((status >= 100 && status <= 199) || status === 204 || status === 304);
}

/**
 * The body's framing, or Go's refusal; edits `header` as Go does (Transfer-Encoding and an
 * overridden Content-Length removed) and notes what RFC 9112 forbids but Go takes.
 */
export function decideFraming(
  status: StatusLine,
  header: GoHeader,
  notes: Set<string>,
): Framing | GoRefusal {
  // Go defaults an "HTTP/0.0" response to 1.1.
  const [major, minor] =
    status.major === 0 && status.minor === 0 ? [1, 1] : [status.major, status.minor];
  let chunked = false;
  const te = header.values('Transfer-Encoding');
  if (te !== undefined) {
    header.delete('Transfer-Encoding');
    if (major > 1 || (major === 1 && minor >= 1)) {
      // golang/go#12785 (requests) and RFC 9112 §6.1: Go takes exactly one `chunked`.
      if (te.length !== 1) {
        return new GoRefusal(
          HTTP1_ERROR.transferEncoding,
          `too many transfer encodings: ${quoteList(te)}`,
        );
      }
      if (te[0]!.toLowerCase() !== 'chunked') {
        return new GoRefusal(
          HTTP1_ERROR.transferEncoding,
          `unsupported transfer encoding: ${goQuote(te[0]!)}`,
        );
      }
      if (header.values('Content-Length') !== undefined) {
        // https://www.rfc-editor.org/rfc/rfc9112#section-6.3 (3): chunked overrides Content-Length.
        notes.add(
          'the response has both Transfer-Encoding: chunked and Content-Length (RFC 9112 §6.1 forbids it: a sign of request smuggling); Go reads it as chunked and ignores Content-Length',
        );
        header.delete('Content-Length');
      }
      chunked = true;
    } else {
      notes.add(
        `an ${status.proto} response has Transfer-Encoding (${te.join(', ')}), which Go ignores before HTTP/1.1: the framing is read as part of the body`,
      );
    }
  }

  let lengths = header.values('Content-Length');
  if (lengths !== undefined && lengths.length > 1) {
    const first = trimString(lengths[0]!);
    if (lengths.some((l) => trimString(l) !== first)) {
      return new GoRefusal(
        HTTP1_ERROR.contentLength,
        `http: message cannot contain multiple Content-Length headers; got ${quoteList(lengths)}`,
      );
    }
    // https://www.rfc-editor.org/rfc/rfc9110#section-8.6: a recipient may take identical values.
    notes.add(
      `Content-Length appears ${lengths.length} times (RFC 9110 §8.6); Go takes it because every value is ${first}`,
    );
    lengths = [first];
  }

  let length = -1;
  if (!bodyAllowed(status.statusCode)) length = 0;
  else if (!chunked && lengths?.length === 1) {
    const text = trimString(lengths[0]!);
    if (text !== '') {
      if (!/^[0-9]+$/.test(text) || BigInt(text) > MAX_INT63) {
        return new GoRefusal(HTTP1_ERROR.contentLength, `bad Content-Length ${goQuote(text)}`);
      }
      length = Number(text);
    } else {
      notes.add('Content-Length is empty; Go reads the body to the end of the connection');
    }
  }

  const trailer = chunked ? header.values('Trailer') : undefined;
  if (trailer !== undefined) {
    for (const element of trailer.flatMap((v) => v.split(','))) {
      const key = canonicalKey(trimString(element));
      if (key === 'Transfer-Encoding' || key === 'Trailer' || key === 'Content-Length') {
        return new GoRefusal(HTTP1_ERROR.trailerKey, `bad trailer key ${goQuote(key)}`);
      }
    }
  }

  if (chunked) return bodyAllowed(status.statusCode) ? { kind: 'chunked' } : { kind: 'none' };
  if (length === 0) return { kind: 'none' };
  if (length > 0) return { kind: 'length', length };
  return { kind: 'close' };
}
