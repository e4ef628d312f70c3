/**
 * A generated job's files as its pod would read them: every `*_file` setting of the scrape (TLS,
 * `authorization`, `bearer_token_file`, `basic_auth`, `oauth2`) that points into one of the
 * operator's mounts (`/etc/prometheus/…`) becomes the inline value of the mounted file, read from
 * the cluster into memory (never to disk). The ServiceAccount's own token and CA
 * (`/var/run/secrets/kubernetes.io/serviceaccount/…`) stay files: the stand-in resolves them to
 * its TokenRequest token and the cluster's CA. Discovery blocks keep their paths too: the stand-in
 * serves them from the same in-memory files. A file the pod would not have fails the job, with why.
 */
import type { ScrapeConfig, TlsConfig } from '#lib/config/index.ts';
import { SERVICE_ACCOUNT_DIR } from '#lib/standin/index.ts';
import { whyMissing, type Mounts } from './mounts.ts';

const MOUNTED = '/etc/prometheus/';

/** The job with its mounted files inlined, or the first file the pod would not have. */
export type Resolved = { ok: true; job: ScrapeConfig } | { ok: false; message: string };

/**
 * Inlines what `job` reads from the operator's mounts. Values are secrets: the returned job must
 * never be printed.
 */
export function resolvePodPaths(job: ScrapeConfig, mounts: Mounts): Resolved {
  const out = structuredClone(job);
  const problems: string[] = [];
  /** The mounted content for `path`, or undefined (not a mount path, or missing: noted). */
  const read = (path: string | undefined, key: string): string | undefined => {
    if (path === undefined || !path.startsWith(MOUNTED) || path.startsWith(SERVICE_ACCOUNT_DIR))
      return undefined;
    const value = mounts.files.get(path);
    if (value === undefined) problems.push(`${key} ${path}: ${whyMissing(mounts, path)}`);
    return value;
  };
  const tls = (t: TlsConfig | undefined, at: string): void => {
    if (t === undefined) return;
    for (const [file, inline] of [
      ['ca_file', 'ca'],
      ['cert_file', 'cert'],
      ['key_file', 'key'],
    ] as const) {
      const value = read(t[file], `${at}.${file}`);
      if (value === undefined) continue;
      Reflect.deleteProperty(t, file);
      t[inline] = value;
    }
  };
  /** A secret's `file` setting becomes its `inline` one, trimmed as Prometheus trims the file. */
  const secret = <F extends string, I extends string>(
    o: { [K in F | I]?: string | undefined } | undefined,
    file: F,
    inline: I,
    at: string,
  ): void => {
    if (o === undefined) return;
    const value = read(o[file], at === '' ? file : `${at}.${file}`);
    if (value === undefined) return;
    Reflect.deleteProperty(o, file);
    o[inline] = value.trim();
  };
  tls(out.tls_config, 'tls_config');
  secret(out.authorization, 'credentials_file', 'credentials', 'authorization');
  secret(out, 'bearer_token_file', 'bearer_token', '');
  secret(out.basic_auth, 'password_file', 'password', 'basic_auth');
  secret(out.basic_auth, 'username_file', 'username', 'basic_auth');
  secret(out.oauth2, 'client_secret_file', 'client_secret', 'oauth2');
  if (out.oauth2 !== undefined) tls(out.oauth2.tls_config, 'oauth2.tls_config');
  if (problems.length > 0)
    return {
      ok: false,
      message: `the Prometheus pod would not have the file${problems.length > 1 ? 's' : ''} this job reads (Prometheus fails to create its scrape client and scrapes nothing for it): ${problems.join('; ')}`,
    };
  return { ok: true, job: out };
}
