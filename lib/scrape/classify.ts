/**
 * Turns the real error of a failed connection or request (Node/OpenSSL codes, TLS alerts, undici
 * errors) into the contract's reason code and a first diagnosis. Where the error happened (the
 * probe's phase) matters as much as what it was: a timeout while connecting is `connect_timeout`,
 * one while waiting for the body is `scrape_timeout`.
 */
import type { ConnectionProbe } from './connector.ts';
import { failure, ScrapeFailureError, type ScrapeFailure } from './failure.ts';

// TLS alerts the server sends when it does not accept our client certificate (or wanted one).
// OpenSSL names them ERR_SSL_SSLV3_ALERT_*, ERR_SSL_TLSV1_ALERT_*, ERR_SSL_TLSV13_ALERT_* or (3.x)
// ERR_SSL_SSL/TLS_ALERT_*, so match the alert's own name. https://www.rfc-editor.org/rfc/rfc8446#section-6.2
const CLIENT_CERT_ALERT =
  /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|ACCESS_DENIED|DECRYPT_ERROR)$/;

const PLAINTEXT_ON_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);

export interface ClassifyContext {
  probe: ConnectionProbe;
  url: URL;
  timeoutMs: number;
  hasClientCert: boolean;
  /** True when the deadline (scrape_timeout) fired. */
  timedOut: boolean;
}

function describeError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

/** Finds the innermost error with a code: undici wraps socket errors in its own. */
function rootError(error: unknown): NodeJS.ErrnoException {
  let err = error as NodeJS.ErrnoException & { cause?: unknown };
  for (let i = 0; i < 5 && err.cause && typeof err.cause === 'object'; i++) {
    const cause = err.cause as NodeJS.ErrnoException & { cause?: unknown };
    if (!cause.code && !(cause instanceof Error)) break;
    err = cause;
  }
  return err;
}

/** `37 bytes of the body (of the 1000 that Content-Length announced)`. */
function bodySoFar(response: NonNullable<ConnectionProbe['response']>): string {
  const n = response.bodyBytes;
  const announced =
    response.contentLength === null
      ? ''
      : ` (of the ${response.contentLength} that Content-Length announced)`;
  return `${n} byte${n === 1 ? '' : 's'} of the body${announced}`;
}

const CLOSED = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/**
 * A failure after the response head arrived: whatever the scheme, the server spoke HTTP, so the
 * cause is the body's, never the port's (issue 13). Null when the head had not arrived.
 */
function afterHead(
  err: NodeJS.ErrnoException,
  probe: ConnectionProbe,
  authority: string,
): ScrapeFailure | null {
  const response = probe.response;
  if (response === null) return null;
  const code = err.code ?? '';
  if (code.startsWith('ERR_HTTP2_')) {
    return failure(
      'connection_lost',
      `${authority} sent the response headers (HTTP ${response.status}), then reset the HTTP/2 stream after ${bodySoFar(response)}, before the body ended: the server gave up on the response, or a proxy in front of it did (${describeError(err)})`,
    );
  }
  if (CLOSED.has(code) || /socket hang up|other side closed|closed/i.test(err.message)) {
    return failure(
      'connection_lost',
      `${authority} sent the response headers (HTTP ${response.status}), then the connection closed after ${bodySoFar(response)}, before the body ended: a proxy or load balancer cut it, or the server stopped while writing (${describeError(err)})`,
    );
  }
  return failure(
    'connection_lost',
    `${authority} sent the response headers (HTTP ${response.status}), then the body broke off after ${bodySoFar(response)}: ${describeError(err)}`,
  );
}

