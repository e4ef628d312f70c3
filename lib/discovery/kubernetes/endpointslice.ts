/**
 * `role: endpointslice`: one target per endpoint, port and address of every EndpointSlice
 * (`discovery.k8s.io/v1`), not-ready endpoints included, plus the pods' uncovered container ports
 * (prometheus/prometheus `discovery/kubernetes/endpointslice.go`, `buildEndpointSlice`).
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import {
  addObjectMetaLabels,
  joinHostPort,
  META,
  NAMESPACE_LABEL,
  sanitizeLabelName,
} from './meta-labels.ts';
import { withNamespaceLabels } from './namespace-labels.ts';
import type {
  EndpointSlice,
  EndpointSliceEndpoint,
  EndpointSlicePort,
  ListedObjects,
  Service,
} from './objects.ts';
import { containerPortLabels, matchContainerPort, SeenPods, withNodeAndPod } from './pod-ports.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';
import { serviceLabels } from './service.ts';

const SLICE = `${META}endpointslice_`;

/** Go's nil test on a pointer field: JSON's absent and null. */
function set<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/**
 * The slice's Service, named by its `kubernetes.io/service-name` label, when it was listed.
 */
function sliceService(slice: EndpointSlice, context: RoleContext): Service | undefined {
  const name = slice.metadata?.labels?.['kubernetes.io/service-name'];
  if (name === undefined) return undefined;
  return context.services.get(`${slice.metadata?.namespace ?? ''}/${name}`);
}

/**
 * `nonPrimaryIPFamilySlice` (3.11): the slice of a dual-stack Service's secondary IP family, whose
 * targets would repeat the primary slice's.
 */
function secondaryFamily(service: Service | undefined, slice: EndpointSlice): boolean {
  const policy = service?.spec?.ipFamilyPolicy;
  if (policy !== 'PreferDualStack' && policy !== 'RequireDualStack') return false;
  const primary = service?.spec?.ipFamilies?.[0];
  return primary !== undefined && slice.addressType !== primary;
}

function groupLabels(slice: EndpointSlice, service: Service | undefined, context: RoleContext) {
  const namespace = slice.metadata?.namespace ?? '';
  let labels: LabelSet = {
    [NAMESPACE_LABEL]: namespace,
    [`${SLICE}address_type`]: slice.addressType ?? '',
  };
  if (context.version === '2') {
    // 2.42 had only the name; labels and annotations came with 2.46.
    labels[`${SLICE}name`] = slice.metadata?.name ?? '';
  } else {
    addObjectMetaLabels(labels, slice.metadata, 'endpointslice');
  }
  if (service !== undefined) labels = { ...labels, ...serviceLabels(service) };
  return withNamespaceLabels(labels, namespace, context);
}

function endpointLabels(endpoint: EndpointSliceEndpoint, context: RoleContext): LabelSet {
  const labels: LabelSet = {};
  const { conditions = {}, hostname, targetRef, nodeName, zone } = endpoint;
  if (set(conditions.ready)) labels[`${SLICE}endpoint_conditions_ready`] = String(conditions.ready);
  if (set(conditions.serving)) {
    labels[`${SLICE}endpoint_conditions_serving`] = String(conditions.serving);
  }
  if (set(conditions.terminating)) {
    labels[`${SLICE}endpoint_conditions_terminating`] = String(conditions.terminating);
  }
  if (set(hostname)) labels[`${SLICE}endpoint_hostname`] = hostname;
  if (set(targetRef)) {
    labels[`${SLICE}address_target_kind`] = targetRef.kind ?? '';
    labels[`${SLICE}address_target_name`] = targetRef.name ?? '';
  }
  // The node name and the zone arrived in Prometheus 2.52.
  if (context.version !== '2') {
    if (set(nodeName)) labels[`${SLICE}endpoint_node_name`] = nodeName;
    if (set(zone)) labels[`${SLICE}endpoint_zone`] = zone;
  }
  for (const [key, value] of Object.entries(endpoint.deprecatedTopology ?? {})) {
    const name = sanitizeLabelName(key);
    labels[`${SLICE}endpoint_topology_${name}`] = value;
    labels[`${SLICE}endpoint_topology_present_${name}`] = 'true';
  }
  return labels;
}

/** The node attach_metadata.node reads: a Node `targetRef` (2.45+), else `nodeName`. */
function nodeNameOf(endpoint: EndpointSliceEndpoint, context: RoleContext): string | undefined {
  if (context.version !== '2' && endpoint.targetRef?.kind === 'Node')
    return endpoint.targetRef.name;
  return endpoint.nodeName ?? undefined;
}

function sliceTarget(
  address: string,
  endpoint: EndpointSliceEndpoint,
  port: EndpointSlicePort,
  context: RoleContext,
  seen: SeenPods,
): LabelSet {
  const number = port.port ?? null;
  // A slice port without a number gives a bare address.
  const target: LabelSet = {
    __address__: number === null ? address : joinHostPort(address, number),
  };
  if (set(port.name)) target[`${SLICE}port_name`] = port.name;
  if (set(port.protocol)) target[`${SLICE}port_protocol`] = port.protocol;
  if (number !== null) target[`${SLICE}port`] = String(number);
  if (set(port.appProtocol)) target[`${SLICE}port_app_protocol`] = port.appProtocol;
  Object.assign(target, endpointLabels(endpoint, context));

  const nodeName = nodeNameOf(endpoint, context);
  const { labels, pod } = withNodeAndPod(
    target,
    nodeName,
    endpoint.targetRef,
    number,
    context,
    seen,
  );
  if (pod === undefined) return labels;
  const match = number === null ? undefined : matchContainerPort(pod, number, context);
  // The protocol is the container port's here; the endpoints role takes the endpoint port's.
  if (match !== undefined) {
    Object.assign(labels, containerPortLabels(match, match.port.protocol ?? '', context));
  }
  return labels;
}

function sliceGroup(slice: EndpointSlice, context: RoleContext): TargetGroup {
  const meta = slice.metadata;
  const service = sliceService(slice, context);
  const group: TargetGroup = {
    source: `endpointslice/${meta?.namespace ?? ''}/${meta?.name ?? ''}`,
    targets: [],
    labels: groupLabels(slice, service, context),
  };
  if (context.version !== '2' && secondaryFamily(service, slice)) return group;
  const seen = new SeenPods();
  for (const endpoint of slice.endpoints ?? []) {
    for (const port of slice.ports ?? []) {
      for (const address of endpoint.addresses ?? []) {
        group.targets.push(sliceTarget(address, endpoint, port, context, seen));
      }
    }
  }
  group.targets.push(...seen.extraTargets(context));
  return group;
}

/**
 * The target groups of `role: endpointslice`, one per EndpointSlice (source
 * `endpointslice/<namespace>/<name>`). Service labels join the group only when `objects.services`
 * holds the Service the slice's `kubernetes.io/service-name` label names.
 */
export function endpointSliceTargetGroups(
  objects: ListedObjects,
  options: RoleOptions,
): TargetGroup[] {
  const context = new RoleContext(objects, options);
  return (objects.endpointSlices ?? []).map((slice) => sliceGroup(slice, context));
}
