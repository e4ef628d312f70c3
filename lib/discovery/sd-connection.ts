/**
 * How a `kubernetes_sd_configs` block reaches its API server, the three ways Prometheus connects
 * (discovery/kubernetes/kubernetes.go `New`): `api_server` with the block's own TLS and
 * credentials, `kubeconfig_file`, or in-cluster (the pod's ServiceAccount files and
 * `KUBERNETES_SERVICE_HOST`/`_PORT`). In-cluster resolves to the Prometheus pod scrape-check stands
 * in for, when a `clusters[]` entry says so.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { inClusterApiServer } from '#lib/config/env.ts';
import type { HttpSdRequest } from './http-request.ts';
import {
  apiServerTls,
  connectKubeconfig,
  redact,
  type ClusterConnection,
} from '#lib/credentials/index.ts';
import { CA_PATH, NAMESPACE_PATH, TOKEN_PATH, type StandIn } from '#lib/standin/index.ts';
import type { DiscoveryFailure } from './types.ts';

type Loose = Record<string, unknown>;

export type SdConnection =
  | { ok: true; conn: ClusterConnection; ownNamespace: string | null }
  | { ok: false; failure: DiscoveryFailure };

function fail(message: string): SdConnection {
  return { ok: false, failure: { message, status: null } };
}

/** A file the block names, read as the pod would: the stand-in's files first, then the disk. */
async function readPodFile(
  path: string,
  standIn: StandIn | null,
  setting: string,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  const inMemory = standIn?.files.get(path);
  if (inMemory !== undefined) return { ok: true, text: inMemory };
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const hint = path.startsWith('/var/run/secrets/kubernetes.io/')
      ? ' (a path inside the Prometheus pod: set clusters[].prometheus.service_account to stand in for it)'
      : '';
    return { ok: false, message: `${setting} ${path} cannot be read (${code})${hint}` };
  }
}

const str = (obj: unknown, key: string): string | undefined => {
  const v = obj !== null && typeof obj === 'object' ? (obj as Loose)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** The block's `authorization`, `bearer_token(_file)` or `basic_auth`, as a header value. */
async function authorizationHeader(
  sd: Loose,
  standIn: StandIn | null,
): Promise<
  { ok: true; header: string | null; secret: string | null } | { ok: false; message: string }
> {
  const auth = sd.authorization as Loose | undefined;
  const scheme = str(auth, 'type') ?? 'Bearer';
  let credentials = str(auth, 'credentials') ?? str(sd, 'bearer_token');
  const file = str(auth, 'credentials_file') ?? str(sd, 'bearer_token_file');
  if (credentials === undefined && file !== undefined) {
    const read = await readPodFile(
      file,
      standIn,
      auth ? 'authorization.credentials_file' : 'bearer_token_file',
    );
    if (!read.ok) return read;
    credentials = read.text.trim();
  }
  if (credentials !== undefined)
    return { ok: true, header: `${scheme} ${credentials}`, secret: credentials };
  const basic = sd.basic_auth as Loose | undefined;
  if (basic !== undefined) {
    let password = str(basic, 'password') ?? '';
    const passwordFile = str(basic, 'password_file');
    if (passwordFile !== undefined) {
      const read = await readPodFile(passwordFile, standIn, 'basic_auth.password_file');
      if (!read.ok) return read;
      password = read.text.trim();
    }
    const pair = Buffer.from(`${str(basic, 'username') ?? ''}:${password}`).toString('base64');
    return { ok: true, header: `Basic ${pair}`, secret: password === '' ? null : password };
  }
  return { ok: true, header: null, secret: null };
}

/** A connection from `api_server` and the block's own HTTP client settings. */
async function fromApiServer(
  sd: Loose,
  server: string,
  standIn: StandIn | null,
  name: string,
): Promise<SdConnection> {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return fail(`api_server ${JSON.stringify(server)} is not a URL`);
  }
  const tls = (sd.tls_config ?? {}) as Loose;
  let caPem = str(tls, 'ca') ?? null;
  const caFile = str(tls, 'ca_file');
  if (caFile !== undefined) {
    const read = await readPodFile(caFile, standIn, 'tls_config.ca_file');
    if (!read.ok) return fail(read.message);
    caPem = read.text;
  }
  const cert: { cert?: string; key?: string } = {};
  for (const [key, inline, file] of [
    ['cert', 'cert', 'cert_file'],
    ['key', 'key', 'key_file'],
  ] as const) {
    const path = str(tls, file);
    if (path !== undefined) {
      const read = await readPodFile(path, standIn, `tls_config.${file}`);
      if (!read.ok) return fail(read.message);
      cert[key] = read.text;
    } else if (str(tls, inline) !== undefined) cert[key] = str(tls, inline)!;
  }
  const auth = await authorizationHeader(sd, standIn);
  if (!auth.ok) return fail(auth.message);
  const serverName = str(tls, 'server_name');
  return {
    ok: true,
    ownNamespace: null,
    conn: {
      name,
      server: url,
      caPem,
      tls: {
        ...cert,
        rejectUnauthorized: tls.insecure_skip_verify !== true,
        ...(serverName === undefined ? {} : { servername: serverName }),
      },
      authorization: auth.header,
      flavor: 'unknown',
      version: null,
      identity: `the credentials of ${name}`,
      identityHint: `the RBAC of the identity in ${name}`,
      rejectedHint: `check the credentials of ${name}`,
      warnings: [],
      secrets: [auth.secret, cert.key].filter((s): s is string => s !== null && s !== undefined),
    },
  };
}

