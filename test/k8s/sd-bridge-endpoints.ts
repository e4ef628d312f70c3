/**
 * The target groups Prometheus 2.42.0 builds for the endpoints and endpointslice roles, written
 * from prometheus/prometheus@v2.42.0 discovery/kubernetes/endpoints.go (buildEndpoints) and
 * endpointslice.go (buildEndpointSlice). Both resolve an address's Pod targetRef in the pod store
 * of the same discoverer (one per namespace, or one for all), attach the Service's labels when
 * the service store holds it, and add a target for every container port of a seen pod that no
 * endpoint port covered. In 2.42 those extra targets come from `spec.containers` only (init and
 * sidecar containers joined in 3.0), and they are appended in first-seen order where Go ranges
 * over a map.
 */
import type {
  Endpoints,
  EndpointSlice,
  Node,
  ObjectReference,
  Pod,
  Service,
} from './emulator-types.ts';
import {
  META,
  NAMESPACE,
  addNodeLabels,
  containerLabels,
  joinHostPort,
  metaLabels,
  podLabels,
  sanitize,
  serviceLabels,
  type LabelSet,
  type TargetGroup,
} from './sd-bridge-roles.ts';

/** What one endpoints discoverer's informers hold (already filtered by the role selectors). */
export interface EndpointStores {
  pods: readonly Pod[];
  services: readonly Service[];
  /** The node store with `attach_metadata.node`, else null. */
  nodes: readonly Node[] | null;
}

function resolvePod(stores: EndpointStores, ref: ObjectReference | undefined): Pod | undefined {
  // The store key is `<ref.namespace>/<ref.name>`: a ref without a namespace never resolves.
  if (ref?.kind !== 'Pod') return undefined;
  return stores.pods.find(
    (p) => p.metadata.namespace === (ref.namespace ?? '') && p.metadata.name === (ref.name ?? ''),
  );
}

function findService(stores: EndpointStores, namespace: string, name: string): Service | undefined {
  return stores.services.find(
    (s) => s.metadata.namespace === namespace && s.metadata.name === name,
  );
}

/** The targets for container ports no endpoint port covered (`seenPods` loop). */
function extraTargets(
  seen: Map<string, { pod: Pod; ports: (number | undefined)[] }>,
  protocolOf: (cport: { protocol?: string }) => string,
): LabelSet[] {
  const out: LabelSet[] = [];
  for (const { pod, ports } of seen.values())
    for (const c of pod.spec.containers)
      for (const cport of c.ports ?? []) {
        if (ports.includes(cport.containerPort)) continue;
        out.push({
          __address__: joinHostPort(pod.status?.podIP ?? '', cport.containerPort),
          ...containerLabels(c.name, c.image),
          [`${META}pod_container_port_name`]: cport.name ?? '',
          [`${META}pod_container_port_number`]: String(cport.containerPort),
          [`${META}pod_container_port_protocol`]: protocolOf(cport),
          ...podLabels(pod),
        });
      }
  return out;
}

/**
 * Sets the container labels for the endpoint port, as the 2.42 loop does: `break` leaves only
 * the port loop, so the last container with a matching port wins.
 */
function matchContainer(
  target: LabelSet,
  pod: Pod,
  port: number,
  protocol: (cport: { protocol?: string }) => string,
): void {
  for (const c of pod.spec.containers)
    for (const cport of c.ports ?? [])
      if (cport.containerPort === port) {
        Object.assign(target, containerLabels(c.name, c.image), {
          [`${META}pod_container_port_name`]: cport.name ?? '',
          [`${META}pod_container_port_number`]: String(port),
          [`${META}pod_container_port_protocol`]: protocol(cport),
        });
        break;
      }
}

