/**
 * Reads a 200 response body the way Prometheus does: gzip decoded on the fly when the server says
 * so, `body_size_limit` counted on the decoded bytes and enforced while streaming (so a zip bomb
 * stops at the limit), every chunk handed straight to the parser so memory stays flat.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { Http1Body } from './http1/index.ts';

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`body size limit exceeded (${limit} bytes)`);
    this.limit = limit;
    this.name = 'BodyTooLargeError';
  }
}

export class CorruptGzipError extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(`gzip: ${detail}`);
    this.detail = detail;
    this.name = 'CorruptGzipError';
  }
}

/**
 * How much more of a body is read, unparsed, once the parser has found it invalid. Prometheus reads
 * the whole body before it parses, so a body cut short, corrupt gzip or `body_size_limit` is its
 * verdict even where the text went wrong first: reading on finds those in any body of ordinary
 * size. Past this, a body already known invalid is not worth the time (a billion-character line).
 */
const READ_AFTER_INVALID = 1 << 20;

/**
 * Streams `body` into `onChunk`; returns the decoded byte count. Once `onChunk` returns false (the
 * parser has found the body invalid), up to READ_AFTER_INVALID more bytes are read unparsed.
 * Throws BodyTooLargeError when the decoded body reaches `limit` (Prometheus fails at
 * `n >= limit`, scrape/scrape.go readResponse), CorruptGzipError for a bad gzip stream, and the
 * transport's error otherwise.
 */
export async function readBody(
  body: Readable,
  gzip: boolean,
  limit: number,
  onChunk: (chunk: Uint8Array) => boolean,
): Promise<number> {
  // Destroyed before anyone listened (an abort): its error is the verdict.
  if (body.errored) throw body.errored;
  // Iterated directly rather than through stream.pipeline, which builds and aborts an
  // AbortController (and so a DOMException with its stack) for every body: a real cost over a
  // thousand targets, for cleanup that destroy() below already does.
  let source: AsyncIterable<Buffer> = body;
  let gunzip: Gunzip | null = null;
  let compressed = 0;
  if (gzip) {
    gunzip = createGunzip();
    body.on('error', (error) => gunzip?.destroy(error));
    body.on('data', (chunk: Buffer) => (compressed += chunk.length));
    source = body.pipe(gunzip);
  }
  let bytes = 0;
  /** Where reading stops once the parser has given up (Infinity while it parses). */
  let stopAt = Infinity;
  // A transport failure delivered after the bytes before it (http1/exchange.ts Http1Body).
  const transportFailure = (): Error | null => (body instanceof Http1Body ? body.failure : null);
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (limit > 0 && bytes >= limit) throw new BodyTooLargeError(limit);
      if (stopAt === Infinity && !onChunk(chunk)) stopAt = bytes + READ_AFTER_INVALID;
      if (bytes >= stopAt) return bytes;
    }
    const failed = transportFailure();
    if (failed) throw failed;
    if (gunzip) trailingBytes(compressed - gunzip.bytesWritten);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (gzip && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_NEED_DICT')) {
      // A gzip stream that only ran out is the transport's failure, when there was one.
      const failed = code === 'Z_BUF_ERROR' ? transportFailure() : null;
      throw failed ?? new CorruptGzipError((error as Error).message);
    }
    throw error;
  } finally {
    // A body left unread (too large, failed) is torn down now, not when the server ends it.
    if (!body.readableEnded) body.destroy();
    gunzip?.destroy();
  }
  return bytes;
}

/**
 * Bytes after the last gzip member. zlib stops at a zero byte after a member and ignores the rest
 * (node src/node_zlib.cc, "Trailing zero bytes are okay"); Go's multistream gzip.Reader reads on
 * for another member header and fails (compress/gzip gunzip.go readHeader): `unexpected EOF` for
 * fewer than ten bytes, `gzip: invalid header` otherwise. Anything else trailing zlib already fails.
 */
function trailingBytes(count: number): void {
  if (count <= 0) return;
  throw new CorruptGzipError(
    count < 10
      ? `${count} byte${count === 1 ? '' : 's'} after the gzip stream (Go: unexpected EOF)`
      : `${count} bytes after the gzip stream that are not another gzip member (Go: gzip: invalid header)`,
  );
}

/** Reads at most `max` bytes of an error response, for the diagnosis; the rest is discarded. */
export async function readPrefix(body: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size < max) {
        chunks.push(chunk.subarray(0, max - size));
        size += Math.min(chunk.length, max - size);
      }
      if (size >= max) break;
    }
  } catch {
    // A body cut short is still evidence; keep what arrived.
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}
