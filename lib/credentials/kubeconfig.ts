/**
 * Into a cluster through a kubeconfig, read by @kubernetes/client-node's loader, so every kind of
 * auth a kubeconfig holds works: a token, a client certificate, an exec plugin (`aws eks
 * get-token`, `gke-gcloud-auth-plugin`), basic auth. The loaded config is cached per file and
 * context across warm invocations; client-node caches exec credentials until their
 * `expirationTimestamp`.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { moduleCache } from './cache.ts';
import { failure, success, type Outcome } from './outcome.ts';
import type { ClusterConnection } from './types.ts';

/** The `clusters[].kubeconfig` entry. */
export interface KubeconfigRef {
  path: string;
  /** A context name; the file's current-context when absent. */
  context: string | null;
}

const configs = moduleCache<KubeConfig>();

/** `~/x` → the home directory's `x`, as kubectl reads `--kubeconfig`. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : resolve(path);
}

function pem(value: unknown): string | undefined {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'string' ? value : undefined;
}

function describeAuth(user: {
  token?: string;
  exec?: unknown;
  certData?: string;
  certFile?: string;
  authProvider?: unknown;
  username?: string;
}): string {
  if (user.exec !== undefined && user.exec !== null) {
    const command = (user.exec as { command?: unknown }).command;
    return `exec plugin \`${typeof command === 'string' ? command : '?'}\``;
  }
  if (user.token !== undefined) return 'a bearer token';
  if (user.certData !== undefined || user.certFile !== undefined) return 'a client certificate';
  if (user.authProvider !== undefined) return 'an auth provider';
  if (user.username !== undefined) return 'basic auth';
  return 'no credentials';
}

async function load(
  ref: KubeconfigRef,
  where: string,
): Promise<Outcome<{ kc: KubeConfig; file: string }>> {
  const file = expandHome(ref.path);
  let mtime: number;
  try {
    mtime = (await stat(file)).mtimeMs;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return failure(
      'credentials_failed',
      `The kubeconfig ${file} (${where}.path) cannot be read (${typeof code === 'string' ? code : 'error'}). Check the path; in Lambda, paths are inside the bundle (/var/task/...).`,
    );
  }
  const key = `${file}|${ref.context ?? ''}|${mtime}`;
  const cached = configs.get(key, Date.now());
  if (cached !== undefined) return success({ kc: cached, file });
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(
      'credentials_failed',
      `The kubeconfig ${file} (${where}.path) is not a valid kubeconfig: ${message}.`,
    );
  }
  if (ref.context !== null) {
    if (kc.getContextObject(ref.context) === null) {
      const known = kc.getContexts().map((c) => c.name);
      return failure(
        'credentials_failed',
        `The kubeconfig ${file} has no context "${ref.context}" (${where}.context). Its contexts: ${known.length > 0 ? known.join(', ') : 'none'}.`,
      );
    }
    kc.setCurrentContext(ref.context);
  } else if (kc.getCurrentContext() === '') {
    return failure(
      'credentials_failed',
      `The kubeconfig ${file} sets no current-context and ${where}.context is empty: name the context to use.`,
    );
  }
  configs.set(key, kc, Number.POSITIVE_INFINITY);
  return success({ kc, file });
}

/**
 * Connects to the cluster a kubeconfig context names, as that context's user.
 *
 * @example
 * const conn = await connectKubeconfig('lab', { path: '~/.kube/config', context: 'kind-kind' });
 */
export async function connectKubeconfig(
  name: string,
  ref: KubeconfigRef,
): Promise<Outcome<ClusterConnection>> {
  const where = `clusters[${name}].kubeconfig`;
  const loaded = await load(ref, where);
  if (!loaded.ok) return loaded;
  const { kc, file } = loaded.value;
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (cluster === null || user === null) {
    return failure(
      'credentials_failed',
      `Context "${context}" in ${file} names a ${cluster === null ? 'cluster' : 'user'} that the file does not define.`,
    );
  }
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    return failure(
      'credentials_failed',
      `Cluster "${cluster.name}" in ${file} has no valid server URL.`,
    );
  }
  const opts: {
    ca?: unknown;
    cert?: unknown;
    key?: unknown;
    headers?: Record<string, unknown>;
    auth?: string;
    rejectUnauthorized?: boolean;
    servername?: string;
  } = {};
  const secrets: string[] = [];
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (error) {
    const message = error instanceof Error ? error.message.trim() : String(error);
    return failure(
      'credentials_failed',
      `The kubeconfig user "${user.name}" (context "${context}" in ${file}) could not produce credentials with ${describeAuth(user)}: ${message || 'it failed without a message'}. Run the same command by hand to see why (an expired SSO session, a missing binary on PATH).`,
    );
  }
  const header = opts.headers?.Authorization;
  let authorization = typeof header === 'string' ? header : null;
  if (authorization === null && opts.auth !== undefined) {
    authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    secrets.push(opts.auth);
  }
  if (authorization !== null) secrets.push(authorization.replace(/^\S+\s+/, ''));
  const cert = pem(opts.cert);
  const key = pem(opts.key);
  if (key !== undefined) secrets.push(key);
  const warnings: string[] = [];
  if (opts.rejectUnauthorized === false) {
    warnings.push(
      `Cluster "${cluster.name}" in ${file} sets insecure-skip-tls-verify: the checker does not verify the API server it talks to.`,
    );
  }
  return success({
    name,
    server,
    caPem: pem(opts.ca) ?? null,
    tls: {
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(opts.rejectUnauthorized === undefined
        ? {}
        : { rejectUnauthorized: opts.rejectUnauthorized }),
      ...(opts.servername === undefined ? {} : { servername: opts.servername }),
    },
    authorization,
    flavor: 'unknown',
    version: null,
    identity: `kubeconfig user "${user.name}" (context "${context}", ${describeAuth(user)})`,
    identityHint: `Its RBAC comes from the bindings that name that user or its groups: make deploy/kubernetes/checker-rbac.yaml's subjects match it.`,
    rejectedHint: `The API server does not accept the credentials of kubeconfig user "${user.name}": an expired token or client certificate, a revoked ServiceAccount token, or an exec plugin logged in as someone the cluster does not know. \`kubectl --context ${context} auth whoami\` shows the same.`,
    warnings,
    secrets,
  });
}
