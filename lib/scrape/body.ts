/**
 * Reads a 200 response body the way Prometheus does: gzip decoded on the fly when the server says
 * so, `body_size_limit` counted on the decoded bytes and enforced while streaming (so a zip bomb
 * stops at the limit), every chunk handed straight to the parser so memory stays flat.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

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
 * Streams `body` into `onChunk` until it ends or `onChunk` returns false (the parser has found the
 * body invalid: reading on would only cost time, as with a billion-character line); returns the
 * decoded byte count. Throws BodyTooLargeError when the decoded body reaches `limit` (Prometheus
 * fails at `n >= limit`, scrape/scrape.go readResponse), CorruptGzipError for a bad gzip stream,
 * and the transport's error otherwise.
 */
export async function readBody(
  body: Readable,
  gzip: boolean,
  limit: number,
  onChunk: (chunk: Uint8Array) => boolean,
): Promise<number> {
  // Iterated directly rather than through stream.pipeline, which builds and aborts an
  // AbortController (and so a DOMException with its stack) for every body: a real cost over a
  // thousand targets, for cleanup that destroy() below already does.
  let source: AsyncIterable<Buffer> = body;
  let gunzip: Gunzip | null = null;
  if (gzip) {
    gunzip = createGunzip();
    body.on('error', (error) => gunzip?.destroy(error));
    source = body.pipe(gunzip);
  }
  let bytes = 0;
  let stopped = false;
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (limit > 0 && bytes >= limit) throw new BodyTooLargeError(limit);
      if (!onChunk(chunk)) {
        stopped = true;
        break;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (gzip && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_NEED_DICT')) {
      throw new CorruptGzipError((error as Error).message);
    }
    throw error;
  } finally {
    // A body left unread (stopped, too large, failed) is torn down now, not when the server ends it.
    if (!body.readableEnded || stopped) body.destroy();
    gunzip?.destroy();
  }
  return bytes;
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
