/**
 * The cluster fixture's workloads: kubeadm's static pods and add-ons (CoreDNS, kube-proxy), a
 * node-exporter DaemonSet in `monitoring`, and the `shop` application with its Services,
 * Endpoints, EndpointSlices and Ingresses. See cluster-fixture.ts.
 */
import type { Container, Ingress, KubeObject, Pod } from './emulator-types.ts';
import {
  NODE_NAMES,
  endpointsFor,
  pod,
  service,
  sliceFor,
  type Backend,
  type ClusterPorts,
  type NodeName,
} from './cluster-builders.ts';

export interface WorkloadContext {
  nodeIp(node: NodeName): string;
  podIp(key: string): string;
  ports: ClusterPorts;
}

const K8S = 'v1.30.2';

/** kubeadm's static control-plane pods on cp-1: host network, no declared ports. */
function staticPods(ip: string): Pod[] {
  const component = (name: string, image: string, annotations: Record<string, string>) =>
    pod({
      namespace: 'kube-system',
      name: `${name}-cp-1`,
      node: 'cp-1',
      ip,
      hostIP: ip,
      hostNetwork: true,
      labels: { component: name, tier: 'control-plane' },
      annotations: {
        ...annotations,
        'kubernetes.io/config.hash': `${name.length}f2c6a0d3e9b7c1a5`,
        'kubernetes.io/config.mirror': `${name.length}f2c6a0d3e9b7c1a5`,
        'kubernetes.io/config.seen': '2024-06-03T08:15:02.712345678Z',
        'kubernetes.io/config.source': 'file',
      },
      owner: { apiVersion: 'v1', kind: 'Node', name: 'cp-1' },
      containers: [{ name, image, command: [name] }],
      extraSpec: { priorityClassName: 'system-node-critical', priority: 2000001000 },
    });
  return [
    component('etcd', 'registry.k8s.io/etcd:3.5.12-0', {
      'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379`,
    }),
    component('kube-apiserver', `registry.k8s.io/kube-apiserver:${K8S}`, {
      'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443`,
    }),
    component('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${K8S}`, {}),
    component('kube-scheduler', `registry.k8s.io/kube-scheduler:${K8S}`, {}),
  ];
}

/** One pod per node of a DaemonSet (host network). */
function daemonSet(
  ctx: WorkloadContext,
  namespace: string,
  name: string,
  suffixes: readonly string[],
  labels: Record<string, string>,
  containers: Container[],
): Pod[] {
  return NODE_NAMES.map((n, i) =>
    pod({
      namespace,
      name: `${name}-${suffixes[i] ?? String(i)}`,
      node: n,
      ip: ctx.nodeIp(n),
      hostIP: ctx.nodeIp(n),
      hostNetwork: true,
      labels: {
        ...labels,
        'controller-revision-hash': '7d9b8c6f5',
        'pod-template-generation': '1',
      },
      owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name },
      containers,
    }),
  );
}

/** A pod of a Deployment (through its ReplicaSet), with its own IP. */
function replica(
  ctx: WorkloadContext,
  rs: { namespace: string; name: string; labels: Record<string, string> },
  suffix: string,
  node: NodeName,
  rest: Partial<Parameters<typeof pod>[0]> & { containers: Container[] },
): Pod {
  const name = `${rs.name}-${suffix}`;
  return pod({
    namespace: rs.namespace,
    name,
    node,
    ip: ctx.podIp(`${rs.namespace}/${name}`),
    hostIP: ctx.nodeIp(node),
    labels: { ...rs.labels, 'pod-template-hash': rs.name.split('-').at(-1) ?? '' },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name },
    ...rest,
  });
}

