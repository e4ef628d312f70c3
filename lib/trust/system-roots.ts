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
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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
  /**
   * Every certificate, one PEM block each, without duplicates. Parsed on first read (each block
   * was judged a certificate or not, as Go's `ParseCertificate` judges it, only as far as the
   * `source` and `error` below needed).
   */
  readonly certificates: readonly string[];
  /**
   * The CERTIFICATE blocks (PEM, deduplicated) that may hold a certificate: those, plus the ones
   * that do not parse. Build TLS contexts from these, one array entry each: OpenSSL skips an entry
   * that does not parse (as Go's `AppendCertsFromPEM` skips it) and parses each of the others
   * once, where reading `certificates` first would parse every one of them twice.
   */
  readonly candidates: readonly string[];
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

/**
 * Collects CERTIFICATE blocks as `AppendCertsFromPEM` reads them, keyed by their DER (base64) so
 * each counts once, and judges a block a certificate (Go's `ParseCertificate`, here OpenSSL's
 * parser) only when asked: most of a store's blocks need no judgment until a context is built.
 */
class Pool {
  /** DER in base64 → the block as canonical PEM. */
  readonly candidates = new Map<string, string>();
  readonly #parses = new Map<string, boolean>();
  /** Block bodies as written, already read: most files repeat the bundle's blocks verbatim. */
  readonly #seenBodies = new Set<string>();
  /** Whole files already read: Amazon Linux's directories hold the bundle file itself. */
  readonly #seenFiles = new Set<string>();

  /** Reads the CERTIFICATE blocks of `pem`; returns the keys of those not seen before. */
  append(pem: string): string[] {
    // The same text again can add nothing: skip the scan (Lambda reads its 200 KB bundle thrice).
    if (this.#seenFiles.has(pem)) return [];
    this.#seenFiles.add(pem);
    const added: string[] = [];
    for (const match of pem.matchAll(CERT_BLOCK)) {
      const body = match[1]!;
      if (this.#seenBodies.has(body)) continue;
      this.#seenBodies.add(body);
      // A block with headers (`Proc-Type: …`) is not a certificate to Go.
      if (body.includes(':')) continue;
      const base64 = body.replace(/\s+/g, '');
      if (!BASE64.test(base64) || this.candidates.has(base64)) continue;
      const lines = base64.match(/.{1,64}/g) ?? [];
      this.candidates.set(
        base64,
        `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
      );
      added.push(base64);
    }
    return added;
  }

  /** Whether the block parses as a certificate; Go skips it otherwise. */
  parses(key: string): boolean {
    let parses = this.#parses.get(key);
    if (parses === undefined) {
      try {
        new X509Certificate(Buffer.from(key, 'base64'));
        parses = true;
      } catch {
        parses = false;
      }
      this.#parses.set(key, parses);
    }
    return parses;
  }
}

/** Go's readUniqueDirectoryEntries: the entries of `dir`, without symlinks into `dir` itself. */
function uniqueEntries(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isSymbolicLink()) {
      const target = readlinkOrNull(`${dir}/${entry.name}`);
      if (target !== null && !target.includes('/')) continue;
    }
    names.push(entry.name);
  }
  return names;
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** A file's text, or null when it cannot be read (Go skips it: a subdirectory, say). */
function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/**
 * Loads the system trust store as Go would with these settings. Never throws: what Go would
 * fail on is in `error`, with no certificate.
 *
 * The files are read synchronously: once per process, a Debian /etc/ssl/certs is some 300 links
 * and 150 small files, and one blocking pass (~15 ms of CPU) costs a third of what as many
 * thread-pool round trips cost (~45 ms), on the first HTTPS scrape of every cold start.
 *
 * @example
 * const roots = await loadSystemRoots({ root: '/tmp/debian' }); // reads /tmp/debian/etc/ssl/certs/…
 * roots.source; // 'the system trust store (/tmp/debian/etc/ssl/certs/ca-certificates.crt)'
 */
export function loadSystemRoots(options: SystemRootsOptions = {}): Promise<SystemRoots> {
  return Promise.resolve(load(options));
}

function load(options: SystemRootsOptions): SystemRoots {
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
  let fromFile: string[] = [];
  for (const file of files) {
    try {
      const data = readFileSync(file, 'latin1');
      fromFile = pool.append(data);
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
      names = uniqueEntries(dir);
    } catch (error) {
      if (firstError === null && !notExist(error)) firstError = goError('open', dir, error);
      continue;
    }
    const added: string[] = [];
    // In Go's order; Go concatenates with "/" and ignores what it cannot read.
    for (const name of names) {
      const data = readOrNull(`${dir}/${name}`);
      if (data !== null) added.push(...pool.append(data));
    }
    // Named only when it added a certificate: one that parses (usually the first looked at).
    if (added.some((key) => pool.parses(key))) dirsAdding.push(dir);
  }
  const empty = dirsAdding.length === 0 && !fromFile.some((key) => pool.parses(key));
  const candidates = [...pool.candidates.values()];
  let certificates: string[] | undefined;
  const roots = (source: string, error: string | null): SystemRoots => ({
    get certificates() {
      certificates ??= [...pool.candidates]
        .filter(([key]) => pool.parses(key))
        .map(([, pem]) => pem);
      return certificates;
    },
    candidates,
    source,
    error,
  });
  if (empty && firstError !== null) {
    return roots(
      `the system trust store, which could not be loaded (${firstError})`,
      `x509: failed to load system roots and no roots provided; ${firstError}`,
    );
  }
  return roots(describe(options, fileUsed, dirsAdding, empty), null);
}

function describe(
  options: SystemRootsOptions,
  fileUsed: string | null,
  dirsAdding: readonly string[],
  empty: boolean,
): string {
  if (empty) {
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

let loaded: SystemRoots | undefined;

/**
 * The process's system trust store, loaded on first use from `SSL_CERT_FILE`, `SSL_CERT_DIR` and
 * Go's paths, then kept for the life of the process (a CLI run, or a warm Lambda container), as
 * Prometheus keeps what it loaded at start: a CA installed later is seen after a restart.
 */
export function systemRoots(): Promise<SystemRoots> {
  return Promise.resolve(systemRootsNow());
}

/**
 * {@link systemRoots}, at once: for a getter that loads the store only when a TLS connection or a
 * diagnosis first needs it, as Go loads it on the first verification without `RootCAs`, so that
 * a plain-HTTP check never pays for it (some 25 ms of CPU on a cold start).
 */
export function systemRootsNow(): SystemRoots {
  loaded ??= load({ certFile: sslCertFile(), certDir: sslCertDir() });
  return loaded;
}
