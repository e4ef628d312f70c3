/**
 * Plans one preset of one cluster into ScrapeRequests (or failures for what cannot be attempted).
 * Through the API server: apiserver, kubelet (node proxy) and, on EKS 1.28+, kube-scheduler and
 * kube-controller-manager. Directly on the control-plane nodes: self-managed kube-scheduler,
 * kube-controller-manager and etcd.
 */
import {
  apiUrl,
  failure,
  type ClusterConnection,
  type Failure,
  type Outcome,
  type ScopedToken,
} from '#lib/credentials/index.ts';
import { servesEksMetrics } from '#lib/diagnose/cluster-eks-metrics.ts';
import type { ScrapeRequest, TlsSettings } from '#lib/scrape/types.ts';
import type { ClusterConfigLike, ClusterPreset } from './cluster-config.ts';
import { etcd } from './cluster-etcd.ts';
import { noControlPlane, urlHost, type NodeInfo } from './cluster-nodes.ts';
import {
  CONTROL_PLANE_PORTS,
  EKS_METRICS_PATHS,
  KUBELET_PATHS,
  clusterRequest,
  nodeProxyPath,
  type PlanDefaults,
} from './presets.ts';

/** Everything a preset needs, shared by the presets of one cluster. */
export interface PresetContext {
  cluster: ClusterConfigLike;
  conn: ClusterConnection;
  token: ScopedToken;
  defaults: PlanDefaults;
  flavor: 'eks' | 'self-managed';
  version: string | null;
  /** The first `kubelet.max_nodes` nodes (listed once). */
  nodes: () => Promise<Outcome<NodeInfo[]>>;
  /** The control-plane nodes (listed once). */
  controlPlaneNodes: () => Promise<Outcome<NodeInfo[]>>;
}

/** A failure for one planned target, before it is turned into a ClusterFailure. */
export interface TargetFailure {
  job: ClusterPreset;
  url: string;
  instance: string | null;
  failure: Failure;
}

export interface PresetPlan {
  requests: ScrapeRequest[];
  failures: TargetFailure[];
}

function apiServerTls(conn: ClusterConnection): TlsSettings {
  return {
    ...(conn.caPem === null ? {} : { ca: conn.caPem }),
    ...(conn.tls.servername === undefined ? {} : { serverName: conn.tls.servername }),
    ...(conn.tls.rejectUnauthorized === false ? { insecureSkipVerify: true } : {}),
  };
}

function viaApiServer(
  ctx: PresetContext,
  job: ClusterPreset,
  path: string,
  instance?: string,
  warnings: string[] = [],
): ScrapeRequest {
  return clusterRequest(
    {
      cluster: ctx.cluster.name,
      job,
      url: apiUrl(ctx.conn.server, path),
      ...(instance === undefined ? {} : { instance }),
      tls: apiServerTls(ctx.conn),
      auth: ctx.token.auth,
      token: ctx.token.info,
      warnings,
    },
    ctx.defaults,
  );
}

async function controlPlaneComponent(
  ctx: PresetContext,
  job: 'kube-scheduler' | 'kube-controller-manager',
): Promise<PresetPlan> {
  if (ctx.flavor === 'eks') {
    const warnings =
      servesEksMetrics(ctx.version) === false
        ? [
            `Cluster "${ctx.conn.name}" runs Kubernetes ${ctx.version ?? '?'}: EKS serves ${job} metrics only from 1.28.`,
          ]
        : [];
    return {
      requests: [viaApiServer(ctx, job, EKS_METRICS_PATHS[job], undefined, warnings)],
      failures: [],
    };
  }
  const cp = ctx.cluster.control_plane;
  const port =
    job === 'kube-scheduler'
      ? (cp?.scheduler_port ?? CONTROL_PLANE_PORTS[job])
      : (cp?.controller_manager_port ?? CONTROL_PLANE_PORTS[job]);
  const nodes = await ctx.controlPlaneNodes();
  const guess = `https://control-plane.invalid:${port}/metrics`; // RFC 2606: a name that is no host
  if (!nodes.ok)
    return { requests: [], failures: [{ job, url: guess, instance: null, failure: nodes }] };
  if (nodes.value.length === 0)
    return {
      requests: [],
      failures: [{ job, url: guess, instance: null, failure: noControlPlane(ctx.conn.name, job) }],
    };
  const skip = cp?.insecure_skip_verify ?? true;
  const plan: PresetPlan = { requests: [], failures: [] };
  for (const node of nodes.value) {
    if (node.address === null) {
      plan.failures.push({
        job,
        url: guess,
        instance: node.name,
        failure: failure(
          'config_invalid',
          `Control-plane node ${node.name} reports no address (InternalIP, ExternalIP or Hostname), so ${job} on it cannot be reached.`,
        ),
      });
      continue;
    }
    const url = URL.parse(`https://${urlHost(node.address)}:${port}/metrics`);
    if (url === null) {
      const why = `Control-plane node ${node.name} reports the address "${node.address}", which is no host.`;
      plan.failures.push({
        job,
        url: guess,
        instance: node.name,
        failure: failure('config_invalid', why),
      });
      continue;
    }
    plan.requests.push(
      clusterRequest(
        {
          cluster: ctx.cluster.name,
          job,
          url,
          tls: {
            ...(ctx.conn.caPem === null ? {} : { ca: ctx.conn.caPem }),
            ...(skip ? { insecureSkipVerify: true } : {}),
          },
          auth: ctx.token.auth,
          token: ctx.token.info,
          warnings: [],
        },
        ctx.defaults,
      ),
    );
  }
  return plan;
}

async function kubelet(ctx: PresetContext): Promise<PresetPlan> {
  const guess = apiUrl(ctx.conn.server, nodeProxyPath('*', '/metrics')).href;
  const nodes = await ctx.nodes();
  if (!nodes.ok)
    return {
      requests: [],
      failures: [{ job: 'kubelet', url: guess, instance: null, failure: nodes }],
    };
  if (nodes.value.length === 0) {
    return {
      requests: [],
      failures: [
        {
          job: 'kubelet',
          url: guess,
          instance: null,
          failure: failure(
            'config_invalid',
            `Cluster "${ctx.conn.name}" has no nodes, so there is no kubelet to scrape.`,
          ),
        },
      ],
    };
  }
  // instance = the node name, as Prometheus's kubernetes SD (role: node) sets it.
  const requests = nodes.value.flatMap((node) =>
    KUBELET_PATHS.map((path) =>
      viaApiServer(ctx, 'kubelet', nodeProxyPath(node.name, path), node.name),
    ),
  );
  return { requests, failures: [] };
}

/** Plans one preset. */
export async function planPreset(preset: ClusterPreset, ctx: PresetContext): Promise<PresetPlan> {
  switch (preset) {
    case 'apiserver':
      return { requests: [viaApiServer(ctx, 'apiserver', '/metrics')], failures: [] };
    case 'kube-scheduler':
    case 'kube-controller-manager':
      return controlPlaneComponent(ctx, preset);
    case 'kubelet':
      return kubelet(ctx);
    case 'etcd':
      return etcd(ctx);
  }
}
