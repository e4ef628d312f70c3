/**
 * `scrape-check targets --json` and `scrape-check run --json` with the `operator` key, through
 * `main()`: kube-prometheus-stack's monitors as its Prometheus pod runs them, plus a monitor it
 * does not select and one the operator rejects. These run once the key is wired into the config
 * schema and the entry points (see lib/operator/with-jobs.ts); until then they are skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { configSchema } from '#lib/config/schema.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { FULLNAME, KPS_FILE, KPS_SA, startKpsCluster, type KpsCluster } from './kps-cluster.ts';

const wired = configSchema
  .safeParse({
    clusters: [],
    operator: { monitors: ['x'], cluster: 'x' },
  })
  .error?.issues.every((i) => i.code !== 'unrecognized_keys');
const skip = wired === true ? false : 'the operator key is not wired into the config schema yet';

describe('the operator key from the command line', { skip }, () => {
  let cluster: KpsCluster;
  let file = '';
  const outputs: string[] = [];

  before(async () => {
    cluster = await startKpsCluster(94);
    const extra = cluster.write(
      'extra.yaml',
      `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: forgotten, namespace: monitoring}
spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: metrics}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: rejected, namespace: monitoring, labels: {release: kps}}
spec: {selector: {}, endpoints: [{port: metrics, bearerTokenSecret: {name: gone, key: token}}]}
`,
    );
    file = cluster.write(
      'scrape-check.yaml',
      `clusters:
  - name: lab
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {service_account: ${KPS_SA}}
operator:
  monitors: [${KPS_FILE}, ${extra}]
  prometheus: ${KPS_FILE}
  cluster: lab
`,
    );
  });

  after(async () => {
    assertNoSecrets(outputs, cluster.emu.secretValues());
    await cluster.stop();
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo();
    const code = await main([...args, '--config', file], {}, io);
    outputs.push(io.out(), io.err());
    return { code, out: io.out(), err: io.err() };
  }

  it('targets --json: every job the operator generates, the unselected monitor skipped, the rejected one an error (exit 1: that job scrapes nothing)', async () => {
    const { code, out } = await cli('targets', '--json');
    assert.equal(code, 1);
    const doc = JSON.parse(out) as {
      activeTargets: { scrapePool: string; labels: Record<string, string> }[];
      skipped: { scrapePool: string; why: string }[];
      jobErrors: { scrapePool: string; reason: string; error: string }[];
    };
    const pools = new Set(doc.activeTargets.map((t) => t.scrapePool));
    assert.ok(pools.has(`serviceMonitor/monitoring/${FULLNAME}-kubelet/2`));
    assert.equal(pools.size, 9);
    assert.deepEqual(
      doc.skipped.map((s) => s.scrapePool),
      ['serviceMonitor/monitoring/forgotten/0'],
    );
    assert.match(doc.skipped[0]!.why, /lacks label release=kps/);
    assert.deepEqual(
      doc.jobErrors.map((e) => [e.scrapePool, e.reason]),
      [['serviceMonitor/monitoring/rejected/0', 'config_invalid']],
    );
  });

  it('run --json --job: a generated job by its operator name', async () => {
    const { code, out } = await cli(
      'run',
      '--json',
      '--no-sinks',
      '--job',
      `serviceMonitor/monitoring/${FULLNAME}-kube-scheduler/0`,
    );
    assert.equal(code, 1);
    const report = JSON.parse(out) as RunReport;
    assert.deepEqual(
      report.results.map((r) => [r.job, r.reason, r.cluster]),
      [[`serviceMonitor/monitoring/${FULLNAME}-kube-scheduler/0`, 'connect_refused', 'lab']],
    );
  });

  it('a monitor file that does not parse is bad configuration: exit 2, file and line', async () => {
    const broken = cluster.write('broken.yaml', 'kind: ServiceMonitor\nspec: [\n');
    const config = cluster.write(
      'broken-config.yaml',
      `clusters:\n  - name: lab\n    kubeconfig: {path: kubeconfig}\n    targets: []\n    prometheus: {service_account: ${KPS_SA}}\noperator: {monitors: [${broken}], cluster: lab}\n`,
    );
    const io = captureIo();
    const code = await main(['targets', '--config', config], {}, io);
    assert.equal(code, 2);
    assert.equal(io.out(), '');
    assert.match(io.err(), /broken\.yaml:\d+:\d+: /);
  });
});
