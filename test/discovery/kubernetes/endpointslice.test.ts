/**
 * `role: endpointslice`, ported from prometheus/prometheus
 * `discovery/kubernetes/endpointslice_test.go` at v2.42.0 (its discovery.k8s.io/v1 tests) and HEAD
 * (twenty of twenty-one; TestEndpointSliceInfIndexersCount checks informer internals). The two
 * versions' `makeEndpointSliceV1` differ, and so do the labels: slice labels and annotations from
 * 2.46, `endpoint_node_name` and `endpoint_zone` from 2.52, init containers from 3.0, dual-stack
 * deduplication from 3.11.
 */
import { describe, it } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import type { EndpointSlice, Service } from '#lib/discovery/kubernetes/index.ts';
import {
  makeEndpointSliceV1,
  makeEndpointsService,
  makeNamespace,
  makeNode,
  makeOnePortPod,
  makePodEndpointSlice,
  makeSidecarPod,
  makeTwoContainerPod,
} from './fixtures.ts';
import { containerLabels, namespaceMeta, nodeMeta, podMeta, serviceMeta } from './expect.ts';
import { runCase, title, type RoleCase } from './helpers.ts';

const S = '__meta_kubernetes_endpointslice_';

const port = (address: string, extra: LabelSet = {}): LabelSet => ({
  __address__: address,
  [`${S}port`]: '9000',
  [`${S}port_app_protocol`]: 'http',
  [`${S}port_name`]: 'testport',
  [`${S}port_protocol`]: 'TCP',
  ...extra,
});

const conditions = (ready: boolean, terminating: boolean): LabelSet => ({
  [`${S}endpoint_conditions_ready`]: String(ready),
  [`${S}endpoint_conditions_serving`]: 'true',
  [`${S}endpoint_conditions_terminating`]: String(terminating),
});

/** The targets of `makeEndpointSliceV1`, with node labels where given. */
function sliceTargets(v: PromVersion, nodes: { foobar?: LabelSet; barbaz?: LabelSet } = {}) {
  const zone = (z: string): LabelSet => (v === '3' ? { [`${S}endpoint_zone`]: z } : {});
  const targets = [
    port('1.2.3.4:9000', {
      [`${S}address_target_kind`]: '',
      [`${S}address_target_name`]: '',
      ...conditions(true, false),
      [`${S}endpoint_hostname`]: 'testendpoint1',
      ...(v === '3' ? { [`${S}endpoint_node_name`]: 'foobar' } : {}),
      [`${S}endpoint_topology_present_topology`]: 'true',
      [`${S}endpoint_topology_topology`]: 'value',
      ...zone('us-east-1a'),
      ...nodes.foobar,
    }),
    port('2.3.4.5:9000', { ...conditions(true, false), ...zone('us-east-1b') }),
    port('3.4.5.6:9000', { ...conditions(false, true), ...zone('us-east-1c') }),
  ];
  if (v === '3') {
    targets.push(
      port('4.5.6.7:9000', {
        [`${S}address_target_kind`]: 'Node',
        [`${S}address_target_name`]: 'barbaz',
        ...conditions(true, false),
        ...zone('us-east-1a'),
        ...nodes.barbaz,
      }),
    );
  }
  return targets;
}

/** The group labels of `makeEndpointSliceV1(ns)`. */
function sliceLabels(v: PromVersion, ns: string, extra: LabelSet = {}): LabelSet {
  return {
    [`${S}address_type`]: 'IPv4',
    __meta_kubernetes_namespace: ns,
    [`${S}name`]: 'testendpoints',
    ...(v === '3'
      ? {
          [`${S}label_kubernetes_io_service_name`]: 'testendpoints',
          [`${S}labelpresent_kubernetes_io_service_name`]: 'true',
          [`${S}annotation_test_annotation`]: 'test',
          [`${S}annotationpresent_test_annotation`]: 'true',
        }
      : {}),
    ...extra,
  };
}

