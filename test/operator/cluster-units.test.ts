/**
 * The pieces of the cluster side, each against its reference: the config-reloader's `$(VAR)`
 * substitution (thanos `pkg/reloader` tests' vectors, with TolerateEnvVarExpansionErrors as the
 * operator runs it), the StatefulSet pod names per shard, the stale check's comparison, and the
 * emulator's operator routes (get, list namespaced and across namespaces, label selectors, RBAC,
 * the generated and TLS-assets Secrets) through scrape-check's own API client.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '#lib/config/index.ts';
import { callApi, type ClusterConnection } from '#lib/credentials/index.ts';
import {
  firstDifference,
  podName,
  reloaderEnv,
  substituteEnv,
} from '#lib/operator/cluster/index.ts';
import { K8sEmulator } from '../k8s/emulator.ts';
import { putGeneratedSecret, putTlsAssets } from '../k8s/emulator-operator.ts';

describe("the config-reloader's environment substitution", () => {
  const env = { RELOADER_TEST_ENV: 'production', RELOADER_TEST_PORT: '90' };
  // thanos pkg/reloader reloader_benchmark_test.go, TestReloader_ExpandEnvStream_ChunkBoundaries.
  const vectors: [string, string][] = [
    ['', ''],
    ['$', '$'],
    ['$$', '$$'],
    ['$()', '$()'],
    ['$(', '$('],
    ['$(A', '$(A'],
    ['$(RELOADER_TEST_ENV)', 'production'],
    ['$(RELOADER_TEST_ENV)$(RELOADER_TEST_PORT)', 'production90'],
    [
      'prefix $(RELOADER_TEST_ENV) middle $(RELOADER_TEST_PORT) suffix',
      'prefix production middle 90 suffix',
    ],
    ['$(UNKNOWN-VAR)', '$(UNKNOWN-VAR)'],
    ['$$($(RELOADER_TEST_ENV))', '$$(production)'],
    ['$(RELOADER_TEST_ENV', '$(RELOADER_TEST_ENV'],
  ];
  for (const [input, expected] of vectors)
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(substituteEnv(input, env).text, expected);
    });

  it('an unset variable is left as written, and named', () => {
    assert.deepEqual(substituteEnv('$(NOT_SET_VAR) $(RELOADER_TEST_ENV)', env), {
      text: '$(NOT_SET_VAR) production',
      unset: ['NOT_SET_VAR'],
    });
  });

  it("each shard's pod: POD_NAME, SHARD and the ordinal the reloader derives", () => {
    const ref = { kind: 'Prometheus', namespace: 'monitoring', name: 'k8s' } as const;
    assert.equal(podName(ref, 0), 'prometheus-k8s-0');
    assert.deepEqual(reloaderEnv(ref, 2), {
      POD_NAME: 'prometheus-k8s-shard-2-0',
      SHARD: '2',
      STATEFULSET_ORDINAL_NUMBER: '0',
    });
    assert.equal(podName({ ...ref, kind: 'PrometheusAgent' }, 1), 'prom-agent-k8s-shard-1-0');
  });
});

describe('the new keys, checked as the config is loaded', () => {
  const problems = async (text: string) => {
    const r = await parseConfig(text, 'scrape-check.yaml', '/tmp');
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };
  const entry = (prometheus: string, extra = 'targets: []') =>
    `clusters:\n  - name: prod\n    kubeconfig: {path: k}\n    ${extra}\n    prometheus: ${prometheus}\n`;

  it('resource, agent, shard', async () => {
    assert.deepEqual(await problems(entry('{resource: monitoring/k8s}')), []);
    assert.deepEqual(await problems(entry('{agent: monitoring/edge, shard: 1}')), []);
    assert.deepEqual(await problems(entry('{resource: monitoring/k8s, agent: monitoring/edge}')), [
      'clusters[0].prometheus.agent: at most one of prometheus.resource and prometheus.agent may be set',
    ]);
    assert.match(
      (await problems(entry('{}')))[0] ?? '',
      /prometheus needs service_account .* or resource or agent/,
    );
    assert.match(
      (await problems(entry('{service_account: a/b, shard: 0}')))[0] ?? '',
      /prometheus\.shard picks a shard of an operator resource/,
    );
    assert.match((await problems(entry('{resource: k8s}')))[0] ?? '', /expected namespace\/name/);
    assert.match(
      (await problems(entry('{resource: monitoring/k8s}', 'targets: [apiserver]')))[0] ?? '',
      /clusters\[0\]\.targets: the control-plane presets need a ServiceAccount/,
    );
  });

  it('operator without monitors needs the resource that selects them', async () => {
    assert.deepEqual(
      await problems(`${entry('{resource: monitoring/k8s}')}operator: {cluster: prod}\n`),
      [],
    );
    assert.match(
      (
        await problems(`${entry('{service_account: monitoring/p}')}operator: {cluster: prod}\n`)
      )[0] ?? '',
      /operator\.monitors: is left out, so the monitors are listed from the cluster: clusters\[prod\]\.prometheus\.resource/,
    );
    assert.match(
      (
        await problems(
          `${entry('{resource: monitoring/k8s}')}operator: {cluster: prod, prometheus: p.yaml}\n`,
        )
      )[0] ?? '',
      /operator\.prometheus: monitors listed from the cluster are selected by the resource/,
    );
  });
});

describe("the stale check's comparison", () => {
  it('equal modulo key order and scalar spelling; else the first differing path', () => {
    assert.equal(firstDifference({ a: 1, b: [{ c: '30' }] }, { b: [{ c: 30 }], a: '1' }), null);
    assert.equal(firstDifference({ a: [1, 2] }, { a: [1] }), 'a (2 entries against 1)');
    assert.equal(firstDifference({ r: [{ regex: 'web' }] }, { r: [{ regex: 'x' }] }), 'r[0].regex');
    assert.equal(firstDifference({ a: 1 }, { a: 1, b: true }), 'b');
  });
});

describe("the emulator's operator routes", () => {
  let emu: K8sEmulator;
  let admin: ClusterConnection;
  let limited: ClusterConnection;

  before(async () => {
    emu = await K8sEmulator.start({ flavor: 'self-managed' });
    const conn = (token: string): ClusterConnection => ({
      name: 'lab',
      server: new URL(emu.url),
      caPem: emu.ca.certPem,
      tls: {},
      authorization: `Bearer ${token}`,
      flavor: 'unknown',
      version: null,
      identity: 'test',
      identityHint: 'test',
      rejectedHint: 'test',
      warnings: [],
      secrets: [token],
    });
    admin = conn(emu.adminToken);
    emu.applyYaml(`apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: monitoring}
---
kind: Role
metadata: {name: monitors, namespace: monitoring}
rules: [{apiGroups: [monitoring.coreos.com], resources: [servicemonitors], verbs: [list]}]
---
kind: RoleBinding
metadata: {name: reader, namespace: monitoring}
roleRef: {kind: Role, name: monitors}
subjects: [{kind: ServiceAccount, name: reader, namespace: monitoring}]
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec: {serviceMonitorSelector: {}}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: edge, namespace: monitoring}
spec: {}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: a, namespace: monitoring, labels: {release: kps}}
spec: {selector: {}, endpoints: [{port: web}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: b, namespace: shop}
spec: {selector: {}, endpoints: [{port: web}]}
`);
    limited = conn(emu.issueToken('monitoring', 'reader', 3600));
  });

  after(async () => {
    await emu.stop();
  });

  it('get at each served version; a wrong version or name is 404', async () => {
    const p = await callApi(
      admin,
      '/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheuses/k8s',
    );
    assert.ok(p.ok);
    assert.equal((p.body as { kind: string }).kind, 'Prometheus');
    const agent = await callApi(
      admin,
      '/apis/monitoring.coreos.com/v1alpha1/namespaces/monitoring/prometheusagents/edge',
    );
    assert.ok(agent.ok);
    const wrong = await callApi(
      admin,
      '/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusagents/edge',
    );
    assert.equal(wrong.ok ? 200 : wrong.status, 404);
    const none = await callApi(
      admin,
      '/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheuses/nope',
    );
    assert.ok(!none.ok);
    assert.match(none.message, /prometheuses\.monitoring\.coreos\.com "nope" not found/);
  });

  it('list across namespaces, in one, and by label; items keep their kind', async () => {
    const names = async (path: string) => {
      const r = await callApi(admin, path);
      assert.ok(r.ok);
      return (r.body as { items: { kind: string; metadata: { name: string } }[] }).items.map(
        (i) => `${i.kind}/${i.metadata.name}`,
      );
    };
    const base = '/apis/monitoring.coreos.com/v1';
    assert.deepEqual(await names(`${base}/servicemonitors`), [
      'ServiceMonitor/a',
      'ServiceMonitor/b',
    ]);
    assert.deepEqual(await names(`${base}/namespaces/shop/servicemonitors`), ['ServiceMonitor/b']);
    assert.deepEqual(await names(`${base}/servicemonitors?labelSelector=release%3Dkps`), [
      'ServiceMonitor/a',
    ]);
  });

  it('RBAC as for any resource: a Role in one namespace lists there, and nowhere else', async () => {
    const here = await callApi(
      limited,
      '/apis/monitoring.coreos.com/v1/namespaces/monitoring/servicemonitors',
    );
    assert.ok(here.ok);
    const everywhere = await callApi(limited, '/apis/monitoring.coreos.com/v1/servicemonitors');
    assert.equal(everywhere.ok ? 200 : everywhere.status, 403);
    const prom = await callApi(
      limited,
      '/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheuses/k8s',
    );
    assert.equal(prom.ok ? 200 : prom.status, 403);
  });

  it('the generated Secret (gzip) and the TLS assets, sharded as the operator names them', async () => {
    const ref = { kind: 'Prometheus', namespace: 'monitoring', name: 'k8s' } as const;
    putGeneratedSecret(emu, ref, 'scrape_configs: []\n');
    putTlsAssets(emu, ref, { '0_monitoring_a_ca': 'A', '0_monitoring_b_ca': 'B' }, 1);
    const s = await callApi(admin, '/api/v1/namespaces/monitoring/secrets/prometheus-k8s');
    assert.ok(s.ok);
    const data = (s.body as { data: Record<string, string> }).data;
    assert.equal(
      gunzipSync(Buffer.from(data['prometheus.yaml.gz']!, 'base64')).toString(),
      'scrape_configs: []\n',
    );
    for (const [i, key] of ['0_monitoring_a_ca', '0_monitoring_b_ca'].entries()) {
      const t = await callApi(
        admin,
        `/api/v1/namespaces/monitoring/secrets/prometheus-k8s-tls-assets-${i}`,
      );
      assert.ok(t.ok);
      assert.deepEqual(Object.keys((t.body as { data: object }).data), [key]);
    }
  });
});
