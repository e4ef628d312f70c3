/**
 * `kubernetes_sd_configs` by listing: one moment of what Prometheus's informers would hold, turned
 * into the target groups Prometheus would send.
 *
 * What a failed list does, as Prometheus does it (k8s.io/client-go `tools/cache/reflector.go`
 * retries a failed list forever; each role's `Run` calls `cache.WaitForCacheSync` on its
 * informers and sends nothing until all have synced):
 * - a list Prometheus waits for fails in one namespace (the role's own resource, or the Services
 *   and Pods of the endpoints roles): that namespace's discoverer sends nothing, so its targets
 *   are missing, not just their labels. Here: a warning, and no groups from that namespace;
 * - that happens in every namespace, or to a cluster-scoped list every discoverer waits for
 *   (nodes for attach_metadata.node, namespaces for attach_metadata.namespace): Prometheus shows
 *   no target from this config at all. Here: a failure;
 * - a list Prometheus does not wait for fails (ReplicaSets and Jobs of the endpoints roles): the
 *   targets are there, without the labels that list feeds. Here: the groups and a warning.
 *
 * Prometheus 2.42 listed EndpointSlices and Ingresses from `v1beta1` on clusters older than
 * Kubernetes 1.21 and 1.19 (`checkDiscoveryV1Supported`, `checkNetworkingV1Supported`, from
 * `/version`); this lister asks for `v1` only, and a 404 there says so.
 */
import type { DiscoveryFailure, DiscoveryOutcome, PromVersion, TargetGroup } from '../types.ts';
import type { KubernetesSdConfig } from './config.ts';
import { listAll, type ApiCall, type ListResult } from './list.ts';
import type { ListedObjects } from './objects.ts';
import { namespacesToList, planLists, type PlannedList } from './plan.ts';
import { targetGroupsForRole } from './roles.ts';

/** What discovery needs besides the config. */
export interface KubernetesDiscoveryContext {
  version: PromVersion;
  /** Calls the API server (bound to a connection by the caller); see `callApi`. */
  call: ApiCall;
  /** Prometheus's own namespace, for `namespaces.own_namespace`; null when unknown. */
  ownNamespace: string | null;
}

function v1beta1Note(list: PlannedList, result: ListResult, version: PromVersion): string {
  if (result.ok || result.failure.status !== 404 || version !== '2') return '';
  const group = list.request.type.group;
  if (group !== 'discovery.k8s.io' && group !== 'networking.k8s.io') return '';
  return ` (Prometheus 2.42 would fall back to ${group}/v1beta1 on a cluster older than Kubernetes ${group === 'discovery.k8s.io' ? '1.21' : '1.19'}; scrape-check lists v1 only)`;
}

function addItems(objects: ListedObjects, key: keyof ListedObjects, items: unknown[]): void {
  const into = (objects[key] ?? []) as unknown[];
  into.push(...items);
  (objects as Record<string, unknown[]>)[key] = into;
}

/**
 * Lists what `config` needs and builds the target groups Prometheus would build from it, in list
 * order (namespaces in configured order; a source seen twice is kept once).
 *
 * @example
 * const outcome = await discoverKubernetes(config, {
 *   version: '3',
 *   call: (path) => callApi(conn, path),
 *   ownNamespace: null,
 * });
 * if (!outcome.ok && outcome.failure.refused) askSubjectAccessReview(outcome.failure.refused);
 */
export async function discoverKubernetes(
  config: KubernetesSdConfig,
  context: KubernetesDiscoveryContext,
): Promise<DiscoveryOutcome> {
  const { version, call } = context;
  const own = context.ownNamespace === '' ? null : context.ownNamespace;
  if (config.namespaces.ownNamespace && own === null) {
    return {
      ok: false,
      failure: {
        message:
          "could not determine the pod's namespace: namespaces.own_namespace needs Prometheus's own namespace (in-cluster, /var/run/secrets/kubernetes.io/serviceaccount/namespace) and none was given",
        status: null,
      },
    };
  }
  const namespaces = namespacesToList(config, own);
  const plan = planLists(config, version, namespaces);
  const results = await Promise.all(plan.map((list) => listAll(call, list.request)));

  const warnings: string[] = [];
  // Namespaces whose discoverer never syncs, with the first failure that blocks it.
  const blocked = new Map<string, DiscoveryFailure>();
  for (const [i, list] of plan.entries()) {
    const result = results[i]!;
    if (result.ok) continue;
    const failure = {
      ...result.failure,
      message: result.failure.message + v1beta1Note(list, result, version),
    };
    if (list.awaited && list.shared) return { ok: false, failure };
    if (!list.awaited) {
      warnings.push(
        `${failure.message}; Prometheus does not wait for this list, so its targets lack ${list.missing}`,
      );
    } else if (!blocked.has(list.request.namespace)) {
      blocked.set(list.request.namespace, failure);
    }
  }
  const [firstBlocked] = blocked.values();
  if (firstBlocked !== undefined && blocked.size === namespaces.length) {
    return { ok: false, failure: firstBlocked };
  }
  for (const [namespace, { message }] of blocked) {
    warnings.push(
      `${message}; Prometheus's ${config.role} discovery for namespace ${JSON.stringify(namespace)} waits for every list it makes to succeed, so it shows no target from that namespace (and logs the error while it retries)`,
    );
  }
  const objects: ListedObjects = {};
  for (const [i, list] of plan.entries()) {
    const result = results[i]!;
    if (!result.ok || (!list.shared && blocked.has(list.request.namespace))) continue;
    addItems(objects, list.key, result.items);
  }

  const groups = targetGroupsForRole(config.role, objects, {
    version,
    attachMetadata: config.attachMetadata,
    warn: (message) => warnings.push(message),
  });
  const seen = new Set<string>();
  const unique: TargetGroup[] = groups.filter((group) => {
    if (seen.has(group.source)) return false;
    seen.add(group.source);
    return true;
  });
  return { ok: true, groups: unique, warnings };
}
