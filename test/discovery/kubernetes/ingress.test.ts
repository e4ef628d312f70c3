/**
 * `role: ingress`, ported from prometheus/prometheus `discovery/kubernetes/ingress_test.go` at
 * v2.42.0 (its networking.k8s.io/v1 tests; the v1beta1 ones need a pre-1.19 cluster, which this
 * lister does not serve) and HEAD.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { ingressTargetGroups } from '#lib/discovery/kubernetes/index.ts';
import { makeIngress, makeNamespace, type TlsMode } from './fixtures.ts';
import { runCase, title, type RoleCase } from './helpers.ts';

/** `expectedTargetGroups`. */
function expectedTargetGroups(
  ns: string,
  tls: TlsMode,
  extra: LabelSet = {},
): RoleCase['expected'] {
  const scheme1 = tls === 'yes' || tls === 'mixed' ? 'https' : 'http';
  const scheme2 = tls === 'yes' || tls === 'wildcard' ? 'https' : 'http';
  return {
    [`ingress/${ns}/testingress`]: {
      targets: [
        {
          __meta_kubernetes_ingress_scheme: scheme1,
          __meta_kubernetes_ingress_host: 'example.com',
          __meta_kubernetes_ingress_path: '/',
          __address__: 'example.com',
        },
        {
          __meta_kubernetes_ingress_scheme: scheme1,
          __meta_kubernetes_ingress_host: 'example.com',
          __meta_kubernetes_ingress_path: '/foo',
          __address__: 'example.com',
        },
        {
          __meta_kubernetes_ingress_scheme: scheme2,
          __meta_kubernetes_ingress_host: 'test.example.com',
          __address__: 'test.example.com',
          __meta_kubernetes_ingress_path: '/',
        },
      ],
      labels: {
        __meta_kubernetes_ingress_name: 'testingress',
        __meta_kubernetes_namespace: ns,
        __meta_kubernetes_ingress_label_test_label: 'testvalue',
        __meta_kubernetes_ingress_labelpresent_test_label: 'true',
        __meta_kubernetes_ingress_annotation_test_annotation: 'testannotationvalue',
        __meta_kubernetes_ingress_annotationpresent_test_annotation: 'true',
        __meta_kubernetes_ingress_class_name: 'testclass',
        ...extra,
      },
    },
  };
}

const shared: RoleCase[] = [
  {
    name: 'TestIngressDiscoveryAdd',
    objects: { ingresses: [makeIngress('default', 'no')] },
    discovery: { names: ['default'] },
    expected: expectedTargetGroups('default', 'no'),
  },
  {
    name: 'TestIngressDiscoveryAddTLS',
    objects: { ingresses: [makeIngress('default', 'yes')] },
    discovery: { names: ['default'] },
    expected: expectedTargetGroups('default', 'yes'),
  },
  {
    name: 'TestIngressDiscoveryAddMixed',
    objects: { ingresses: [makeIngress('default', 'mixed')] },
    discovery: { names: ['default'] },
    expected: expectedTargetGroups('default', 'mixed'),
  },
  {
    name: 'TestIngressDiscoveryNamespaces',
    objects: { ingresses: [makeIngress('ns1', 'no'), makeIngress('ns2', 'no')] },
    discovery: { names: ['ns1', 'ns2'] },
    expected: { ...expectedTargetGroups('ns1', 'no'), ...expectedTargetGroups('ns2', 'no') },
  },
  {
    name: 'TestIngressDiscoveryOwnNamespace',
    objects: { ingresses: [makeIngress('own-ns', 'no'), makeIngress('non-own-ns', 'no')] },
    discovery: { ownNamespace: true },
    expected: expectedTargetGroups('own-ns', 'no'),
  },
  {
    // expectedTargetGroups' TLSWildcard branch: `*.example.com` covers test.example.com only.
    name: 'expectedTargetGroups(TLSWildcard)',
    objects: { ingresses: [makeIngress('default', 'wildcard')] },
    expected: expectedTargetGroups('default', 'wildcard'),
  },
];

const NS = 'test-ns';

const headOnly: RoleCase[] = [
  {
    name: 'TestIngressDiscoveryWithNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { service: 'web', layer: 'frontend' },
          { contact: 'platform', release: 'v5.6.7' },
        ),
      ],
      ingresses: [makeIngress(NS, 'no')],
    },
    attachMetadata: { namespace: true },
    expected: expectedTargetGroups(NS, 'no', {
      __meta_kubernetes_namespace_annotation_contact: 'platform',
      __meta_kubernetes_namespace_annotationpresent_contact: 'true',
      __meta_kubernetes_namespace_annotation_release: 'v5.6.7',
      __meta_kubernetes_namespace_annotationpresent_release: 'true',
      __meta_kubernetes_namespace_label_service: 'web',
      __meta_kubernetes_namespace_labelpresent_service: 'true',
      __meta_kubernetes_namespace_label_layer: 'frontend',
      __meta_kubernetes_namespace_labelpresent_layer: 'true',
    }),
  },
  {
    name: 'TestIngressDiscoveryWithUpdatedNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { component: 'cache', layer: 'backend', region: 'us-central' },
          { contact: 'sre', release: 'v6.7.8', monitoring: 'enabled' },
        ),
      ],
      ingresses: [makeIngress(NS, 'no')],
    },
    attachMetadata: { namespace: true },
    expected: expectedTargetGroups(NS, 'no', {
      __meta_kubernetes_namespace_annotation_contact: 'sre',
      __meta_kubernetes_namespace_annotationpresent_contact: 'true',
      __meta_kubernetes_namespace_annotation_release: 'v6.7.8',
      __meta_kubernetes_namespace_annotationpresent_release: 'true',
      __meta_kubernetes_namespace_annotation_monitoring: 'enabled',
      __meta_kubernetes_namespace_annotationpresent_monitoring: 'true',
      __meta_kubernetes_namespace_label_component: 'cache',
      __meta_kubernetes_namespace_labelpresent_component: 'true',
      __meta_kubernetes_namespace_label_layer: 'backend',
      __meta_kubernetes_namespace_labelpresent_layer: 'true',
      __meta_kubernetes_namespace_label_region: 'us-central',
      __meta_kubernetes_namespace_labelpresent_region: 'true',
    }),
  },
];

describe('kubernetes role: ingress', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of shared) {
      it(title(version, 'ingress', c.name), () => runCase('ingress', version, c));
    }
  }
  for (const c of headOnly) it(title('3', 'ingress', c.name), () => runCase('ingress', '3', c));

  it('gives a rule without http one "/" target and no class label without a class', () => {
    const ingress = makeIngress('default', 'no');
    ingress.spec = { rules: [{ host: 'a.example.com' }, { http: { paths: [{ path: '/x' }] } }] };
    const [group] = ingressTargetGroups({ ingresses: [ingress] }, { version: '3' });
    assert.deepEqual(group?.targets, [
      {
        __address__: 'a.example.com',
        __meta_kubernetes_ingress_scheme: 'http',
        __meta_kubernetes_ingress_host: 'a.example.com',
        __meta_kubernetes_ingress_path: '/',
      },
      {
        __address__: '',
        __meta_kubernetes_ingress_scheme: 'http',
        __meta_kubernetes_ingress_host: '',
        __meta_kubernetes_ingress_path: '/x',
      },
    ]);
    assert.equal(group.labels.__meta_kubernetes_ingress_class_name, undefined);
  });
});
