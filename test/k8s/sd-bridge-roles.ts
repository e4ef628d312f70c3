/**
 * The target groups Prometheus 2.42.0's Kubernetes discovery builds for the node, service, pod
 * and ingress roles, written from its source (prometheus/prometheus@v2.42.0
 * discovery/kubernetes/{node,service,pod,ingress}.go), and the label helpers the endpoints roles
 * share. A group is `{source, labels, targets}` as Go's `targetgroup.Group`: target labels win
 * over group labels when Prometheus merges them.
 *
 * Go ranges over label maps in random order, so when two Kubernetes label names sanitise to the
 * same Prometheus name (`a.b` and `a_b`) the winner is random in Prometheus; here the later key
 * in the object's JSON wins.
 */
import type { Ingress, Node, ObjectMeta, Pod, Service } from './emulator-types.ts';

/** A Prometheus label set. */
export type LabelSet = Record<string, string>;

/** Go's `targetgroup.Group`. */
export interface TargetGroup {
  source: string;
  labels: LabelSet;
  targets: LabelSet[];
}

export const META = '__meta_kubernetes_';
export const NAMESPACE = `${META}namespace`;

/** util/strutil SanitizeLabelName: every rune outside `[a-zA-Z0-9_]` becomes `_`. */
export function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, '_');
}

/** Go's net.JoinHostPort: an IPv6 host is bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `<prefix>label_<n>`, `<prefix>labelpresent_<n>` (and annotations) of an object's metadata. */
export function metaLabels(
  prefix: string,
  meta: ObjectMeta,
  into: LabelSet,
  annotations = true,
): LabelSet {
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    into[`${prefix}label_${sanitize(k)}`] = v;
    into[`${prefix}labelpresent_${sanitize(k)}`] = 'true';
  }
  if (annotations)
    for (const [k, v] of Object.entries(meta.annotations ?? {})) {
      into[`${prefix}annotation_${sanitize(k)}`] = v;
      into[`${prefix}annotationpresent_${sanitize(k)}`] = 'true';
    }
  return into;
}

/** node.go nodeLabels. */
function nodeLabels(node: Node): LabelSet {
  return metaLabels(`${META}node_`, node.metadata, {
    [`${META}node_name`]: node.metadata.name,
    [`${META}node_provider_id`]: node.spec?.providerID ?? '',
  });
}

// node.go nodeAddress: the first address of the first type present, in this order.
const ADDRESS_PRIORITY = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
];

/** node.go buildNode: null when the node has no address (Prometheus sends no group then). */
export function buildNode(node: Node): TargetGroup | null {
  const byType = new Map<string, string[]>();
  for (const a of node.status?.addresses ?? [])
    byType.set(a.type, [...(byType.get(a.type) ?? []), a.address]);
  const type = ADDRESS_PRIORITY.find((t) => byType.has(t));
  if (type === undefined) return null;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: LabelSet = {
    __address__: joinHostPort(byType.get(type)![0]!, port),
    instance: node.metadata.name,
  };
  for (const [t, addresses] of byType) target[sanitize(`${META}node_address_${t}`)] = addresses[0]!;
  return { source: `node/${node.metadata.name}`, labels: nodeLabels(node), targets: [target] };
}

