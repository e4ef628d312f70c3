/**
 * A kubeadm-like cluster as the objects its API server serves, full of the cases service
 * discovery must get right: three nodes (a tainted control plane, two workers, one with an
 * ExternalIP), host-network static pods without ports (controller kind Node), CoreDNS with two
 * ports numbered 53 (UDP and TCP) and its Service, Endpoints and EndpointSlice, kube-proxy and
 * node-exporter DaemonSets, `default/kubernetes` (no targetRef), a Prometheus-Operator kubelet
 * Service whose addresses point at Nodes, an app with a not-ready endpoint, a port no Service
 * exposes and a sidecar init container with a port, a Succeeded Job pod, a Pending pod without
 * an IP, a LoadBalancer whose IP is only in its status, an ExternalName Service, ingresses with
 * TLS (one wildcard), several paths and an empty one, and `prometheus.io/*` annotations.
 *
 * Every address can be moved: {@link loopbackAddresses} puts nodes and pods on 127.x.y.z (all of
 * 127.0.0.0/8 reaches loopback on Linux), so a test can listen where discovery points.
 *
 * @example
 * const emu = await startClusterEmulator(loopbackAddresses(42));
 * const sd = await emu.startSdBridge(); // http://127.0.0.1:<port>, serving /sd/<role>
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { K8sEmulator, type EmulatorOptions } from './emulator.ts';
import type { KubeObject, Namespace, Node, Pod } from './emulator-types.ts';
import {
  NODE_NAMES,
  endpointsFor,
  service,
  sliceFor,
  uid,
  type Backend,
  type ClusterPorts,
  type NodeName,
} from './cluster-builders.ts';
import { workloads } from './cluster-workloads.ts';

export { NODE_NAMES, service, type ClusterPorts, type NodeName } from './cluster-builders.ts';

export const DEFAULT_PORTS: ClusterPorts = {
  kubelet: 10250,
  coredns: 9153,
  nodeExporter: 9100,
  app: 9090,
};

/** Where the fixture's nodes and pods are. Host-network pods always take their node's IP. */
export interface ClusterAddresses {
  /** InternalIP by node name. */
  nodes?: Partial<Record<NodeName, string>>;
  /** Pod IP by `namespace/name` (see {@link POD_IPS} for the pods and their defaults). */
  pods?: Record<string, string>;
  ports?: Partial<ClusterPorts>;
}

/** Node InternalIPs by default. */
export const NODE_IPS: Record<NodeName, string> = {
  'cp-1': '10.0.0.10',
  'worker-1': '10.0.0.11',
  'worker-2': '10.0.0.12',
};

/** The pods with an IP of their own, and their default IPs (pod CIDR 10.244.<node>.0/24). */
export const POD_IPS: Record<string, string> = {
  'kube-system/coredns-7db6d8ff4d-4lq8w': '10.244.0.2',
  'kube-system/coredns-7db6d8ff4d-x2vkz': '10.244.1.2',
  'shop/checkout-6d9f8b7c5-k2x9p': '10.244.1.5',
  'shop/checkout-6d9f8b7c5-t8n3q': '10.244.1.6',
  'shop/checkout-6d9f8b7c5-m4w7r': '10.244.2.7',
  'shop/db-migrate-28612345-xk4vq': '10.244.2.9',
};

/**
 * Addresses on loopback: nodes at 127.<second>.0.10-12, pods at 127.<second>.<node+1>.<host>
 * (the default's last two octets), so distinct fixtures (`second` 1-254) never collide.
 */
export function loopbackAddresses(second: number): ClusterAddresses {
  const move = (ip: string) => {
    const [, , third = '0', fourth = '0'] = ip.split('.');
    return `127.${second}.${ip.startsWith('10.0.') ? 0 : Number(third) + 1}.${fourth}`;
  };
  return {
    nodes: Object.fromEntries(NODE_NAMES.map((n) => [n, move(NODE_IPS[n])])),
    pods: Object.fromEntries(Object.entries(POD_IPS).map(([k, ip]) => [k, move(ip)])),
  };
}

const NS_LABELS: Record<string, Record<string, string>> = {
  default: {},
  'kube-node-lease': {},
  'kube-public': {},
  'kube-system': {},
  monitoring: { name: 'monitoring', 'pod-security.kubernetes.io/enforce': 'privileged' },
  shop: { team: 'storefront', environment: 'production' },
};

