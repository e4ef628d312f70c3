/**
 * `role: service`, ported from prometheus/prometheus `discovery/kubernetes/service_test.go` at
 * v2.42.0 (six tests) and HEAD (eight): the state each Go test ends in, listed, must give the
 * groups the Go test expects.
 */
import { describe, it } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import type { Service } from '#lib/discovery/kubernetes/index.ts';
import { makeNamespace, makeService } from './fixtures.ts';
import { runCase, title, type RoleCase } from './helpers.ts';

function makeMultiPortService(): Service {
  return {
    metadata: {
      name: 'testservice',
      namespace: 'default',
      labels: { 'test-label': 'testvalue' },
      annotations: { 'test-annotation': 'testannotationvalue' },
    },
    spec: {
      ports: [
        { name: 'testport0', protocol: 'TCP', port: 30900 },
        { name: 'testport1', protocol: 'UDP', port: 30901 },
      ],
      type: 'ClusterIP',
      clusterIP: '10.0.0.1',
    },
  };
}

function named(
  name: string,
  spec: NonNullable<Service['spec']>,
  status?: NonNullable<Service['status']>,
): Service {
  return { metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) };
}

const port31900 = [{ name: 'testport', protocol: 'TCP', port: 31900 }];
const externalService = named('testservice-external', {
  ports: port31900,
  type: 'ExternalName',
  externalName: 'FooExternalName',
});
const loadBalancerService = named('testservice-loadbalancer', {
  ports: port31900,
  type: 'LoadBalancer',
  loadBalancerIP: '127.0.0.1',
  clusterIP: '10.0.0.1',
});
const loadBalancerFromIngress = named(
  'testservice-lb-ingress',
  { ports: port31900, type: 'LoadBalancer', clusterIP: '10.0.0.1' },
  { loadBalancer: { ingress: [{ ip: '192.168.1.15' }, { ip: '2001:db8::1' }] } },
);

/** The one-port ClusterIP group of `makeService(ns)`. */
function serviceGroup(ns: string, extra: LabelSet = {}): RoleCase['expected'] {
  return {
    [`svc/${ns}/testservice`]: {
      targets: [
        {
          __meta_kubernetes_service_port_protocol: 'TCP',
          __address__: `testservice.${ns}.svc:30900`,
          __meta_kubernetes_service_type: 'ClusterIP',
          __meta_kubernetes_service_cluster_ip: '10.0.0.1',
          __meta_kubernetes_service_port_name: 'testport',
          __meta_kubernetes_service_port_number: '30900',
        },
      ],
      labels: {
        __meta_kubernetes_service_name: 'testservice',
        __meta_kubernetes_namespace: ns,
        ...extra,
      },
    },
  };
}

function port31900Group(name: string, target: LabelSet): RoleCase['expected'] {
  return {
    [`svc/default/${name}`]: {
      targets: [
        {
          __meta_kubernetes_service_port_protocol: 'TCP',
          __address__: `${name}.default.svc:31900`,
          __meta_kubernetes_service_port_name: 'testport',
          __meta_kubernetes_service_port_number: '31900',
          ...target,
        },
      ],
      labels: { __meta_kubernetes_service_name: name, __meta_kubernetes_namespace: 'default' },
    },
  };
}

const addExpected = {
  ...serviceGroup('default'),
  ...port31900Group('testservice-external', {
    __meta_kubernetes_service_type: 'ExternalName',
    __meta_kubernetes_service_external_name: 'FooExternalName',
  }),
  ...port31900Group('testservice-loadbalancer', {
    __meta_kubernetes_service_type: 'LoadBalancer',
    __meta_kubernetes_service_cluster_ip: '10.0.0.1',
    __meta_kubernetes_service_loadbalancer_ip: '127.0.0.1',
  }),
};

