/**
 * `tls_config.min_version` and `max_version` as Go's crypto/tls applies them: a client offers TLS
 * 1.2 and up unless told otherwise (Go 1.18+), `max_version` caps what it offers, and a server that
 * accepts none of it ends the handshake with a protocol_version alert
 * (https://www.rfc-editor.org/rfc/rfc8446#section-6.2). prometheus/common `NewTLSConfig` refuses a
 * max_version below min_version when both are set.
 */
import type { SecureVersion } from 'node:tls';
import { failure, type ScrapeFailure } from './failure.ts';
import type { TlsSettings } from './types.ts';

type Version = NonNullable<TlsSettings['minVersion']>;

/** The two settings, as TlsSettings or TlsMaterial carry them. */
interface VersionSettings {
  minVersion?: Version | undefined;
  maxVersion?: Version | undefined;
}

/** Prometheus's names, as Node's. */
export const TLS_VERSIONS: Record<Version, SecureVersion> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

const ORDER: readonly Version[] = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];

/** Go's client default MinVersion (crypto/tls, since Go 1.18). */
const GO_CLIENT_MIN: Version = 'TLS12';

/** Node's `minVersion`/`maxVersion` for these settings, or Go's refusal of them. */
export function tlsVersionRange(
  tls: VersionSettings,
  setting = 'tls_config',
): { minVersion: SecureVersion; maxVersion?: SecureVersion } | ScrapeFailure {
  const min = tls.minVersion ?? GO_CLIENT_MIN;
  if (tls.maxVersion === undefined) return { minVersion: TLS_VERSIONS[min] };
  if (ORDER.indexOf(tls.maxVersion) < ORDER.indexOf(min)) {
    if (tls.minVersion !== undefined) {
      // prometheus/common NewTLSConfig: the client is never built, so the job never scrapes.
      return failure(
        'config_invalid',
        `${setting}.max_version must be greater than or equal to ${setting}.min_version if both are specified`,
      );
    }
    return failure(
      'tls_handshake_failed',
      `tls: no supported versions satisfy MinVersion and MaxVersion: ${setting}.max_version is ${tls.maxVersion}, below the TLS 1.2 Go offers at least when min_version is not set; raise max_version (or set min_version: ${tls.maxVersion})`,
    );
  }
  return { minVersion: TLS_VERSIONS[min], maxVersion: TLS_VERSIONS[tls.maxVersion] };
}

// OpenSSL's names for "we could not agree on a version", from either side of the handshake.
const VERSION_MISMATCH =
  /^ERR_SSL_(.*ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_SSL_VERSION|TLSV1_ALERT_PROTOCOL_VERSION)$/;

/**
 * The verdict for a handshake that failed because no TLS version suited both sides, naming the
 * setting that narrowed the client's range; null for any other failure.
 */
export function versionMismatch(
  code: string,
  tls: VersionSettings,
  authority: string,
  setting = 'tls_config',
): ScrapeFailure | null {
  if (!VERSION_MISMATCH.test(code)) return null;
  const offered = `${tls.minVersion ?? GO_CLIENT_MIN}${tls.maxVersion === undefined ? ' and newer' : ` to ${tls.maxVersion}`}`;
  let why: string;
  if (tls.maxVersion !== undefined && tls.maxVersion !== 'TLS13') {
    why = `${setting}.max_version is ${tls.maxVersion} and the server accepts only newer versions: raise or remove max_version`;
  } else if (tls.minVersion !== undefined && tls.minVersion !== 'TLS10') {
    why = `${setting}.min_version is ${tls.minVersion} and the server offers only older versions: lower min_version (or upgrade the server)`;
  } else {
    why =
      'the server offers only TLS versions older than 1.2, which Go refuses unless min_version allows them';
  }
  return failure(
    'tls_handshake_failed',
    `the TLS handshake with ${authority} failed: no protocol version suits both sides (remote error: tls: protocol version not supported; ${code}). scrape-check offered ${offered}: ${why}`,
  );
}
