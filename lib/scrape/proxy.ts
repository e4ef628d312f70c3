/**
 * Reaching a target through a forward proxy the way Go's transport does
 * (https://go.dev/src/net/http/transport.go, `dialConn`): an http target's request goes to the
 * proxy in absolute form with `Proxy-Authorization` from the proxy URL's user name and password;
 * an https target gets a CONNECT tunnel (with `proxy_connect_header` and the same credentials),
 * then TLS to the target inside it. Whatever the proxy does wrong is blamed on the proxy.
 */
import type { Socket } from 'node:net';
import { failure, type ScrapeFailure } from './failure.ts';
import { chooseProxy } from './proxy-rules.ts';
import type { ProxySettings } from './types.ts';
import { USER_AGENT } from './user-agent.ts';

/** A proxy to dial for one URL: where, with which credentials and CONNECT headers. */
export interface ResolvedProxy {
  /** Where to dial. */
  hostname: string;
  port: number;
  /** `http://host:port`, for diagnoses: never the user name or password. */
  display: string;
  /** `Basic …` from the proxy URL's user name and password (a secret), or null. */
  authorization: string | null;
  /** Sent on CONNECT only (https targets), as Go's `Transport.ProxyConnectHeader`. */
  connectHeaders: Record<string, string[]>;
}

/** Values to scrub from output: the proxy's password, its Basic header, CONNECT header values. */
export function proxySecrets(proxy: ResolvedProxy | null): string[] {
  if (!proxy) return [];
  const out: string[] = [];
  if (proxy.authorization) out.push(proxy.authorization, proxy.authorization.slice(6));
  for (const values of Object.values(proxy.connectHeaders)) out.push(...values);
  return out.filter((s) => s.length > 0);
}

/** The secrets of proxy settings before any URL is chosen (the password in `proxy_url`). */
export function proxySettingSecrets(settings: ProxySettings | null | undefined): string[] {
  if (!settings) return [];
  const out = Object.values(settings.connectHeaders).flat();
  for (const text of [
    settings.url,
    settings.environment?.httpProxy,
    settings.environment?.httpsProxy,
  ]) {
    if (!text) continue;
    try {
      const password = decodeURIComponent(new URL(text).password);
      if (password !== '') out.push(password);
    } catch {
      // Not a URL: no password in it.
    }
  }
  return out.filter((s) => s.length > 0);
}

/**
 * The proxy Go would use for `target`, null for a direct connection, or why none can be used. The
 * CONNECT headers are Prometheus 2's only for the scrape itself: its oauth2 client had none
 * (`withConnectHeaders: false`).
 */
