/**
 * The system trust store as Prometheus (Go's crypto/x509 on Linux) loads it, not Node's bundled
 * Mozilla list: a corporate CA installed with `update-ca-certificates` (Debian) or
 * `update-ca-trust` (RHEL, Amazon Linux 2023, so Lambda) is trusted by Prometheus, and so must it
 * be here. Go's rules (golang/go src/crypto/x509/root_unix.go `loadSystemRoots`, root_linux.go):
 *
 * - the certificate files: `SSL_CERT_FILE` if set, else Go's list; the first one that can be read
 *   is used, the rest are not looked at;
 * - the certificate directories: `SSL_CERT_DIR` (colon-separated) if set, else Go's list; every
 *   file in each is read, except symlinks to a name in the same directory (the `openssl rehash`
 *   hash links, which would only repeat a certificate);
 * - from each file, every PEM `CERTIFICATE` block without headers that parses
 *   (`CertPool.AppendCertsFromPEM`): `TRUSTED CERTIFICATE` blocks and broken ones are skipped;
 * - an error other than "does not exist" matters only when nothing at all was loaded: Go then
 *   fails every verification with "x509: failed to load system roots and no roots provided".
 *
 * Loaded once per process ({@link systemRoots}), as Go loads it once (`sync.Once` in root.go).
 */
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { sslCertDir, sslCertFile } from '#lib/config/env.ts';

/** Go's certificate files on Linux, in its order (root_linux.go `certFiles`). */
export const GO_CERT_FILES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Gentoo
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6, Amazon Linux 2023 (Lambda)
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine
];

/**
 * Go's certificate directories on Linux (root_linux.go `certDirectories`). Newer Go also lists
 * Android's `/system/etc/security/cacerts` and `/data/misc/keychain/certs-added`; they do not
 * exist where Prometheus or scrape-check run, and Go skips a missing directory, so they are left out.
 */
export const GO_CERT_DIRECTORIES: readonly string[] = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

/** The trust anchors Go would verify against when a check sets neither `ca_file` nor `ca`. */
export interface SystemRoots {
  /** Every certificate, one PEM block each, without duplicates. */
  readonly certificates: readonly string[];
  /**
   * Where they came from, for diagnoses: `the system trust store
   * (/etc/ssl/certs/ca-certificates.crt)`; a directory is named only when it added a certificate
   * the file does not hold.
   */
  readonly source: string;
  /** Why nothing could be loaded (Go's `SystemRootsError`), or null. */
  readonly error: string | null;
}

/** Where to look. Each defaults to what Go would use in this process. */
export interface SystemRootsOptions {
  /** `SSL_CERT_FILE`: replaces Go's list of files. */
  certFile?: string | undefined;
  /** `SSL_CERT_DIR`: replaces Go's list of directories (colon-separated). */
  certDir?: string | undefined;
  /**
   * A directory standing for `/` under Go's built-in paths (not under `certFile` or `certDir`),
   * so tests can lay out a Debian or Amazon Linux tree in a temporary folder. Default: `/` itself.
   */
  root?: string;
}

const CERT_BLOCK = /(?:^|\n)-----BEGIN CERTIFICATE-----\r?\n([\s\S]*?)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's `os.IsNotExist`: only ENOENT. */
function notExist(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** An fs error as Go prints it: `open /etc/ssl/cert.pem: permission denied`. */
function goError(op: string, path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
  };
  return `${op} ${path}: ${words[code] ?? (code || (error as Error).message)}`;
}

/** Collects certificates as `AppendCertsFromPEM` does, keyed by their DER so each counts once. */
class Pool {
  readonly byDer = new Map<string, string>();

  /** Adds every usable CERTIFICATE block of `pem`; returns how many were new. */
  append(pem: string): number {
    let added = 0;
    for (const match of pem.matchAll(CERT_BLOCK)) {
      const body = match[1]!;
      // A block with headers (`Proc-Type: …`) is not a certificate to Go.
      if (body.includes(':')) continue;
      const base64 = body.replace(/\s+/g, '');
      if (!BASE64.test(base64) || this.byDer.has(base64)) continue;
      try {
        const cert = new X509Certificate(Buffer.from(base64, 'base64'));
        this.byDer.set(base64, cert.toString());
        added++;
      } catch {
        // Go's ParseCertificate refuses it too: skipped, as AppendCertsFromPEM skips it.
      }
    }
    return added;
  }
}