/** endpoints.go addNodeLabels: the node's name and labels (not its annotations, in 2.42). */
export function addNodeLabels(
  labels: LabelSet,
  nodes: readonly Node[] | null,
  nodeName: string | undefined,
): LabelSet {
  if (nodes === null || nodeName === undefined) return labels;
  const node = nodes.find((n) => n.metadata.name === nodeName);
  if (node === undefined) return labels;
  return metaLabels(
    `${META}node_`,
    { name: nodeName, ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    { ...labels, [`${META}node_name`]: nodeName },
    false,
  );
}

/** service.go serviceLabels: the group labels, also merged into endpoints groups. */
export function serviceLabels(svc: Service): LabelSet {
  return metaLabels(`${META}service_`, svc.metadata, {
    [`${META}service_name`]: svc.metadata.name,
    [NAMESPACE]: svc.metadata.namespace ?? '',
  });
}

/** service.go buildService: one target per port, at `<name>.<namespace>.svc:<port>`. */
export function buildService(svc: Service): TargetGroup {
  const spec = svc.spec ?? {};
  const targets = (spec.ports ?? []).map((port) => {
    const target: LabelSet = {
      __address__: joinHostPort(
        `${svc.metadata.name}.${svc.metadata.namespace ?? ''}.svc`,
        port.port,
      ),
      [`${META}service_port_name`]: port.name ?? '',
      [`${META}service_port_number`]: String(port.port),
      [`${META}service_port_protocol`]: port.protocol ?? '',
      [`${META}service_type`]: spec.type ?? '',
    };
    if (spec.type === 'ExternalName')
      target[`${META}service_external_name`] = spec.externalName ?? '';
    else target[`${META}service_cluster_ip`] = spec.clusterIP ?? '';
    // 2.42 reads spec.loadBalancerIP only, not status.loadBalancer.ingress.
    if (spec.type === 'LoadBalancer')
      target[`${META}service_loadbalancer_ip`] = spec.loadBalancerIP ?? '';
    return target;
  });
  return {
    source: `svc/${svc.metadata.namespace ?? ''}/${svc.metadata.name}`,
    labels: serviceLabels(svc),
    targets,
  };
}

/** pod.go podLabels: the pod's group labels, also merged into endpoint targets. */
export function podLabels(pod: Pod): LabelSet {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const ls: LabelSet = {
    [`${META}pod_name`]: pod.metadata.name,
    [`${META}pod_ip`]: pod.status?.podIP ?? '',
    [`${META}pod_ready`]: ready === undefined ? 'unknown' : ready.status.toLowerCase(),
    [`${META}pod_phase`]: pod.status?.phase ?? '',
    [`${META}pod_node_name`]: pod.spec.nodeName ?? '',
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${META}pod_uid`]: pod.metadata.uid ?? '',
  };
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (controller !== undefined && controller.kind !== '')
    ls[`${META}pod_controller_kind`] = controller.kind;
  if (controller !== undefined && controller.name !== '')
    ls[`${META}pod_controller_name`] = controller.name;
  return metaLabels(`${META}pod_`, pod.metadata, ls);
}

/** The labels of a container port, as the pod and endpoints roles write them. */
export function containerLabels(name: string, image: string | undefined): LabelSet {
  return { [`${META}pod_container_name`]: name, [`${META}pod_container_image`]: image ?? '' };
}

/**
 * pod.go buildPod: no IP → an empty group; else one target per container port, or one per
 * container without ports (address = pod IP, no port), over containers then init containers.
 */
export function buildPod(pod: Pod, nodes: readonly Node[] | null): TargetGroup {
  const source = `pod/${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  const ip = pod.status?.podIP ?? '';
  if (ip === '') return { source, labels: {}, targets: [] };
  let labels: LabelSet = { ...podLabels(pod), [NAMESPACE]: pod.metadata.namespace ?? '' };
  if (nodes !== null) labels = addNodeLabels(labels, nodes, pod.spec.nodeName ?? '');
  const targets: LabelSet[] = [];
  const all = [
    ...pod.spec.containers.map((c) => ({ c, init: false })),
    ...(pod.spec.initContainers ?? []).map((c) => ({ c, init: true })),
  ];
  for (const { c, init } of all) {
    const statuses =
      (init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
    const base: LabelSet = {
      ...containerLabels(c.name, c.image),
      [`${META}pod_container_id`]: statuses.find((s) => s.name === c.name)?.containerID ?? '',
      [`${META}pod_container_init`]: String(init),
    };
    if ((c.ports ?? []).length === 0) targets.push({ __address__: ip, ...base });
    for (const port of c.ports ?? [])
      targets.push({
        __address__: joinHostPort(ip, port.containerPort),
        ...base,
        [`${META}pod_container_port_number`]: String(port.containerPort),
        [`${META}pod_container_port_name`]: port.name ?? '',
        [`${META}pod_container_port_protocol`]: port.protocol ?? '',
      });
  }
  return { source, labels, targets };
}

/** ingress.go matchesHostnamePattern: equal, or `*.` + the same labels after the first. */
function matchesHostnamePattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split('.');
  const h = host.split('.');
  if (p[0] !== '*' || p.length !== h.length) return false;
  return p.every((part, i) => i === 0 || part === h[i]);
}

/** ingress.go buildIngress: one target per rule and path; the address is the host, no port. */
export function buildIngress(ingress: Ingress): TargetGroup {
  const spec = ingress.spec ?? {};
  const labels = metaLabels(`${META}ingress_`, ingress.metadata, {
    [`${META}ingress_name`]: ingress.metadata.name,
    [NAMESPACE]: ingress.metadata.namespace ?? '',
  });
  if (spec.ingressClassName !== undefined)
    labels[`${META}ingress_class_name`] = spec.ingressClassName;
  const tlsHosts = (spec.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: LabelSet[] = [];
  for (const rule of spec.rules ?? []) {
    const host = rule.host ?? '';
    const scheme = tlsHosts.some((p) => matchesHostnamePattern(p, host)) ? 'https' : 'http';
    // No `http` → one path "/"; an `http` without paths → no target; an empty path → "/".
    const paths =
      rule.http === undefined
        ? ['/']
        : (rule.http.paths ?? []).map((p) =>
            p.path === undefined || p.path === '' ? '/' : p.path,
          );
    for (const path of paths)
      targets.push({
        __address__: host,
        [`${META}ingress_scheme`]: scheme,
        [`${META}ingress_host`]: host,
        [`${META}ingress_path`]: path,
      });
  }
  return {
    source: `ingress/${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}`,
    labels,
    targets,
  };
}