export function classifyError(error: unknown, ctx: ClassifyContext): ScrapeFailure {
  if (error instanceof ScrapeFailureError) return error.failure;
  if (ctx.probe.failure) return ctx.probe.failure;
  const { probe, url } = ctx;
  const seconds = `${ctx.timeoutMs / 1000}s`;
  const err = probe.error ?? rootError(error);
  const code = err.code ?? '';
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');

  if (
    ctx.timedOut ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_ABORTED' ||
    (err as Error).name === 'AbortError'
  ) {
    switch (probe.phase) {
      case 'dns':
        return {
          reason: 'dns_failed',
          diagnosis: `looking up ${host} took longer than scrape_timeout (${seconds})`,
        };
      case 'connect':
        return {
          reason: 'connect_timeout',
          diagnosis: `no TCP connection to ${host}:${port} within ${seconds}: the packets are dropped, not refused (a firewall, a security group or a network policy), or the address is wrong`,
        };
      case 'tls':
        return {
          reason: 'scrape_timeout',
          diagnosis: `the TLS handshake with ${host}:${port} did not finish within scrape_timeout (${seconds}): the port may not speak TLS, or the server is overloaded`,
        };
      case 'request':
        return {
          reason: 'scrape_timeout',
          diagnosis:
            probe.response === null
              ? `the scrape took longer than scrape_timeout (${seconds}): the server accepted the connection but did not send the whole response in time`
              : `the scrape took longer than scrape_timeout (${seconds}): the server sent the response headers (HTTP ${probe.response.status}) and ${bodySoFar(probe.response)}, but not the rest in time`,
        };
    }
  }
  const cut = afterHead(err, probe, `${host}:${port}`);
  if (cut) return cut;
  if (
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'EAI_FAIL' ||
    code === 'EAI_NONAME' ||
    code === 'EAI_NODATA'
  ) {
    return {
      reason: 'dns_failed',
      diagnosis:
        code === 'EAI_AGAIN'
          ? `looking up ${host} failed temporarily (the DNS server did not answer): lookup ${host}: ${code}`
          : `the host name ${host} does not resolve (lookup ${host}: no such host)`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      reason: 'connect_refused',
      diagnosis: `nothing listens on ${host}:${port} (connection refused)`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return {
      reason: 'connect_refused',
      diagnosis: `${host}:${port} cannot be reached (${code === 'EHOSTUNREACH' ? 'no route to host' : 'network is unreachable'})`,
    };
  }
  if (CLIENT_CERT_ALERT.test(code)) {
    const alert = code
      .replace(/^ERR_SSL_.*ALERT_/, '')
      .toLowerCase()
      .replace(/_/g, ' ');
    return {
      reason: 'tls_client_cert_rejected',
      diagnosis: ctx.hasClientCert
        ? `the server refused the client certificate in tls_config.cert_file (TLS alert: ${alert}): it is not signed by a CA the server trusts, or it has expired`
        : `the server wants a client certificate and none was given (TLS alert: ${alert}): set tls_config.cert_file and key_file`,
    };
  }
  if (probe.phase === 'tls') {
    if (PLAINTEXT_ON_TLS.has(code)) {
      return {
        reason: 'tls_handshake_failed',
        diagnosis: `${host}:${port} does not speak TLS (it answered the TLS hello with plain text: ${code}): use scheme: http for this port`,
      };
    }
    if (/^ERR_SSL_.*ALERT_INTERNAL_ERROR$/.test(code)) {
      return {
        reason: 'tls_handshake_failed',
        diagnosis: `the server aborted the TLS handshake (remote error: tls: internal error): a kubelet does this while its serving certificate request is pending approval`,
      };
    }
    if (
      code === 'ECONNRESET' ||
      code === 'EPIPE' ||
      /socket disconnected|socket hang up/i.test(err.message)
    ) {
      return {
        reason: 'connection_lost',
        diagnosis: `${host}:${port} closed the connection during the TLS handshake: the port may speak plain HTTP (try scheme: http), or a proxy or load balancer cut it`,
      };
    }
    return {
      reason: 'tls_handshake_failed',
      diagnosis: `the TLS handshake with ${host}:${port} failed: ${describeError(err)}`,
    };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'ECONNABORTED' ||
    code === 'UND_ERR_CLOSED'
  ) {
    return {
      reason: 'connection_lost',
      diagnosis:
        url.protocol === 'http:'
          ? `${host}:${port} closed the connection before a complete response (EOF): if this port speaks TLS (etcd does this), use scheme: https; otherwise a proxy or load balancer cut it`
          : `${host}:${port} closed the connection before a complete response (a proxy or load balancer cut it, or the server crashed)`,
    };
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO') {
    return {
      reason: 'connection_lost',
      diagnosis:
        url.protocol === 'http:'
          ? `${host}:${port} did not answer with HTTP (${code}): it probably speaks TLS; use scheme: https`
          : `${host}:${port} sent something that is not an HTTP response (${code})`,
    };
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return {
      reason: 'http_status',
      diagnosis: `the response headers from ${host}:${port} are too large`,
    };
  }
  return {
    reason: 'connection_lost',
    diagnosis: `the request to ${host}:${port} failed: ${describeError(err)}`,
  };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** How a 3xx came to be the answer, when the caller knows. */
export interface RedirectContext {
  /** The job's `follow_redirects`. With it true, a 3xx is the answer only when it has no Location. */
  followRedirects: boolean;
}

/** A status other than 200, in Prometheus's words, with what it usually means. */
export function statusFailure(status: number, url: URL, redirect?: RedirectContext): ScrapeFailure {
  const line = `server returned HTTP status ${status}`;
  if (status === 401)
    return failure(
      'http_unauthorized',
      `${line}: the credentials were not accepted (expired, revoked, wrong audience, or none sent)`,
    );
  if (status === 403)
    return failure(
      'http_forbidden',
      `${line}: authorization refused GET ${url.pathname} for these credentials`,
    );
  if (status === 404)
    return failure(
      'http_not_found',
      `${line}: nothing is served at ${url.pathname} (wrong metrics_path, or the endpoint is not enabled)`,
    );
  if (REDIRECT_STATUSES.has(status)) {
    // Go does not follow a 3xx without a Location: it is the response (golang/go#49281).
    const why =
      redirect === undefined
        ? 'a redirect that was not followed (follow_redirects is false, or the response has no Location header)'
        : redirect.followRedirects
          ? 'a redirect without a Location header, which Go does not follow: Prometheus takes the redirect itself as the answer'
          : 'a redirect, and follow_redirects is false';
    return failure('http_status', `${line}: ${why}`);
  }
  if (status >= 200 && status < 300)
    return failure('http_status', `${line}: Prometheus accepts only 200 OK`);
  return failure('http_status', line);
}