function node(name: NodeName, ip: string, kubeletPort: number): Node {
  const cp = name === 'cp-1';
  return {
    kind: 'Node',
    metadata: {
      name,
      uid: uid(`node/${name}`),
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(cp
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : { 'topology.kubernetes.io/zone': name === 'worker-1' ? 'zone-a' : 'zone-b' }),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${NODE_NAMES.indexOf(name)}.0/24`,
      podCIDRs: [`10.244.${NODE_NAMES.indexOf(name)}.0/24`],
      ...(cp
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        ...(name === 'worker-2' ? [{ type: 'ExternalIP', address: '203.0.113.12' }] : []),
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.1.0-21-amd64',
        kubeProxyVersion: 'v1.30.2',
        kubeletVersion: 'v1.30.2',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
      },
    },
  };
}

/** The whole cluster, its addresses moved as `addresses` says. */
export function clusterFixture(addresses: ClusterAddresses = {}): KubeObject[] {
  const ports = { ...DEFAULT_PORTS, ...addresses.ports };
  const nodeIp = (n: NodeName) => addresses.nodes?.[n] ?? NODE_IPS[n];
  const podIp = (key: string) => addresses.pods?.[key] ?? POD_IPS[key] ?? '';
  const namespaces: Namespace[] = Object.entries(NS_LABELS).map(([name, labels]) => ({
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  const nodes = NODE_NAMES.map((n) => node(n, nodeIp(n), ports.kubelet));
  const w = workloads({ nodeIp, podIp, ports });
  const cpIp = nodeIp('cp-1');
  // The API server's own Service: its endpoints are the API servers, with no targetRef.
  const kubernetes = service(
    'default',
    'kubernetes',
    {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
    { labels: { component: 'apiserver', provider: 'kubernetes' } },
  );
  // The Prometheus Operator's kubelet Service (--kubelet-service=kube-system/kubelet):
  // no selector, addresses with a Node targetRef, mirrored into an EndpointSlice.
  const kubeletLabels = {
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'kubelet',
    'k8s-app': 'kubelet',
  };
  const kubeletPorts = [
    { name: 'https-metrics', port: ports.kubelet },
    { name: 'http-metrics', port: 10255 },
    { name: 'cadvisor', port: 4194 },
  ];
  const kubelet = service(
    'kube-system',
    'kubelet',
    {
      type: 'ClusterIP',
      clusterIP: 'None',
      ports: kubeletPorts.map((p) => ({ ...p, protocol: 'TCP', targetPort: p.port })),
    },
    { labels: kubeletLabels },
  );
  const kubeletBackends: Backend[] = NODE_NAMES.map((n) => ({
    node: n,
    ip: nodeIp(n),
    ready: true,
  }));
  const kubeletSlice = sliceFor(
    kubelet,
    kubeletBackends,
    kubeletPorts,
    'endpointslicemirroring-controller.k8s.io',
  );
  return [
    ...namespaces,
    ...nodes,
    kubernetes,
    {
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        { addresses: [{ ip: cpIp }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
      ],
    },
    {
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [cpIp], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    },
    kubelet,
    endpointsFor(kubelet, kubeletBackends, kubeletPorts),
    kubeletSlice,
    ...w.objects,
  ];
}

/** The fixture's pods (for tests that need them by name). */
export function fixturePods(addresses: ClusterAddresses = {}): Pod[] {
  return clusterFixture(addresses).filter((o): o is Pod => o.kind === 'Pod');
}

/**
 * An emulator (self-managed unless `options` says otherwise) holding only the fixture's objects:
 * its default EmulatorNodes give way to the fixture's three nodes.
 */
export async function startClusterEmulator(
  addresses: ClusterAddresses = {},
  options: Partial<EmulatorOptions> = {},
): Promise<K8sEmulator> {
  const emu = await K8sEmulator.start({ flavor: 'self-managed', ...options, nodes: [] });
  emu.objects.putAll(clusterFixture(addresses));
  return emu;
}

/**
 * Writes a kubeconfig that reaches `emu` with `token`; by default as its administrator
 * (`system:masters`): scrape-check's own way into the lab cluster when it stands in for a
 * Prometheus pod there.
 */
export function writeKubeconfig(emu: K8sEmulator, file: string, token = emu.adminToken): string {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'lab',
          cluster: {
            server: emu.url,
            'certificate-authority-data': Buffer.from(emu.ca.certPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'me', user: { token } }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'me' } }],
      'current-context': 'lab',
    }),
  );
  return file;
}

/** A kubeconfig that reaches `emu` as its administrator. */
export function writeAdminKubeconfig(emu: K8sEmulator, file: string): string {
  return writeKubeconfig(emu, file);
}
