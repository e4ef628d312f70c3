/**
 * The bridge against the expectations of prometheus/prometheus@v2.42.0
 * discovery/kubernetes/endpoints_test.go and endpointslice_test.go. Update tests are ported as
 * their final state; the v1beta1 objects (served before Kubernetes 1.21) as the same
 * discovery.k8s.io/v1 objects, which 2.42 reads through the same code. Not ported: the tests whose
 * expectation is an artefact of the fake clientset (an update written through v1beta1 that the v1
 * informer never sees: TestEndpointSliceDiscoveryUpdate, ...EmptyEndpoints).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoints, EndpointSlice, KubeObject, Pod, Service } from './emulator-types.ts';
import { groupsBySource, m, makeNode, type Expected } from './sd-bridge-helpers.ts';

// endpoints_test.go makeEndpoints.
function makeEndpoints(namespace = 'default'): Endpoints {
  return {
    kind: 'Endpoints',
    metadata: { name: 'testendpoints', namespace },
    subsets: [
      {
        addresses: [{ ip: '1.2.3.4', hostname: 'testendpoint1', nodeName: 'foobar' }],
        ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
      },
      {
        addresses: [{ ip: '2.3.4.5' }],
        notReadyAddresses: [{ ip: '2.3.4.5' }],
        ports: [{ name: 'testport', port: 9001, protocol: 'TCP' }],
      },
    ],
  };
}

const BASE_TARGETS = [
  {
    __address__: '1.2.3.4:9000',
    ...m({
      endpoint_hostname: 'testendpoint1',
      endpoint_node_name: 'foobar',
      endpoint_port_name: 'testport',
      endpoint_port_protocol: 'TCP',
      endpoint_ready: 'true',
    }),
  },
  {
    __address__: '2.3.4.5:9001',
    ...m({ endpoint_port_name: 'testport', endpoint_port_protocol: 'TCP', endpoint_ready: 'true' }),
  },
  {
    __address__: '2.3.4.5:9001',
    ...m({
      endpoint_port_name: 'testport',
      endpoint_port_protocol: 'TCP',
      endpoint_ready: 'false',
    }),
  },
];

function testService(namespace: string, labels: Record<string, string>): Service {
  return { kind: 'Service', metadata: { name: 'testendpoints', namespace, labels } };
}

function testPod(namespace: string, ip: string, containers: [string, string, number][]): Pod {
  return {
    kind: 'Pod',
    metadata: { name: 'testpod', namespace, uid: 'deadbeef' },
    spec: {
      nodeName: 'testnode',
      containers: containers.map(([name, port, number]) => ({
        name,
        image: `${name}:latest`,
        ports: [{ name: port, containerPort: number, protocol: 'TCP' }],
      })),
    },
    status: { hostIP: '2.3.4.5', podIP: ip },
  };
}

/** The pod labels of testPod, and its container's labels for one port. */
function podTarget(address: string, ip: string, c: string, port: string, n: string) {
  return {
    __address__: address,
    ...m({
      pod_name: 'testpod',
      pod_ip: ip,
      pod_ready: 'unknown',
      pod_phase: '',
      pod_node_name: 'testnode',
      pod_host_ip: '2.3.4.5',
      pod_container_name: c,
      pod_container_image: `${c}:latest`,
      pod_container_port_name: port,
      pod_container_port_number: n,
      pod_container_port_protocol: 'TCP',
      pod_uid: 'deadbeef',
    }),
  };
}

const withServiceLabels = (labels: Record<string, string>) =>
  Object.assign(
    m({ service_name: 'testendpoints' }),
    ...Object.entries(labels).map(([k, v]) =>
      m({
        [`service_label_${k.replace('/', '_')}`]: v,
        [`service_labelpresent_${k.replace('/', '_')}`]: 'true',
      }),
    ),
  ) as Record<string, string>;

