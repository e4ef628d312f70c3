/**
 * Which lists a role makes, in which namespaces, with which selectors, and which of them Prometheus
 * waits for before it sends a single group (prometheus/prometheus `discovery/kubernetes/
 * kubernetes.go`, `Discovery.Run`, the informers it starts; each role's `Run`, the informers it
 * passes to `cache.WaitForCacheSync`).
 */
import type { PromVersion } from '../types.ts';
import type { KubernetesRole, KubernetesSdConfig } from './config.ts';
import { RESOURCES, type ListRequest } from './list.ts';
import type { ListedObjects } from './objects.ts';
import { PRIMARY } from './roles.ts';

type Resource = keyof typeof RESOURCES & keyof ListedObjects;

/** One list of the plan. */
export interface PlannedList {
  /** Where the items go. */
  key: Resource;
  request: ListRequest;
  /**
   * Whether Prometheus waits for this list (`WaitForCacheSync`). While such a list fails, the
   * informer never syncs and the discoverer sends nothing: no target at all, not fewer labels.
   */
  awaited: boolean;
  /**
   * Cluster-scoped (nodes, namespaces): every namespace's discoverer waits for it, so its failure
   * empties the whole role.
   */
  shared: boolean;
  /** The labels that go missing when a list Prometheus does not wait for fails. */
  missing: string;
}

/** The selector role that filters each resource's lists. */
const SELECTOR_ROLE: Partial<Record<Resource, KubernetesRole>> = {
  nodes: 'node',
  pods: 'pod',
  services: 'service',
  endpoints: 'endpoints',
  endpointSlices: 'endpointslice',
  ingresses: 'ingress',
};

/**
 * `getNamespaces`: every namespace ("") without names or own_namespace; else the names and, with
 * own_namespace, Prometheus's own. A name listed twice is listed once here (Prometheus would run
 * two discoverers sending the same groups).
 */
export function namespacesToList(
  config: KubernetesSdConfig,
  ownNamespace: string | null,
): string[] {
  const { names, ownNamespace: includeOwn } = config.namespaces;
  if (names.length === 0 && !includeOwn) return [''];
  const all = includeOwn && ownNamespace ? [...names, ownNamespace] : names;
  return [...new Set(all)];
}

/** The lists one discovery makes. */
export function planLists(
  config: KubernetesSdConfig,
  version: PromVersion,
  namespaces: readonly string[],
): PlannedList[] {
  const { role } = config;
  // Prometheus 2.42 knows only attach_metadata.node.
  const attach =
    version === '2'
      ? {
          ...config.attachMetadata,
          namespace: false,
          deployment: false,
          job: false,
          cronjob: false,
        }
      : config.attachMetadata;
  const plan: PlannedList[] = [];
  const add = (key: Resource, namespace: string, awaited: boolean, missing = ''): void => {
    const type = RESOURCES[key];
    const selectorRole = SELECTOR_ROLE[key];
    const selector = config.selectors.find((s) => s.role === selectorRole);
    plan.push({
      key,
      request: {
        type,
        namespace: type.namespaced ? namespace : '',
        labelSelector: selector?.label ?? '',
        fieldSelector: selector?.field ?? '',
      },
      awaited,
      shared: !type.namespaced,
      missing,
    });
  };

  if (role === 'node') {
    add('nodes', '', true);
    return plan;
  }
  const endpointsRole = role === 'endpoints' || role === 'endpointslice';
  const withPods = role === 'pod' || endpointsRole;
  if (withPods && attach.node) add('nodes', '', true);
  if (attach.namespace) add('namespaces', '', true);
  for (const namespace of namespaces) {
    add(PRIMARY[role], namespace, true);
    if (endpointsRole) {
      // The endpoints roles always list Services and Pods too, and wait for both.
      add('services', namespace, true);
      add('pods', namespace, true);
    }
    if (!withPods) continue;
    // The pod role waits for the ReplicaSet and Job lists; the endpoints roles do not.
    if (attach.deployment) {
      add('replicaSets', namespace, role === 'pod', '__meta_kubernetes_pod_deployment_name');
    }
    if (attach.job || attach.cronjob) {
      add('jobs', namespace, role === 'pod', '__meta_kubernetes_pod_cronjob_name');
    }
  }
  return plan;
}
