/**
 * The cause and the fix, for failures whose meaning depends on where they happened: the port
 * (a control-plane component's), the body of an error response, the target's address. Each hint
 * answers a question the Prometheus community keeps asking (kube-prometheus, prometheus-operator,
 * amazon-eks-ami threads); the scrape's own diagnosis says what happened, a hint says why and what
 * to change.
 */
import { isIP } from 'node:net';
import type { CheckResult } from '#lib/result/types.ts';

export interface HintContext {
  result: CheckResult;
  url: URL;
  /** First bytes of a non-200 response body (redacted), or null. */
  errorBody: string | null;
  /** The address came from Kubernetes discovery (a pod, node or Service address). */
  inCluster?: boolean;
  /** The job's name: a Prometheus Operator monitor's (`serviceMonitor/ns/name/i`) is fixed there. */
  job?: string;
}

/**
 * A discovered address reached from outside the cluster's network: pod and Service addresses
 * route only inside it, and cluster DNS names resolve only there.
 */
function outsideCluster(ctx: HintContext): string | null {
  if (ctx.inCluster !== true) return null;
  const { reason } = ctx.result;
  const host = ctx.url.hostname;
  if (reason === 'dns_failed' && /\.svc(\.|$)/.test(host)) {
    return `${host} is a cluster DNS name, which resolves only inside the cluster: run scrape-check where Prometheus runs (a pod, or the Lambda functions in the cluster's VPC), or relabel __address__ to an address reachable from here.`;
  }
  if (reason === 'connect_timeout' || /no route to host|unreachable/i.test(ctx.result.diagnosis)) {
    return "This address comes from Kubernetes discovery: it lives in the cluster network, which a laptop or a Lambda function outside the cluster's VPC cannot reach. Run scrape-check where Prometheus runs (a pod, or the functions with the vpc settings of docs/serverless.md), or scrape through the API server proxy.";
  }
  return null;
}

const KUBELET_PORT = '10250';
const SECURE_COMPONENT_PORTS: Record<string, string> = {
  '10257': 'kube-controller-manager',
  '10259': 'kube-scheduler',
  '2381': 'etcd (metrics)',
};
const REMOVED_INSECURE_PORTS: Record<string, string> = {
  '10251': 'kube-scheduler (removed in Kubernetes 1.23; use 10259 over HTTPS)',
  '10252': 'kube-controller-manager (removed in Kubernetes 1.22; use 10257 over HTTPS)',
};

/** kube-prometheus-stack's values key for a component's ServiceMonitor, by its secure port. */
const CHART_KEYS: Record<string, string> = {
  '10257': 'kubeControllerManager',
  '10259': 'kubeScheduler',
};

/**
 * Where to set the scheme: in a monitor's endpoint when the job is an operator monitor's (the
 * generated scrape config is the operator's, not the user's), else in the scrape config; for the
 * chart's own control-plane monitors, its values key (`https: null` picks the scheme from the
 * Kubernetes version, so a mismatch is common).
 */
function schemeFix(ctx: HintContext, scheme: 'http' | 'https'): string {
  const tls = scheme === 'https' ? ' (and a tls_config)' : '';
  const monitor = /^(serviceMonitor|podMonitor)\/[^/]+\/[^/]+\/(\d+)$/.exec(ctx.job ?? '');
  if (monitor === null) return `set scheme: ${scheme}${tls}.`;
  const list = monitor[1] === 'serviceMonitor' ? 'endpoints' : 'podMetricsEndpoints';
  const chart = CHART_KEYS[port(ctx.url)];
  return `set scheme: ${scheme} in the ${monitor[1]}'s spec.${list}[${monitor[2]!}]${scheme === 'https' ? ' (and its tlsConfig)' : ''}${
    chart === undefined
      ? ''
      : `; kube-prometheus-stack: ${chart}.serviceMonitor.https: ${String(scheme === 'https')}`
  }.`;
}