describe('endpoints role (endpoints_test.go)', () => {
  const labels = (ns: string) => m({ namespace: ns, endpoints_name: 'testendpoints' });

  it('TestEndpointsDiscoveryBeforeRun', () => {
    assert.deepEqual(groupsBySource([makeEndpoints()], { role: 'endpoints' }), {
      'endpoints/default/testendpoints': { targets: BASE_TARGETS, labels: labels('default') },
    });
  });

  it('TestEndpointsDiscoveryAdd: the pod is merged, its other container port is a target', () => {
    const eps: Endpoints = {
      kind: 'Endpoints',
      metadata: { name: 'testendpoints', namespace: 'default' },
      subsets: [
        {
          addresses: [
            { ip: '4.3.2.1', targetRef: { kind: 'Pod', name: 'testpod', namespace: 'default' } },
          ],
          ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
        },
      ],
    };
    const pod = testPod('default', '1.2.3.4', [
      ['c1', 'mainport', 9000],
      ['c2', 'sideport', 9001],
    ]);
    assert.deepEqual(groupsBySource([pod, eps], { role: 'endpoints' }), {
      'endpoints/default/testendpoints': {
        targets: [
          {
            ...podTarget('4.3.2.1:9000', '1.2.3.4', 'c1', 'mainport', '9000'),
            ...m({
              endpoint_port_name: 'testport',
              endpoint_port_protocol: 'TCP',
              endpoint_ready: 'true',
              endpoint_address_target_kind: 'Pod',
              endpoint_address_target_name: 'testpod',
            }),
          },
          podTarget('1.2.3.4:9001', '1.2.3.4', 'c2', 'sideport', '9001'),
        ],
        labels: labels('default'),
      },
    });
  });

  it('TestEndpointsDiscoveryUpdate (final state), TestEndpointsDiscoveryEmptySubsets', () => {
    const updated = makeEndpoints();
    updated.subsets = [
      {
        addresses: [{ ip: '1.2.3.4' }],
        ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
      },
      {
        addresses: [{ ip: '2.3.4.5' }],
        ports: [{ name: 'testport', port: 9001, protocol: 'TCP' }],
      },
    ];
    const ready = (a: string) => ({
      __address__: a,
      ...m({
        endpoint_port_name: 'testport',
        endpoint_port_protocol: 'TCP',
        endpoint_ready: 'true',
      }),
    });
    assert.deepEqual(groupsBySource([updated], { role: 'endpoints' }), {
      'endpoints/default/testendpoints': {
        targets: [ready('1.2.3.4:9000'), ready('2.3.4.5:9001')],
        labels: labels('default'),
      },
    });
    const empty = { ...makeEndpoints(), subsets: [] };
    assert.deepEqual(groupsBySource([empty], { role: 'endpoints' }), {
      'endpoints/default/testendpoints': { targets: [], labels: labels('default') },
    });
  });

  it('TestEndpointsDiscoveryWithService, ...WithServiceUpdate (final state)', () => {
    for (const svcLabels of [{ 'app/name': 'test' }, { 'app/name': 'svc', component: 'testing' }]) {
      const objects = [makeEndpoints(), testService('default', svcLabels)];
      assert.deepEqual(groupsBySource(objects, { role: 'endpoints' }), {
        'endpoints/default/testendpoints': {
          targets: BASE_TARGETS,
          labels: { ...labels('default'), ...withServiceLabels(svcLabels) },
        },
      });
    }
  });

  it('TestEndpointsDiscoveryWithNodeMetadata, ...WithUpdatedNodeMetadata (final state)', () => {
    for (const az of ['us-east1', 'eu-central1']) {
      const objects = [
        makeEndpoints(),
        testService('default', { 'app/name': 'test' }),
        makeNode('foobar', '', '', { az }),
      ];
      const targets = structuredClone(BASE_TARGETS);
      Object.assign(
        targets[0]!,
        m({ node_label_az: az, node_labelpresent_az: 'true', node_name: 'foobar' }),
      );
      assert.deepEqual(
        groupsBySource(objects, { role: 'endpoints', attach_metadata: { node: true } }),
        {
          'endpoints/default/testendpoints': {
            targets,
            labels: { ...labels('default'), ...withServiceLabels({ 'app/name': 'test' }) },
          },
        },
      );
    }
  });

  it('TestEndpointsDiscoveryNamespaces', () => {
    const objects: KubeObject[] = [
      makeEndpoints('ns1'),
      {
        kind: 'Endpoints',
        metadata: { name: 'testendpoints', namespace: 'ns2' },
        subsets: [
          {
            addresses: [
              { ip: '4.3.2.1', targetRef: { kind: 'Pod', name: 'testpod', namespace: 'ns2' } },
            ],
            ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
          },
        ],
      },
      testService('ns1', { app: 'app1' }),
      testPod('ns2', '4.3.2.1', [['c1', 'mainport', 9000]]),
    ];
    assert.deepEqual(
      groupsBySource(objects, { role: 'endpoints', namespaces: { names: ['ns1', 'ns2'] } }),
      {
        'endpoints/ns1/testendpoints': {
          targets: BASE_TARGETS,
          labels: { ...labels('ns1'), ...withServiceLabels({ app: 'app1' }) },
        },
        'endpoints/ns2/testendpoints': {
          targets: [
            {
              ...podTarget('4.3.2.1:9000', '4.3.2.1', 'c1', 'mainport', '9000'),
              ...m({
                endpoint_port_name: 'testport',
                endpoint_port_protocol: 'TCP',
                endpoint_ready: 'true',
                endpoint_address_target_kind: 'Pod',
                endpoint_address_target_name: 'testpod',
              }),
            },
          ],
          labels: labels('ns2'),
        },
      },
    );
  });

  it('TestEndpointsDiscoveryOwnNamespace', () => {
    const objects = [
      makeEndpoints('own-ns'),
      makeEndpoints('non-own-ns'),
      testPod('own-ns', '4.3.2.1', [['p1', 'mainport', 9000]]),
      testPod('non-own-ns', '4.3.2.1', [['p1', 'mainport', 9000]]),
    ];
    assert.deepEqual(
      groupsBySource(objects, { role: 'endpoints', namespaces: { names: ['own-ns'] } }),
      {
        'endpoints/own-ns/testendpoints': { targets: BASE_TARGETS, labels: labels('own-ns') },
      },
    );
  });
});

