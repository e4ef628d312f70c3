/**
 * attach_metadata.namespace (Prometheus 3.6+, prometheus/prometheus
 * `discovery/kubernetes/endpoints.go`, `addNamespaceLabels`): the namespace's labels and annotations
 * on a role's group labels, when the namespace was listed.
 */
import type { LabelSet } from '../types.ts';
import { namespaceMetaLabels } from './meta-labels.ts';
import type { RoleContext } from './role-context.ts';

/**
 * The group labels with the namespace's metadata merged in (they win on a clash, as Go's
 * `LabelSet.Merge` lets its argument win); unchanged without attach_metadata.namespace or when the
 * namespace is not in the store.
 */
export function withNamespaceLabels(
  labels: LabelSet,
  namespace: string,
  context: RoleContext,
): LabelSet {
  const object = context.namespaces?.get(namespace);
  if (object === undefined) return labels;
  return { ...labels, ...namespaceMetaLabels(object.metadata) };
}