export function resolveProxy(
  target: URL,
  settings: ProxySettings | null | undefined,
  options: { version: '2' | '3'; setting: string; withConnectHeaders?: boolean },
): ResolvedProxy | null | ScrapeFailure {
  const choice = chooseProxy(target, settings, options.version);
  if ('error' in choice) return failure('config_invalid', choice.error);
  const proxy = choice.proxy;
  if (!proxy) return null;
  const display = `${proxy.protocol}//${proxy.host}`;
  if (proxy.protocol === 'https:' || proxy.protocol.startsWith('socks5')) {
    return failure(
      'config_invalid',
      `${options.setting} is ${display}: Prometheus would reach ${target.host} through this ${proxy.protocol.slice(0, -1)} proxy, and scrape-check speaks only to http:// proxies, so it cannot reproduce this scrape`,
    );
  }
  const port = Number(proxy.port) || (proxy.protocol === 'http:' ? 80 : 0);
  if (port === 0) {
    return failure('config_invalid', `${options.setting} ${display} names no port`);
  }
  let authorization: string | null = null;
  if (proxy.username !== '' || proxy.password !== '') {
    // Go's connectMethod.proxyAuth: u.Username() and u.Password(), decoded.
    const user = decodeComponent(proxy.username);
    const password = decodeComponent(proxy.password);
    if (user === null || password === null) {
      // Go's url.Parse refuses the proxy before any request (`invalid URL escape`), and
      // Prometheus's scrape fails; HTTP_PROXY reaches here unchecked (issue 13). The value is
      // not shown: it holds a password.
      return failure(
        'config_invalid',
        `the proxy ${display} (${settings?.fromEnvironment === true ? 'HTTP_PROXY or HTTPS_PROXY, by proxy_from_environment' : options.setting}): its user or password holds a %-escape that is not valid, which Go refuses (invalid URL escape), so nothing goes through this proxy`,
      );
    }
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  const withHeaders = options.withConnectHeaders ?? true;
  return {
    hostname: proxy.hostname.replace(/^\[|\]$/g, ''),
    port,
    display,
    authorization,
    connectHeaders: withHeaders ? (settings?.connectHeaders ?? {}) : {},
  };
}

/** `decodeURIComponent`, or null for an escape it cannot decode (never a URIError). */
function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Go's canonicalAddr: host and port, the port the scheme's when the URL has none. */
export function targetAuthority(hostname: string, port: number): string {
  return hostname.includes(':') ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

/** Go's header values on the wire: a CR or LF inside a value becomes a space (headerNewlineToSpace). */
function headerValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}

/** The CONNECT request Go writes (Request.Write: Host, User-Agent, then the headers sorted by name). */
export function connectRequest(authority: string, proxy: ResolvedProxy): string {
  const headers = new Map<string, string[]>();
  for (const [name, values] of Object.entries(proxy.connectHeaders)) headers.set(name, values);
  if (proxy.authorization) headers.set('Proxy-Authorization', [proxy.authorization]);
  const lines = [
    `CONNECT ${authority} HTTP/1.1`,
    `Host: ${authority}`,
    `User-Agent: ${USER_AGENT}`,
  ];
  for (const name of [...headers.keys()].sort()) {
    for (const value of headers.get(name)!) lines.push(`${name}: ${headerValue(value)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The proxy's answer to CONNECT: its status line, parsed. */
export interface ConnectAnswer {
  status: number;
  /** The reason phrase, as Go's error repeats it (`Proxy Authentication Required`). */
  text: string;
}

const MAX_CONNECT_RESPONSE = 64 * 1024;

/**
 * Sends CONNECT on `socket` and reads the proxy's response head. Resolves with the status; bytes
 * after the head (none, since a TLS server speaks only when spoken to) are put back on the socket.
 * Rejects with the socket's error, or an `ECONNRESET` when the proxy closes without answering.
 */
export function openTunnel(
  socket: Socket,
  authority: string,
  proxy: ResolvedProxy,
): Promise<ConnectAnswer> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.removeListener('readable', onReadable);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onEnd = (): void => {
      cleanup();
      reject(
        Object.assign(new Error('the proxy closed the connection before answering CONNECT'), {
          code: 'ECONNRESET',
        }),
      );
    };
    const onReadable = (): void => {
      for (
        let chunk = socket.read() as Buffer | null;
        chunk;
        chunk = socket.read() as Buffer | null
      ) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_CONNECT_RESPONSE) {
            onError(
              Object.assign(new Error('the proxy sent an endless CONNECT response'), {
                code: 'HPE_HEADER_OVERFLOW',
              }),
            );
            return;
          }
          continue;
        }
        cleanup();
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        const match = /^HTTP\/\d(?:\.\d)? +(\d{3})(?: (.*))?$/.exec(statusLine);
        if (!match) {
          reject(
            Object.assign(new Error(`malformed HTTP response ${JSON.stringify(statusLine)}`), {
              code: 'HPE_INVALID_CONSTANT',
            }),
          );
          return;
        }
        resolve({ status: Number(match[1]), text: match[2] ?? '' });
        return;
      }
    };
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('error', onError);
    socket.write(connectRequest(authority, proxy));
  });
}

/** The verdict for a proxy that would not open the tunnel: the proxy is to blame, not the target. */
export function refusedTunnel(
  answer: ConnectAnswer,
  authority: string,
  proxy: ResolvedProxy,
): ScrapeFailure {
  const said = `${answer.status}${answer.text === '' ? '' : ` ${answer.text}`}`;
  const lead = `the proxy ${proxy.display} refused to open a tunnel to ${authority} (CONNECT answered ${said}; Prometheus reports "${answer.text === '' ? 'unknown status code' : answer.text}"): the target was not reached`;
  if (answer.status === 407) {
    return failure(
      'http_status',
      `${lead}. The proxy wants credentials: put them in proxy_url (http://user:password@host:port)${proxy.authorization ? ', which has some that it did not accept' : ''}, or in proxy_connect_header`,
    );
  }
  if (answer.status === 403) {
    return failure(
      'http_forbidden',
      `${lead}. The proxy's rules do not allow a tunnel to this host and port`,
    );
  }
  if (answer.status >= 500) {
    return failure(
      'http_status',
      `${lead}. The proxy could not reach the target itself (from where it runs)`,
    );
  }
  return failure('http_status', lead);
}

/** The verdict for a proxy that could not be reached at all (dial errors, Go's `proxyconnect tcp`). */
export function unreachableProxy(
  err: NodeJS.ErrnoException,
  phase: 'dns' | 'connect' | 'tunnel',
  proxy: ResolvedProxy,
  timedOut: boolean,
): ScrapeFailure {
  const where = `the proxy ${proxy.display}`;
  const code = err.code ?? '';
  if (timedOut) {
    if (phase === 'tunnel') {
      return failure(
        'connect_timeout',
        `${where} accepted the connection but did not answer CONNECT within scrape_timeout: it may be unable to reach the target (the target was not reached)`,
      );
    }
    return failure(
      phase === 'dns' ? 'dns_failed' : 'connect_timeout',
      phase === 'dns'
        ? `looking up ${where} took longer than scrape_timeout`
        : `no TCP connection to ${where} within scrape_timeout: packets to the proxy are dropped (the target was not reached)`,
    );
  }
  if (/^(ENOTFOUND|EAI_)/.test(code)) {
    return failure(
      'dns_failed',
      `the host name of ${where} does not resolve (proxyconnect tcp: lookup ${proxy.hostname}: ${code}): the target was not reached`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return failure(
      'connect_refused',
      `nothing listens on ${where} (proxyconnect tcp: connection refused): the target was not reached; is the proxy running, and is proxy_url right?`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return failure(
      'connect_refused',
      `${where} cannot be reached (${code}): the target was not reached`,
    );
  }
  return failure(
    'connection_lost',
    phase === 'tunnel'
      ? `${where} closed the connection before answering CONNECT (${code === '' ? err.message : code}): the target was not reached`
      : `the connection to ${where} failed (${code === '' ? err.message : code}): the target was not reached`,
  );
}