const bareLabels = (ns: string, name = 'testendpoints'): LabelSet => ({
  [`${S}address_type`]: 'IPv4',
  [`${S}name`]: name,
  __meta_kubernetes_namespace: ns,
});

/** A target on pod `testpod`'s container `c1`, port 9000. */
const podTarget = (v: PromVersion, ip: string, extra: LabelSet = {}): LabelSet => ({
  __address__: '4.3.2.1:9000',
  [`${S}address_target_kind`]: 'Pod',
  [`${S}address_target_name`]: 'testpod',
  [`${S}port`]: '9000',
  [`${S}port_name`]: 'testport',
  [`${S}port_protocol`]: 'TCP',
  ...podMeta(ip),
  ...containerLabels(v, 'c1', 'mainport', 9000),
  ...extra,
});

function cases(v: PromVersion): RoleCase[] {
  const slice = makeEndpointSliceV1('default', v);
  const svc = makeEndpointsService('default');
  const foobar = makeNode('foobar', '', '', { az: 'us-east1' }, null);
  const barbaz = makeNode('barbaz', '', '', { az: 'us-west2' }, null);
  const nodeLabels = {
    foobar: nodeMeta('foobar', { az: 'us-east1' }),
    ...(v === '3' ? { barbaz: nodeMeta('barbaz', { az: 'us-west2' }) } : {}),
  };
  const unchanged = {
    'endpointslice/default/testendpoints': {
      targets: sliceTargets(v),
      labels: sliceLabels(v, 'default'),
    },
  };
  return [
    {
      name: 'TestEndpointSliceDiscoveryBeforeRun',
      objects: { endpointSlices: [slice] },
      discovery: { names: ['default'] },
      expected: unchanged,
    },
    {
      name: 'TestEndpointSliceDiscoveryAdd',
      objects: {
        pods: [makeTwoContainerPod()],
        endpointSlices: [
          makePodEndpointSlice(
            'default',
            'testendpoints',
            '4.3.2.1',
            [{ name: 'testport', port: 9000 }],
            {
              ready: false,
            },
          ),
        ],
      },
      discovery: { names: ['default'] },
      expected: {
        'endpointslice/default/testendpoints': {
          targets: [
            podTarget(v, '1.2.3.4', { [`${S}endpoint_conditions_ready`]: 'false' }),
            {
              __address__: '1.2.3.4:9001',
              ...podMeta('1.2.3.4'),
              ...containerLabels(v, 'c2', 'sideport', 9001),
            },
          ],
          labels: bareLabels('default'),
        },
      },
    },
    // v2.42's Delete, Update and EmptyEndpoints tests write through the v1beta1 client, which
    // misses the v1 object: they expect the slice unchanged.
    v === '2'
      ? {
          name: 'TestEndpointSliceDiscoveryDelete',
          objects: { endpointSlices: [slice] },
          expected: unchanged,
        }
      : { name: 'TestEndpointSliceDiscoveryDelete', objects: { endpointSlices: [] }, expected: {} },
    v === '2'
      ? {
          name: 'TestEndpointSliceDiscoveryUpdate',
          objects: { endpointSlices: [slice] },
          expected: unchanged,
        }
      : {
          name: 'TestEndpointSliceDiscoveryUpdate',
          objects: {
            endpointSlices: [
              {
                ...slice,
                metadata: { name: 'testendpoints', namespace: 'default' },
                endpoints: slice.endpoints!.slice(0, 2),
              },
            ],
          },
          expected: {
            'endpointslice/default/testendpoints': {
              targets: sliceTargets(v).slice(0, 2),
              labels: bareLabels('default'),
            },
          },
        },
    v === '2'
      ? {
          name: 'TestEndpointSliceDiscoveryEmptyEndpoints',
          objects: { endpointSlices: [slice] },
          expected: unchanged,
        }
      : {
          name: 'TestEndpointSliceDiscoveryEmptyEndpoints',
          objects: { endpointSlices: [{ ...slice, endpoints: [] }] },
          expected: {
            'endpointslice/default/testendpoints': { labels: sliceLabels(v, 'default') },
          },
        },
    {
      name: 'TestEndpointSliceDiscoveryWithService',
      objects: { endpointSlices: [slice], services: [svc] },
      discovery: { names: ['default'] },
      expected: {
        'endpointslice/default/testendpoints': {
          targets: sliceTargets(v),
          labels: sliceLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
        },
      },
    },
    {
      name: 'TestEndpointSliceDiscoveryWithServiceUpdate',
      objects: {
        endpointSlices: [slice],
        services: [makeEndpointsService('default', { 'app/name': 'svc', component: 'testing' })],
      },
      expected: {
        'endpointslice/default/testendpoints': {
          targets: sliceTargets(v),
          labels: sliceLabels(
            v,
            'default',
            serviceMeta({ 'app/name': 'svc', component: 'testing' }),
          ),
        },
      },
    },
    {
      name: 'TestEndpointsSlicesDiscoveryWithNodeMetadata',
      objects: {
        endpointSlices: [slice],
        services: [svc],
        nodes: v === '2' ? [foobar] : [foobar, barbaz],
      },
      attachMetadata: { node: true },
      expected: {
        'endpointslice/default/testendpoints': {
          targets: sliceTargets(v, nodeLabels),
          labels: sliceLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
        },
      },
    },
    v === '2'
      ? {
          // v2.42 expects the node as updated (az=us-central1).
          name: 'TestEndpointsSlicesDiscoveryWithUpdatedNodeMetadata',
          objects: {
            endpointSlices: [slice],
            services: [svc],
            nodes: [makeNode('foobar', '', '', { az: 'us-central1' }, null)],
          },
          attachMetadata: { node: true },
          expected: {
            'endpointslice/default/testendpoints': {
              targets: sliceTargets(v, { foobar: nodeMeta('foobar', { az: 'us-central1' }) }),
              labels: sliceLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
            },
          },
        }
      : {
          // HEAD expects the labels the nodes had when the group was first built.
          name: 'TestEndpointsSlicesDiscoveryWithUpdatedNodeMetadata',
          objects: { endpointSlices: [slice], services: [svc], nodes: [foobar, barbaz] },
          attachMetadata: { node: true },
          expected: {
            'endpointslice/default/testendpoints': {
              targets: sliceTargets(v, nodeLabels),
              labels: sliceLabels(v, 'default', serviceMeta({ 'app/name': 'test' })),
            },
          },
        },
    {
      name: 'TestEndpointSliceDiscoveryNamespaces',
      objects: {
        endpointSlices: [
          makeEndpointSliceV1('ns1', v),
          makePodEndpointSlice('ns2', 'testendpoints', '4.3.2.1', [
            { name: 'testport', port: 9000 },
          ]),
        ],
        services: [makeEndpointsService('ns1', { app: 'app1' })],
        pods: [makeOnePortPod('ns2', 'c1', '4.3.2.1')],
      },
      discovery: { names: ['ns1', 'ns2'] },
      expected: {
        'endpointslice/ns1/testendpoints': {
          targets: sliceTargets(v),
          labels: sliceLabels(v, 'ns1', serviceMeta({ app: 'app1' })),
        },
        'endpointslice/ns2/testendpoints': {
          targets: [podTarget(v, '4.3.2.1')],
          labels: bareLabels('ns2'),
        },
      },
    },
    {
      name: 'TestEndpointSliceDiscoveryOwnNamespace',
      objects: {
        endpointSlices: [makeEndpointSliceV1('own-ns', v), makeEndpointSliceV1('non-own-ns', v)],
        pods: [
          makeOnePortPod('own-ns', 'p1', '4.3.2.1'),
          makeOnePortPod('non-own-ns', 'p1', '4.3.2.1'),
        ],
      },
      discovery: { ownNamespace: true },
      expected: {
        'endpointslice/own-ns/testendpoints': {
          targets: sliceTargets(v),
          labels: sliceLabels(v, 'own-ns'),
        },
      },
    },
  ];
}

