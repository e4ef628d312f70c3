/**
 * Verifies a server certificate the way Prometheus (Go's crypto/x509) does, not the way Node does:
 * the leaf's validity first, then the name (SANs only: Go has refused Common-Name-only certificates
 * since 1.15, Node still accepts them), then the chain (OpenSSL's verdict, with partial chains
 * allowed as Go allows them). The order matters: Go reports an expired certificate from an unknown
 * CA as expired, and so must we. https://go.dev/src/crypto/x509/verify.go (Verify, HostnameError)
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TlsInfo } from '#lib/result/types.ts';
import type { ScrapeFailure } from './failure.ts';

const DAY_MS = 86_400_000;

/** What verification found, whether or not `insecure_skip_verify` lets the scrape go on. */
export interface Verification {
  info: TlsInfo;
  /** Why Prometheus would refuse the certificate, or null when it verified. */
  failure: ScrapeFailure | null;
}

export interface VerifyOptions {
  /** The name Go verifies: `server_name`, else the URL's host. */
  verifyName: string;
  insecureSkipVerify: boolean;
  /** Where the CA came from, for the diagnosis (`tls_config.ca_file (/etc/…/ca.pem)`). */
  caSource: string;
  /** Subjects of the configured CA certificates (empty for the system store). */
  caSubjects: readonly string[];
  /** True when the anchors are the system trust store (no `ca_file`, no `ca`). */
  systemStore?: boolean;
  now: number;
}

/** Parses Node's `subjectAltName` string (`DNS:a, IP Address:1.2.3.4`) into `DNS:a`, `IP:1.2.3.4`. */
export function parseSans(subjectAltName: string | undefined): {
  dns: string[];
  ips: string[];
  all: string[];
} {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of subjectAltName?.split(/,\s*/) ?? []) {
    const [kind, ...rest] = part.split(':');
    const value = rest.join(':').replace(/^"|"$/g, '');
    if (kind === 'DNS') dns.push(value);
    else if (kind === 'IP Address') ips.push(value);
  }
  return { dns, ips, all: [...dns.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)] };
}

/** `CN=etcd\nO=x` (Node) to `CN=etcd, O=x`. */
function formatName(name: string): string {
  return name.split('\n').join(', ');
}

/** Go's HostnameError text, or null when the name matches. */
export function goHostnameError(cert: X509Certificate, host: string): string | null {
  const sans = parseSans(cert.subjectAltName);
  const hasSan = cert.subjectAltName !== undefined;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    if (hasSan && cert.checkIP(bare) !== undefined) return null;
  } else if (
    hasSan &&
    cert.checkHost(bare, {
      subject: 'never',
      wildcards: true,
      partialWildcards: false,
      multiLabelWildcards: false,
      singleLabelSubdomains: false,
    }) !== undefined
  ) {
    return null;
  }
  if (!hasSan && cert.checkHost(bare, { subject: 'always' }) !== undefined) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  if (isIP(bare)) {
    if (sans.ips.length === 0) {
      return `x509: cannot validate certificate for ${bare} because it doesn't contain any IP SANs`;
    }
    return `x509: certificate is valid for ${sans.ips.join(', ')}, not ${bare}`;
  }
  if (sans.dns.length === 0)
    return `x509: certificate is not valid for any names, but wanted to match ${bare}`;
  return `x509: certificate is valid for ${sans.dns.join(', ')}, not ${bare}`;
}

/** The chain Node reports: the certificates sent, then the trust anchor it found, leaf first. */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  // Node returns an empty object, not null, when there is no certificate.
  let cert = socket.getPeerCertificate(true) as PeerCertificate | undefined;
  while (cert && 'raw' in cert) {
    const fp = cert.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    chain.push(new X509Certificate(cert.raw));
    const next: PeerCertificate | undefined = (cert as { issuerCertificate?: PeerCertificate })
      .issuerCertificate;
    if (!next || next === cert) break;
    cert = next;
  }
  return chain;
}

