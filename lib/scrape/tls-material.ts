/**
 * The TLS settings of a check turned into what the connector needs, read from disk at check time
 * so that a rotated CA or client certificate is picked up without a restart. A file that cannot be
 * read is this check's `config_invalid`, never a crash and never another check's problem.
 */
import { X509Certificate } from 'node:crypto';
import { failure, type ScrapeFailure } from './failure.ts';
import { readSetting } from './read-setting.ts';
import type { TlsSettings } from './types.ts';

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  /** A secret: never printed. */
  key?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
  minVersion?: TlsSettings['minVersion'];
  /** Where the trust anchors came from, for diagnoses: `tls_config.ca_file (/etc/ca.pem)`. */
  caSource: string;
  /** Subjects of the configured CA certificates, to tell a missing intermediate from a wrong CA. */
  caSubjects: string[];
}

/** Loads the TLS material of one check. */
export async function loadTlsMaterial(settings: TlsSettings): Promise<TlsMaterial | ScrapeFailure> {
  const material: TlsMaterial = {
    insecureSkipVerify: settings.insecureSkipVerify ?? false,
    caSource: 'the system trust store',
    caSubjects: [],
  };
  if (settings.serverName !== undefined) material.serverName = settings.serverName;
  if (settings.minVersion !== undefined) material.minVersion = settings.minVersion;
  if (settings.caFile !== undefined) {
    const ca = await readSetting(settings.caFile, 'tls_config.ca_file');
    if (typeof ca !== 'string') return ca;
    material.ca = ca;
    material.caSource = `tls_config.ca_file (${settings.caFile})`;
  } else if (settings.ca !== undefined) {
    material.ca = settings.ca;
    material.caSource = 'the configured CA (tls_config.ca)';
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
    material.cert = cert;
    material.key = key;
  }
  return material;
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