const NS = 'test-ns';

function dualStackService(policy: string, families: string[]): Service {
  return {
    metadata: { name: 'testsvc', namespace: 'default' },
    spec: { ipFamilyPolicy: policy, ipFamilies: families },
  };
}

function dualStackSlice(name: string, type: string, address: string): EndpointSlice {
  return {
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'testsvc' } },
    addressType: type,
    ports: [{ name: 'http', port: 9000, protocol: 'TCP' }],
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
  };
}

/** `dualStackGroupLabels`. */
const dualStackLabels = (type: string, name: string): LabelSet => ({
  __meta_kubernetes_namespace: 'default',
  [`${S}address_type`]: type,
  [`${S}name`]: name,
  [`${S}label_kubernetes_io_service_name`]: 'testsvc',
  [`${S}labelpresent_kubernetes_io_service_name`]: 'true',
  __meta_kubernetes_service_name: 'testsvc',
});

/** `dualStackTarget`. */
const dualStackTarget = (address: string): LabelSet => ({
  __address__: address,
  [`${S}endpoint_conditions_ready`]: 'true',
  [`${S}port`]: '9000',
  [`${S}port_name`]: 'http',
  [`${S}port_protocol`]: 'TCP',
});

function dualStack(
  name: string,
  policy: string,
  families: string[],
  primary: 'IPv4' | 'IPv6',
  withSecondary: boolean,
): RoleCase {
  const v4 = dualStackSlice('testsvc-ipv4', 'IPv4', '1.2.3.4');
  const v6 = dualStackSlice('testsvc-ipv6', 'IPv6', 'fd00::1');
  const slices = primary === 'IPv4' ? [v4, v6] : [v6, v4];
  const expected: RoleCase['expected'] = {};
  for (const [i, s] of (withSecondary ? slices : slices.slice(0, 1)).entries()) {
    const type = s.addressType!;
    expected[`endpointslice/default/${s.metadata!.name!}`] = {
      targets:
        i === 0 ? [dualStackTarget(type === 'IPv4' ? '1.2.3.4:9000' : '[fd00::1]:9000')] : [],
      labels: dualStackLabels(type, s.metadata!.name!),
    };
  }
  return {
    name,
    objects: {
      services: [dualStackService(policy, families)],
      endpointSlices: withSecondary ? slices : slices.slice(0, 1),
    },
    discovery: { names: ['default'] },
    expected,
  };
}

