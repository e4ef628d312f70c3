/**
 * Which proxy, if any, Go's transport uses for a URL, as Prometheus configures it
 * (prometheus/common `ProxyConfig.Proxy`): `proxy_url` alone proxies everything (`http.ProxyURL`,
 * loopback included); `proxy_url` with `no_proxy`, and `proxy_from_environment`, go through
 * golang.org/x/net/http/httpproxy, which never proxies `localhost` or a loopback address and
 * skips what NO_PROXY lists. A port of httpproxy's `config.init`, `useProxy` and the matchers:
 * https://cs.opensource.google/go/x/net/+/master:http/httpproxy/proxy.go
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { ProxyEnvironment, ProxySettings } from './types.ts';

/** httpproxy.Config: the three variables (or `proxy_url` twice and `no_proxy`). */
interface HttpProxyConfig {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  cgi: boolean;
}

type Matcher = (host: string, port: string, ip: Uint8Array | null) => boolean;

/** The proxy for `target`, null for a direct connection, or Go's error (the CGI refusal). */
export type ProxyChoice = { proxy: URL } | { proxy: null } | { error: string };

/**
 * Go's proxy decision for `target` under `settings`. Prometheus 2 (prometheus/common v0.39) knows
 * only `proxy_url`: with `version` '2', `no_proxy` and `proxy_from_environment` are not read.
 */
export function chooseProxy(
  target: URL,
  settings: ProxySettings | null | undefined,
  version: '2' | '3',
): ProxyChoice {
  if (!settings) return { proxy: null };
  const url = settings.url === null || settings.url === '' ? null : settings.url;
  if (version === '3' && settings.fromEnvironment) {
    return httpProxyFor(target, settings.environment ?? EMPTY_ENVIRONMENT);
  }
  if (url === null) return { proxy: null };
  const noProxy = version === '3' ? (settings.noProxy ?? '') : '';
  if (noProxy === '') {
    // http.ProxyURL: this proxy for every request, loopback too.
    const parsed = parseUrl(url);
    return parsed ? { proxy: parsed } : { error: `proxy_url ${JSON.stringify(url)} is not a URL` };
  }
  return httpProxyFor(target, { httpProxy: url, httpsProxy: url, noProxy, cgi: false });
}

const EMPTY_ENVIRONMENT: ProxyEnvironment = {
  httpProxy: '',
  httpsProxy: '',
  noProxy: '',
  cgi: false,
};

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** httpproxy's parseProxy: a value without a scheme or host is read as `http://value`. */
export function parseProxy(text: string): URL | null {
  if (text === '') return null;
  const parsed = parseUrl(text);
  if (!parsed || parsed.protocol === '' || parsed.host === '') {
    const withScheme = parseUrl(`http://${text}`);
    if (withScheme) return withScheme;
  }
  return parsed;
}

/** httpproxy's `proxyForURL`. */
function httpProxyFor(target: URL, cfg: HttpProxyConfig): ProxyChoice {
  let proxy: URL | null = null;
  if (target.protocol === 'https:') proxy = parseProxy(cfg.httpsProxy);
  else if (target.protocol === 'http:') {
    proxy = parseProxy(cfg.httpProxy);
    if (proxy && cfg.cgi) {
      return {
        error: 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy',
      };
    }
  }
  if (!proxy) return { proxy: null };
  return useProxy(target, compileNoProxy(cfg.noProxy)) ? { proxy } : { proxy: null };
}

/** httpproxy's `useProxy`, on the canonical address (host and port, the scheme's by default). */
export function useProxy(target: URL, matchers: readonly Matcher[]): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return false;
  const ip = parseIp(host);
  if (ip && isLoopback(ip)) return false;
  const name = host.trim().toLowerCase();
  return !matchers.some((match) => match(name, port, ip));
}

/** httpproxy's `config.init` for NO_PROXY: IPs, CIDRs, domains (with ports), or `*`. */
export function compileNoProxy(noProxy: string): Matcher[] {
  const ipMatchers: Matcher[] = [];
  const domainMatchers: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return [() => true];
    const cidr = parseCidr(p);
    if (cidr) {
      ipMatchers.push((_h, _p, ip) => ip !== null && cidrContains(cidr, ip));
      continue;
    }
    const split = splitHostPort(p);
    let phost = split ? split[0] : p;
    const pport = split ? split[1] : '';
    if (phost === '') continue;
    if (phost.startsWith('[') && phost.endsWith(']')) phost = phost.slice(1, -1);
    const pip = parseIp(phost);
    if (pip) {
      ipMatchers.push(
        (_h, port, ip) => ip !== null && sameIp(pip, ip) && (pport === '' || pport === port),
      );
      continue;
    }
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    // idnaASCII: a non-ASCII name is compared in its punycode form, as URL host names come.
    if (/[^\x00-\x7f]/.test(phost)) phost = `.${domainToASCII(phost.slice(1)) || phost.slice(1)}`;
    const suffix = phost;
    domainMatchers.push(
      (host, port, ip) =>
        ip === null &&
        (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) &&
        (pport === '' || pport === port),
    );
  }
  // IP rules are consulted for IP targets only; domain rules never match an IP.
  return [...ipMatchers, ...domainMatchers];
}

/** net.SplitHostPort, or null where Go returns an error (no port, too many colons). */
function splitHostPort(text: string): [string, string] | null {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':') return null;
    return [text.slice(1, end), text.slice(end + 2)];
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return null;
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/** An IP address as 16 bytes (IPv4 mapped into IPv6, as Go's net.IP holds it), or null. */
export function parseIp(text: string): Uint8Array | null {
  const kind = isIP(text);
  if (kind === 4) {
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    text.split('.').forEach((part, i) => (out[12 + i] = Number(part)));
    return out;
  }
  if (kind !== 6) return null;
  let head = text;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const mapped = parseIp(v4[1]!)!;
    tail = [(mapped[12]! << 8) | mapped[13]!, (mapped[14]! << 8) | mapped[15]!];
    head = text.slice(0, -v4[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const words = (s: string | undefined): number[] =>
    s === undefined || s === '' ? [] : s.split(':').map((w) => parseInt(w, 16));
  const l = words(left);
  const r = [...words(right), ...tail];
  const groups =
    right === undefined && !head.includes('::')
      ? [...l, ...tail]
      : [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function isV4(ip: Uint8Array): boolean {
  return ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** net.IP.IsLoopback: 127.0.0.0/8 (mapped too) or ::1. */
function isLoopback(ip: Uint8Array): boolean {
  if (isV4(ip)) return ip[12] === 127;
  return ip.subarray(0, 15).every((b) => b === 0) && ip[15] === 1;
}

function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((byte, i) => byte === b[i]);
}

interface Cidr {
  ip: Uint8Array;
  /** Prefix length over the 16-byte form. */
  bits: number;
  v4: boolean;
}

/** net.ParseCIDR. */
function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const v4 = isIP(addr) === 4;
  const length = Number(prefix);
  if (length > (v4 ? 32 : 128)) return null;
  return { ip, bits: v4 ? length + 96 : length, v4 };
}

/** net.IPNet.Contains: an IPv4 network holds IPv4 addresses only. */
function cidrContains(cidr: Cidr, ip: Uint8Array): boolean {
  if (cidr.v4 !== isV4(ip)) return false;
  for (let bit = 0; bit < cidr.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((cidr.ip[bit >> 3]! & mask) !== (ip[bit >> 3]! & mask)) return false;
  }
  return true;
}
