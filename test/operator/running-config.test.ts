/**
 * kube-prometheus-stack as it runs in a cluster: the emulator serves the chart's Prometheus
 * resource and monitors (monitoring.coreos.com), and the config Secret the operator wrote for them.
 * scrape-check reads what runs (`clusters[].prometheus.resource`), lists the monitors from the
 * cluster (`operator` without `monitors`), and from files (`operator.monitors`): the three give the
 * same jobs, the same targets and the same verdicts. The Secret here is generated from the same
 * monitors by scrape-check's generator (the operator's own goldens are checked against it in
 * goldens.test.ts); running-golden.test.ts runs a Secret taken verbatim from the operator's
 * testdata, which does not depend on that generator.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { assertNoSecrets } from '../helpers/io.ts';
import { putGeneratedSecret } from '../k8s/emulator-operator.ts';
import {
  applyOperatorObjects,
  expandAndPlan,
  operatorConfigText,
  runPlan,
  type Expanded,
} from './cluster-helpers.ts';
import { FULLNAME, KPS_FILE, startKpsCluster, type KpsCluster } from './kps-cluster.ts';

const SECOND = 101;
const KPS = readFileSync(KPS_FILE, 'utf8');
const RESOURCE = `monitoring/${FULLNAME}-prometheus`;
const REF = {
  kind: 'Prometheus',
  namespace: 'monitoring',
  name: `${FULLNAME}-prometheus`,
} as const;

/** The chart's Prometheus resource alone, and its monitors alone. */
function split(): { prometheus: string; monitors: string } {
  const docs = parseAllDocuments(KPS).map(
    (d) => d.toJS() as { kind?: string; apiVersion?: string },
  );
  const of = (test: (k: string) => boolean) =>
    docs
      .filter(
        (o) => o.apiVersion?.startsWith('monitoring.coreos.com') === true && test(o.kind ?? ''),
      )
      .map((o) => stringify(o))
      .join('---\n');
  return { prometheus: of((k) => k === 'Prometheus'), monitors: of((k) => k !== 'Prometheus') };
}

const view = (e: Expanded) =>
  e.doc.activeTargets
    .map((t) => `${t.scrapePool} ${t.scrapeUrl} ${JSON.stringify(t.labels)}`)
    .sort();

describe('kube-prometheus-stack read from the cluster: the running config, the monitors, the files', () => {
  let cluster: KpsCluster;
  let running: Expanded;
  let fromCluster: Expanded;
  let fromFiles: Expanded;
  const outputs: unknown[] = [];

  before(async () => {
    cluster = await startKpsCluster(SECOND);
    const { prometheus, monitors } = split();
    applyOperatorObjects(cluster.emu, KPS);
    putGeneratedSecret(cluster.emu, REF, operatorConfigText(prometheus, monitors));
    const base = `clusters:
  - name: lab
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {resource: ${RESOURCE}}
`;
    [running, fromCluster, fromFiles] = await Promise.all([
      expandAndPlan(cluster.write('running.yaml', base)),
      expandAndPlan(cluster.write('cluster.yaml', `${base}operator: {cluster: lab}\n`)),
      expandAndPlan(
        cluster.write(
          'files.yaml',
          `clusters:
  - name: lab
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {service_account: monitoring/${FULLNAME}-prometheus}
operator: {monitors: [${KPS_FILE}], prometheus: ${KPS_FILE}, cluster: lab}
`,
        ),
      ),
    ]);
    outputs.push(running.doc, fromCluster.doc, running.warnings, fromCluster.warnings);
  });

  after(async () => {
    assertNoSecrets(outputs, cluster.emu.secretValues());
    await cluster.stop();
  });

  it('the running config has the jobs the operator named, in its order, with no verdict of its own', () => {
    const names = running.config.scrape_configs.map((j) => j.job_name);
    assert.deepEqual(
      names,
      fromFiles.config.scrape_configs.map((j) => j.job_name),
    );
    assert.equal(names[0], `serviceMonitor/monitoring/${FULLNAME}-apiserver/0`);
    assert.deepEqual(
      running.plan.failures.filter((f) => f.instance === null),
      [],
    );
    assert.deepEqual(running.doc.skipped, []);
  });

  it('the three give the same targets, with Prometheus labels', () => {
    assert.ok(view(running).length >= 15, `${view(running).length} targets`);
    assert.deepEqual(view(running), view(fromFiles));
    assert.deepEqual(view(fromCluster), view(fromFiles));
  });

  it('the same verdicts, as the pod (a TokenRequest token for the resource spec.serviceAccountName)', async () => {
    const [a, b] = await Promise.all([runPlan(running.plan), runPlan(fromFiles.plan)]);
    outputs.push(a, b);
    const verdicts = (rs: typeof a) => rs.map((r) => `${r.job} ${r.instance ?? ''} ${r.reason}`);
    assert.deepEqual(verdicts(a), verdicts(b));
    const kcm = a.find((r) => r.job.includes('kube-controller-manager'))!;
    assert.equal(kcm.reason, 'connect_refused');
    assert.equal(kcm.token?.source, 'token_request');
    assert.equal(kcm.token.sub, `system:serviceaccount:monitoring:${FULLNAME}-prometheus`);
  });

  it('monitors from the cluster agree with the Secret: no stale warning', () => {
    assert.deepEqual(
      fromCluster.warnings.filter((w) => w.includes('not what the monitors')),
      [],
    );
  });
});