/** Go's readUniqueDirectoryEntries: the entries of `dir`, without symlinks into `dir` itself. */
async function uniqueEntries(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isSymbolicLink()) {
      const target = await readlink(`${dir}/${entry.name}`).catch(() => null);
      if (target !== null && !target.includes('/')) continue;
    }
    names.push(entry.name);
  }
  return names;
}

/**
 * Loads the system trust store as Go would with these settings. Never throws: what Go would
 * fail on is in `error`, with no certificate.
 *
 * @example
 * const roots = await loadSystemRoots({ root: '/tmp/debian' }); // reads /tmp/debian/etc/ssl/certs/…
 * roots.source; // 'the system trust store (/tmp/debian/etc/ssl/certs/ca-certificates.crt)'
 */
export async function loadSystemRoots(options: SystemRootsOptions = {}): Promise<SystemRoots> {
  const root = (options.root ?? '').replace(/\/+$/, '');
  const files =
    options.certFile === undefined ? GO_CERT_FILES.map((f) => root + f) : [options.certFile];
  const dirs =
    options.certDir === undefined
      ? GO_CERT_DIRECTORIES.map((d) => root + d)
      : options.certDir.split(':');
  const pool = new Pool();
  let firstError: string | null = null;
  let fileUsed: string | null = null;
  for (const file of files) {
    try {
      const data = await readFile(file, 'latin1');
      pool.append(data);
      fileUsed = file;
      break;
    } catch (error) {
      if (firstError === null && !notExist(error)) firstError = goError('open', file, error);
    }
  }
  const dirsAdding: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await uniqueEntries(dir);
    } catch (error) {
      if (firstError === null && !notExist(error)) firstError = goError('open', dir, error);
      continue;
    }
    let added = 0;
    // Read side by side (a Debian /etc/ssl/certs holds some 150 files: one at a time costs a cold
    // start ~150 ms), appended in Go's order. Go concatenates with "/" and ignores what it cannot
    // read (a subdirectory, say).
    const contents = await Promise.all(
      names.map((name) => readFile(`${dir}/${name}`, 'latin1').catch(() => null)),
    );
    for (const data of contents) if (data !== null) added += pool.append(data);
    if (added > 0) dirsAdding.push(dir);
  }
  const certificates = [...pool.byDer.values()];
  if (certificates.length === 0 && firstError !== null) {
    return {
      certificates,
      source: `the system trust store, which could not be loaded (${firstError})`,
      error: `x509: failed to load system roots and no roots provided; ${firstError}`,
    };
  }
  return {
    certificates,
    source: describe(options, fileUsed, dirsAdding, certificates),
    error: null,
  };
}

function describe(
  options: SystemRootsOptions,
  fileUsed: string | null,
  dirsAdding: readonly string[],
  certificates: readonly string[],
): string {
  if (certificates.length === 0) {
    const where =
      options.certFile === undefined && options.certDir === undefined
        ? 'none of the certificate files and directories Go reads holds a certificate (install ca-certificates, or set SSL_CERT_FILE)'
        : `no certificate in ${[
            ...(options.certFile === undefined ? [] : [`SSL_CERT_FILE=${options.certFile}`]),
            ...(options.certDir === undefined ? [] : [`SSL_CERT_DIR=${options.certDir}`]),
          ].join(' or ')}`;
    return `the system trust store, which is empty (${where})`;
  }
  const parts: string[] = [];
  if (fileUsed !== null) {
    parts.push(options.certFile === undefined ? fileUsed : `SSL_CERT_FILE=${fileUsed}`);
  }
  for (const dir of dirsAdding) {
    parts.push(options.certDir === undefined ? dir : `${dir} from SSL_CERT_DIR`);
  }
  return `the system trust store (${parts.join(' and ')})`;
}

let loaded: Promise<SystemRoots> | undefined;

/**
 * The process's system trust store, loaded on first use from `SSL_CERT_FILE`, `SSL_CERT_DIR` and
 * Go's paths, then kept for the life of the process (a CLI run, or a warm Lambda container), as
 * Prometheus keeps what it loaded at start: a CA installed later is seen after a restart.
 */
export function systemRoots(): Promise<SystemRoots> {
  loaded ??= loadSystemRoots({ certFile: sslCertFile(), certDir: sslCertDir() });
  return loaded;
}
