/**
 * One `kubernetes_sd_configs[]` entry once validated, and the facts about its keys that differ by
 * Prometheus version (prometheus/prometheus `discovery/kubernetes/kubernetes.go`, `SDConfig`, at
 * v2.42.0 and at HEAD).
 */
import type { PromVersion } from '../types.ts';

/** The roles, in the order Prometheus's "role missing" message lists them. */
export const KUBERNETES_ROLES = [
  'pod',
  'service',
  'endpoints',
  'endpointslice',
  'node',
  'ingress',
] as const;

/** A `role:` value (`kubernetes.go`, `Role`). */
export type KubernetesRole = (typeof KUBERNETES_ROLES)[number];

/** `attach_metadata`: which related objects' metadata to copy onto targets. */
export interface AttachMetadata {
  /** Node labels on pod and endpoints targets (2.35+). */
  node: boolean;
  /** Namespace labels and annotations (3.6+). */
  namespace: boolean;
  /** `__meta_kubernetes_pod_deployment_name`, through the pod's ReplicaSet (3.11+). */
  deployment: boolean;
  /** `__meta_kubernetes_pod_job_name` (3.11+). */
  job: boolean;
  /** `__meta_kubernetes_pod_cronjob_name`, through the pod's Job (3.11+). */
  cronjob: boolean;
}

/** No attach_metadata: the default. */
export const NO_ATTACH_METADATA: AttachMetadata = {
  node: false,
  namespace: false,
  deployment: false,
  job: false,
  cronjob: false,
};

/** The `attach_metadata` keys each version knows; the others are unknown fields there. */
export const ATTACH_METADATA_KEYS: Record<PromVersion, readonly (keyof AttachMetadata)[]> = {
  '2': ['node'],
  '3': ['node', 'namespace', 'deployment', 'job', 'cronjob'],
};

/** One `selectors[]` entry: the label and field selectors for one resource's list calls. */
export interface KubernetesSelector {
  role: KubernetesRole;
  /** A label selector (`app=web,tier!=db`); empty for none. */
  label: string;
  /** A field selector (`spec.nodeName=x`); empty for none. */
  field: string;
}

/**
 * Which selector roles each SD role accepts (`kubernetes.go`, `allowedSelectors`). Prometheus 3.11
 * added node selectors to the pod role, used with `attach_metadata.node`.
 */
export const ALLOWED_SELECTORS: Record<
  PromVersion,
  Record<KubernetesRole, readonly KubernetesRole[]>
> = {
  '2': {
    pod: ['pod'],
    service: ['service'],
    endpointslice: ['pod', 'service', 'endpointslice'],
    endpoints: ['pod', 'service', 'endpoints'],
    node: ['node'],
    ingress: ['ingress'],
  },
  '3': {
    pod: ['pod', 'node'],
    service: ['service'],
    endpointslice: ['pod', 'service', 'endpointslice'],
    endpoints: ['pod', 'service', 'endpoints'],
    node: ['node'],
    ingress: ['ingress'],
  },
};

/** A validated `kubernetes_sd_configs[]` entry, as far as discovery needs it. */
export interface KubernetesSdConfig {
  role: KubernetesRole;
  /** `api_server`, or null to use the in-cluster config or `kubeconfig_file`. */
  apiServer: string | null;
  kubeconfigFile: string | null;
  namespaces: {
    /** Add Prometheus's own namespace (in-cluster only). */
    ownNamespace: boolean;
    /** Empty, with ownNamespace false, means every namespace. */
    names: string[];
  };
  selectors: KubernetesSelector[];
  attachMetadata: AttachMetadata;
  /** Whether an HTTP client key differs from Prometheus's default (see the validator). */
  customHttpConfig: boolean;
}
