/**
 * Standing in for a Prometheus that runs in a cluster (`clusters[].prometheus.service_account`):
 * its in-cluster ServiceAccount files and in-cluster discovery resolve to a TokenRequest token for
 * that ServiceAccount, the cluster's CA and its API server, so an in-cluster prometheus.yml runs
 * from a laptop or Lambda unchanged, with exactly the rights that Prometheus has.
 */
import type { ClusterConfig } from '#lib/config/index.ts';
import {
  obtainScopedToken,
  type ClusterConnection,
  type Failure,
  type ScopedToken,
} from '#lib/credentials/index.ts';
import { connect } from '#lib/targets/cluster-connect.ts';
import { podFiles, type PodFiles } from './pod-files.ts';

export { CA_PATH, NAMESPACE_PATH, SERVICE_ACCOUNT_DIR, TOKEN_PATH } from './pod-files.ts';
export type { PodFiles } from './pod-files.ts';

/** A Prometheus pod, as scrape-check stands in for it. */
export interface StandIn {
  /** The `clusters[]` entry's name: results of this pod's jobs carry it as `cluster`. */
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** The API server, reached the way `rest.InClusterConfig` would, with the pod's own token. */
  conn: ClusterConnection;
  /** scrape-check's own way in, for questions the pod may not ask (SubjectAccessReview). */
  checker: ClusterConnection;
  token: ScopedToken;
  files: PodFiles;
}

/** Parses `namespace/name`. */
function serviceAccountRef(ref: string): { namespace: string; name: string } {
  const [namespace = '', name = ''] = ref.split('/', 2);
  return { namespace, name };
}

/**
 * Gets into the cluster as scrape-check, then mints a token for the Prometheus ServiceAccount.
 * API calls of the stand-in (discovery) then use that token, never scrape-check's own rights.
 * `files` adds what else the pod has mounted (the Prometheus Operator's TLS assets, Secrets and
 * ConfigMaps under /etc/prometheus), held in memory beside the ServiceAccount's files.
 */
export async function standIn(
  cluster: ClusterConfig,
  options: { now: () => number; timeoutMs?: number; files?: PodFiles },
): Promise<{ ok: true; value: StandIn } | Failure> {
  const ref = cluster.prometheus?.service_account;
  if (ref === undefined)
    throw new Error(`clusters[${cluster.name}] has no prometheus.service_account`);
  const sa = serviceAccountRef(ref);
  const connected = await connect(cluster, undefined, options.now);
  if (!connected.ok) return connected;
  const conn = connected.value;
  const token = await obtainScopedToken(
    conn,
    {
      kind: 'service_account',
      namespace: sa.namespace,
      name: sa.name,
      audiences: [],
      // A check is one moment: the API minimum is plenty.
      expirationSeconds: 600,
    },
    {
      now: options.now(),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  );
  if (!token.ok) return token;
  const secret = token.value.secret;
  const podConn: ClusterConnection = {
    ...conn,
    tls: { ...(conn.tls.servername === undefined ? {} : { servername: conn.tls.servername }) },
    authorization: `Bearer ${secret}`,
    identity: `ServiceAccount ${ref} (the Prometheus that clusters[${cluster.name}] stands in for)`,
    identityHint: `the ClusterRole bound to ServiceAccount ${ref}`,
    secrets: [...conn.secrets, secret],
  };
  return {
    ok: true,
    value: {
      cluster: cluster.name,
      namespace: sa.namespace,
      serviceAccount: sa.name,
      conn: podConn,
      checker: conn,
      token: token.value,
      files: new Map([
        ...(options.files ?? []),
        ...podFiles(secret, conn.caPem ?? '', sa.namespace),
      ]),
    },
  };
}
