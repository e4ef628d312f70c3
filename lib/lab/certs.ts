/**
 * Certificates made on the spot, for the lab and the tests: a CA, and leaves signed by it with
 * whatever flaw a case needs (expired, not yet valid, a name only in the Common Name, no IP SAN).
 * ECDSA P-256 keeps generation to a millisecond or two per certificate.
 */
import 'reflect-metadata'; // @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs it
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its key, both PEM. `keyPem` is a secret: never print it. */
export interface Issued {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** What a CA certificate is made with. */
export interface CaOptions {
  commonName: string;
  /** Signs this CA with another (an intermediate); self-signed when absent. */
  issuer?: Issued;
  notBefore?: Date;
  notAfter?: Date;
  /** Names for a self-signed certificate that also serves (a kubelet's own, say). */
  dns?: string[];
  ips?: string[];
}

/** What a leaf certificate is made with, flaws included. */
export interface LeafOptions {
  commonName: string;
  /** DNS names for the SAN extension. */
  dns?: string[];
  /** IP addresses for the SAN extension. */
  ips?: string[];
  /** Leave out the SAN extension entirely (a CN-only certificate, as Go refuses since 1.15). */
  noSan?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** Client certificate (clientAuth) rather than server (serverAuth). */
  client?: boolean;
}

let serial = Date.now();
function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(16, '0');
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

function sanNames(options: { dns?: string[]; ips?: string[] }): x509.JsonGeneralName[] {
  return [
    ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
}

/** Makes a CA certificate (self-signed, or an intermediate when `issuer` is given). */
export async function makeCa(options: CaOptions): Promise<Issued> {
  const keys = await newKeys();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const names = sanNames(options);
  if (names.length > 0) {
    // A self-signed certificate that serves: it also signs handshakes, for servers.
    extensions[1] = new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign |
        x509.KeyUsageFlags.cRLSign |
        x509.KeyUsageFlags.digitalSignature,
      true,
    );
    extensions.push(
      new x509.SubjectAlternativeNameExtension(names, false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
    );
  }
  const validity = {
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 3650 * DAY_MS),
  };
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        serialNumber: nextSerial(),
        subject: `CN=${options.commonName}`,
        issuer: options.issuer.cert.subject,
        ...validity,
        signingAlgorithm: ALG,
        publicKey: keys.publicKey,
        signingKey: options.issuer.keys.privateKey,
        extensions: [
          ...extensions,
          await x509.AuthorityKeyIdentifierExtension.create(options.issuer.cert),
        ],
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: nextSerial(),
        name: `CN=${options.commonName}`,
        ...validity,
        signingAlgorithm: ALG,
        keys,
        extensions,
      });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: `${await keyPem(keys)}\n`, cert, keys };
}

/** Makes a server (or client) certificate signed by `ca`. */
export async function makeLeaf(ca: Issued, options: LeafOptions): Promise<Issued> {
  const keys = await newKeys();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(
      [options.client ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  const names = options.noSan ? [] : sanNames(options);
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${options.commonName}`,
    issuer: ca.cert.subject,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: `${await keyPem(keys)}\n`, cert, keys };
}

/** Days from now, as a Date: `daysFromNow(-1)` is yesterday. */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY_MS);
}