/** In-cluster: the stand-in pod, or this process's own pod when it runs in one. */
async function inCluster(standIn: StandIn | null, name: string): Promise<SdConnection> {
  if (standIn !== null) return { ok: true, conn: standIn.conn, ownNamespace: standIn.namespace };
  const where = inClusterApiServer();
  if (where === null) {
    return fail(
      `${name} has neither api_server nor kubeconfig_file, so Prometheus would use its pod's in-cluster config; scrape-check is not in a pod (KUBERNETES_SERVICE_HOST is not set): set clusters[].prometheus.service_account to stand in for the Prometheus pod`,
    );
  }
  const token = await readPodFile(TOKEN_PATH, null, 'the in-cluster token');
  if (!token.ok) return fail(token.message);
  const ca = await readPodFile(CA_PATH, null, 'the in-cluster CA');
  if (!ca.ok) return fail(ca.message);
  const namespace = await readPodFile(NAMESPACE_PATH, null, 'the pod namespace file');
  const host = isIP(where.host) === 6 ? `[${where.host}]` : where.host;
  const secret = token.text.trim();
  return {
    ok: true,
    ownNamespace: namespace.ok ? namespace.text.trim() : null,
    conn: {
      name,
      server: new URL(`https://${host}:${where.port}`),
      caPem: ca.text,
      tls: {},
      authorization: `Bearer ${secret}`,
      flavor: 'unknown',
      version: null,
      identity: "this pod's ServiceAccount",
      identityHint: "the RBAC of this pod's ServiceAccount",
      rejectedHint: "check this pod's ServiceAccount token",
      warnings: [],
      secrets: [secret],
    },
  };
}

/**
 * The connection a `kubernetes_sd_configs` entry would use. `name` says which block, for messages
 * (`scrape_configs[kubernetes-pods].kubernetes_sd_configs[0]`).
 */
export async function kubernetesConnection(
  sd: Loose,
  standIn: StandIn | null,
  name: string,
): Promise<SdConnection> {
  const server = str(sd, 'api_server');
  if (server !== undefined && server !== '') return fromApiServer(sd, server, standIn, name);
  const kubeconfig = str(sd, 'kubeconfig_file');
  if (kubeconfig !== undefined && kubeconfig !== '') {
    const conn = await connectKubeconfig(name, { path: kubeconfig, context: null });
    return conn.ok ? { ok: true, conn: conn.value, ownNamespace: null } : fail(conn.diagnosis);
  }
  return inCluster(standIn, name);
}

/**
 * The GET an `http_sd_configs` block makes, with the block's own TLS and credentials (read as the
 * pod would read them) and `follow_redirects`; its failures are worded as Go's client words them.
 */
export async function httpSdRequest(
  sd: Loose,
  standIn: StandIn | null,
  name: string,
): Promise<{ request: HttpSdRequest } | { failure: DiscoveryFailure }> {
  const url = str(sd, 'url') ?? '';
  const settings = await fromApiServer(sd, url, standIn, name);
  if (!settings.ok) return { failure: settings.failure };
  const { conn } = settings;
  // All of undici, for its redirect interceptor: loaded only by jobs that use http_sd.
  const { Agent, interceptors, request: undiciRequest } = await import('undici');
  const agent = new Agent({ connect: await apiServerTls(conn) });
  // Go's client follows up to 10 redirects unless follow_redirects is false.
  const dispatcher =
    sd.follow_redirects === false
      ? agent
      : agent.compose(interceptors.redirect({ maxRedirections: 10 }));
  return {
    request: async (target, headers) => {
      try {
        const response = await undiciRequest(target, {
          method: 'GET',
          headers:
            conn.authorization === null
              ? headers
              : { ...headers, authorization: conn.authorization },
          dispatcher,
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        const body = new Uint8Array(await response.body.arrayBuffer());
        return { status: response.statusCode, headers: response.headers, body };
      } catch (error) {
        const cause = (error as { cause?: { message?: string } }).cause;
        throw new Error(redact(cause?.message ?? (error as Error).message, conn.secrets));
      } finally {
        void agent.close().catch(() => undefined);
      }
    },
  };
}
