/**
 * The objects Prometheus's own discovery tests create (prometheus/prometheus
 * `discovery/kubernetes/*_test.go`, `makeNode`, `makePods`, `makeEndpoints`, …), as the JSON the
 * API server lists. Where v2.42.0 and HEAD build them differently, both are here.
 */
import type {
  EndpointSlice,
  Endpoints,
  Ingress,
  Namespace,
  Node,
  NodeCondition,
  Pod,
  Service,
} from '#lib/discovery/kubernetes/index.ts';

/** `makeNode` (node_test.go): one InternalIP address, kubelet on 10250. */
export function makeNode(
  name: string,
  address: string,
  providerID: string,
  labels: Record<string, string> | null,
  annotations: Record<string, string> | null,
  conditions: NodeCondition[] | null = null,
): Node {
  return {
    metadata: { name, labels, annotations },
    spec: { providerID },
    status: {
      addresses: [{ type: 'InternalIP', address }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      conditions,
    },
  };
}

/** `makeEnumeratedNode`. */
export function makeEnumeratedNode(i: number): Node {
  return makeNode(`test${i}`, '1.2.3.4', `aws:///de-west-3a/i-${i}`, {}, {});
}

/** `makeNamespace` (endpointslice_test.go at HEAD). */
export function makeNamespace(
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Namespace {
  return { metadata: { name, labels, annotations } };
}

/** `makePods` (pod_test.go): one container, one port, ready and running. */
export function makePods(namespace = 'default'): Pod {
  return {
    metadata: { name: 'testpod', namespace, uid: 'abc123' },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: 'testcontainer',
          image: 'testcontainer:latest',
          ports: [{ name: 'testport', protocol: 'TCP', containerPort: 9000 }],
        },
      ],
    },
    status: {
      podIP: '1.2.3.4',
      hostIP: '2.3.4.5',
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'testcontainer', containerID: 'docker://a1b2c3d4e5f6' }],
    },
  };
}

/** The pod behind the endpoints tests' `targetRef`s: two containers, no status but IPs. */
export function makeTwoContainerPod(namespace = 'default'): Pod {
  return {
    metadata: { name: 'testpod', namespace, uid: 'deadbeef' },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: 'c1',
          image: 'c1:latest',
          ports: [{ name: 'mainport', containerPort: 9000, protocol: 'TCP' }],
        },
        {
          name: 'c2',
          image: 'c2:latest',
          ports: [{ name: 'sideport', containerPort: 9001, protocol: 'TCP' }],
        },
      ],
    },
    status: { hostIP: '2.3.4.5', podIP: '1.2.3.4' },
  };
}

/** A pod with one container `name` on port 9000, as several endpoints tests build it. */
export function makeOnePortPod(namespace: string, container: string, podIP: string): Pod {
  return {
    metadata: { name: 'testpod', namespace, uid: 'deadbeef' },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: container,
          image: `${container}:latest`,
          ports: [{ name: 'mainport', containerPort: 9000, protocol: 'TCP' }],
        },
      ],
    },
    status: { hostIP: '2.3.4.5', podIP },
  };
}

/** The sidecar pod (`TestEndpointsDiscoverySidecarContainer`, HEAD): ports in init containers. */
export function makeSidecarPod(): Pod {
  const initPort = (containerPort: number) => [
    { name: 'initport', containerPort, protocol: 'TCP' },
  ];
  return {
    metadata: { name: 'testpod', namespace: 'default', uid: 'deadbeef' },
    spec: {
      nodeName: 'testnode',
      initContainers: [
        { name: 'ic1', image: 'ic1:latest', ports: initPort(1111) },
        { name: 'ic2', image: 'ic2:latest', ports: initPort(9111) },
      ],
      containers: [
        {
          name: 'c1',
          image: 'c1:latest',
          ports: [{ name: 'mainport', containerPort: 9000, protocol: 'TCP' }],
        },
      ],
    },
    status: { hostIP: '2.3.4.5', podIP: '4.3.2.1' },
  };
}

/** `makeService` (service_test.go). */
export function makeService(namespace = 'default'): Service {
  return {
    metadata: { name: 'testservice', namespace },
    spec: {
      ports: [{ name: 'testport', protocol: 'TCP', port: 30900 }],
      type: 'ClusterIP',
      clusterIP: '10.0.0.1',
    },
  };
}

/** The Service of the endpoints tests: same name as the Endpoints, one label. */
export function makeEndpointsService(
  namespace: string,
  labels: Record<string, string> = { 'app/name': 'test' },
): Service {
  return { metadata: { name: 'testendpoints', namespace, labels } };
}

/**
 * `makeEndpoints` (endpoints_test.go): at HEAD with an annotation and a third subset whose address
 * is a Node `targetRef`; v2.42's had neither.
 */