function corednsObjects(ctx: WorkloadContext): KubeObject[] {
  const rs = {
    namespace: 'kube-system',
    name: 'coredns-7db6d8ff4d',
    labels: { 'k8s-app': 'kube-dns' },
  };
  const containers: Container[] = [
    {
      name: 'coredns',
      image: 'registry.k8s.io/coredns/coredns:v1.11.1',
      args: ['-conf', '/etc/coredns/Corefile'],
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        { name: 'metrics', containerPort: ctx.ports.coredns, protocol: 'TCP' },
      ],
    },
  ];
  const pods = [
    replica(ctx, rs, '4lq8w', 'cp-1', { containers }),
    replica(ctx, rs, 'x2vkz', 'worker-1', { containers }),
  ];
  const svc = service(
    'kube-system',
    'kube-dns',
    {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        {
          name: 'metrics',
          port: ctx.ports.coredns,
          protocol: 'TCP',
          targetPort: ctx.ports.coredns,
        },
      ],
    },
    {
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: {
        'prometheus.io/port': String(ctx.ports.coredns),
        'prometheus.io/scrape': 'true',
      },
    },
  );
  const backends: Backend[] = pods.map((p) => ({ pod: p, ready: true }));
  // The endpoints controller sorts ports by name: dns, dns-tcp, metrics.
  const ports = [
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'metrics', port: ctx.ports.coredns, protocol: 'TCP' },
  ];
  return [...pods, svc, endpointsFor(svc, backends, ports), sliceFor(svc, backends, ports)];
}

function monitoringObjects(ctx: WorkloadContext): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': 'prometheus-node-exporter',
    'app.kubernetes.io/part-of': 'kube-prometheus-stack',
  };
  const pods = daemonSet(ctx, 'monitoring', 'node-exporter', ['2fkwq', 'h7d9r', 'zx8tc'], labels, [
    {
      name: 'node-exporter',
      image: 'quay.io/prometheus/node-exporter:v1.8.1',
      args: [`--web.listen-address=[$(HOST_IP)]:${ctx.ports.nodeExporter}`],
      ports: [
        {
          name: 'http-metrics',
          containerPort: ctx.ports.nodeExporter,
          hostPort: ctx.ports.nodeExporter,
          protocol: 'TCP',
        },
      ],
    },
  ]);
  const svc = service(
    'monitoring',
    'node-exporter',
    {
      type: 'ClusterIP',
      clusterIP: '10.96.120.5',
      selector: { 'app.kubernetes.io/name': 'prometheus-node-exporter' },
      ports: [
        {
          name: 'http-metrics',
          port: ctx.ports.nodeExporter,
          protocol: 'TCP',
          targetPort: ctx.ports.nodeExporter,
        },
      ],
    },
    {
      labels: { ...labels, jobLabel: 'node-exporter' },
      annotations: { 'prometheus.io/scrape': 'true' },
    },
  );
  const backends: Backend[] = pods.map((p) => ({ pod: p, ready: true }));
  const ports = [{ name: 'http-metrics', port: ctx.ports.nodeExporter }];
  return [...pods, svc, endpointsFor(svc, backends, ports), sliceFor(svc, backends, ports)];
}

