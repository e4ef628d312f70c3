/**
 * A client certificate and its key, checked before any connection is made, the way Go's
 * `tls.X509KeyPair` checks them when Prometheus loads `tls_config`: both must be PEM, the key must
 * be unencrypted, and the key must belong to the certificate. Node would otherwise throw inside the
 * socket's connect handler, outside every catch, and end the whole run (issue 13).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { failure, type ScrapeFailure } from './failure.ts';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const ANY_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/;

/** Where a piece of material came from, for messages: `tls_config.cert_file (/etc/client.pem)`. */
export interface MaterialSource {
  cert: string;
  key: string;
}

/** What a PEM text holds, in words: `an RSA PRIVATE KEY block`, `no PEM block`, `nothing`. */
function holds(pem: string): string {
  if (pem.trim() === '') return 'nothing (the file is empty)';
  const block = ANY_BLOCK.exec(pem);
  return block
    ? `a ${block[1]!} block, not a certificate`
    : 'no PEM block (is it DER, or base64 without the BEGIN/END lines?)';
}

function readKey(pem: string, where: string): KeyObject | ScrapeFailure {
  if (pem.trim() === '') return failure('config_invalid', `${where} is empty`);
  // Go's X509KeyPair refuses encrypted PEM keys outright ("tls: failed to parse private key"),
  // and Prometheus has no passphrase setting.
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    return failure(
      'config_invalid',
      `${where} is encrypted with a passphrase; Prometheus (Go) cannot use an encrypted key: decrypt it (openssl pkey -in key.pem -out key-plain.pem) and keep the file readable only by Prometheus`,
    );
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: '' });
  } catch {
    const found = ANY_BLOCK.exec(pem);
    return failure(
      'config_invalid',
      `${where} holds no private key Go can read (${found ? `found a ${found[1]!} block` : 'no PEM block'}); expected an unencrypted PKCS#1, PKCS#8 or EC PEM key`,
    );
  }
}

/**
 * Checks a client certificate and key. Returns the failure Prometheus would hit (as this check's
 * `config_invalid`, naming the files), or the warnings worth a person's attention (an expired
 * client certificate is sent anyway, as Go sends it, and the server is the one to refuse it).
 */
export function checkClientPair(
  cert: string,
  key: string,
  source: MaterialSource,
  now: number,
): ScrapeFailure | { warnings: string[] } {
  const block = CERT_BLOCK.exec(cert);
  if (!block) return failure('config_invalid', `${source.cert} holds ${holds(cert)}`);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(block[0]);
  } catch {
    return failure(
      'config_invalid',
      `${source.cert} holds a CERTIFICATE block that is not a valid X.509 certificate`,
    );
  }
  const privateKey = readKey(key, source.key);
  if ('reason' in privateKey) return privateKey;
  if (!leaf.checkPrivateKey(privateKey)) {
    return failure(
      'config_invalid',
      `${source.key} does not belong to the certificate in ${source.cert} (Go: "tls: private key does not match public key"); the pair was probably rotated one file at a time`,
    );
  }
  const warnings: string[] = [];
  const notAfter = Date.parse(leaf.validTo);
  if (notAfter < now) {
    warnings.push(
      `the client certificate in ${source.cert} expired on ${new Date(notAfter).toISOString()}; a server that checks client certificates will refuse it`,
    );
  }
  return { warnings };
}
