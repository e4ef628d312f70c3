/**
 * The parts of Go's `net/url.Parse` that decide whether an http_sd `url` is accepted, with Go's
 * errors (golang/go `src/net/url/url.go`: `parse`, `getScheme`, `parseAuthority`, `parseHost`,
 * `unescape`). WHATWG `URL` cannot stand in: it accepts what Go refuses (`http://exa%41mple/`,
 * `invalid URL escape "%41"`) and refuses what Go accepts (`http://300.1.1.1/`).
 */
import { goQuote } from './go-strings.ts';

/** Scheme (lowercased, as Go stores it) and host, or Go's error text. */
export type GoUrl = { ok: true; scheme: string; host: string } | { ok: false; error: string };

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAlnum = (c: string): boolean => /^[a-zA-Z0-9]$/.test(c);

class UrlError extends Error {}

// Characters a host may hold unescaped (url.go shouldEscape, encodeHost).
const HOST_OK = new Set('-_.~!$&\'()*+,;=:[]<>"'.split(''));

// url.go unescape: every % starts a two-digit hex escape; in a host, only %25 and non-ASCII
// bytes may be escaped, and an ASCII character a host cannot hold is refused.
function checkEscapes(s: string, host: boolean): void {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      if (host && Number.parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25') {
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      i += 2;
    } else if (host && c.charCodeAt(0) < 0x80 && !isAlnum(c) && !HOST_OK.has(c)) {
      throw new UrlError(`invalid character ${goQuote(c)} in host name`);
    }
  }
}

const validOptionalPort = (port: string): boolean => port === '' || /^:[0-9]*$/.test(port);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) {
      throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) {
      throw new UrlError(`invalid port ${goQuote(host.slice(i))} after host`);
    }
  }
  checkEscapes(host, true);
  return host;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parse(raw: string): { scheme: string; host: string } {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const [rawScheme, afterScheme] = getScheme(raw);
  const scheme = rawScheme.toLowerCase();
  let rest = afterScheme;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    // A rootless path after a scheme is opaque: no host.
    if (scheme !== '') return { scheme, host: '' };
    if (rest.split('/')[0]!.includes(':')) {
      throw new UrlError('first path segment in URL cannot contain colon');
    }
  }
  let host = '';
  if (rest.startsWith('//') && (scheme !== '' || !rest.startsWith('///'))) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0) checkEscapes(authority.slice(0, at), false);
    host = parseHost(authority.slice(at + 1));
  }
  checkEscapes(rest, false);
  return { scheme, host };
}

/** Go's `url.Parse(raw)`: the scheme and host, or its error as `parse "<url>": <why>`. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const base = hash >= 0 ? raw.slice(0, hash) : raw;
  // Go names the URL without its fragment, unless the fragment is what is wrong.
  let shown = base;
  try {
    const url = parse(base);
    shown = raw;
    if (hash >= 0) checkEscapes(raw.slice(hash + 1), false);
    return { ok: true, ...url };
  } catch (error) {
    if (!(error instanceof UrlError)) throw error;
    return { ok: false, error: `parse ${goQuote(shown)}: ${error.message}` };
  }
}
