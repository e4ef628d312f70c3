/**
 * What the endpoints and endpointslice roles do with the pods behind their addresses
 * (prometheus/prometheus `discovery/kubernetes/endpoints.go` and `endpointslice.go`,
 * `buildEndpoints`/`buildEndpointSlice`): container labels for the container port an endpoint
 * port matches, and an extra target for every container port no endpoint port covered.
 */
import type { LabelSet } from '../types.ts';
import { joinHostPort, META, nodeMetaLabels } from './meta-labels.ts';
import type { ContainerPort, Pod } from './objects.ts';
import { podContainers, podLabels, type PodContainer } from './pod-labels.ts';
import { objectKey, type RoleContext } from './role-context.ts';

/** A container port with its container. */
export interface MatchedPort extends PodContainer {
  port: ContainerPort;
}

/**
 * The container port equal to an endpoint port. Prometheus breaks out of the inner loop only, so
 * when two containers declare the port the *last* one wins; init containers count from 3.0.
 */
export function matchContainerPort(
  pod: Pod,
  port: number,
  context: RoleContext,
): MatchedPort | undefined {
  let match: MatchedPort | undefined;
  for (const candidate of podContainers(pod, context.version !== '2')) {
    const found = (candidate.container.ports ?? []).find((p) => (p.containerPort ?? 0) === port);
    if (found !== undefined) match = { ...candidate, port: found };
  }
  return match;
}

/** `pod_container_*` labels for a matched port; `pod_container_init` only from 3.0. */
export function containerPortLabels(
  match: MatchedPort,
  protocol: string,
  context: RoleContext,
): LabelSet {
  const labels: LabelSet = {
    [`${META}pod_container_name`]: match.container.name ?? '',
    [`${META}pod_container_image`]: match.container.image ?? '',
    [`${META}pod_container_port_name`]: match.port.name ?? '',
    [`${META}pod_container_port_number`]: String(match.port.containerPort ?? 0),
    [`${META}pod_container_port_protocol`]: protocol,
  };
  if (context.version !== '2') labels[`${META}pod_container_init`] = String(match.init);
  return labels;
}

/**
 * The pods seen behind a group's addresses, with the endpoint ports each was reached on. Prometheus
 * keeps them in a Go map, so the extra targets of different pods come in random order; here they
 * come in the order the pods were first seen.
 */
export class SeenPods {
  readonly #pods = new Map<string, { pod: Pod; ports: number[] }>();

  /** Records that `pod` backs a target on endpoint port `port` (null: a port-less slice port). */
  add(pod: Pod, port: number | null): void {
    const key = objectKey(pod);
    let entry = this.#pods.get(key);
    if (entry === undefined) {
      entry = { pod, ports: [] };
      this.#pods.set(key, entry);
    }
    if (port !== null) entry.ports.push(port);
  }

  /**
   * A target for every container port of every seen pod that no endpoint port covered, with the
   * pod labels and no endpoint labels. Since 2.46 a pod without an IP gets none; before, Prometheus
   * made `:<port>` targets for it.
   */
  extraTargets(context: RoleContext): LabelSet[] {
    const targets: LabelSet[] = [];
    for (const { pod, ports } of this.#pods.values()) {
      const podIp = pod.status?.podIP ?? '';
      if (podIp === '' && context.version !== '2') continue;
      for (const candidate of podContainers(pod, context.version !== '2')) {
        for (const port of candidate.container.ports ?? []) {
          const number = port.containerPort ?? 0;
          if (ports.includes(number)) continue;
          targets.push({
            __address__: joinHostPort(podIp, number),
            ...containerPortLabels({ ...candidate, port }, port.protocol ?? '', context),
            ...podLabels(pod, context),
          });
        }
      }
    }
    return targets;
  }
}

/**
 * An address's target with its node's labels (attach_metadata.node: the node named `nodeName`, when
 * listed) and its pod's (the Pod `targetRef` names, when listed, then marked seen at `port`), as a
 * new label set; `pod` is that pod, for the container port labels the role adds next.
 */
export function withNodeAndPod(
  target: LabelSet,
  nodeName: string | undefined,
  targetRef: Parameters<typeof resolvePod>[0],
  port: number | null,
  context: RoleContext,
  seen: SeenPods,
): { labels: LabelSet; pod: Pod | undefined } {
  const node = nodeName === undefined ? undefined : context.nodes?.get(nodeName);
  if (node !== undefined) target = { ...target, ...nodeMetaLabels(node.metadata, context.version) };
  const pod = resolvePod(targetRef, context);
  if (pod === undefined) return { labels: target, pod };
  seen.add(pod, port);
  return { labels: { ...target, ...podLabels(pod, context) }, pod };
}

/** The pod a `targetRef` names, when it is a Pod and the pod was listed (`resolvePodRef`). */
export function resolvePod(
  ref: { kind?: string; name?: string; namespace?: string } | null | undefined,
  context: RoleContext,
): Pod | undefined {
  if (ref?.kind !== 'Pod') return undefined;
  return context.pods.get(`${ref.namespace ?? ''}/${ref.name ?? ''}`);
}