const headOnly: RoleCase[] = [
  {
    // Ported from a test that runs the endpoints role: a slice in "ns" is outside own-ns.
    name: 'TestEndpointSliceDiscoveryEmptyPodStatus',
    objects: {
      endpointSlices: [makeEndpointSliceV1('ns', '3')],
      pods: [{ ...makeOnePortPod('ns', 'p1', ''), status: {} }],
    },
    discovery: { ownNamespace: true },
    expected: {},
  },
  {
    name: 'TestEndpointSliceDiscoverySidecarContainer',
    objects: {
      endpointSlices: [
        makePodEndpointSlice('default', 'testsidecar', '4.3.2.1', [
          { name: 'testport', port: 9000 },
          { name: 'initport', port: 9111 },
        ]),
      ],
      pods: [makeSidecarPod()],
    },
    expected: {
      'endpointslice/default/testsidecar': {
        targets: [
          podTarget('3', '4.3.2.1'),
          {
            __address__: '4.3.2.1:9111',
            [`${S}address_target_kind`]: 'Pod',
            [`${S}address_target_name`]: 'testpod',
            [`${S}port`]: '9111',
            [`${S}port_name`]: 'initport',
            [`${S}port_protocol`]: 'TCP',
            ...podMeta('4.3.2.1'),
            ...containerLabels('3', 'ic2', 'initport', 9111, true),
          },
          {
            __address__: '4.3.2.1:1111',
            ...podMeta('4.3.2.1'),
            ...containerLabels('3', 'ic1', 'initport', 1111, true),
          },
        ],
        labels: bareLabels('default', 'testsidecar'),
      },
    },
  },
  {
    name: 'TestEndpointsSlicesDiscoveryWithNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { service: 'web', layer: 'frontend' },
          { contact: 'platform', release: 'v5.6.7' },
        ),
      ],
      services: [makeEndpointsService(NS)],
      endpointSlices: [makeEndpointSliceV1(NS, '3')],
    },
    attachMetadata: { namespace: true },
    expected: {
      [`endpointslice/${NS}/testendpoints`]: {
        targets: sliceTargets('3'),
        labels: sliceLabels('3', NS, {
          ...namespaceMeta(
            { service: 'web', layer: 'frontend' },
            { contact: 'platform', release: 'v5.6.7' },
          ),
          ...serviceMeta({ 'app/name': 'test' }),
        }),
      },
    },
  },
  {
    name: 'TestEndpointsSlicesDiscoveryWithUpdatedNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { component: 'cache', layer: 'backend', region: 'us-central' },
          { contact: 'sre', release: 'v6.7.8', monitoring: 'enabled' },
        ),
      ],
      services: [makeEndpointsService(NS)],
      endpointSlices: [makeEndpointSliceV1(NS, '3')],
    },
    attachMetadata: { namespace: true },
    expected: {
      [`endpointslice/${NS}/testendpoints`]: {
        targets: sliceTargets('3'),
        labels: sliceLabels('3', NS, {
          ...namespaceMeta(
            { component: 'cache', layer: 'backend', region: 'us-central' },
            { contact: 'sre', release: 'v6.7.8', monitoring: 'enabled' },
          ),
          ...serviceMeta({ 'app/name': 'test' }),
        }),
      },
    },
  },
  dualStack(
    'TestEndpointSliceDiscoveryDualStackPreferredSkipsSecondarySlice',
    'PreferDualStack',
    ['IPv4', 'IPv6'],
    'IPv4',
    true,
  ),
  dualStack(
    'TestEndpointSliceDiscoveryDualStackRequiredSkipsSecondarySlice',
    'RequireDualStack',
    ['IPv4', 'IPv6'],
    'IPv4',
    true,
  ),
  dualStack(
    'TestEndpointSliceDiscoverySingleStackIPv4Unaffected',
    'SingleStack',
    ['IPv4'],
    'IPv4',
    false,
  ),
  dualStack(
    'TestEndpointSliceDiscoverySingleStackIPv6Unaffected',
    'SingleStack',
    ['IPv6'],
    'IPv6',
    false,
  ),
  dualStack(
    'TestEndpointSliceDiscoveryDualStackPreferredIPv6Primary',
    'PreferDualStack',
    ['IPv6', 'IPv4'],
    'IPv6',
    true,
  ),
];

