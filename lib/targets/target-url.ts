/**
 * A target's scrape URL, exactly as Prometheus builds and prints it (`scrapeUrl` in
 * `/api/v1/targets`): prometheus/prometheus `scrape/target.go` `Target.URL` makes
 * `url.URL{Scheme: __scheme__, Host: __address__, Path: __metrics_path__, RawQuery:
 * params.Encode()}` and Go's `URL.String()` prints it (golang/go `src/net/url/url.go`: `String`,
 * `EscapedPath`, `escape`, `Values.Encode`).
 *
 * The query is the job's `params`, then each `__param_<name>` label replacing the first value of
 * `<name>` (or adding it); `Values.Encode` sorts the names and escapes with `+` for a space. The
 * path is escaped as Go escapes a path (`!`, `*`, `'`, `(`, `)`, space, `%`, `?` and non-ASCII
 * become `%XX`; `/:@&=+$,;` stay), and gets a leading `/` when it has none.
 */
import { compareGo } from '#lib/discovery/go-strings.ts';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';

/** The URL as Go prints it, and as a WHATWG `URL` for the scraper. */
export interface TargetUrl {
  /** Byte for byte what Prometheus shows as `scrapeUrl` and requests. */
  href: string;
  /**
   * `href` parsed by WHATWG rules, or null when they refuse it (`https://::1/metrics`, where Go
   * accepts `::1` as a host with an empty port and then fails to dial). It normalises what Go
   * keeps: `:443` after `https` and `:80` after `http` vanish from `url.host`, so the Host header
   * a client derives from it lacks the port Prometheus sends (`__address__` has it).
   */
  url: URL | null;
}

const HEX = '0123456789ABCDEF';
const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;
// Go's shouldEscape: what each part may hold unescaped, beyond A-Z a-z 0-9 - _ . ~
const KEEP_PATH = new Set('$&+,/:;=@'.split(''));
const KEEP_HOST = new Set('!$&\'()*+,;=:[]<>"'.split(''));

const UTF8 = new TextEncoder();
// Nothing to escape: the common host, path and query value (a per-target hot path).
const SAFE = /^[A-Za-z0-9\-_.~]*$/;
const SAFE_PATH = /^[A-Za-z0-9\-_.~$&+,/:;=@]*$/;
const SAFE_HOST = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]*$/;

function escape(s: string, keep: ReadonlySet<string> | null, spaceAsPlus: boolean): string {
  const safe = keep === KEEP_PATH ? SAFE_PATH : keep === KEEP_HOST ? SAFE_HOST : SAFE;
  if (safe.test(s)) return s;
  let out = '';
  for (const byte of UTF8.encode(s)) {
    const c = String.fromCharCode(byte);
    if (byte < 0x80 && (UNRESERVED.test(c) || keep?.has(c))) out += c;
    else if (c === ' ' && spaceAsPlus) out += '+';
    else out += `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
  }
  return out;
}

/** Go's `url.QueryEscape`: everything but A-Z a-z 0-9 `-_.~` escaped, space as `+`. */
export function queryEscape(s: string): string {
  return escape(s, null, true);
}

/** Go's `url.Values.Encode`: names in byte order, each value `name=value`, joined by `&`. */
export function encodeValues(values: ReadonlyMap<string, readonly string[]>): string {
  const parts: string[] = [];
  for (const name of [...values.keys()].sort(compareGo)) {
    for (const value of values.get(name)!) parts.push(`${queryEscape(name)}=${queryEscape(value)}`);
  }
  return parts.join('&');
}

/** Go's `URL.String()` for a URL with only scheme, host, path and raw query set. */
export function goUrlString(parts: {
  scheme: string;
  host: string;
  path: string;
  rawQuery: string;
}): string {
  let out = parts.scheme === '' ? '' : `${parts.scheme}:`;
  if (parts.scheme !== '' || parts.host !== '') {
    if (parts.host !== '' || parts.path !== '') out += '//';
    out += escape(parts.host, KEEP_HOST, false);
  }
  const path = parts.path === '*' ? '*' : escape(parts.path, KEEP_PATH, false);
  if (path !== '' && !path.startsWith('/') && parts.host !== '') out += '/';
  // RFC 3986 §4.2: a relative path whose first segment has a colon would read as a scheme.
  if (out === '' && path.split('/')[0]!.includes(':')) out += './';
  out += path;
  if (parts.rawQuery !== '') out += `?${parts.rawQuery}`;
  return out;
}

/**
 * The scrape URL of a target from its internal labels (after PopulateLabels) and the job's
 * `params`. In 3.x (HEAD), a target with `__unix_socket__` and no address gets the host
 * `localhost`, as `Target.URL` does.
 */
export function targetUrl(
  internal: LabelSet,
  params: Readonly<Record<string, readonly string[]>>,
  version: PromVersion,
): TargetUrl {
  const values = new Map<string, string[]>();
  for (const [name, list] of Object.entries(params))
    if (list.length > 0) values.set(name, [...list]);
  for (const name of Object.keys(internal).sort(compareGo)) {
    if (!name.startsWith('__param_')) continue;
    const key = name.slice('__param_'.length);
    const list = values.get(key);
    if (list) list[0] = internal[name]!;
    else values.set(key, [internal[name]!]);
  }
  const get = (name: string): string => (Object.hasOwn(internal, name) ? internal[name]! : '');
  let host = get('__address__');
  if (version === '3' && host === '' && get('__unix_socket__') !== '') host = 'localhost';
  const href = goUrlString({
    scheme: get('__scheme__'),
    host,
    path: get('__metrics_path__'),
    rawQuery: encodeValues(values),
  });
  let url: URL | null = null;
  try {
    url = new URL(href);
  } catch {
    url = null;
  }
  return { href, url };
}
