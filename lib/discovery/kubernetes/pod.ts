/**
 * `role: pod`: one target per declared container port, or one port-less target per container that
 * declares none (prometheus/prometheus `discovery/kubernetes/pod.go`, `buildPod`).
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import { joinHostPort, META, NAMESPACE_LABEL, nodeMetaLabels } from './meta-labels.ts';
import { withNamespaceLabels } from './namespace-labels.ts';
import type { ContainerStatus, ListedObjects, Pod } from './objects.ts';
import { podContainers, podLabels } from './pod-labels.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';

/** `findPodContainerID`: the status's container ID, or "" when the container has no status. */
function containerId(statuses: ContainerStatus[] | null | undefined, name: string): string {
  return (statuses ?? []).find((s) => s.name === name)?.containerID ?? '';
}

function podTargets(pod: Pod, podIp: string): LabelSet[] {
  const targets: LabelSet[] = [];
  for (const { container, init } of podContainers(pod, true)) {
    const name = container.name ?? '';
    const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
    const common: LabelSet = {
      [`${META}pod_container_name`]: name,
      [`${META}pod_container_id`]: containerId(statuses, name),
      [`${META}pod_container_image`]: container.image ?? '',
      [`${META}pod_container_init`]: String(init),
    };
    const ports = container.ports ?? [];
    if (ports.length === 0) {
      // No port: the address is the bare pod IP and the user adds a port by relabelling.
      targets.push({ __address__: podIp, ...common });
      continue;
    }
    for (const port of ports) {
      const number = String(port.containerPort ?? 0);
      targets.push({
        __address__: joinHostPort(podIp, number),
        ...common,
        [`${META}pod_container_port_number`]: number,
        [`${META}pod_container_port_name`]: port.name ?? '',
        [`${META}pod_container_port_protocol`]: port.protocol ?? '',
      });
    }
  }
  return targets;
}

function podGroup(pod: Pod, context: RoleContext): TargetGroup {
  const namespace = pod.metadata?.namespace ?? '';
  const empty: TargetGroup = {
    source: `pod/${namespace}/${pod.metadata?.name ?? ''}`,
    targets: [],
    labels: {},
  };
  // A pod without an IP (starting, evicted) is sent as an empty group.
  const podIp = pod.status?.podIP ?? '';
  if (podIp === '') return empty;
  const nodeName = pod.spec?.nodeName ?? '';
  const node = context.nodes?.get(nodeName);
  // Prometheus 3 (with attach_metadata.node) drops pods whose node is not in the node store:
  // the node selectors filtered it out (3.11, `buildPod`).
  if (context.nodes !== null && node === undefined && context.version !== '2') return empty;

  let labels: LabelSet = { ...podLabels(pod, context), [NAMESPACE_LABEL]: namespace };
  if (node !== undefined) labels = { ...labels, ...nodeMetaLabels(node.metadata, context.version) };
  labels = withNamespaceLabels(labels, namespace, context);
  return { ...empty, targets: podTargets(pod, podIp), labels };
}

/**
 * The target groups of `role: pod`, one per pod (source `pod/<namespace>/<name>`), empty for a
 * pod without an IP.
 *
 * @example
 * podTargetGroups({ pods }, { version: '3' })[0]?.targets.map((t) => t.__address__);
 * // ['10.1.0.5:8080', '10.1.0.5']  (a port, then a container without ports)
 */
export function podTargetGroups(objects: ListedObjects, options: RoleOptions): TargetGroup[] {
  const context = new RoleContext(objects, options);
  return (objects.pods ?? []).map((pod) => podGroup(pod, context));
}
