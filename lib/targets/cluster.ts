/**
 * Plans the checks of one `clusters[]` entry: gets into the cluster (EKS or kubeconfig), gets the
 * scoped ServiceAccount token, and turns each preset into ScrapeRequests that carry that token as
 * bearer and the cluster CA. Whatever could not even be attempted becomes a ClusterFailure, one
 * per requested preset at least, so every target's verdict still reaches the output.
 *
 * @example
 * const plan = await planCluster(config.clusters[0], { timeoutMs: 10_000, limits, scrapeProtocols });
 * for (const request of plan.requests) {
 *   const result = await scrape(request);
 *   if (!result.ok) result.diagnosis = (await plan.diagnose(request, result.httpStatus, body)) ?? result.diagnosis;
 * }
 */
import {
  apiUrl,
  callApi,
  failure,
  obtainScopedToken,
  type ClusterConnection,
  type Failure,
  type Outcome,
} from '#lib/credentials/index.ts';
import { accessFor, type Access } from '#lib/diagnose/rbac.ts';
import type { Reason } from '#lib/result/reasons.ts';
import type { TokenInfo } from '#lib/result/types.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';
import { DEFAULT_PRESETS, type ClusterConfigLike, type ClusterPreset } from './cluster-config.ts';
import {
  clusterDiagnose,
  clusterReview,
  noDiagnose,
  noReview,
  type ClusterDiagnose,
} from './cluster-diagnose.ts';
import { connect, placeholder, tokenSource } from './cluster-connect.ts';
import { CONTROL_PLANE_LABEL, listNodes, type NodeInfo } from './cluster-nodes.ts';
import { planPreset, type TargetFailure } from './cluster-presets.ts';
import { EKS_METRICS_PATHS, nodeProxyPath, type PlanDefaults } from './presets.ts';

export type { ClusterConfigLike, ClusterPreset } from './cluster-config.ts';
export { CLUSTER_PRESETS, DEFAULT_PRESETS } from './cluster-config.ts';
export type { ClusterDiagnose } from './cluster-diagnose.ts';
export type { PlanDefaults } from './presets.ts';

/** A cluster target that could not even be attempted; the runner reports it as a result. */
export interface ClusterFailure {
  job: ClusterPreset;
  cluster: string;
  instance: string;
  /** The target's URL, or the call that failed (DescribeCluster, the kubeconfig file). */
  url: string;
  reason: Exclude<Reason, 'ok'>;
  diagnosis: string;
  token: TokenInfo | null;
}

export interface ClusterPlan {
  requests: ScrapeRequest[];
  failures: ClusterFailure[];
  diagnose: ClusterDiagnose;
  /**
   * For a check that passed: a warning when the ServiceAccount can do far more than scrape
   * (cluster-admin, every Secret), or null. Asks the cluster once per plan. Never throws.
   */
  review: (request: ScrapeRequest) => Promise<string | null>;
}

export interface PlanClusterDeps {
  /** The clock (ms since the epoch) for token expiry and cache decisions. Default `Date.now`. */
  now?: () => number;
  /** Deadline for each Kubernetes API call the planner makes. Default 10 s. */
  apiTimeoutMs?: number;
  /** AWS SDK attempts per call (throttling is retried with backoff). Default: the SDK's 3. */
  awsMaxAttempts?: number;
}

const DEFAULT_MAX_NODES = 3;

function failAll(
  cluster: ClusterConfigLike,
  presets: ClusterPreset[],
  reason: Failure,
  conn: ClusterConnection | null,
): ClusterPlan {
  const where = placeholder(cluster, conn);
  return {
    requests: [],
    failures: presets.map((job) => ({
      job,
      cluster: cluster.name,
      ...where,
      reason: reason.reason,
      diagnosis: reason.diagnosis,
      token: null,
    })),
    diagnose: noDiagnose,
    review: noReview,
  };
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}

