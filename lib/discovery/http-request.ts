/**
 * The GET an http_sd discovery makes, as a function the caller can replace: a caller with
 * `tls_config`, `authorization`, `basic_auth` or a proxy to honour supplies its own
 * `HttpSdRequest`; `defaultHttpSdRequest` is a plain one on undici, for http_sd endpoints that need
 * none of those.
 *
 * It follows redirects as Go's client does (up to 10; `follow_redirects: false` returns the 3xx),
 * and words failures as Go's client does (`dial tcp 127.0.0.1:1: connect: connection refused`).
 * Prometheus itself sets no timeout on the request; this one gives up after `timeoutMs`.
 */
import { Client } from '#lib/scrape/undici-client.ts';

/** What the caller's HTTP client returns for one request. */
export interface HttpSdResponse {
  status: number;
  /** The reason phrase the server sent (`Bad Request`), when known. */
  statusText?: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/**
 * Makes one GET to `url` with `headers` and returns the final response; throws an `Error` whose
 * message is the transport's failure (Prometheus shows it as `Get "<url>": <message>`), a
 * `RequestError` when the URL to name is another (a redirect's).
 */
export type HttpSdRequest = (
  url: string,
  headers: Record<string, string>,
) => Promise<HttpSdResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A request failure about another URL than the one asked for, as net/http's `*url.Error`. */
export class RequestError extends Error {
  readonly url: string;
  constructor(message: string, url: string) {
    super(message);
    this.url = url;
  }
}

// Go's net errors, for the failures an http_sd endpoint usually meets.
function goNetError(error: unknown, url: URL): string {
  let err = error as NodeJS.ErrnoException & { cause?: unknown };
  for (let i = 0; i < 5 && !err.code && err.cause instanceof Error; i++) {
    err = err.cause;
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname;
  const hostPort = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${host}: no such host`;
    case 'ECONNRESET':
      return `read tcp ${hostPort}: read: connection reset by peer`;
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`;
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}

/**
 * A request function on undici: one connection per call, `timeoutMs` for the whole exchange.
 * @example
 *   await discoverHttp(config, { version: '3', request: defaultHttpSdRequest({ timeoutMs: 10_000 }) });
 */
export function defaultHttpSdRequest(
  options: { timeoutMs?: number; followRedirects?: boolean } = {},
): HttpSdRequest {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (target, headers) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let url = new URL(target);
    for (let hop = 0; ; hop++) {
      const client = new Client(url.origin, { headersTimeout: 0, bodyTimeout: 0 });
      try {
        const response = await client.request({
          path: url.pathname + url.search,
          method: 'GET',
          headers,
          signal,
        });
        const location = response.headers.location;
        if (
          options.followRedirects !== false &&
          REDIRECTS.has(response.statusCode) &&
          typeof location === 'string'
        ) {
          await response.body.dump();
          // net/http names the Location as the server wrote it: `Get "/loop": stopped after…`.
          if (hop + 1 >= 10) throw new RequestError('stopped after 10 redirects', location);
          url = new URL(location, url);
          continue;
        }
        const body = new Uint8Array(await response.body.arrayBuffer());
        return {
          status: response.statusCode,
          statusText: response.statusText,
          headers: response.headers,
          body,
        };
      } catch (error) {
        if (error instanceof RequestError) throw error;
        if (signal.aborted) {
          throw new Error(`context deadline exceeded (no answer in ${timeoutMs / 1000}s)`, {
            cause: error,
          });
        }
        throw new Error(goNetError(error, url), { cause: error });
      } finally {
        await client.close().catch(() => undefined);
      }
    }
  };
}