/** endpoints.go buildEndpoints. */
export function buildEndpoints(eps: Endpoints, stores: EndpointStores): TargetGroup {
  const namespace = eps.metadata.namespace ?? '';
  let labels: LabelSet = { [NAMESPACE]: namespace, [`${META}endpoints_name`]: eps.metadata.name };
  const svc = findService(stores, namespace, eps.metadata.name);
  if (svc !== undefined) labels = { ...labels, ...serviceLabels(svc) };
  // 2.42 adds the Endpoints' labels, not its annotations (those came in 2.46).
  metaLabels(`${META}endpoints_`, eps.metadata, labels, false);
  const seen = new Map<string, { pod: Pod; ports: (number | undefined)[] }>();
  const targets: LabelSet[] = [];
  for (const subset of eps.subsets ?? [])
    for (const port of subset.ports ?? [])
      for (const [addresses, ready] of [
        [subset.addresses, 'true'],
        [subset.notReadyAddresses, 'false'],
      ] as const)
        for (const addr of addresses ?? []) {
          let target: LabelSet = {
            __address__: joinHostPort(addr.ip, port.port),
            [`${META}endpoint_port_name`]: port.name ?? '',
            [`${META}endpoint_port_protocol`]: port.protocol ?? '',
            [`${META}endpoint_ready`]: ready,
          };
          if (addr.targetRef !== undefined) {
            target[`${META}endpoint_address_target_kind`] = addr.targetRef.kind ?? '';
            target[`${META}endpoint_address_target_name`] = addr.targetRef.name ?? '';
          }
          if (addr.nodeName !== undefined) target[`${META}endpoint_node_name`] = addr.nodeName;
          if ((addr.hostname ?? '') !== '') target[`${META}endpoint_hostname`] = addr.hostname!;
          target = addNodeLabels(target, stores.nodes, addr.nodeName);
          const pod = resolvePod(stores, addr.targetRef);
          if (pod !== undefined) {
            const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
            if (!seen.has(key)) seen.set(key, { pod, ports: [] });
            target = { ...target, ...podLabels(pod) };
            // The endpoints role labels the container port with the Endpoints port's protocol.
            matchContainer(target, pod, port.port, () => port.protocol ?? '');
            seen.get(key)!.ports.push(port.port);
          }
          targets.push(target);
        }
  targets.push(...extraTargets(seen, (cport) => cport.protocol ?? ''));
  return { source: `endpoints/${namespace}/${eps.metadata.name}`, labels, targets };
}

/** endpointslice.go buildEndpointSlice (discovery.k8s.io/v1; not-ready endpoints included). */
export function buildEndpointSlice(slice: EndpointSlice, stores: EndpointStores): TargetGroup {
  const namespace = slice.metadata.namespace ?? '';
  let labels: LabelSet = {
    [NAMESPACE]: namespace,
    [`${META}endpointslice_name`]: slice.metadata.name,
    [`${META}endpointslice_address_type`]: slice.addressType,
  };
  const serviceName = slice.metadata.labels?.['kubernetes.io/service-name'];
  const svc = serviceName === undefined ? undefined : findService(stores, namespace, serviceName);
  if (svc !== undefined) labels = { ...labels, ...serviceLabels(svc) };
  const seen = new Map<string, { pod: Pod; ports: (number | undefined)[] }>();
  const targets: LabelSet[] = [];
  const p = `${META}endpointslice_`;
  for (const ep of slice.endpoints ?? [])
    for (const port of slice.ports ?? [])
      for (const addr of ep.addresses) {
        // A nil port leaves the address without one.
        let target: LabelSet = {
          __address__: port.port === undefined ? addr : joinHostPort(addr, port.port),
        };
        if (port.name !== undefined) target[`${p}port_name`] = port.name;
        // The API server defaults the protocol (the store does too); 2.42 dereferences it.
        target[`${p}port_protocol`] = port.protocol ?? 'TCP';
        if (port.port !== undefined) target[`${p}port`] = String(port.port);
        if (port.appProtocol !== undefined) target[`${p}port_app_protocol`] = port.appProtocol;
        const cond = ep.conditions ?? {};
        if (cond.ready !== undefined) target[`${p}endpoint_conditions_ready`] = String(cond.ready);
        if (cond.serving !== undefined)
          target[`${p}endpoint_conditions_serving`] = String(cond.serving);
        if (cond.terminating !== undefined)
          target[`${p}endpoint_conditions_terminating`] = String(cond.terminating);
        if (ep.hostname !== undefined) target[`${p}endpoint_hostname`] = ep.hostname;
        if (ep.targetRef !== undefined) {
          target[`${p}address_target_kind`] = ep.targetRef.kind ?? '';
          target[`${p}address_target_name`] = ep.targetRef.name ?? '';
        }
        for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
          target[`${p}endpoint_topology_${sanitize(k)}`] = v;
          target[`${p}endpoint_topology_present_${sanitize(k)}`] = 'true';
        }
        target = addNodeLabels(target, stores.nodes, ep.nodeName);
        const pod = resolvePod(stores, ep.targetRef);
        if (pod !== undefined) {
          const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
          if (!seen.has(key)) seen.set(key, { pod, ports: [] });
          target = { ...target, ...podLabels(pod) };
          // The endpointslice role labels it with the container port's own protocol.
          if (port.port !== undefined)
            matchContainer(target, pod, port.port, (cport) => cport.protocol ?? '');
          seen.get(key)!.ports.push(port.port);
        }
        targets.push(target);
      }
  targets.push(...extraTargets(seen, (cport) => cport.protocol ?? ''));
  return { source: `endpointslice/${namespace}/${slice.metadata.name}`, labels, targets };
}
