/**
 * The first steps of planning a cluster: where its scrape token comes from, getting into it (EKS or
 * kubeconfig), and where a target would have been when nothing past a failure is known.
 */
import {
  apiUrl,
  connectEks,
  connectKubeconfig,
  expandHome,
  failure,
  MIN_EXPIRATION_SECONDS,
  success,
  type ClusterConnection,
  type Outcome,
  type TokenSource,
} from '#lib/credentials/index.ts';
import type { ClusterConfigLike } from './cluster-config.ts';
import { hostPort } from './presets.ts';

/** kubectl's default; `KUBECONFIG` is the config loader's to read (only lib/config reads the environment). */
const DEFAULT_KUBECONFIG = '~/.kube/config';

export function tokenSource(cluster: ClusterConfigLike): Outcome<TokenSource> {
  const where = `clusters[${cluster.name}]`;
  const sa = cluster.service_account;
  if (sa !== undefined && cluster.token !== undefined) {
    return failure(
      'config_invalid',
      `${where} sets both service_account and token: choose one source for the scrape token.`,
    );
  }
  if (sa !== undefined) {
    const expirationSeconds = sa.expiration_seconds ?? MIN_EXPIRATION_SECONDS;
    if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
      return failure(
        'config_invalid',
        `${where}.service_account.expiration_seconds is ${expirationSeconds}; the TokenRequest API refuses less than ${MIN_EXPIRATION_SECONDS} (10 minutes).`,
      );
    }
    return success({
      kind: 'service_account',
      namespace: sa.namespace,
      name: sa.name,
      audiences: sa.audiences ?? [],
      expirationSeconds,
    });
  }
  if (cluster.token !== undefined) {
    if ('secret' in cluster.token) return success({ kind: 'secret', ...cluster.token.secret });
    return success({ kind: 'file', path: expandHome(cluster.token.file) });
  }
  const prometheus = cluster.prometheus?.service_account;
  if (prometheus !== undefined) {
    // The presets scrape as the Prometheus this cluster stands in for.
    const [namespace = '', name = ''] = prometheus.split('/', 2);
    return success({
      kind: 'service_account',
      namespace,
      name,
      audiences: [],
      expirationSeconds: MIN_EXPIRATION_SECONDS,
    });
  }
  return failure(
    'config_invalid',
    `${where} sets neither service_account nor token: scrape-check needs a ServiceAccount to scrape as (service_account: { namespace, name }).`,
  );
}

export async function connect(
  cluster: ClusterConfigLike,
  awsMaxAttempts: number | undefined,
  now: () => number,
): Promise<Outcome<ClusterConnection>> {
  const where = `clusters[${cluster.name}]`;
  if ((cluster.eks === undefined) === (cluster.kubeconfig === undefined)) {
    return failure('config_invalid', `${where} must set exactly one of eks and kubeconfig.`);
  }
  if (cluster.eks !== undefined) {
    const { cluster: name, region, role_arn, external_id } = cluster.eks;
    return connectEks(
      cluster.name,
      {
        cluster: name,
        region,
        roleArn: role_arn === undefined || role_arn === '' ? null : role_arn,
        externalId: external_id === undefined || external_id === '' ? null : external_id,
      },
      { now, maxAttempts: awsMaxAttempts },
    );
  }
  const kubeconfig = cluster.kubeconfig!;
  const context =
    kubeconfig.context === undefined || kubeconfig.context === '' ? null : kubeconfig.context;
  return connectKubeconfig(cluster.name, { path: kubeconfig.path ?? DEFAULT_KUBECONFIG, context });
}

/** Where a target would have been, when nothing past the failure is known. */
export function placeholder(
  cluster: ClusterConfigLike,
  conn: ClusterConnection | null,
): { url: string; instance: string } {
  if (conn !== null) {
    const url = apiUrl(conn.server, '/metrics');
    return { url: url.href, instance: hostPort(url) };
  }
  if (cluster.eks !== undefined) {
    const host = `eks.${cluster.eks.region}.amazonaws.com`;
    return {
      url: `https://${host}/clusters/${encodeURIComponent(cluster.eks.cluster)}`,
      instance: `${host}:443`,
    };
  }
  const file = expandHome(cluster.kubeconfig?.path ?? DEFAULT_KUBECONFIG);
  return {
    url: `file://${file}${cluster.kubeconfig?.context === undefined ? '' : `#${cluster.kubeconfig.context}`}`,
    instance: cluster.name,
  };
}
