/**
 * One HTTP(S) POST with node:http/node:https: TLS settings as Prometheus's `tls_config` has them,
 * a timeout, and the response's status and first bytes. Built on Node's own client rather than
 * undici so that a Lambda bundle that carries only the sinks carries no HTTP library.
 */
import type { IncomingMessage, RequestOptions } from 'node:http';

/**
 * node:http and node:https, taken when a post is made: an ESM `import` of node:http builds its
 * module facade, whose lazy exports load Node's own copy of undici, some 15 ms of every Lambda cold
 * start whether anything is posted or not (node `lib/http.js`, `lazyUndici`).
 */
function requestFor(url: URL): typeof import('node:http').request {
  return url.protocol === 'https:'
    ? process.getBuiltinModule('node:https').request
    : process.getBuiltinModule('node:http').request;
}

/** TLS settings, already read from their files. */
export interface PostTls {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

export interface PostResponse {
  status: number;
  /** The first 4 KiB of the body, as text. */
  text: string;
}

const KEEP = 4096;

/**
 * POSTs `body` and resolves with the status, whatever it is; rejects on a network error or the
 * timeout (the error keeps Node's `code`, such as ECONNREFUSED).
 */
export function post(
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
  options: { timeoutMs: number; tls?: PostTls },
): Promise<PostResponse> {
  const send = requestFor(url);
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(body.length) },
    signal: AbortSignal.timeout(options.timeoutMs),
    ...(url.protocol === 'https:' ? options.tls : {}),
  };
  return new Promise((resolve, reject) => {
    const req = send(url, requestOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < KEEP) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).subarray(0, KEEP).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
