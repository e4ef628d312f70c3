/**
 * `role: endpoints`: one target per address and port of every Endpoints subset, ready addresses
 * then not-ready ones, plus the pods' uncovered container ports (prometheus/prometheus
 * `discovery/kubernetes/endpoints.go`, `buildEndpoints`).
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import { addObjectMetaLabels, joinHostPort, META, NAMESPACE_LABEL } from './meta-labels.ts';
import { withNamespaceLabels } from './namespace-labels.ts';
import type { EndpointAddress, EndpointPort, Endpoints, ListedObjects } from './objects.ts';
import { containerPortLabels, matchContainerPort, SeenPods, withNodeAndPod } from './pod-ports.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';
import { serviceLabels } from './service.ts';

/**
 * The node whose labels attach_metadata.node adds: the address's `nodeName`, or since 2.45 the
 * `targetRef` when it names a Node.
 */
function nodeNameOf(address: EndpointAddress, context: RoleContext): string | undefined {
  if (address.nodeName !== undefined && address.nodeName !== null) return address.nodeName;
  if (context.version !== '2' && address.targetRef?.kind === 'Node') return address.targetRef.name;
  return undefined;
}

function groupLabels(endpoints: Endpoints, context: RoleContext): LabelSet {
  const namespace = endpoints.metadata?.namespace ?? '';
  let labels: LabelSet = { [NAMESPACE_LABEL]: namespace };
  // The Service of the same name, only when it was listed (and matched the service selector).
  const service = context.services.get(`${namespace}/${endpoints.metadata?.name ?? ''}`);
  if (service !== undefined) labels = { ...labels, ...serviceLabels(service) };
  // Endpoints annotations arrived with `addObjectMetaLabels` in Prometheus 2.46.
  addObjectMetaLabels(labels, endpoints.metadata, 'endpoints', {
    annotations: context.version !== '2',
  });
  return withNamespaceLabels(labels, namespace, context);
}

function endpointTarget(
  address: EndpointAddress,
  port: EndpointPort,
  ready: boolean,
  context: RoleContext,
  seen: SeenPods,
): LabelSet {
  const number = port.port ?? 0;
  const target: LabelSet = {
    __address__: joinHostPort(address.ip ?? '', number),
    [`${META}endpoint_port_name`]: port.name ?? '',
    [`${META}endpoint_port_protocol`]: port.protocol ?? '',
    [`${META}endpoint_ready`]: String(ready),
  };
  if (address.targetRef !== undefined && address.targetRef !== null) {
    target[`${META}endpoint_address_target_kind`] = address.targetRef.kind ?? '';
    target[`${META}endpoint_address_target_name`] = address.targetRef.name ?? '';
  }
  if (address.nodeName !== undefined && address.nodeName !== null) {
    target[`${META}endpoint_node_name`] = address.nodeName;
  }
  if (address.hostname) target[`${META}endpoint_hostname`] = address.hostname;

  const nodeName = nodeNameOf(address, context);
  const { labels, pod } = withNodeAndPod(
    target,
    nodeName,
    address.targetRef,
    number,
    context,
    seen,
  );
  if (pod === undefined) return labels;
  const match = matchContainerPort(pod, number, context);
  // The protocol is the endpoint port's here; the endpointslice role takes the container's.
  if (match !== undefined)
    Object.assign(labels, containerPortLabels(match, port.protocol ?? '', context));
  return labels;
}

function endpointsGroup(endpoints: Endpoints, context: RoleContext): TargetGroup {
  const meta = endpoints.metadata;
  const seen = new SeenPods();
  const targets: LabelSet[] = [];
  for (const subset of endpoints.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const address of subset.addresses ?? []) {
        targets.push(endpointTarget(address, port, true, context, seen));
      }
      // The same address may come again, not ready: Prometheus makes a second target for it.
      for (const address of subset.notReadyAddresses ?? []) {
        targets.push(endpointTarget(address, port, false, context, seen));
      }
    }
  }
  const overCapacity = meta?.labels?.['endpoints.kubernetes.io/over-capacity'];
  if (overCapacity === 'truncated' || overCapacity === 'warning') {
    context.warn(
      `Endpoints ${meta?.namespace ?? ''}/${meta?.name ?? ''} has over 1000 endpoints${overCapacity === 'truncated' ? ' and has been truncated' : ''}: Prometheus logs a warning to use "role: endpointslice" instead`,
    );
  }
  targets.push(...seen.extraTargets(context));
  return {
    source: `endpoints/${meta?.namespace ?? ''}/${meta?.name ?? ''}`,
    targets,
    labels: groupLabels(endpoints, context),
  };
}

/**
 * The target groups of `role: endpoints`, one per Endpoints object (source
 * `endpoints/<namespace>/<name>`). Service labels join the group only when `objects.services` holds
 * the Service of the same name; pod labels join a target only when `objects.pods` holds the pod
 * its `targetRef` names.
 */
export function endpointsTargetGroups(objects: ListedObjects, options: RoleOptions): TargetGroup[] {
  const context = new RoleContext(objects, options);
  return (objects.endpoints ?? []).map((endpoints) => endpointsGroup(endpoints, context));
}
