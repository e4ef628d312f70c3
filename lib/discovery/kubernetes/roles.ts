/**
 * Which role function builds a role's groups, and which listed resource is each role's own.
 */
import type { TargetGroup } from '../types.ts';
import type { KubernetesRole } from './config.ts';
import { endpointsTargetGroups } from './endpoints.ts';
import { endpointSliceTargetGroups } from './endpointslice.ts';
import { ingressTargetGroups } from './ingress.ts';
import { nodeTargetGroups } from './node.ts';
import type { ListedObjects } from './objects.ts';
import { podTargetGroups } from './pod.ts';
import type { RoleOptions } from './role-context.ts';
import { serviceTargetGroups } from './service.ts';

const BUILDERS: Record<
  KubernetesRole,
  (objects: ListedObjects, options: RoleOptions) => TargetGroup[]
> = {
  node: nodeTargetGroups,
  pod: podTargetGroups,
  service: serviceTargetGroups,
  endpoints: endpointsTargetGroups,
  endpointslice: endpointSliceTargetGroups,
  ingress: ingressTargetGroups,
};

/**
 * The target groups of any role, from what was listed: the dispatcher over the role functions.
 *
 * @example
 * targetGroupsForRole('endpoints', { endpoints, services, pods }, { version: '3' });
 */
export function targetGroupsForRole(
  role: KubernetesRole,
  objects: ListedObjects,
  options: RoleOptions,
): TargetGroup[] {
  return BUILDERS[role](objects, options);
}

/** The `ListedObjects` key holding each role's own resource. */
export const PRIMARY: Record<KubernetesRole, keyof ListedObjects> = {
  node: 'nodes',
  pod: 'pods',
  service: 'services',
  endpoints: 'endpoints',
  endpointslice: 'endpointSlices',
  ingress: 'ingresses',
};
