/**
 * The HTTP client settings of prometheus/common that sit between the scrape and the wire, resolved
 * for one check: the oauth2 token (fetched before the target is asked), `http_headers`, and per
 * hop the route (direct, or through a proxy) with the ALPN that `enable_http2` implies.
 */
import { failure, type ScrapeFailure } from './failure.ts';
import { resolveHttpHeaders } from './http-headers.ts';
import { oauth2Credentials } from './oauth2.ts';
import type { PrometheusVersion } from './protocol.ts';
import { proxySecrets, proxySettingSecrets, resolveProxy, type ResolvedProxy } from './proxy.ts';
import type { ScrapeRequest } from './types.ts';

export interface ClientSettings {
  /** The oauth2 `Authorization` value (a secret), which replaces the job's own; null without oauth2. */
  authorization: string | null;
  /** `http_headers`, lower-case names. */
  headers: Map<string, string[]>;
  secrets: string[];
  warnings: string[];
}

export interface ClientSettingsContext {
  version: PrometheusVersion;
  signal: AbortSignal;
  timeoutMs: number;
  now: () => number;
}

/** The oauth2 token and the headers of one check, or why it cannot be scraped. */
export async function resolveClientSettings(
  req: ScrapeRequest,
  ctx: ClientSettingsContext,
): Promise<ClientSettings | ScrapeFailure> {
  const out: ClientSettings = {
    authorization: null,
    headers: new Map(),
    secrets: [...proxySettingSecrets(req.proxy), ...proxySettingSecrets(req.oauth2?.proxy)],
    warnings: [],
  };
  const headers = await resolveHttpHeaders(req.httpHeaders, ctx.version);
  if ('reason' in headers) return headers;
  out.headers = headers.headers;
  out.secrets.push(...headers.secrets);
  out.warnings.push(...headers.warnings);
  if (req.oauth2) {
    out.secrets.push(req.oauth2.clientSecret ?? '');
    const credentials = await oauth2Credentials(req.oauth2, ctx);
    if ('reason' in credentials) return credentials;
    out.authorization = credentials.header;
    out.secrets.push(...credentials.secrets);
  }
  out.secrets = out.secrets.filter((s) => s.length > 0);
  return out;
}

/** How one hop reaches its URL. */
export interface Route {
  proxy: ResolvedProxy | null;
  /** The request target: absolute form through a proxy to an http URL, else the path. */
  path: string;
  /** `Proxy-Authorization` for an http target through a proxy with credentials. */
  headers: Record<string, string>;
  /** ALPN to offer; null offers none (Go without HTTP/2). */
  alpn: string[] | null;
  secrets: string[];
}

/** The route for `url` (which may be a redirect's): the proxy rules are applied per URL, as Go does. */
export function routeFor(
  url: URL,
  req: ScrapeRequest,
  version: PrometheusVersion,
): Route | ScrapeFailure {
  const proxy = resolveProxy(url, req.proxy, { version, setting: 'proxy_url' });
  if (proxy && 'reason' in proxy) return proxy;
  if (proxy && url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failure('config_invalid', `cannot reach ${url.toString()} through a proxy`);
  }
  const proxiedHttp = proxy !== null && url.protocol === 'http:';
  return {
    proxy,
    path: proxiedHttp ? url.href : url.pathname + url.search,
    headers:
      proxiedHttp && proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {},
    // prometheus/common: http2.ConfigureTransports when enable_http2 (Go then offers h2 first).
    alpn: req.enableHttp2 === false ? null : ['h2', 'http/1.1'],
    secrets: proxySecrets(proxy),
  };
}

/**
 * A non-200 answer through a proxy: a 407 is the proxy's own (it wants credentials), and a gateway
 * error may be; the verdict stays the status's, the diagnosis says who answered.
 */
export function throughProxy(f: ScrapeFailure, status: number, route: Route): ScrapeFailure {
  if (!route.proxy) return f;
  const proxy = route.proxy.display;
  if (status === 407) {
    return failure(
      f.reason,
      `the proxy ${proxy} answered 407 Proxy Authentication Required: the target was not reached. Put the proxy's credentials in proxy_url (http://user:password@host:port)${route.proxy.authorization ? ', which has some that it did not accept' : ''}`,
    );
  }
  if (status === 502 || status === 503 || status === 504 || status === 500) {
    return failure(
      f.reason,
      `${f.diagnosis} (through the proxy ${proxy}: the proxy may have answered for a target it could not reach)`,
    );
  }
  return f;
}