// endpointslice_test.go makeEndpointSliceV1.
function makeEndpointSliceV1(namespace = 'default'): EndpointSlice {
  return {
    kind: 'EndpointSlice',
    metadata: {
      name: 'testendpoints',
      namespace,
      labels: { 'kubernetes.io/service-name': 'testendpoints' },
    },
    addressType: 'IPv4',
    ports: [{ name: 'testport', port: 9000, protocol: 'TCP', appProtocol: 'http' }],
    endpoints: [
      {
        addresses: ['1.2.3.4'],
        conditions: { ready: true, serving: true, terminating: false },
        hostname: 'testendpoint1',
        targetRef: {},
        nodeName: 'foobar',
        deprecatedTopology: { topology: 'value' },
      },
      { addresses: ['2.3.4.5'], conditions: { ready: true, serving: true, terminating: false } },
      { addresses: ['3.4.5.6'], conditions: { ready: false, serving: true, terminating: true } },
    ],
  };
}

const port = m({
  endpointslice_port: '9000',
  endpointslice_port_app_protocol: 'http',
  endpointslice_port_name: 'testport',
  endpointslice_port_protocol: 'TCP',
});
const cond = (ready: string, serving: string, terminating: string) =>
  m({
    endpointslice_endpoint_conditions_ready: ready,
    endpointslice_endpoint_conditions_serving: serving,
    endpointslice_endpoint_conditions_terminating: terminating,
  });
const SLICE_TARGETS = [
  {
    __address__: '1.2.3.4:9000',
    ...m({
      endpointslice_address_target_kind: '',
      endpointslice_address_target_name: '',
      endpointslice_endpoint_hostname: 'testendpoint1',
      endpointslice_endpoint_topology_present_topology: 'true',
      endpointslice_endpoint_topology_topology: 'value',
    }),
    ...cond('true', 'true', 'false'),
    ...port,
  },
  { __address__: '2.3.4.5:9000', ...cond('true', 'true', 'false'), ...port },
  { __address__: '3.4.5.6:9000', ...cond('false', 'true', 'true'), ...port },
];

