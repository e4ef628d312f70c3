/**
 * The TLS settings of a check turned into what the connector needs, read from disk at check time
 * so that a rotated CA or client certificate is picked up without a restart. A file that cannot be
 * read is this check's `config_invalid`, never a crash and never another check's problem.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { systemRootsNow, type SystemRoots } from '#lib/trust/index.ts';
import { checkClientPair } from './client-pair.ts';
import { failure, type ScrapeFailure } from './failure.ts';
import { readSetting } from './read-setting.ts';
import type { TlsSettings } from './types.ts';

export interface TlsMaterial {
  /** The configured CA (`ca_file` or `ca`); absent when the system trust store is used. */
  ca?: string;
  /**
   * The system trust store as Go would load it, present exactly when `ca` is absent: Prometheus
   * verifies against it, not against Node's bundled Mozilla list.
   */
  systemRoots?: SystemRoots;
  cert?: string;
  /** A secret: never printed. */
  key?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
  minVersion?: TlsSettings['minVersion'];
  maxVersion?: TlsSettings['maxVersion'];
  /**
   * Where the trust anchors came from, for diagnoses: `tls_config.ca_file (/etc/ca.pem)`, or
   * `the system trust store (/etc/ssl/certs/ca-certificates.crt)`.
   */
  caSource: string;
  /** Subjects of the configured CA certificates, to tell a missing intermediate from a wrong CA. */
  caSubjects: string[];
  /** What a person should know about the material though it loads (an expired client certificate). */
  warnings: string[];
}

/**
 * Loads the TLS material of one check and checks it as Go does when Prometheus loads it, so that a
 * broken file is this check's verdict and never a throw inside a socket handler.
 */
export async function loadTlsMaterial(
  settings: TlsSettings,
  now: number = Date.now(),
): Promise<TlsMaterial | ScrapeFailure> {
  const material: TlsMaterial = {
    insecureSkipVerify: settings.insecureSkipVerify ?? false,
    caSource: '',
    caSubjects: [],
    warnings: [],
  };
  if (settings.serverName !== undefined) material.serverName = settings.serverName;
  if (settings.minVersion !== undefined) material.minVersion = settings.minVersion;
  if (settings.maxVersion !== undefined) material.maxVersion = settings.maxVersion;
  if (settings.caFile !== undefined) {
    const ca = await readSetting(settings.caFile, 'tls_config.ca_file');
    if (typeof ca !== 'string') return ca;
    material.ca = ca;
    material.caSource = `tls_config.ca_file (${settings.caFile})`;
  } else if (settings.ca !== undefined) {
    material.ca = settings.ca;
    material.caSource = 'the configured CA (tls_config.ca)';
  } else {
    // Loaded once per process, when a handshake or a diagnosis first reads it, as Go loads it on
    // the first verification without RootCAs: a plain-HTTP check never pays for it. Its subjects
    // are not listed in diagnoses (hundreds of them).
    useSystemRoots(material);
  }
  if (material.ca !== undefined) {
    material.caSubjects = certificateSubjects(material.ca);
    if (material.caSubjects.length === 0)
      return failure('config_invalid', `${material.caSource} holds no PEM certificate`);
  }
  const cert =
    settings.certFile !== undefined
      ? await readSetting(settings.certFile, 'tls_config.cert_file')
      : settings.cert;
  if (typeof cert === 'object') return cert;
  const key =
    settings.keyFile !== undefined
      ? await readSetting(settings.keyFile, 'tls_config.key_file')
      : settings.key;
  if (typeof key === 'object') return key;
  if (cert !== undefined && key !== undefined) {
    const checked = checkClientPair(
      cert,
      key,
      {
        cert:
          settings.certFile === undefined
            ? 'tls_config.cert'
            : `tls_config.cert_file (${settings.certFile})`,
        key:
          settings.keyFile === undefined
            ? 'tls_config.key'
            : `tls_config.key_file (${settings.keyFile})`,
      },
      now,
    );
    if ('reason' in checked) return checked;
    material.warnings.push(...checked.warnings);
    material.cert = cert;
    material.key = key;
  }
  return assertUsable(material);
}

/**
 * The last word belongs to OpenSSL: whatever it still refuses (a CA block it cannot parse, a key
 * type it lacks) is this check's `config_invalid` here, not an exception in the connector.
 */
function assertUsable(material: TlsMaterial): TlsMaterial | ScrapeFailure {
  // Nothing of the check's own to refuse (the system store's broken blocks are skipped as Go does).
  if (material.ca === undefined && material.cert === undefined) return material;
  try {
    createSecureContext({
      ...(material.ca === undefined ? {} : { ca: material.ca }),
      ...(material.cert === undefined ? {} : { cert: material.cert, key: material.key }),
    });
    return material;
  } catch (error) {
    const what =
      material.cert === undefined
        ? material.caSource
        : `${material.caSource} or the client certificate and key`;
    return failure(
      'config_invalid',
      `the TLS material cannot be used: ${what} was refused (${(error as Error).message.replace(/^error:[0-9A-F]+:/, '')})`,
    );
  }
}

/**
 * Makes `systemRoots` and `caSource` read the process's system store on first use. `caSource` may
 * still be reworded by its owner (oauth2's material says `oauth2.tls_config`).
 */
function useSystemRoots(material: TlsMaterial): void {
  Object.defineProperties(material, {
    systemRoots: { get: systemRootsNow, enumerable: true, configurable: true },
    caSource: {
      get: () => systemRootsNow().source,
      set: (value: string) => {
        Object.defineProperty(material, 'caSource', { value, writable: true, enumerable: true });
      },
      enumerable: true,
      configurable: true,
    },
  });
}

/** The subjects of every certificate in a PEM bundle (`CN=etcd-ca, O=x`); unparsable ones are skipped. */
function certificateSubjects(pem: string): string[] {
  const subjects: string[] = [];
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
    []) {
    try {
      subjects.push(new X509Certificate(block).subject.split('\n').join(', '));
    } catch {
      // Not a certificate OpenSSL can read: OpenSSL will ignore it too.
    }
  }
  return subjects;
}