function shopObjects(ctx: WorkloadContext): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/version': '2.4.1' };
  const rs = { namespace: 'shop', name: 'checkout-6d9f8b7c5', labels };
  const spec = {
    annotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(ctx.ports.app),
      'prometheus.io/path': '/metrics',
    },
    containers: [
      {
        name: 'checkout',
        image: 'ghcr.io/example/checkout:2.4.1',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', containerPort: ctx.ports.app, protocol: 'TCP' },
          // Exposed by no Service: the endpoints roles add a target for it.
          { name: 'pprof', containerPort: 6060, protocol: 'TCP' },
        ],
      },
    ],
    // A native sidecar (Kubernetes 1.29+): an init container that keeps running, with a port.
    initContainers: [
      {
        name: 'log-shipper',
        image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.7',
        restartPolicy: 'Always',
        ports: [{ name: 'fb-metrics', containerPort: 2020, protocol: 'TCP' }],
      },
    ],
  };
  const ready = [
    replica(ctx, rs, 'k2x9p', 'worker-1', spec),
    replica(ctx, rs, 'm4w7r', 'worker-2', spec),
  ];
  // Running, its readiness probe failing: a notReadyAddress.
  const notReady = replica(ctx, rs, 't8n3q', 'worker-1', { ...spec, ready: false });
  const migrate = pod({
    namespace: 'shop',
    name: 'db-migrate-28612345-xk4vq',
    node: 'worker-2',
    ip: ctx.podIp('shop/db-migrate-28612345-xk4vq'),
    hostIP: ctx.nodeIp('worker-2'),
    labels: {
      'batch.kubernetes.io/job-name': 'db-migrate-28612345',
      'job-name': 'db-migrate-28612345',
    },
    owner: { apiVersion: 'batch/v1', kind: 'Job', name: 'db-migrate-28612345' },
    containers: [{ name: 'migrate', image: 'ghcr.io/example/checkout-migrate:2.4.1' }],
    phase: 'Succeeded',
  });
  // Unschedulable: no node, no IP.
  const pending = pod({
    namespace: 'shop',
    name: 'report-generator-5f7b9c8d4-9zzqp',
    labels: { 'app.kubernetes.io/name': 'report-generator' },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'report-generator-5f7b9c8d4' },
    containers: [
      {
        name: 'report',
        image: 'ghcr.io/example/report:1.0.0',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      },
    ],
    phase: 'Pending',
  });
  const svc = service(
    'shop',
    'checkout',
    {
      type: 'ClusterIP',
      clusterIP: '10.96.44.12',
      selector: { 'app.kubernetes.io/name': 'checkout' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { name: 'metrics', port: ctx.ports.app, protocol: 'TCP', targetPort: 'metrics' },
      ],
    },
    {
      labels,
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(ctx.ports.app) },
    },
  );
  const backends: Backend[] = [
    ...ready.map((p) => ({ pod: p, ready: true })),
    { pod: notReady, ready: false },
  ];
  const ports = [
    { name: 'http', port: 8080, appProtocol: 'http' },
    { name: 'metrics', port: ctx.ports.app },
  ];
  // A cloud LoadBalancer: its IP is in status only, as 2.42 does not read it.
  const lb = service(
    'shop',
    'storefront-lb',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.77.3',
      selector: { 'app.kubernetes.io/name': 'storefront' },
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 31443 }],
    },
    {},
    { loadBalancer: { ingress: [{ ip: '203.0.113.50', ipMode: 'VIP' }] } },
  );
  const external = service('shop', 'payments-api', {
    type: 'ExternalName',
    externalName: 'api.payments.example.net',
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
  });
  return [
    ...ready,
    notReady,
    migrate,
    pending,
    svc,
    endpointsFor(svc, backends, ports),
    sliceFor(svc, backends, ports),
    lb,
    endpointsFor(lb, [], []),
    sliceFor(lb, [], []),
    external,
    ...ingresses(),
  ];
}

function ingresses(): Ingress[] {
  const backend = (name: string, port: string) => ({ service: { name, port: { name: port } } });
  return [
    {
      kind: 'Ingress',
      metadata: {
        name: 'storefront',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'storefront' },
        annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
      },
      spec: {
        ingressClassName: 'nginx',
        tls: [
          { hosts: ['shop.example.com'], secretName: 'shop-tls' },
          { hosts: ['*.api.example.com'], secretName: 'api-wildcard-tls' },
        ],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: backend('checkout', 'http') },
                { path: '/cart', pathType: 'Prefix', backend: backend('checkout', 'http') },
              ],
            },
          },
          {
            host: 'orders.api.example.com',
            http: {
              paths: [{ path: '/v1', pathType: 'Prefix', backend: backend('checkout', 'http') }],
            },
          },
          // Not covered by the TLS hosts; a path left out (ImplementationSpecific) is "/".
          {
            host: 'status.example.com',
            http: {
              paths: [
                { pathType: 'ImplementationSpecific', backend: backend('checkout', 'metrics') },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.50' }] } },
    },
    {
      // No class, a rule without `http` (one target, path "/"), a default backend.
      kind: 'Ingress',
      metadata: { name: 'legacy', namespace: 'shop' },
      spec: {
        defaultBackend: backend('checkout', 'http'),
        rules: [{ host: 'legacy.example.com' }],
      },
    },
  ];
}

/** The workload objects, addresses from `ctx`. */
export function workloads(ctx: WorkloadContext): { objects: KubeObject[] } {
  const proxy = daemonSet(
    ctx,
    'kube-system',
    'kube-proxy',
    ['7xq2m', 'b9k4d', 'pl5vn'],
    { 'k8s-app': 'kube-proxy' },
    [
      {
        name: 'kube-proxy',
        image: `registry.k8s.io/kube-proxy:${K8S}`,
        command: ['/usr/local/bin/kube-proxy'],
      },
    ],
  );
  return {
    objects: [
      ...staticPods(ctx.nodeIp('cp-1')),
      ...proxy,
      ...corednsObjects(ctx),
      ...monitoringObjects(ctx),
      ...shopObjects(ctx),
    ],
  };
}
