/**
 * Why an EKS control-plane metrics path (`/apis/metrics.eks.amazonaws.com/v1/{ksh,kcm}/container/metrics`)
 * answered 404 or 503: EKS serves it only from 1.28, through the APIService
 * `v1.metrics.eks.amazonaws.com`, which a webhook can keep from being created.
 * https://docs.aws.amazon.com/eks/latest/userguide/view-raw-metrics.html
 */
import { callApi, type ClusterConnection } from '#lib/credentials/index.ts';

export const EKS_METRICS_GROUP = 'metrics.eks.amazonaws.com';
export const EKS_METRICS_APISERVICE = 'v1.metrics.eks.amazonaws.com';

/** True for a URL under the EKS metrics API group. */
export function isEksMetricsPath(url: URL): boolean {
  return url.pathname.startsWith(`/apis/${EKS_METRICS_GROUP}/`);
}

/** True when `version` (`1.27`, `v1.29.3-eks-…`) is at least 1.28. */
export function servesEksMetrics(version: string | null): boolean | null {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (match === null) return null;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 28);
}

interface ApiServiceCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** The diagnosis for a 404 or 503 on an EKS metrics path. */
export async function diagnoseEksMetrics(
  conn: ClusterConnection,
  status: number,
  version: string | null,
  timeoutMs = 10_000,
): Promise<string> {
  const head = `HTTP ${status} from the EKS control-plane metrics API (${EKS_METRICS_GROUP}).`;
  if (servesEksMetrics(version) === false) {
    return `${head} Cluster "${conn.name}" runs Kubernetes ${version ?? '?'}; EKS serves kube-scheduler and kube-controller-manager metrics only from 1.28. Upgrade the cluster or remove these targets.`;
  }
  const result = await callApi(
    conn,
    `/apis/apiregistration.k8s.io/v1/apiservices/${EKS_METRICS_APISERVICE}`,
    { timeoutMs },
  );
  if (!result.ok) {
    if (result.status === 404) {
      return `${head} The APIService ${EKS_METRICS_APISERVICE} does not exist on cluster "${conn.name}". EKS creates it on 1.28 and later; an admission webhook that blocks its creation keeps it away (search the kube-apiserver audit log for ${EKS_METRICS_APISERVICE}).`;
    }
    return `${head} scrape-check could not read the APIService ${EKS_METRICS_APISERVICE} (HTTP ${result.status ?? result.code ?? '?'}: ${result.message}); the checker needs get on apiservices (deploy/kubernetes/checker-rbac.yaml).`;
  }
  const conditions =
    (result.body as { status?: { conditions?: ApiServiceCondition[] } } | null)?.status
      ?.conditions ?? [];
  const available = conditions.find((c) => c.type === 'Available');
  if (available?.status !== 'True') {
    return `${head} The APIService ${EKS_METRICS_APISERVICE} is not Available (${available?.reason ?? 'no condition'}${available?.message === undefined ? '' : `: ${available.message}`}). It is served by EKS: if it stays unavailable, open an AWS support case.`;
  }
  return `${head} The APIService ${EKS_METRICS_APISERVICE} exists and is Available, so the path itself is wrong or the component is restarting; retry, and compare with \`kubectl get --raw /apis/${EKS_METRICS_GROUP}/v1/ksh/container/metrics\`.`;
}
