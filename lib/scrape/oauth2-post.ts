/**
 * The token request's HTTP exchange, as the plain `http.Transport` prometheus/common builds for the
 * token endpoint makes it: its own TLS settings and proxy, no ALPN (a Transport with a TLS config
 * and no HTTP/2 configured speaks HTTP/1.1 only), `Accept-Encoding: gzip` with transparent
 * decompression, and Go's http.Client redirect rules for a POST (301/302/303 turn into a GET without
 * the body, 307/308 repeat it; `Authorization` is not carried to another host). At most 1 MiB of the
 * body is read (golang.org/x/oauth2 `internal/token.go`, `io.LimitReader(r.Body, 1<<20)`).
 */
import { gunzipSync } from 'node:zlib';
import { classifyError } from './classify.ts';
import { createConnector, newProbe } from './connector.ts';
import { failure, type ScrapeFailure } from './failure.ts';
import { resolveProxy } from './proxy.ts';
import { redirectLocation, resolveRedirect } from './redirect.ts';
import type { TlsMaterial } from './tls-material.ts';
import type { ProxySettings } from './types.ts';

/** What came back from the token endpoint. */
export interface TokenResponse {
  status: number;
  /** Go's `Response.Status`: `401 Unauthorized`, as the server's status line has it. */
  statusLine: string;
  contentType: string;
  body: string;
}

export interface PostOptions {
  tls: TlsMaterial;
  proxy: ProxySettings | null;
  version: '2' | '3';
  signal: AbortSignal;
  timeoutMs: number;
  now: () => number;
  headers: Record<string, string>;
}

const MAX_BODY = 1 << 20;
const MAX_REDIRECTS = 10;

/** POSTs `form` to `url`; a failure carries the network verdict, unwrapped by the caller. */
export async function postForm(
  url: URL,
  form: string,
  options: PostOptions,
): Promise<TokenResponse | ScrapeFailure> {
  let target = url;
  let method: 'POST' | 'GET' = 'POST';
  let body: string | null = form;
  let headers = { ...options.headers };
  // undici (some 470 KB) loads only for a job with oauth2, not on every cold start.
  const { Client } = await import('./undici-client.ts');
  for (let hop = 0; ; hop++) {
    const proxy = resolveProxy(target, options.proxy, {
      version: options.version,
      setting: 'oauth2.proxy_url',
      // prometheus/common v0.39 (Prometheus 2) gave the token client a proxy URL only.
      withConnectHeaders: options.version === '3',
    });
    if (proxy && 'reason' in proxy) return proxy;
    const probe = newProbe();
    const client = new Client(target.origin, {
      connect: createConnector({
        tls: options.tls,
        probe,
        signal: options.signal,
        now: options.now,
        proxy,
        alpn: null,
        tlsSetting: 'oauth2.tls_config',
      }),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    try {
      const proxied = proxy !== null && target.protocol === 'http:';
      const hopHeaders: Record<string, string> =
        proxied && proxy.authorization
          ? { ...headers, 'proxy-authorization': proxy.authorization }
          : headers;
      const response = await client.request({
        path: proxied ? target.href : target.pathname + target.search,
        method,
        headers:
          body === null
            ? hopHeaders
            : { ...hopHeaders, 'content-type': 'application/x-www-form-urlencoded' },
        ...(body === null ? {} : { body }),
        signal: options.signal,
      });
      // Go's redirect rules, and its refusals as verdicts: a Location WHATWG cannot parse must not
      // become a TypeError, which the scrape would take for a bug of ours (issue 13).
      const location = redirectLocation(response.headers.location);
      if ([301, 302, 303, 307, 308].includes(response.statusCode) && location !== null) {
        await response.body.dump();
        if (hop + 1 >= MAX_REDIRECTS) return failure('http_status', 'stopped after 10 redirects');
        const next = resolveRedirect(location, target, 'the token endpoint');
        if ('reason' in next) return next;
        if (next.hostname !== target.hostname) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([name]) => name !== 'authorization'),
          );
        }
        if (response.statusCode <= 303) {
          method = 'GET';
          body = null;
        }
        target = next;
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY) break;
      }
      let raw = Buffer.concat(chunks);
      const encoding = response.headers['content-encoding'];
      if (typeof encoding === 'string' && encoding.toLowerCase() === 'gzip') raw = gunzipSync(raw);
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        statusLine: `${response.statusCode}${response.statusText ? ` ${response.statusText}` : ''}`,
        contentType: typeof contentType === 'string' ? contentType : '',
        body: raw.subarray(0, MAX_BODY).toString('utf8'),
      };
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw error;
      return classifyError(error, {
        probe,
        url: target,
        timeoutMs: options.timeoutMs,
        hasClientCert: options.tls.cert !== undefined,
        timedOut: options.signal.aborted,
      });
    } finally {
      void client.destroy().catch(() => undefined);
    }
  }
}