describe('kubernetes role: endpointslice', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of cases(version)) {
      it(title(version, 'endpointslice', c.name), () => runCase('endpointslice', version, c));
    }
  }
  for (const c of headOnly) {
    it(title('3', 'endpointslice', c.name), () => runCase('endpointslice', '3', c));
  }

  it('keeps both slices of a dual-stack Service in Prometheus 2.42 (deduplication is 3.11)', () => {
    const c = dualStack('v2', 'PreferDualStack', ['IPv4', 'IPv6'], 'IPv4', true);
    const v6 = c.expected['endpointslice/default/testsvc-ipv6']!;
    // 2.42 had no slice labels either: only the name and the address type.
    const labels = (type: string, name: string): LabelSet => ({
      ...bareLabels('default', name),
      [`${S}address_type`]: type,
      __meta_kubernetes_service_name: 'testsvc',
    });
    return runCase('endpointslice', '2', {
      ...c,
      expected: {
        'endpointslice/default/testsvc-ipv4': {
          targets: [dualStackTarget('1.2.3.4:9000')],
          labels: labels('IPv4', 'testsvc-ipv4'),
        },
        'endpointslice/default/testsvc-ipv6': {
          ...v6,
          targets: [dualStackTarget('[fd00::1]:9000')],
          labels: labels('IPv6', 'testsvc-ipv6'),
        },
      },
    });
  });
});