async function detectFlavor(
  conn: ClusterConnection,
  timeoutMs: number,
): Promise<{ flavor: 'eks' | 'self-managed'; version: string | null }> {
  if (conn.flavor === 'eks') return { flavor: 'eks', version: conn.version };
  const answer = await callApi(conn, '/version', { timeoutMs });
  const git = answer.ok ? (answer.body as { gitVersion?: unknown } | null)?.gitVersion : undefined;
  if (typeof git !== 'string') return { flavor: 'self-managed', version: null };
  // EKS builds say so in their version: v1.30.2-eks-1552ad0.
  return {
    flavor: /-eks-/.test(git) ? 'eks' : 'self-managed',
    version: /^v?(\d+\.\d+)/.exec(git)?.[1] ?? null,
  };
}

/**
 * Plans one cluster's checks. Never throws for a cluster, credentials or token problem: those
 * come back as `failures`.
 */
export async function planCluster(
  cluster: ClusterConfigLike,
  defaults: PlanDefaults,
  deps: PlanClusterDeps = {},
): Promise<ClusterPlan> {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.apiTimeoutMs ?? 10_000;
  const presets = [...new Set(cluster.targets ?? DEFAULT_PRESETS)];
  const maxNodes = cluster.kubelet?.max_nodes ?? DEFAULT_MAX_NODES;
  const source = tokenSource(cluster);
  if (!source.ok) return failAll(cluster, presets, source, null);
  if (presets.includes('kubelet') && !(maxNodes >= 1)) {
    return failAll(
      cluster,
      presets,
      failure(
        'config_invalid',
        `clusters[${cluster.name}].kubelet.max_nodes is ${maxNodes}; it must be at least 1.`,
      ),
      null,
    );
  }
  const connected = await connect(cluster, deps.awsMaxAttempts, now);
  if (!connected.ok) return failAll(cluster, presets, connected, null);
  const conn = connected.value;
  const token = await obtainScopedToken(conn, source.value, { now: now(), timeoutMs });
  if (!token.ok) return failAll(cluster, presets, token, conn);

  const needsFlavor = presets.some(
    (p) => p === 'kube-scheduler' || p === 'kube-controller-manager' || p === 'etcd',
  );
  const { flavor, version } = needsFlavor
    ? await detectFlavor(conn, timeoutMs)
    : {
        flavor: conn.flavor === 'eks' ? ('eks' as const) : ('self-managed' as const),
        version: conn.version,
      };
  const ctx = {
    cluster,
    conn,
    token: token.value,
    defaults,
    flavor,
    version,
    nodes: once<Outcome<NodeInfo[]>>(() => listNodes(conn, { limit: maxNodes, timeoutMs })),
    controlPlaneNodes: once<Outcome<NodeInfo[]>>(() =>
      listNodes(conn, { labelSelector: CONTROL_PLANE_LABEL, timeoutMs }),
    ),
  };
  const plans = await Promise.all(presets.map((preset) => planPreset(preset, ctx)));
  const warnings = [...conn.warnings, ...token.value.warnings];
  const requests: ScrapeRequest[] = [];
  const failures: ClusterFailure[] = [];
  const fallback = placeholder(cluster, conn);
  for (const plan of plans) {
    for (const request of plan.requests) {
      request.warnings.push(...warnings);
      requests.push(request);
    }
    failures.push(
      ...plan.failures.map((f: TargetFailure) => ({
        job: f.job,
        cluster: cluster.name,
        instance: f.instance ?? fallback.instance,
        url: f.url,
        reason: f.failure.reason,
        diagnosis: f.failure.diagnosis,
        token: f.job === 'etcd' ? null : token.value.info,
      })),
    );
  }

  // What the ServiceAccount needs, so a 403 can tell a missing binding from a missing rule.
  const needed: Access[] = [{ kind: 'nonResource', path: '/metrics', verb: 'get' }];
  const node = requests.find((r) => r.job === 'kubelet')?.instance;
  if (node !== undefined)
    needed.push(accessFor(apiUrl(conn.server, nodeProxyPath(node, '/metrics')), conn.server));
  if (flavor === 'eks') {
    for (const preset of ['kube-scheduler', 'kube-controller-manager'] as const) {
      if (presets.includes(preset))
        needed.push(accessFor(apiUrl(conn.server, EKS_METRICS_PATHS[preset]), conn.server));
    }
  }
  return {
    requests,
    failures,
    diagnose: clusterDiagnose({
      conn,
      token: token.value,
      source: source.value,
      version,
      needed,
      now,
      timeoutMs,
    }),
    review: clusterReview(conn, token.value, timeoutMs),
  };
}