function port(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The address a component binds by default (kubeadm: 127.0.0.1); any other is a node address. */
function isDefaultBind(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

const NODES_METRICS_RULE = `add to the scraping ClusterRole:
  - apiGroups: [""]
    resources: ["nodes/metrics", "nodes/proxy"]
    verbs: ["get"]`;

/** One or two sentences to append to the diagnosis, or null when there is nothing to add. */
export function hintFor(ctx: HintContext): string | null {
  const outside = outsideCluster(ctx);
  if (outside !== null) return outside;
  const { result, url, errorBody } = ctx;
  const p = port(url);
  const body = errorBody ?? '';
  switch (result.reason) {
    case 'connect_refused': {
      const removed = REMOVED_INSECURE_PORTS[p];
      if (removed) return `Port ${p} was the insecure port of ${removed}.`;
      const component = SECURE_COMPONENT_PORTS[p];
      if (component && !isDefaultBind(url.hostname)) {
        return `${component} binds 127.0.0.1 by default (kubeadm): set its --bind-address (or listen-metrics-urls for etcd) to an address Prometheus can reach.`;
      }
      return null;
    }
    case 'connect_timeout':
      return 'Unlike a refusal, a timeout means nothing answered at all: look at security groups, firewalls and network policies between the scraper and the target.';
    case 'http_status':
      if (/Client sent an HTTP request to an HTTPS server/i.test(body)) {
        return `The port speaks HTTPS: ${schemeFix(ctx, 'https')}`;
      }
      return null;
    case 'tls_handshake_failed':
      if (/server gave HTTP response to HTTPS client/i.test(body))
        return `The port speaks plain HTTP: ${schemeFix(ctx, 'http')}`;
      return null;
    case 'http_forbidden':
      if (/system:anonymous/.test(body)) {
        return 'The server saw no credentials (user system:anonymous): no token was sent, or kube-scheduler/kube-controller-manager runs without --authentication-kubeconfig and --authorization-kubeconfig, so it cannot check tokens.';
      }
      if (
        /resource=nodes, subresource=(metrics|proxy)/.test(body) ||
        (p === KUBELET_PORT && /Forbidden/i.test(body))
      ) {
        const user = /user=([^,]+)/.exec(body)?.[1];
        return `The kubelet's authorizer refused ${user ?? 'the token'}: ${NODES_METRICS_RULE}`;
      }
      if (/cannot get path \\?"\/metrics\\?"/.test(body)) {
        return 'RBAC has no rule for the /metrics path: add to the scraping ClusterRole:\n  - nonResourceURLs: ["/metrics"]\n    verbs: ["get"]';
      }
      return null;
    case 'http_unauthorized':
      if (p === KUBELET_PORT) {
        return 'A kubelet answering 401 to a valid token has webhook token authentication off: start it with --authentication-token-webhook (authentication.webhook.enabled: true).';
      }
      return null;
    case 'tls_unknown_ca':
      if (p === KUBELET_PORT) {
        return 'Kubelets serve a self-signed certificate unless serverTLSBootstrap: true is set in their configuration (then approve their serving CSRs).';
      }
      return null;
    case 'tls_hostname_mismatch': {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const names = result.tls?.sans ?? [];
      const dns = names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
      if (/legacy Common Name/.test(result.diagnosis)) {
        return 'Go (and so Prometheus since 2.21) ignores the Common Name: reissue the certificate with the host in its subject alternative names.';
      }
      if (isIP(host) && dns.length > 0) {
        return `The target is an IP address and the certificate has no matching IP SAN: connect by a name it holds, or set tls_config.server_name: ${dns[0]!} (it holds ${names.join(', ')}).`;
      }
      if (dns.length > 0)
        return `The certificate holds ${names.join(', ')}: set tls_config.server_name to one of those, or use it as the target.`;
      return null;
    }
    default:
      return null;
  }
}

/** Appends the hint, if any, to the result's diagnosis. */
export function addHint(ctx: HintContext): void {
  const hint = hintFor(ctx);
  if (hint) ctx.result.diagnosis = `${ctx.result.diagnosis}. ${hint}`;
}
