/**
 * `role: endpoints`, ported from prometheus/prometheus `discovery/kubernetes/endpoints_test.go` at
 * v2.42.0 (eleven tests) and HEAD (sixteen): the state each Go test ends in, listed, must give the
 * groups the Go test expects. The two versions' `makeEndpoints` differ (HEAD adds an annotation and
 * an address whose targetRef is a Node), and so do the labels (endpoints annotations from 2.46,
 * `pod_container_init` and init containers from 3.0, Node targetRef node labels from 2.45).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import {
  endpointsTargetGroups,
  type Endpoints,
  type Pod,
} from '#lib/discovery/kubernetes/index.ts';
import {
  makeEndpoints,
  makeEndpointsService,
  makeNamespace,
  makeNode,
  makeOnePortPod,
  makePodEndpoints,
  makeSidecarPod,
  makeTwoContainerPod,
} from './fixtures.ts';
import { containerLabels, namespaceMeta, nodeMeta, podMeta, serviceMeta } from './expect.ts';
import { runCase, title, type RoleCase } from './helpers.ts';

const port = (address: string, extra: LabelSet = {}): LabelSet => ({
  __address__: address,
  __meta_kubernetes_endpoint_port_name: 'testport',
  __meta_kubernetes_endpoint_port_protocol: 'TCP',
  __meta_kubernetes_endpoint_ready: 'true',
  ...extra,
});

/** The targets of `makeEndpoints`, with node labels on the addresses that have a node. */
function endpointsTargets(
  version: PromVersion,
  nodes: { foobar?: LabelSet; barbaz?: LabelSet } = {},
): LabelSet[] {
  const targets = [
    port('1.2.3.4:9000', {
      __meta_kubernetes_endpoint_hostname: 'testendpoint1',
      __meta_kubernetes_endpoint_node_name: 'foobar',
      ...nodes.foobar,
    }),
    port('2.3.4.5:9001'),
    port('2.3.4.5:9001', { __meta_kubernetes_endpoint_ready: 'false' }),
  ];
  if (version === '3') {
    targets.push(
      port('6.7.8.9:9002', {
        __meta_kubernetes_endpoint_address_target_kind: 'Node',
        __meta_kubernetes_endpoint_address_target_name: 'barbaz',
        ...nodes.barbaz,
      }),
    );
  }
  return targets;
}

/** The group labels of `makeEndpoints(ns)`. */
function groupLabels(version: PromVersion, ns: string, extra: LabelSet = {}): LabelSet {
  return {
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_endpoints_name: 'testendpoints',
    ...(version === '3'
      ? {
          __meta_kubernetes_endpoints_annotation_test_annotation: 'test',
          __meta_kubernetes_endpoints_annotationpresent_test_annotation: 'true',
        }
      : {}),
    ...extra,
  };
}

const podTarget = (version: PromVersion, address: string, ip: string, name = 'c1'): LabelSet =>
  port(address, {
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: 'testpod',
    ...podMeta(ip),
    ...containerLabels(version, name, 'mainport', 9000),
  });

const bare = (subsets: { ip: string; port: number }[]): Endpoints => ({
  metadata: { name: 'testendpoints', namespace: 'default' },
  subsets: subsets.map(({ ip, port: p }) => ({
    addresses: [{ ip }],
    ports: [{ name: 'testport', port: p, protocol: 'TCP' }],
  })),
});