export function makeEndpoints(namespace: string, at: '2' | '3'): Endpoints {
  const subsets: NonNullable<Endpoints['subsets']> = [
    {
      addresses: [{ ip: '1.2.3.4', hostname: 'testendpoint1', nodeName: 'foobar' }],
      ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
    },
    {
      addresses: [{ ip: '2.3.4.5' }],
      notReadyAddresses: [{ ip: '2.3.4.5' }],
      ports: [{ name: 'testport', port: 9001, protocol: 'TCP' }],
    },
  ];
  if (at === '2') return { metadata: { name: 'testendpoints', namespace }, subsets };
  subsets.push({
    addresses: [{ ip: '6.7.8.9', targetRef: { kind: 'Node', name: 'barbaz' } }],
    ports: [{ name: 'testport', port: 9002, protocol: 'TCP' }],
  });
  return {
    metadata: {
      name: 'testendpoints',
      namespace,
      annotations: { 'test.annotation': 'test' },
    },
    subsets,
  };
}

/** An Endpoints with one address whose `targetRef` is pod `testpod`, on `port` (`portName`). */
export function makePodEndpoints(
  namespace: string,
  ip: string,
  ports: { name: string; port: number }[],
): Endpoints {
  return {
    metadata: { name: 'testendpoints', namespace },
    subsets: [
      {
        addresses: [{ ip, targetRef: { kind: 'Pod', name: 'testpod', namespace } }],
        ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
      },
    ],
  };
}

/**
 * `makeEndpointSliceV1` (endpointslice_test.go): at HEAD in any namespace with an annotation, a
 * fourth endpoint whose `targetRef` is a Node, and zones; v2.42's had none of those.
 */
export function makeEndpointSliceV1(namespace: string, at: '2' | '3'): EndpointSlice {
  const conditions = (ready: boolean, terminating: boolean) => ({
    ready,
    serving: true,
    terminating,
  });
  const endpoints: NonNullable<EndpointSlice['endpoints']> = [
    {
      addresses: ['1.2.3.4'],
      conditions: conditions(true, false),
      hostname: 'testendpoint1',
      targetRef: {},
      nodeName: 'foobar',
      deprecatedTopology: { topology: 'value' },
      ...(at === '3' ? { zone: 'us-east-1a' } : {}),
    },
    {
      addresses: ['2.3.4.5'],
      conditions: conditions(true, false),
      ...(at === '3' ? { zone: 'us-east-1b' } : {}),
    },
    {
      addresses: ['3.4.5.6'],
      conditions: conditions(false, true),
      ...(at === '3' ? { zone: 'us-east-1c' } : {}),
    },
  ];
  if (at === '3') {
    endpoints.push({
      addresses: ['4.5.6.7'],
      conditions: conditions(true, false),
      targetRef: { kind: 'Node', name: 'barbaz' },
      zone: 'us-east-1a',
    });
  }
  return {
    metadata: {
      name: 'testendpoints',
      namespace,
      labels: { 'kubernetes.io/service-name': 'testendpoints' },
      ...(at === '3' ? { annotations: { 'test.annotation': 'test' } } : {}),
    },
    addressType: 'IPv4',
    ports: [{ name: 'testport', port: 9000, protocol: 'TCP', appProtocol: 'http' }],
    endpoints,
  };
}

/** An EndpointSlice with one endpoint whose `targetRef` is pod `testpod`. */
export function makePodEndpointSlice(
  namespace: string,
  name: string,
  address: string,
  ports: { name: string; port: number }[],
  conditions: { ready?: boolean } = {},
): EndpointSlice {
  return {
    metadata: { name, namespace },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
    endpoints: [
      {
        addresses: [address],
        targetRef: { kind: 'Pod', name: 'testpod', namespace },
        conditions,
      },
    ],
  };
}

/** `TLSMode` of ingress_test.go. */
export type TlsMode = 'no' | 'yes' | 'mixed' | 'wildcard';

/** `makeIngress` (ingress_test.go). */
export function makeIngress(namespace: string, tls: TlsMode): Ingress {
  const hosts = {
    no: null,
    yes: ['example.com', 'test.example.com'],
    mixed: ['example.com'],
    wildcard: ['*.example.com'],
  }[tls];
  return {
    metadata: {
      name: 'testingress',
      namespace,
      labels: { 'test/label': 'testvalue' },
      annotations: { 'test/annotation': 'testannotationvalue' },
    },
    spec: {
      ingressClassName: 'testclass',
      tls: hosts === null ? null : [{ hosts }],
      rules: [
        { host: 'example.com', http: { paths: [{ path: '/' }, { path: '/foo' }] } },
        // No backend config, ignored.
        { host: 'nobackend.example.com', http: {} },
        { host: 'test.example.com', http: { paths: [{}] } },
      ],
    },
  };
}
