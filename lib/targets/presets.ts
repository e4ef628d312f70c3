/**
 * The cluster presets: which URL each scrapes and how a ScrapeRequest for it looks. A cluster
 * target scrapes with the scoped ServiceAccount token as bearer and the cluster CA, except etcd,
 * which takes client certificates.
 */
import type { TokenInfo } from '#lib/result/types.ts';
import type {
  AuthSettings,
  ScrapeLimits,
  ScrapeProtocol,
  ScrapeRequest,
  TlsSettings,
} from '#lib/scrape/types.ts';
import type { NameSchemes } from '#lib/config/name-schemes.ts';
import type { ClusterPreset } from './cluster-config.ts';

/** EKS 1.28+ serves these through the API server (https://docs.aws.amazon.com/eks/latest/userguide/view-raw-metrics.html). */
export const EKS_METRICS_PATHS = {
  'kube-scheduler': '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics',
  'kube-controller-manager': '/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics',
} as const satisfies Partial<Record<ClusterPreset, string>>;

/** Secure ports of self-managed components (kubeadm defaults since 1.17 / 1.22). */
export const CONTROL_PLANE_PORTS = {
  'kube-scheduler': 10259,
  'kube-controller-manager': 10257,
} as const satisfies Partial<Record<ClusterPreset, number>>;

export const ETCD_CLIENT_PORT = 2379;

/** The kubelet paths scraped through the API server's node proxy. */
export const KUBELET_PATHS = ['/metrics', '/metrics/cadvisor'] as const;

/** The node proxy path for a kubelet path. */
export function nodeProxyPath(node: string, path: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy${path}`;
}

/** What every request of a run shares. */
export interface PlanDefaults {
  timeoutMs: number;
  limits: ScrapeLimits;
  scrapeProtocols: ScrapeProtocol[];
  /** `global`'s name schemes (Prometheus 3), which a cluster's own jobs take. */
  names: NameSchemes;
}

/** `host:port`, with the scheme's default port spelled out, as Prometheus's `instance`. */
export function hostPort(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
  return `${url.hostname}:${port}`; // WHATWG URL keeps IPv6 brackets in hostname
}

export interface RequestParts {
  cluster: string;
  job: ClusterPreset;
  url: URL;
  /** Default: {@link hostPort} of the URL. */
  instance?: string;
  tls: TlsSettings;
  auth: AuthSettings | null;
  token: TokenInfo | null;
  warnings: string[];
}

/** Builds one cluster target's ScrapeRequest. */
export function clusterRequest(parts: RequestParts, defaults: PlanDefaults): ScrapeRequest {
  const instance = parts.instance ?? hostPort(parts.url);
  return {
    job: parts.job,
    cluster: parts.cluster,
    instance,
    url: parts.url,
    targetLabels: { job: parts.job, instance },
    tls: parts.tls,
    auth: parts.auth,
    timeoutMs: defaults.timeoutMs,
    limits: defaults.limits,
    scrapeProtocols: defaults.scrapeProtocols,
    fallbackScrapeProtocol: null,
    nameValidation: defaults.names.validation,
    nameEscaping: defaults.names.escaping,
    followRedirects: true,
    token: parts.token,
    warnings: [...parts.warnings],
  };
}