function cases(v: PromVersion): RoleCase[] {
  const svc = makeEndpointsService('default');
  const nodes = [
    makeNode('foobar', '', '', { az: 'us-east1' }, null),
    makeNode('barbaz', '', '', { az: 'us-west2' }, null),
  ];
  const withNodes = { foobar: nodeMeta('foobar', { az: 'us-east1' }) };
  const nodeLabels =
    v === '2' ? withNodes : { ...withNodes, barbaz: nodeMeta('barbaz', { az: 'us-west2' }) };
  const ownPod = (ns: string): Pod => makeOnePortPod(ns, 'p1', '4.3.2.1');
  return [
    {
      name: 'TestEndpointsDiscoveryBeforeRun',
      objects: { endpoints: [makeEndpoints('default', v)] },
      expected: {
        'endpoints/default/testendpoints': {
          targets: endpointsTargets(v),
          labels: groupLabels(v, 'default'),
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryAdd',
      objects: {
        pods: [makeTwoContainerPod()],
        endpoints: [makePodEndpoints('default', '4.3.2.1', [{ name: 'testport', port: 9000 }])],
      },
      expected: {
        'endpoints/default/testendpoints': {
          targets: [
            podTarget(v, '4.3.2.1:9000', '1.2.3.4'),
            {
              __address__: '1.2.3.4:9001',
              ...podMeta('1.2.3.4'),
              ...containerLabels(v, 'c2', 'sideport', 9001),
            },
          ],
          labels: {
            __meta_kubernetes_endpoints_name: 'testendpoints',
            __meta_kubernetes_namespace: 'default',
          },
        },
      },
    },
    { name: 'TestEndpointsDiscoveryDelete', objects: { endpoints: [] }, expected: {} },
    {
      name: 'TestEndpointsDiscoveryUpdate',
      objects: {
        endpoints: [
          bare([
            { ip: '1.2.3.4', port: 9000 },
            { ip: '2.3.4.5', port: 9001 },
          ]),
        ],
      },
      expected: {
        'endpoints/default/testendpoints': {
          targets: [port('1.2.3.4:9000'), port('2.3.4.5:9001')],
          labels: {
            __meta_kubernetes_namespace: 'default',
            __meta_kubernetes_endpoints_name: 'testendpoints',
          },
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryEmptySubsets',
      objects: {
        endpoints: [{ metadata: { name: 'testendpoints', namespace: 'default' }, subsets: [] }],
      },
      expected: {
        'endpoints/default/testendpoints': {
          labels: {
            __meta_kubernetes_namespace: 'default',
            __meta_kubernetes_endpoints_name: 'testendpoints',
          },
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryWithService',
      objects: { endpoints: [makeEndpoints('default', v)], services: [svc] },
      expected: {
        'endpoints/default/testendpoints': {
          targets: endpointsTargets(v),
          labels: groupLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryWithServiceUpdate',
      objects: {
        endpoints: [makeEndpoints('default', v)],
        services: [makeEndpointsService('default', { 'app/name': 'svc', component: 'testing' })],
      },
      expected: {
        'endpoints/default/testendpoints': {
          targets: endpointsTargets(v),
          labels: groupLabels(
            v,
            'default',
            serviceMeta({ 'app/name': 'svc', component: 'testing' }),
          ),
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryWithNodeMetadata',
      objects: { endpoints: [makeEndpoints('default', v)], services: [svc], nodes },
      attachMetadata: { node: true },
      expected: {
        'endpoints/default/testendpoints': {
          targets: endpointsTargets(v, nodeLabels),
          labels: groupLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
        },
      },
    },
    v === '2'
      ? {
          // v2.42 expects the node as updated (az=eu-central1).
          name: 'TestEndpointsDiscoveryWithUpdatedNodeMetadata',
          objects: {
            endpoints: [makeEndpoints('default', v)],
            services: [svc],
            nodes: [makeNode('foobar', '', '', { az: 'eu-central1' }, null)],
          },
          attachMetadata: { node: true },
          expected: {
            'endpoints/default/testendpoints': {
              targets: endpointsTargets(v, { foobar: nodeMeta('foobar', { az: 'eu-central1' }) }),
              labels: groupLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
            },
          },
        }
      : {
          // HEAD expects the labels the nodes had when the group was first built.
          name: 'TestEndpointsDiscoveryWithUpdatedNodeMetadata',
          objects: { endpoints: [makeEndpoints('default', v)], services: [svc], nodes },
          attachMetadata: { node: true },
          expected: {
            'endpoints/default/testendpoints': {
              targets: endpointsTargets(v, nodeLabels),
              labels: groupLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
            },
          },
        },
    {
      name: 'TestEndpointsDiscoveryNamespaces',
      objects: {
        endpoints: [
          makeEndpoints('ns1', v),
          makePodEndpoints('ns2', '4.3.2.1', [{ name: 'testport', port: 9000 }]),
        ],
        services: [makeEndpointsService('ns1', { app: 'app1' })],
        pods: [makeOnePortPod('ns2', 'c1', '4.3.2.1')],
      },
      discovery: { names: ['ns1', 'ns2'] },
      expected: {
        'endpoints/ns1/testendpoints': {
          targets: endpointsTargets(v),
          labels: groupLabels(v, 'ns1', serviceMeta({ app: 'app1' })),
        },
        'endpoints/ns2/testendpoints': {
          targets: [podTarget(v, '4.3.2.1:9000', '4.3.2.1')],
          labels: {
            __meta_kubernetes_namespace: 'ns2',
            __meta_kubernetes_endpoints_name: 'testendpoints',
          },
        },
      },
    },
    {
      name: 'TestEndpointsDiscoveryOwnNamespace',
      objects: {
        endpoints: [makeEndpoints('own-ns', v), makeEndpoints('non-own-ns', v)],
        pods: [ownPod('own-ns'), ownPod('non-own-ns')],
      },
      discovery: { ownNamespace: true },
      expected: {
        'endpoints/own-ns/testendpoints': {
          targets: endpointsTargets(v),
          labels: groupLabels(v, 'own-ns'),
        },
      },
    },
  ];
}

function emptyStatusPod(): Pod {
  return { ...makeOnePortPod('ns', 'p1', ''), status: {} };
}

/** The pod of TestEndpointsDiscoveryUpdatePod once it became ready. */
function readyPod(): Pod {
  const pod = makeOnePortPod('default', 'c1', '4.3.2.1');
  pod.status = { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  return pod;
}

const NS = 'test-ns';

const headOnly: RoleCase[] = [
  {
    // Prometheus's own namespace is own-ns: the endpoints in "ns" are not listed.
    name: 'TestEndpointsDiscoveryEmptyPodStatus',
    objects: { endpoints: [makeEndpoints('ns', '3')], pods: [emptyStatusPod()] },
    discovery: { ownNamespace: true },
    expected: {},
  },
  {
    name: 'TestEndpointsDiscoveryUpdatePod',
    objects: {
      endpoints: [makePodEndpoints('default', '4.3.2.1', [{ name: 'mainport', port: 9000 }])],
      pods: [readyPod()],
    },
    expected: {
      'endpoints/default/testendpoints': {
        targets: [
          {
            ...podTarget('3', '4.3.2.1:9000', '4.3.2.1'),
            __meta_kubernetes_endpoint_port_name: 'mainport',
            __meta_kubernetes_pod_ready: 'true',
            __meta_kubernetes_pod_phase: 'Running',
          },
        ],
        labels: {
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_endpoints_name: 'testendpoints',
        },
      },
    },
  },
  {
    name: 'TestEndpointsDiscoverySidecarContainer',
    objects: {
      endpoints: [
        {
          ...makePodEndpoints('default', '4.3.2.1', [
            { name: 'testport', port: 9000 },
            { name: 'initport', port: 9111 },
          ]),
          metadata: { name: 'testsidecar', namespace: 'default' },
        },
      ],
      pods: [makeSidecarPod()],
    },
    expected: {
      'endpoints/default/testsidecar': {
        targets: [
          podTarget('3', '4.3.2.1:9000', '4.3.2.1'),
          port('4.3.2.1:9111', {
            __meta_kubernetes_endpoint_address_target_kind: 'Pod',
            __meta_kubernetes_endpoint_address_target_name: 'testpod',
            __meta_kubernetes_endpoint_port_name: 'initport',
            ...podMeta('4.3.2.1'),
            ...containerLabels('3', 'ic2', 'initport', 9111, true),
          }),
          {
            __address__: '4.3.2.1:1111',
            ...podMeta('4.3.2.1'),
            ...containerLabels('3', 'ic1', 'initport', 1111, true),
          },
        ],
        labels: {
          __meta_kubernetes_endpoints_name: 'testsidecar',
          __meta_kubernetes_namespace: 'default',
        },
      },
    },
  },
  {
    name: 'TestEndpointsDiscoveryWithNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { environment: 'production', team: 'backend' },
          { owner: 'platform', version: 'v1.2.3' },
        ),
      ],
      endpoints: [makeEndpoints(NS, '3')],
    },
    attachMetadata: { namespace: true },
    expected: {
      [`endpoints/${NS}/testendpoints`]: {
        targets: endpointsTargets('3'),
        labels: groupLabels(
          '3',
          NS,
          namespaceMeta(
            { environment: 'production', team: 'backend' },
            { owner: 'platform', version: 'v1.2.3' },
          ),
        ),
      },
    },
  },
  {
    name: 'TestEndpointsDiscoveryWithUpdatedNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { environment: 'staging', team: 'frontend', region: 'us-west' },
          { owner: 'sre', version: 'v2.1.0', 'cost-center': 'engineering' },
        ),
      ],
      endpoints: [makeEndpoints(NS, '3')],
    },
    attachMetadata: { namespace: true },
    expected: {
      [`endpoints/${NS}/testendpoints`]: {
        targets: endpointsTargets('3'),
        labels: groupLabels(
          '3',
          NS,
          namespaceMeta(
            { environment: 'staging', team: 'frontend', region: 'us-west' },
            { owner: 'sre', version: 'v2.1.0', 'cost-center': 'engineering' },
          ),
        ),
      },
    },
  },
];

describe('kubernetes role: endpoints', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of cases(version)) {
      it(title(version, 'endpoints', c.name), () => runCase('endpoints', version, c));
    }
  }
  for (const c of headOnly) it(title('3', 'endpoints', c.name), () => runCase('endpoints', '3', c));

  it('in Prometheus 2.42: no init containers, no pod IP check, the last matching container wins', () =>
    runCase('endpoints', '2', {
      name: 'v2 sidecar',
      objects: {
        endpoints: [makePodEndpoints('default', '4.3.2.1', [{ name: 'testport', port: 9000 }])],
        pods: [
          {
            ...makeSidecarPod(),
            spec: {
              ...makeSidecarPod().spec,
              containers: [
                {
                  name: 'c1',
                  image: 'c1:latest',
                  ports: [
                    { name: 'a', containerPort: 9000, protocol: 'TCP' },
                    { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
                  ],
                },
                {
                  name: 'c2',
                  image: 'c2:latest',
                  ports: [{ name: 'b', containerPort: 9000, protocol: 'UDP' }],
                },
              ],
            },
            status: { hostIP: '2.3.4.5' },
          },
        ],
      },
      expected: {
        'endpoints/default/testendpoints': {
          targets: [
            port('4.3.2.1:9000', {
              __meta_kubernetes_endpoint_address_target_kind: 'Pod',
              __meta_kubernetes_endpoint_address_target_name: 'testpod',
              ...podMeta(''),
              // c2 wins, and the protocol is the endpoint port's (TCP), not c2's (UDP).
              ...containerLabels('2', 'c2', 'b', 9000),
            }),
            // No pod IP: v2.42 still makes the extra target, at ":9100" (2.46 skips it).
            {
              __address__: ':9100',
              ...podMeta(''),
              ...containerLabels('2', 'c1', 'metrics', 9100),
            },
          ],
          labels: {
            __meta_kubernetes_namespace: 'default',
            __meta_kubernetes_endpoints_name: 'testendpoints',
          },
        },
      },
    }));

  it('passes on the over-capacity warning Prometheus logs', () => {
    const endpoints = makeEndpoints('default', '3');
    endpoints.metadata!.labels = { 'endpoints.kubernetes.io/over-capacity': 'truncated' };
    const warnings: string[] = [];
    endpointsTargetGroups(
      { endpoints: [endpoints] },
      { version: '3', warn: (w) => warnings.push(w) },
    );
    assert.deepEqual(warnings, [
      'Endpoints default/testendpoints has over 1000 endpoints and has been truncated: Prometheus logs a warning to use "role: endpointslice" instead',
    ]);
  });
});