function cases(version: PromVersion): RoleCase[] {
  return [
    version === '2'
      ? {
          name: 'TestServiceDiscoveryAdd',
          objects: { services: [makeService(), externalService, loadBalancerService] },
          expected: addExpected,
        }
      : {
          name: 'TestServiceDiscoveryAdd',
          objects: {
            services: [
              makeService(),
              externalService,
              loadBalancerService,
              loadBalancerFromIngress,
            ],
          },
          expected: {
            ...addExpected,
            ...port31900Group('testservice-lb-ingress', {
              __meta_kubernetes_service_type: 'LoadBalancer',
              __meta_kubernetes_service_cluster_ip: '10.0.0.1',
              __meta_kubernetes_service_loadbalancer_ip: '192.168.1.15,2001:db8::1',
            }),
          },
        },
    { name: 'TestServiceDiscoveryDelete', objects: { services: [] }, expected: {} },
    {
      name: 'TestServiceDiscoveryUpdate',
      objects: { services: [makeMultiPortService()] },
      expected: {
        'svc/default/testservice': {
          targets: [
            {
              __meta_kubernetes_service_port_protocol: 'TCP',
              __address__: 'testservice.default.svc:30900',
              __meta_kubernetes_service_type: 'ClusterIP',
              __meta_kubernetes_service_cluster_ip: '10.0.0.1',
              __meta_kubernetes_service_port_name: 'testport0',
              __meta_kubernetes_service_port_number: '30900',
            },
            {
              __meta_kubernetes_service_port_protocol: 'UDP',
              __address__: 'testservice.default.svc:30901',
              __meta_kubernetes_service_type: 'ClusterIP',
              __meta_kubernetes_service_cluster_ip: '10.0.0.1',
              __meta_kubernetes_service_port_name: 'testport1',
              __meta_kubernetes_service_port_number: '30901',
            },
          ],
          labels: {
            __meta_kubernetes_service_name: 'testservice',
            __meta_kubernetes_namespace: 'default',
            __meta_kubernetes_service_label_test_label: 'testvalue',
            __meta_kubernetes_service_labelpresent_test_label: 'true',
            __meta_kubernetes_service_annotation_test_annotation: 'testannotationvalue',
            __meta_kubernetes_service_annotationpresent_test_annotation: 'true',
          },
        },
      },
    },
    {
      name: 'TestServiceDiscoveryNamespaces',
      objects: { services: [makeService('ns1'), makeService('ns2')] },
      discovery: { names: ['ns1', 'ns2'] },
      expected: { ...serviceGroup('ns1'), ...serviceGroup('ns2') },
    },
    {
      name: 'TestServiceDiscoveryOwnNamespace',
      objects: { services: [makeService('own-ns'), makeService('non-own-ns')] },
      discovery: { ownNamespace: true },
      expected: serviceGroup('own-ns'),
    },
    {
      name: 'TestServiceDiscoveryAllNamespaces',
      objects: { services: [makeService('own-ns'), makeService('non-own-ns')] },
      expected: { ...serviceGroup('own-ns'), ...serviceGroup('non-own-ns') },
    },
  ];
}

const NS = 'test-ns';

/** attach_metadata.namespace arrived in 3.6. */
const headOnly: RoleCase[] = [
  {
    name: 'TestServiceDiscoveryWithNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { environment: 'production', team: 'backend' },
          { owner: 'platform', version: 'v1.2.3' },
        ),
      ],
      services: [makeService(NS)],
    },
    attachMetadata: { namespace: true },
    expected: serviceGroup(NS, {
      __meta_kubernetes_namespace_annotation_owner: 'platform',
      __meta_kubernetes_namespace_annotationpresent_owner: 'true',
      __meta_kubernetes_namespace_annotation_version: 'v1.2.3',
      __meta_kubernetes_namespace_annotationpresent_version: 'true',
      __meta_kubernetes_namespace_label_environment: 'production',
      __meta_kubernetes_namespace_labelpresent_environment: 'true',
      __meta_kubernetes_namespace_label_team: 'backend',
      __meta_kubernetes_namespace_labelpresent_team: 'true',
    }),
  },
  {
    name: 'TestServiceDiscoveryWithUpdatedNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { environment: 'staging', team: 'frontend', region: 'us-west' },
          { owner: 'sre', version: 'v2.1.0', 'cost-center': 'engineering' },
        ),
      ],
      services: [makeService(NS)],
    },
    attachMetadata: { namespace: true },
    expected: serviceGroup(NS, {
      __meta_kubernetes_namespace_annotation_owner: 'sre',
      __meta_kubernetes_namespace_annotationpresent_owner: 'true',
      __meta_kubernetes_namespace_annotation_version: 'v2.1.0',
      __meta_kubernetes_namespace_annotationpresent_version: 'true',
      __meta_kubernetes_namespace_annotation_cost_center: 'engineering',
      __meta_kubernetes_namespace_annotationpresent_cost_center: 'true',
      __meta_kubernetes_namespace_label_environment: 'staging',
      __meta_kubernetes_namespace_labelpresent_environment: 'true',
      __meta_kubernetes_namespace_label_team: 'frontend',
      __meta_kubernetes_namespace_labelpresent_team: 'true',
      __meta_kubernetes_namespace_label_region: 'us-west',
      __meta_kubernetes_namespace_labelpresent_region: 'true',
    }),
  },
];

describe('kubernetes role: service', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of cases(version)) {
      it(title(version, 'service', c.name), () => runCase('service', version, c));
    }
  }
  for (const c of headOnly) it(title('3', 'service', c.name), () => runCase('service', '3', c));

  it('reads loadbalancer_ip from spec.loadBalancerIP only in Prometheus 2.42', () =>
    runCase('service', '2', {
      name: 'v2 lb',
      objects: { services: [loadBalancerFromIngress] },
      expected: port31900Group('testservice-lb-ingress', {
        __meta_kubernetes_service_type: 'LoadBalancer',
        __meta_kubernetes_service_cluster_ip: '10.0.0.1',
        __meta_kubernetes_service_loadbalancer_ip: '',
      }),
    }));
});
