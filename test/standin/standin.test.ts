/**
 * Standing in for an in-cluster Prometheus (`clusters[].prometheus.service_account`), with exactly
 * the rights that Prometheus has: a list its ClusterRole lacks is `discovery_failed`, confirmed by a
 * SubjectAccessReview and naming the rule to add; the pod's files resolve to a TokenRequest token
 * that never appears in any output; without a stand-in, the in-cluster paths and in-cluster
 * discovery say what to set instead of failing obscurely.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '#lib/cli/main.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import {
  loopbackAddresses,
  startClusterEmulator,
  writeAdminKubeconfig,
} from '../k8s/cluster-fixture.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';
import { PROMETHEUS_RBAC } from '../peers/discovery-jobs.ts';

describe('a clusters[] entry stands in for the Prometheus pod', () => {
  let emu: K8sEmulator;
  let dir: string;
  const outputs: string[] = [];

  before(async () => {
    emu = await startClusterEmulator(loopbackAddresses(75));
    // The chart's ClusterRole, less endpointslices: an upgrade to the endpointslice role breaks.
    emu.applyYaml(
      PROMETHEUS_RBAC.replace(
        /  - apiGroups: \[discovery\.k8s\.io\]\n    resources: \[endpointslices\]\n    verbs: \[get, list, watch\]\n/,
        '',
      ),
    );
    dir = mkdtempSync(join(tmpdir(), 'scrape-check-standin-'));
    writeAdminKubeconfig(emu, join(dir, 'kubeconfig'));
  });

  after(async () => {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
    assertNoSecrets(outputs, emu.secretValues());
  });

  async function run(
    config: string,
    command = 'run',
  ): Promise<{ code: number; out: string; err: string }> {
    const file = join(dir, `c-${String(outputs.length)}.yaml`);
    writeFileSync(file, config);
    const io = captureIo();
    const args =
      command === 'run'
        ? ['run', '--config', file, '--json', '--no-sinks']
        : ['targets', '--config', file];
    const code = await main(args, {}, io);
    outputs.push(io.out(), io.err());
    return { code, out: io.out(), err: io.err() };
  }

  const standIn = `clusters:
  - name: lab
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {service_account: monitoring/prometheus}
`;

  it('a list its ClusterRole lacks: discovery_failed, confirmed by the cluster, with the rule to add', async () => {
    const { code, out } = await run(`${standIn}scrape_configs:
  - job_name: coredns
    kubernetes_sd_configs: [{role: endpointslice, namespaces: {names: [kube-system]}}]
  - job_name: nodes
    kubernetes_sd_configs: [{role: node}]
    relabel_configs: [{source_labels: [__address__], regex: '.*', action: drop}]
`);
    assert.equal(code, 1);
    const report = JSON.parse(out) as RunReport;
    const failed = report.results.find((r) => r.job === 'coredns');
    assert.equal(failed?.reason, 'discovery_failed');
    assert.equal(failed.cluster, 'lab');
    assert.equal(failed.instance, null);
    assert.match(failed.diagnosis, /endpointslices/);
    assert.match(
      failed.diagnosis,
      /SubjectAccessReview\): ServiceAccount monitoring\/prometheus may not list endpointslices in kube-system/,
    );
    assert.match(
      failed.diagnosis,
      /apiGroups: \["discovery\.k8s\.io"\]\n    resources: \["endpointslices"\]\n    verbs: \["list"\]/,
    );
    // The other job discovered fine, as the same pod: its rules drop everything.
    assert.equal(report.results.find((r) => r.job === 'nodes')?.reason, 'no_targets');
  });

  it('the targets command shows the same, for people', async () => {
    const { code, out } = await run(
      `${standIn}scrape_configs:
  - job_name: coredns
    kubernetes_sd_configs: [{role: endpoints, namespaces: {names: [kube-system]}}]
    relabel_configs:
      - {source_labels: [__meta_kubernetes_service_name, __meta_kubernetes_endpoint_port_name], regex: kube-dns;metrics, action: keep}
`,
      'targets',
    );
    assert.equal(code, 0);
    assert.match(out, /^coredns: 2 active, \d+ dropped$/m);
    assert.match(out, /http:\/\/127\.75\.\d+\.2:9153\/metrics/);
    assert.match(out, /dropped by relabel_configs\[0\] \(keep\): \d+/);
  });

  it('without a stand-in, the in-cluster paths say what to set', async () => {
    const { out } = await run(`scrape_configs:
  - job_name: pods
    kubernetes_sd_configs: [{role: pod}]
  - job_name: api
    scheme: https
    authorization: {credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token}
    static_configs: [{targets: ['127.0.0.1:1']}]
`);
    const report = JSON.parse(out) as RunReport;
    const pods = report.results.find((r) => r.job === 'pods');
    assert.equal(pods?.reason, 'discovery_failed');
    assert.match(pods.diagnosis, /not in a pod .*set clusters\[\]\.prometheus\.service_account/);
    const api = report.results.find((r) => r.job === 'api');
    assert.equal(api?.reason, 'config_invalid');
    assert.match(api.diagnosis, /serviceaccount\/token/);
  });
});
