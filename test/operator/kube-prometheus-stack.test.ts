/**
 * kube-prometheus-stack's control-plane monitors (apiserver, kubelet's three endpoints,
 * kube-controller-manager, kube-scheduler, etcd, kube-proxy, CoreDNS), as `helm template` renders
 * them with default values, turned into the operator's jobs and run as the chart's Prometheus pod
 * against the emulator's kubeadm-like cluster: the targets each finds, with Prometheus's labels,
 * and the verdicts a kubeadm cluster gets (kube-controller-manager, kube-scheduler and etcd bind
 * 127.0.0.1, so their node address refuses the connection).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runChecks } from '#lib/runner/index.ts';
import { NODE_NAMES } from '../k8s/cluster-fixture.ts';
import { FULLNAME, KPS_FILE, KPS_SA, startKpsCluster, type KpsCluster } from './kps-cluster.ts';
import { loadWithOperator, planTargets, type Planned } from './flow.ts';

const SECOND = 91;
const node = (i: number) => `127.${SECOND}.0.${10 + i}`;
const SM = (name: string, i = 0) => `serviceMonitor/monitoring/${FULLNAME}-${name}/${i}`;

describe("kube-prometheus-stack's control-plane monitors against a kubeadm cluster", () => {
  let cluster: KpsCluster;
  let planned: Planned;

  before(async () => {
    cluster = await startKpsCluster(SECOND);
    const file = cluster.write(
      'scrape-check.yaml',
      `clusters:
  - name: lab
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {service_account: ${KPS_SA}}
`,
    );
    const config = await loadWithOperator(file, {
      monitors: [KPS_FILE],
      prometheus: KPS_FILE,
      cluster: 'lab',
    });
    planned = await planTargets(config);
  });

  after(async () => {
    await cluster.stop();
  });

  const active = (pool: string) =>
    planned.doc.activeTargets
      .filter((t) => t.scrapePool === pool)
      .sort((a, b) => (a.scrapeUrl < b.scrapeUrl ? -1 : 1));

  it("generates the operator's jobs, in its order, and nothing is left out or rejected", () => {
    const names = planned.config.scrape_configs.map((j) => j.job_name);
    assert.deepEqual(names, [
      SM('apiserver'),
      SM('coredns'),
      SM('kube-controller-manager'),
      SM('kube-etcd'),
      SM('kube-proxy'),
      SM('kube-scheduler'),
      SM('kubelet', 0),
      SM('kubelet', 1),
      SM('kubelet', 2),
    ]);
    assert.deepEqual(planned.doc.skipped, []);
    assert.deepEqual(planned.doc.jobErrors, []);
  });

  it('apiserver: the API server endpoint of default/kubernetes, job "apiserver" from jobLabel component', () => {
    const t = active(SM('apiserver'));
    assert.equal(t.length, 1);
    assert.equal(t[0]!.scrapeUrl, `https://${node(0)}:6443/metrics`);
    assert.deepEqual(t[0]!.labels, {
      endpoint: 'https',
      instance: `${node(0)}:6443`,
      job: 'apiserver',
      namespace: 'default',
      service: 'kubernetes',
    });
    assert.equal(t[0]!.scrapeInterval, '30s');
  });

  it('kubelet: /metrics, /metrics/cadvisor (every 10s) and /metrics/probes on every node, node label from the Node targetRef', () => {
    for (const [i, path] of ['/metrics', '/metrics/cadvisor', '/metrics/probes'].entries()) {
      const t = active(SM('kubelet', i));
      assert.deepEqual(
        t.map((x) => x.scrapeUrl),
        NODE_NAMES.map((_, n) => `https://${node(n)}:10250${path}`),
      );
      assert.deepEqual(t[0]!.labels, {
        endpoint: 'https-metrics',
        instance: `${node(0)}:10250`,
        job: 'kubelet',
        metrics_path: path,
        namespace: 'kube-system',
        node: 'cp-1',
        service: 'kubelet',
      });
      assert.equal(t[0]!.scrapeInterval, i === 1 ? '10s' : '30s');
    }
  });

  it("kube-controller-manager, kube-scheduler: https on the secure ports of the static pod, job from the Service's jobLabel", () => {
    for (const [name, port, job] of [
      ['kube-controller-manager', 10257, 'kube-controller-manager'],
      ['kube-scheduler', 10259, 'kube-scheduler'],
    ] as const) {
      const t = active(SM(name));
      assert.equal(t.length, 1, name);
      assert.equal(t[0]!.scrapeUrl, `https://${node(0)}:${port}/metrics`);
      assert.deepEqual(t[0]!.labels, {
        endpoint: 'http-metrics',
        instance: `${node(0)}:${port}`,
        job,
        namespace: 'kube-system',
        pod: `${name}-cp-1`,
        service: `${FULLNAME}-${name}`,
      });
    }
  });

  it('etcd: plain http on the metrics port 2381, job "kube-etcd"', () => {
    const t = active(SM('kube-etcd'));
    assert.deepEqual(
      t.map((x) => [x.scrapeUrl, x.labels.job, x.labels.pod]),
      [[`http://${node(0)}:2381/metrics`, 'kube-etcd', 'etcd-cp-1']],
    );
  });

  it('kube-proxy: one target per node (host network), CoreDNS: one per pod with its container', () => {
    assert.deepEqual(
      active(SM('kube-proxy')).map((x) => x.scrapeUrl),
      NODE_NAMES.map((_, n) => `http://${node(n)}:10249/metrics`),
    );
    const dns = active(SM('coredns'));
    assert.equal(dns.length, 2);
    for (const t of dns) {
      assert.match(t.scrapeUrl, new RegExp(`^http://127\\.${SECOND}\\.\\d+\\.2:9153/metrics$`));
      assert.equal(t.labels.job, 'coredns');
      assert.equal(t.labels.container, 'coredns');
      assert.equal(t.labels.service, `${FULLNAME}-coredns`);
    }
  });

  it("other Services' endpoints are dropped by the selector rule, the pods' other container ports by the port rule", () => {
    const byRule = new Map<string, number>();
    for (const d of planned.doc.droppedTargets.filter((x) => x.scrapePool === SM('coredns'))) {
      const key = `${d.droppedBy?.rule ?? '-'} ${d.discoveredLabels.__meta_kubernetes_service_name ?? ''}`;
      byRule.set(key, (byRule.get(key) ?? 0) + 1);
    }
    // relabel_configs[1] keeps app=kube-prometheus-stack-coredns; [3] keeps port http-metrics:
    // the endpoints role adds a target for each container port the Service does not expose.
    assert.equal(byRule.get(`3 ${FULLNAME}-coredns`), 4);
    assert.equal(byRule.get('1 kube-dns'), 6);
    assert.equal(byRule.get('1 kubelet'), 9);
    assert.deepEqual(
      [...byRule.keys()].filter((k) => !k.startsWith('1 ') && !k.startsWith('3 ')),
      [],
    );
  });

  it('kubeadm binds kube-controller-manager, kube-scheduler and etcd to 127.0.0.1: connect_refused on the node address, with the fix', async () => {
    const report = await runChecks(planned.config, {
      jobs: [SM('kube-controller-manager'), SM('kube-scheduler'), SM('kube-etcd')],
      concurrency: 4,
    });
    assert.equal(report.results.length, 3);
    for (const r of report.results) {
      assert.equal(r.reason, 'connect_refused', `${r.job}: ${r.diagnosis}`);
      assert.equal(r.cluster, 'lab');
      assert.match(r.instance ?? '', new RegExp(`^${node(0).replaceAll('.', '\\.')}:`));
      assert.match(r.diagnosis, /binds 127\.0\.0\.1 by default \(kubeadm\)/);
    }
    const kcm = report.results.find((r) => r.job === SM('kube-controller-manager'))!;
    // The pod's in-cluster token, minted by TokenRequest for the chart's ServiceAccount.
    assert.equal(kcm.token?.source, 'token_request');
    assert.equal(kcm.token.sub, `system:serviceaccount:${KPS_SA.replace('/', ':')}`);
  });
});