/** Inspects and verifies the peer of an established TLS connection. Never throws for a bad certificate. */
export function verifyPeer(socket: TLSSocket, options: VerifyOptions): Verification {
  // Read the chain first and take the leaf from it: on Node 24, calling getPeerX509Certificate()
  // before getPeerCertificate(true) leaves the latter an empty object, and the chain is lost.
  const chain = peerChain(socket);
  const leaf = chain[0] ?? socket.getPeerX509Certificate();
  const info: TlsInfo = {
    version: socket.getProtocol(),
    verified: false,
    notAfter: null,
    daysLeft: null,
    subject: null,
    issuer: null,
    verificationSkipped: options.insecureSkipVerify,
    earliestNotAfter: null,
    chainNotAfter: null,
    sans: [],
    fingerprintSha256: null,
  };
  if (!leaf) {
    return {
      info,
      failure: {
        reason: 'tls_handshake_failed',
        diagnosis: 'the server completed the TLS handshake without a certificate',
      },
    };
  }
  const notAfter = Date.parse(leaf.validTo);
  const notBefore = Date.parse(leaf.validFrom);
  info.notAfter = new Date(notAfter).toISOString();
  // Whole days, towards zero: a certificate that expired 30 hours ago is -1 day, not -2.
  info.daysLeft = Math.trunc((notAfter - options.now) / DAY_MS) || 0;
  info.subject = formatName(leaf.subject);
  info.issuer = formatName(leaf.issuer);
  info.sans = parseSans(leaf.subjectAltName).all;
  info.fingerprintSha256 = createHash('sha256').update(leaf.raw).digest('hex');
  const expiries = chain.map((c) => Date.parse(c.validTo));
  info.earliestNotAfter = new Date(Math.min(notAfter, ...expiries)).toISOString();

  const name = options.verifyName;
  let result: ScrapeFailure | null = null;
  if (options.now > notAfter) {
    result = {
      reason: 'tls_cert_expired',
      diagnosis: `the server's certificate (${info.subject}) expired on ${info.notAfter}`,
    };
  } else if (options.now < notBefore) {
    result = {
      reason: 'tls_cert_not_yet_valid',
      diagnosis: `the server's certificate (${info.subject}) is not valid until ${new Date(notBefore).toISOString()}: check the clocks of this machine and of whoever issued it`,
    };
  } else {
    const mismatch = goHostnameError(leaf, name);
    if (mismatch) result = { reason: 'tls_hostname_mismatch', diagnosis: mismatch };
  }
  const openSslCode = socket.authorized ? null : String(socket.authorizationError);
  if (!result && openSslCode) {
    if (openSslCode === 'CERT_HAS_EXPIRED') {
      const expired = chain.find((c) => Date.parse(c.validTo) < options.now);
      result = {
        reason: 'tls_cert_expired',
        diagnosis: `a certificate in the server's chain (${expired ? formatName(expired.subject) : 'an intermediate'}) has expired`,
      };
    } else if (openSslCode === 'CERT_NOT_YET_VALID') {
      result = {
        reason: 'tls_cert_not_yet_valid',
        diagnosis: "a certificate in the server's chain is not valid yet",
      };
    } else {
      result = {
        reason: 'tls_unknown_ca',
        diagnosis: unknownCaDiagnosis(openSslCode, info, chain.length, options),
      };
    }
  }
  // With insecure_skip_verify Prometheus verifies nothing: the contract's `verified` and
  // `chainNotAfter` say so; what the side verification found goes into a warning instead.
  if (!result && !options.insecureSkipVerify) {
    info.verified = true;
    info.chainNotAfter = info.earliestNotAfter;
  }
  return { info, failure: result };
}

function unknownCaDiagnosis(
  code: string,
  info: TlsInfo,
  chainLength: number,
  options: VerifyOptions,
): string {
  const { caSource, caSubjects } = options;
  if (options.systemStore === true) {
    const problem =
      info.subject === info.issuer && chainLength === 1
        ? `the server presents a self-signed certificate (${info.subject ?? '?'}) that is not in ${caSource}`
        : `the server's certificate chain (${info.subject ?? '?'}, issued by ${info.issuer ?? '?'}) does not lead to a CA in ${caSource}`;
    return `${problem} (OpenSSL: ${code}); this machine's store stands in for the one on the host Prometheus runs on: set tls_config.ca_file to the CA that issued the certificate, or install that CA in the store (update-ca-certificates on Debian and Ubuntu, update-ca-trust on RHEL and Amazon Linux), or point SSL_CERT_FILE or SSL_CERT_DIR at it`;
  }
  const base = `the server's certificate chain (${info.subject ?? '?'}, issued by ${info.issuer ?? '?'}) does not lead to the CA in ${caSource}`;
  const selfSigned = info.subject === info.issuer;
  if (selfSigned && chainLength === 1 && !caSubjects.includes(info.subject ?? '')) {
    return `the server presents a self-signed certificate (${info.subject ?? '?'}) that ${caSource} does not hold (a kubelet without serverTLSBootstrap serves one): have it issued by the cluster CA, or add it to the CA file`;
  }
  if (
    !selfSigned &&
    chainLength === 1 &&
    caSubjects.length > 0 &&
    !caSubjects.includes(info.issuer ?? '')
  ) {
    return `the server's certificate (${info.subject ?? '?'}) was issued by ${info.issuer ?? '?'}, which ${caSource} does not hold (it holds ${caSubjects.join('; ')}): either the CA file is not the one that signed it (a rotated CA?), or the server does not send the intermediate certificate that links the two (serve the full chain, leaf first)`;
  }
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return `${base} (unable to verify the first certificate): either ${caSource} is not the CA that signed it (it may have rotated), or the server does not send its intermediate certificates`;
  }
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return `${base}: the server presents a self-signed certificate (a kubelet without serverTLSBootstrap does this); add it to the CA file or have it issued by the cluster CA`;
  }
  if (code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return `${base}: the chain ends in a root that ${caSource} does not hold; check that the CA file is current (CAs rotate)`;
  }
  return `${base} (OpenSSL: ${code}); check that the CA file is the one that signed the server's certificate`;
}