describe('endpointslice role (endpointslice_test.go)', () => {
  const labels = (ns: string) =>
    m({ endpointslice_address_type: 'IPv4', namespace: ns, endpointslice_name: 'testendpoints' });
  const names = { namespaces: { names: ['default'] } };

  it('TestEndpointSliceDiscoveryBeforeRun', () => {
    assert.deepEqual(groupsBySource([makeEndpointSliceV1()], { role: 'endpointslice', ...names }), {
      'endpointslice/default/testendpoints': { targets: SLICE_TARGETS, labels: labels('default') },
    });
  });

  it('TestEndpointSliceDiscoveryAdd: a not-ready endpoint, the pod merged, its other port a target', () => {
    const slice: EndpointSlice = {
      kind: 'EndpointSlice',
      metadata: { name: 'testendpoints', namespace: 'default' },
      addressType: 'IPv4',
      ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['4.3.2.1'],
          targetRef: { kind: 'Pod', name: 'testpod', namespace: 'default' },
          conditions: { ready: false },
        },
      ],
    };
    const pod = testPod('default', '1.2.3.4', [
      ['c1', 'mainport', 9000],
      ['c2', 'sideport', 9001],
    ]);
    assert.deepEqual(groupsBySource([pod, slice], { role: 'endpointslice', ...names }), {
      'endpointslice/default/testendpoints': {
        targets: [
          {
            ...podTarget('4.3.2.1:9000', '1.2.3.4', 'c1', 'mainport', '9000'),
            ...m({
              endpointslice_address_target_kind: 'Pod',
              endpointslice_address_target_name: 'testpod',
              endpointslice_endpoint_conditions_ready: 'false',
              endpointslice_port: '9000',
              endpointslice_port_name: 'testport',
              endpointslice_port_protocol: 'TCP',
            }),
          },
          podTarget('1.2.3.4:9001', '1.2.3.4', 'c2', 'sideport', '9001'),
        ],
        labels: labels('default'),
      },
    });
  });

  it('TestEndpointSliceDiscoveryWithService, ...WithServiceUpdate (final state)', () => {
    for (const svcLabels of [{ 'app/name': 'test' }, { 'app/name': 'svc', component: 'testing' }]) {
      const objects = [makeEndpointSliceV1(), testService('default', svcLabels)];
      assert.deepEqual(groupsBySource(objects, { role: 'endpointslice', ...names }), {
        'endpointslice/default/testendpoints': {
          targets: SLICE_TARGETS,
          labels: { ...labels('default'), ...withServiceLabels(svcLabels) },
        },
      });
    }
  });

  it('TestEndpointsSlicesDiscoveryWithNodeMetadata, ...WithUpdatedNodeMetadata (final state)', () => {
    for (const az of ['us-east1', 'us-central1']) {
      const objects = [
        makeEndpointSliceV1(),
        makeNode('foobar', '', '', { az }),
        testService('default', { 'app/name': 'test' }),
      ];
      const targets = structuredClone(SLICE_TARGETS);
      Object.assign(
        targets[0]!,
        m({ node_label_az: az, node_labelpresent_az: 'true', node_name: 'foobar' }),
      );
      assert.deepEqual(
        groupsBySource(objects, { role: 'endpointslice', attach_metadata: { node: true } }),
        {
          'endpointslice/default/testendpoints': {
            targets,
            labels: { ...labels('default'), ...withServiceLabels({ 'app/name': 'test' }) },
          },
        },
      );
    }
  });

  it('TestEndpointSliceDiscoveryNamespaces', () => {
    const objects: KubeObject[] = [
      makeEndpointSliceV1('ns1'),
      {
        kind: 'EndpointSlice',
        metadata: { name: 'testendpoints', namespace: 'ns2' },
        addressType: 'IPv4',
        ports: [{ name: 'testport', port: 9000, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['4.3.2.1'], targetRef: { kind: 'Pod', name: 'testpod', namespace: 'ns2' } },
        ],
      },
      testService('ns1', { app: 'app1' }),
      testPod('ns2', '4.3.2.1', [['c1', 'mainport', 9000]]),
    ];
    assert.deepEqual(
      groupsBySource(objects, { role: 'endpointslice', namespaces: { names: ['ns1', 'ns2'] } }),
      {
        'endpointslice/ns1/testendpoints': {
          targets: SLICE_TARGETS,
          labels: { ...labels('ns1'), ...withServiceLabels({ app: 'app1' }) },
        },
        'endpointslice/ns2/testendpoints': {
          targets: [
            {
              ...podTarget('4.3.2.1:9000', '4.3.2.1', 'c1', 'mainport', '9000'),
              ...m({
                endpointslice_address_target_kind: 'Pod',
                endpointslice_address_target_name: 'testpod',
                endpointslice_port: '9000',
                endpointslice_port_name: 'testport',
                endpointslice_port_protocol: 'TCP',
              }),
            },
          ],
          labels: labels('ns2'),
        },
      },
    );
  });

  it('TestEndpointSliceDiscoveryOwnNamespace', () => {
    const objects = [
      makeEndpointSliceV1('own-ns'),
      makeEndpointSliceV1('non-own-ns'),
      testPod('own-ns', '4.3.2.1', [['p1', 'mainport', 9000]]),
      testPod('non-own-ns', '4.3.2.1', [['p1', 'mainport', 9000]]),
    ];
    const expected: Record<string, Expected> = {
      'endpointslice/own-ns/testendpoints': { targets: SLICE_TARGETS, labels: labels('own-ns') },
    };
    assert.deepEqual(
      groupsBySource(objects, { role: 'endpointslice', namespaces: { names: ['own-ns'] } }),
      expected,
    );
  });
});
