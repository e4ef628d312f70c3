/**
 * One GET over a connection of its own, written as Go's Transport writes it and read by
 * `ResponseReader`, for the HTTP/1.x targets (undici keeps HTTP/2, where the framing leaves nothing
 * to interpret). The connection is never reused: it is destroyed once the response is read.
 *
 * Why not undici here: llhttp refuses what Go takes (bare LF, obsolete folding, repeated equal
 * Content-Length, Transfer-Encoding beside Content-Length, `HTTP/1.2`, two spaces after the version,
 * 1xx responses on a closing connection) and takes what Go refuses (`Transfer-Encoding: gzip`,
 * `chunked, chunked`, Transfer-Encoding on HTTP/1.0); lenient flags exist in its WASM build but
 * undici sets none, and none gives Go's verdict. Findings: test/fuzz/http-differential.test.ts.
 *
 * @example
 *   const response = await exchange(socket, { path: '/metrics', host: 'node:9100', headers, signal,
 *     authority: 'node:9100', tls: false });
 *   for await (const chunk of response.body) parse(chunk);
 */
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { ScrapeFailureError } from '../failure.ts';
import type { Http1Error } from './errors.ts';
import { canonicalKey, isToken, type GoHeader } from './header.ts';
import { ResponseReader } from './response-reader.ts';

export interface Http1Request {
  /** The request target: a path and query, or an absolute URL through a forward proxy. */
  path: string;
  /** The Host header (the target's `host:port`). */
  host: string;
  /** Header values; a list is sent as one field line per value, as Go sends `Header` values. */
  headers: Readonly<Record<string, string | readonly string[]>>;
  signal: AbortSignal;
  /** `host:port`, for diagnoses. */
  authority: string;
  tls: boolean;
  /** Told of the final head and of each body piece as it arrives (for diagnoses of timeouts). */
  watch?: ResponseWatch;
}

export interface ResponseWatch {
  head(status: number, contentLength: number | null): void;
  body(bytes: number): void;
}

/**
 * A response body whose transport failure (a refusal of the framing, a body cut short, a reset)
 * comes after the bytes that arrived before it: the stream ends, and `failure` holds the error.
 * Go's reader returns such an error only once those bytes are consumed, so a gzip or parse error
 * earlier in the body is Go's verdict, not the transport's. An abort still destroys it at once.
 */
export class Http1Body extends Readable {
  /** Why the body ended early, or null when it ended as framed. Valid once it has ended. */
  failure: Error | null = null;
}

export interface Http1Response {
  statusCode: number;
  header: GoHeader;
  body: Http1Body;
  /** What Go takes although RFC 9112 forbids it; grows while the body is read. */
  notes: ReadonlySet<string>;
}

// net/http httpguts.ValidHeaderFieldValue: no control character but HTAB.
const BAD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function abortError(): Error {
  return Object.assign(new Error('the scrape was aborted'), { name: 'AbortError' });
}

/** The request head as Go writes a GET: Host first, canonical names, CRLF, no body. */
function requestHead(request: Http1Request): Buffer {
  let head = `GET ${request.path} HTTP/1.1\r\nHost: ${request.host}\r\n`;
  for (const [name, values] of Object.entries(request.headers)) {
    for (const value of typeof values === 'string' ? [values] : values) head += field(name, value);
  }
  return Buffer.from(`${head}\r\n`, 'utf8');
}

/** One request header line, or the failure Go gives for a header it refuses to send. */
function field(name: string, value: string): string {
  // Go refuses to send these (transport.go: "net/http: invalid header field …"); never echo a value.
  if (!isToken(name)) {
    throw new ScrapeFailureError({
      reason: 'config_invalid',
      diagnosis: `the header name ${JSON.stringify(name)} is not valid in HTTP, and Go refuses to send it`,
    });
  }
  if (BAD_VALUE.test(value)) {
    throw new ScrapeFailureError({
      reason: 'config_invalid',
      diagnosis: `the ${canonicalKey(name)} header's value holds a line break or control character, and Go refuses to send it (net/http: invalid header field value for ${JSON.stringify(canonicalKey(name))})`,
    });
  }
  return `${canonicalKey(name)}: ${value}\r\n`;
}

/** Sends the request on `socket` and resolves with the response head; the body streams after. */
export function exchange(socket: Socket, request: Http1Request): Promise<Http1Response> {
  return new Promise<Http1Response>((resolve, reject) => {
    let response: Http1Response | null = null;
    let settled = false;
    let cleaned = false;
    const body = new Http1Body({
      read: () => {
        socket.resume();
      },
      destroy: (error, callback) => {
        cleanup();
        socket.destroy();
        callback(error);
      },
    });
    // A body error with no reader attached yet (or any more) is the reader's to find, through
    // iteration; it must never become an uncaught 'error' event.
    body.on('error', () => undefined);
    const fail = (error: Error, inBand: boolean): void => {
      cleanup();
      socket.destroy();
      if (response && inBand) {
        body.failure = error;
        body.push(null);
      } else if (response) body.destroy(error);
      else if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const reader = new ResponseReader(
      {
        head: (head) => {
          request.watch?.head(
            head.statusCode,
            head.framing.kind === 'length' ? head.framing.length : null,
          );
          response = {
            statusCode: head.statusCode,
            header: head.header,
            body,
            notes: reader.notes,
          };
          settled = true;
          resolve(response);
        },
        data: (bytes) => {
          request.watch?.body(bytes.length);
          if (!body.push(bytes)) socket.pause();
        },
        end: () => {
          body.push(null);
          cleanup();
          socket.destroy();
        },
      },
      { authority: request.authority, tls: request.tls },
    );
    const onError = (error: Http1Error | null): void => {
      if (error) fail(error, true);
    };
    const onData = (chunk: Buffer): void => {
      onError(reader.feed(chunk));
    };
    const onEnd = (): void => {
      onError(reader.end());
    };
    const onSocketError = (error: NodeJS.ErrnoException): void => {
      fail(reader.connectionError(error) ?? error, true);
    };
    const onClose = (): void => {
      // Closed without an 'end' (destroyed elsewhere): the response cannot complete.
      if (!reader.done) onError(reader.end());
    };
    const onAbort = (): void => {
      fail(abortError(), false);
    };
    function cleanup(): void {
      if (cleaned) return;
      cleaned = true;
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      request.signal.removeEventListener('abort', onAbort);
      // A late socket error (after the response) must not become an unhandled 'error' event.
      socket.off('error', onSocketError);
      socket.on('error', () => undefined);
    }
    socket.on('error', onSocketError);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    if (request.signal.aborted) {
      onAbort();
      return;
    }
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      socket.write(requestHead(request));
    } catch (error) {
      fail(error as Error, false);
    }
  });
}
