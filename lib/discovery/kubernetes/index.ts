/**
 * Prometheus's `kubernetes_sd_configs`, by listing: validate an entry as Prometheus 2.42 or 3.x
 * would, list what its role needs, and build the target groups and `__meta_kubernetes_*` labels
 * Prometheus would (prometheus/prometheus `discovery/kubernetes/`).
 */
export { discoverKubernetes, type KubernetesDiscoveryContext } from './discover.ts';
export { validateKubernetesSdConfig, type KubernetesSdValidation } from './validate.ts';
export type { ValidationError } from './yaml-decode.ts';
export { KUBERNETES_ROLES, NO_ATTACH_METADATA } from './config.ts';
export type {
  AttachMetadata,
  KubernetesRole,
  KubernetesSdConfig,
  KubernetesSelector,
} from './config.ts';
export { targetGroupsForRole } from './roles.ts';
export { nodeTargetGroups } from './node.ts';
export { podTargetGroups } from './pod.ts';
export { serviceTargetGroups } from './service.ts';
export { endpointsTargetGroups } from './endpoints.ts';
export { endpointSliceTargetGroups } from './endpointslice.ts';
export { ingressTargetGroups } from './ingress.ts';
export type { RoleOptions } from './role-context.ts';
export { listPath, RESOURCES, type ApiCall, type ListRequest, type ResourceType } from './list.ts';
export { labelSelectorError } from './selector-syntax.ts';
export { fieldSelectorError } from './field-selector.ts';
export { sanitizeLabelName } from './meta-labels.ts';
export type * from './objects.ts';
