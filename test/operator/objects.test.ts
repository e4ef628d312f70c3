/**
 * Monitors from files: multi-document `helm template` output (other kinds passed over), `kubectl
 * get -o yaml` Lists, the API server's defaults, fields the CRD lacks (warned, as kubectl's strict
 * validation refuses them), and problems that name the file, line, column and key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblem } from '#lib/config/errors.ts';
import { parseObjects } from '#lib/operator/objects.ts';

describe('monitor files', () => {
  it('reads helm template output: the operator kinds, defaulted; every other kind passed over', () => {
    const parsed = parseObjects(
      `# Source: chart/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
# Source: chart/templates/servicemonitor.yaml
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop, labels: {release: kps}}
spec:
  selector: {matchLabels: {app: web}}
  endpoints:
  - port: metrics
    relabelings: [{sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node}]
---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: site, namespace: shop}
spec:
  prober: {url: blackbox:9115}
  targets: {staticConfig: {static: [https://example.com]}}
`,
      'chart.yaml',
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.others, 1);
    assert.deepEqual(
      parsed.monitors.map((m) => [m.kind, m.metadata.namespace, m.metadata.name, m.source]),
      [
        ['ServiceMonitor', 'shop', 'web', 'chart.yaml:7'],
        ['Probe', 'shop', 'site', 'chart.yaml:16'],
      ],
    );
    const sm = parsed.monitors[0]!;
    assert.equal(
      sm.kind === 'ServiceMonitor' && sm.spec.endpoints[0]!.relabelings![0]!.action,
      'replace',
    );
    const probe = parsed.monitors[1]!;
    assert.equal(probe.kind === 'Probe' && probe.spec.prober?.path, '/probe');
  });

  it('reads a List (kubectl get servicemonitors -A -o yaml)', () => {
    const parsed = parseObjects(
      `apiVersion: v1
kind: List
items:
- apiVersion: monitoring.coreos.com/v1
  kind: ServiceMonitor
  metadata: {name: a, namespace: x}
  spec: {selector: {}, endpoints: [{port: m}]}
- apiVersion: monitoring.coreos.com/v1
  kind: PodMonitor
  metadata: {name: b}
  spec: {selector: {}, podMetricsEndpoints: [{portNumber: 8080}]}
`,
      'list.yaml',
      { namespace: 'ops' },
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.monitors.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`),
      ['ServiceMonitor x/a', 'PodMonitor ops/b'],
    );
    assert.match(
      parsed.warnings[0]!,
      /^list\.yaml:10:\d+: PodMonitor b: items\[1\]\.metadata: no metadata\.namespace: taken as "ops"/,
    );
  });

  it('warns about a field the CRD lacks, and reads the rest', () => {
    const parsed = parseObjects(
      `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: a, namespace: x}
spec:
  selector: {}
  endpoints:
  - port: m
    bearerTokenFiles: /token
`,
      'typo.yaml',
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.monitors.length, 1);
    assert.deepEqual(parsed.warnings, [
      'typo.yaml:8:5: ServiceMonitor a: spec.endpoints[0].bearerTokenFiles: unknown field: the CRD has no such field (kubectl refuses it; the operator never sees it)',
    ]);
  });

  const problems: [string, string, string][] = [
    [
      'a wrong type',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\nspec:\n  selector: {}\n  endpoints: [{port: 9100}]\n',
      'bad.yaml:6:22: spec.endpoints[0].port: ServiceMonitor a: expected string, got number',
    ],
    [
      'a required field missing',
      'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: a}\nspec:\n  selector: {}\n',
      'bad.yaml:5:3: spec.podMetricsEndpoints: PodMonitor a: is required (expected array)',
    ],
    [
      'an apiVersion the kind does not have',
      'apiVersion: monitoring.coreos.com/v1alpha1\nkind: ServiceMonitor\nmetadata: {name: a}\nspec: {selector: {}, endpoints: []}\n',
      'bad.yaml:1:13: apiVersion: ServiceMonitor a: expected apiVersion monitoring.coreos.com/v1, got "monitoring.coreos.com/v1alpha1"',
    ],
    [
      'an operator that does not exist',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\nspec:\n  selector: {matchExpressions: [{key: a, operator: Equals}]}\n  endpoints: []\n',
      'bad.yaml:5:52: spec.selector.matchExpressions[0].operator: ServiceMonitor a: Invalid option: expected one of "In"|"NotIn"|"Exists"|"DoesNotExist"',
    ],
    [
      'YAML that does not parse',
      'kind: [unclosed\n',
      'bad.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ];
  for (const [name, text, message] of problems) {
    it(`a problem names file, line, column and key: ${name}`, () => {
      const parsed = parseObjects(text, 'bad.yaml');
      assert.equal(parsed.problems.map(formatProblem)[0], message);
    });
  }
});
