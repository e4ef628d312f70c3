/**
 * A redirect followed as Go's `http.Client` follows it for Prometheus (golang/go
 * src/net/http/client.go, `Client.do`), so that anything a target puts in `Location` is a verdict
 * and never an exception: WHATWG `new URL` throws a TypeError on what Go refuses with an error
 * (`http://[::1`), and the runner must keep `internal_error` for scrape-check's own bugs (issue 13).
 *
 * - The value is `Header.Get("Location")`: the first one; none, or an empty one, and Go does not
 *   follow at all but returns the 3xx as the response (golang/go#49281, since Go 1.19).
 * - It is resolved with `req.URL.Parse(loc)`: what Go's url.Parse refuses fails the scrape with
 *   `failed to parse Location header`.
 * - The next request needs an http or https URL with a host, or the transport refuses it
 *   (`unsupported protocol scheme`, `http: no Host in request URL`).
 *
 * Each refusal is `http_status`: the target answered with a redirect Prometheus could not follow.
 */
import { parseGoUrl } from '#lib/discovery/go-url.ts';
import { goQuote } from '#lib/discovery/go-strings.ts';
import { failure, type ScrapeFailure } from './failure.ts';

/** The Location Go reads (`Header.Get`): the first value, or null when there is none or it is empty. */
export function redirectLocation(value: string | readonly string[] | undefined): string | null {
  const first = typeof value === 'string' ? value : value?.[0];
  return first === undefined || first === '' ? null : first;
}

/** A URL as Go's url.Error shows it (`stripPassword`): the password replaced by `***`. */
export function shownUrl(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href.replace(':%2A%2A%2A@', ':***@');
}

/**
 * Where a redirect from `from` to `location` leads, or the failure Prometheus would report for it.
 * `who` names the server that redirected, for the diagnosis (the oauth2 token endpoint follows the
 * same rules).
 *
 * @example
 * const next = resolveRedirect(location, url);
 * if ('reason' in next) return finish(next); // e.g. a Location of "http://[::1"
 */
export function resolveRedirect(
  location: string,
  from: URL,
  who = 'the target',
): URL | ScrapeFailure {
  const get = (url: string): string => `Get ${goQuote(url)}`;
  const parsed = parseGoUrl(location);
  if (!parsed.ok) {
    return failure(
      'http_status',
      `${who} redirected to a Location Go cannot parse, so Prometheus fails the scrape: ${get(shownUrl(from))}: failed to parse Location header ${goQuote(location)}: ${parsed.error}`,
    );
  }
  const scheme = parsed.scheme === '' ? from.protocol.slice(0, -1) : parsed.scheme;
  const cannotFollow = (why: string): ScrapeFailure =>
    failure(
      'http_status',
      `${who} redirected to ${goQuote(location)}, which Prometheus cannot follow: ${get(location)}: ${why}`,
    );
  if (scheme !== 'http' && scheme !== 'https') {
    return cannotFollow(`unsupported protocol scheme ${goQuote(scheme)}`);
  }
  // An absolute URL without a host (`http:///x`, `http:x`): WHATWG would find one in the path.
  if (parsed.scheme !== '' && parsed.host === '')
    return cannotFollow('http: no Host in request URL');
  // Go keeps a backslash as a path character (and sends it as %5C); WHATWG would read it as a
  // slash, and `\\evil.example/x` as another host. Only the part before the query is a path.
  const query = location.indexOf('?');
  const encoded =
    (query < 0 ? location : location.slice(0, query)).replaceAll('\\', '%5C') +
    (query < 0 ? '' : location.slice(query));
  // A path from the root stays on this host even when it starts `///`, which WHATWG would read
  // as a host; Go's reference resolution (RFC 3986 section 5.2) keeps the base's authority.
  const user =
    from.username === '' && from.password === ''
      ? ''
      : `${from.username}${from.password === '' ? '' : `:${from.password}`}@`;
  const next =
    parsed.scheme === '' && parsed.host === '' && encoded.startsWith('/')
      ? URL.parse(`${from.protocol}//${user}${from.host}${encoded}`)
      : URL.parse(encoded, from.href);
  if (next === null || next.hostname === '') {
    // Go took it, but no dialler could: a port past 65535, a host that is no name (`300.1.1.1`).
    return cannotFollow('it names no host and port that can be dialled');
  }
  return next;
}
