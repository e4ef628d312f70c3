/**
 * Which monitors a Prometheus resource selects, and for every one it does not, the sentence that
 * says why (prometheus-operator `resource_selector.go` `selectObjects`,
 * `operator.SelectNamespacesFromCache`): one table of resource, monitor, namespace labels and the
 * exact reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseObjects } from '#lib/operator/objects.ts';
import { selectMonitors, whyNotSelected } from '#lib/operator/select.ts';
import { matches, selectorString } from '#lib/operator/label-selector.ts';

function prom(spec: string) {
  const parsed = parseObjects(
    `apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\nspec:\n${spec}`,
    'p.yaml',
  );
  assert.deepEqual(parsed.problems, []);
  return parsed.prometheuses[0]!;
}

function monitor(kind: string, namespace: string, labels: string) {
  const spec =
    kind === 'ServiceMonitor'
      ? 'selector: {}\n  endpoints: [{port: web}]'
      : kind === 'PodMonitor'
        ? 'selector: {}\n  podMetricsEndpoints: [{port: web}]'
        : 'targets: {staticConfig: {static: [a:1]}}\n  prober: {url: bb:9115}';
  const parsed = parseObjects(
    `apiVersion: monitoring.coreos.com/v1\nkind: ${kind}\nmetadata: {name: m, namespace: ${namespace}, labels: {${labels}}}\nspec:\n  ${spec}\n`,
    'm.yaml',
  );
  assert.deepEqual(parsed.problems, []);
  return parsed.monitors[0]!;
}

const NAMESPACES = new Map<string, Record<string, string>>([
  ['monitoring', { 'kubernetes.io/metadata.name': 'monitoring' }],
  ['shop', { team: 'storefront', 'kubernetes.io/metadata.name': 'shop' }],
  ['billing', { team: 'payments', 'kubernetes.io/metadata.name': 'billing' }],
]);

const P = 'Prometheus monitoring/k8s';

const cases: {
  name: string;
  spec: string;
  kind?: string;
  ns?: string;
  labels?: string;
  why: string | null;
}[] = [
  {
    name: 'the release label missing',
    spec: '  serviceMonitorSelector: {matchLabels: {release: kps}}\n  serviceMonitorNamespaceSelector: {}',
    ns: 'shop',
    labels: 'app: web',
    why: `the ServiceMonitor lacks label release=kps: ${P} selects ServiceMonitors with serviceMonitorSelector "release=kps" (kube-prometheus-stack selects by its Helm release label: add "release: kps" to the ServiceMonitor's metadata.labels, or install the chart with prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues=false to select every ServiceMonitor)`,
  },
  {
    name: 'a label with another value',
    spec: '  serviceMonitorSelector: {matchLabels: {team: a}}',
    ns: 'monitoring',
    labels: 'team: b',
    why: `the ServiceMonitor has label team=b, not team=a: ${P} selects ServiceMonitors with serviceMonitorSelector "team=a"`,
  },
  {
    name: 'matchExpressions: In, NotIn, Exists, DoesNotExist',
    spec: `  serviceMonitorSelector:
    matchExpressions:
    - {key: tier, operator: In, values: [gold, silver]}
    - {key: env, operator: NotIn, values: [dev]}
    - {key: owner, operator: Exists}
    - {key: legacy, operator: DoesNotExist}`,
    ns: 'monitoring',
    labels: 'tier: bronze, env: dev, legacy: "yes"',
    why: `the ServiceMonitor has label env=dev, which the selector excludes (env notin (dev)); has label legacy, which the selector excludes (!legacy); lacks label owner; has label tier=bronze, not one of tier in (gold,silver): ${P} selects ServiceMonitors with serviceMonitorSelector "env notin (dev),!legacy,owner,tier in (gold,silver)"`,
  },
  {
    name: 'an unset selector selects nothing',
    spec: '  serviceMonitorSelector: {}',
    kind: 'PodMonitor',
    ns: 'monitoring',
    why: `${P} has no podMonitorSelector, which selects no PodMonitor at all (set podMonitorSelector: {} to select every one)`,
  },
  {
    name: 'an empty selector selects every monitor of its namespace',
    spec: '  probeSelector: {}',
    kind: 'Probe',
    ns: 'monitoring',
    why: null,
  },
  {
    name: 'an unset namespace selector: the resource’s own namespace only',
    spec: '  serviceMonitorSelector: {}',
    ns: 'shop',
    why: `it is in namespace shop, and ${P} has no serviceMonitorNamespaceSelector, so it selects ServiceMonitors in its own namespace monitoring only (set serviceMonitorNamespaceSelector: {} for every namespace, or one that matches shop)`,
  },
  {
    name: 'a namespace selector that excludes the namespace',
    spec: '  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: {matchLabels: {team: storefront}}',
    ns: 'billing',
    why: `its namespace billing has label team=payments, not team=storefront: ${P} selects namespaces with serviceMonitorNamespaceSelector "team=storefront"`,
  },
  {
    name: 'a namespace selector that picks the namespace',
    spec: '  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: {matchLabels: {team: storefront}}',
    ns: 'shop',
    why: null,
  },
  {
    name: 'a namespace that does not exist',
    spec: '  serviceMonitorSelector: {}\n  serviceMonitorNamespaceSelector: {}',
    ns: 'gone',
    why: 'its namespace gone does not exist in the cluster',
  },
  {
    name: 'an invalid selector',
    spec: '  serviceMonitorSelector: {matchExpressions: [{key: a, operator: In}]}',
    ns: 'monitoring',
    why: `${P}'s serviceMonitorSelector is invalid (values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty): the operator selects nothing with it`,
  },
];

describe('selection by the Prometheus resource', () => {
  for (const c of cases) {
    it(c.name, () => {
      const m = monitor(c.kind ?? 'ServiceMonitor', c.ns ?? 'monitoring', c.labels ?? '');
      assert.equal(whyNotSelected(prom(c.spec), m, NAMESPACES), c.why);
    });
  }

  it('without a resource every monitor is selected', () => {
    const m = monitor('ServiceMonitor', 'shop', '');
    assert.deepEqual(selectMonitors(null, [m], null), { selected: [m], unselected: [] });
  });

  it('prints selectors as apimachinery does (keys sorted, matchLabels first, In values sorted)', () => {
    const selector = {
      matchLabels: { group: 'group1' },
      matchExpressions: [
        { key: 'group', operator: 'In' as const, values: ['group3', 'group2'] },
        { key: 'groupb', operator: 'DoesNotExist' as const },
      ],
    };
    assert.equal(selectorString(selector), 'group=group1,group in (group2,group3),!groupb');
    assert.equal(matches(selector, { group: 'group1' }), false);
    assert.equal(matches({}, { any: 'thing' }), true);
  });
});
