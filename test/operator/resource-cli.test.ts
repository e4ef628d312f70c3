/**
 * `clusters[].prometheus.resource` through the command line, as bin/scrape-check.js calls
 * `main(argv, env, io)`: the config the operator generated for Prometheus `monitoring/k8s`, read
 * from the emulator's Secret, listed by `targets --json` and checked by `run --json` as its pod
 * would run it (bearer token and basic auth from Secrets, the pod's own TokenRequest token); a
 * generated job picked with `--job`; a resource whose Secret the operator never wrote; and
 * `operator: { cluster }` without `monitors`, which gives the same targets and verdicts from the
 * monitors in the cluster, plus the one the resource ignores. No value from a Secret, and no token,
 * is in stdout or stderr.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { loadConfigFile } from '#lib/config/index.ts';
import { withOperatorJobs } from '#lib/operator/index.ts';
import { planFanout } from '../../functions/commons/fanout.ts';
import type { TargetsDocument } from '#lib/cli/targets-view.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { JOBS, startResourceLab, type ResourceLab } from './resource-lab.ts';

const SECOND = 163;
const POD_SA = 'system:serviceaccount:monitoring:prometheus-k8s';

describe('clusters[].prometheus.resource from the command line', () => {
  let lab: ResourceLab;
  const outputs: string[] = [];

  before(async () => {
    lab = await startResourceLab(SECOND);
  });

  after(async () => {
    // Read at the end: the pod's TokenRequest tokens are issued during the runs.
    assertNoSecrets(outputs, lab.secrets());
    await lab.stop();
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo();
    const code = await main(args, {}, io);
    outputs.push(io.out(), io.err());
    return { code, out: io.out(), err: io.err() };
  }

  async function targets(config: string, ...args: string[]) {
    const { code, out, err } = await cli('targets', '--json', '--config', config, ...args);
    return { code, err, doc: JSON.parse(out) as TargetsDocument };
  }

  async function run(config: string, ...args: string[]) {
    const { code, out, err } = await cli('run', '--json', '--config', config, ...args);
    return { code, err, report: JSON.parse(out) as RunReport };
  }

  const pools = (doc: TargetsDocument) =>
    doc.activeTargets.map((t) => `${t.scrapePool} ${t.scrapeUrl} ${JSON.stringify(t.labels)}`);
  const verdicts = (report: RunReport) =>
    report.results.map((r) => [r.job, r.cluster, r.instance, r.reason]);

  it('targets --json: the jobs of the generated Secret, by its names, with their targets as Prometheus labels them', async () => {
    const { code, err, doc } = await targets(lab.configs.resource);
    assert.equal(code, 0, err);
    assert.equal(err, '');
    assert.deepEqual(
      doc.activeTargets.map((t) => [t.scrapePool, t.scrapeUrl, t.cluster]),
      [
        [JOBS.app, `http://${lab.live}/metrics`, 'lab'],
        [JOBS.app, `http://${lab.dead}/metrics`, 'lab'],
        [JOBS.pod, `http://${lab.live}/pod`, 'lab'],
        [JOBS.secure, `http://${lab.live}/basic`, 'lab'],
      ],
    );
    assert.deepEqual(doc.activeTargets[0]!.labels, {
      endpoint: 'web',
      instance: lab.live,
      job: 'app',
      namespace: 'monitoring',
      node: 'cp-1',
      service: 'app',
    });
    assert.equal(doc.activeTargets[0]!.discoveredLabels.job, JOBS.app);
    assert.deepEqual(doc.jobErrors, []);
    assert.deepEqual(doc.skipped, []);
  });

  it('run --json: ok where the endpoint serves, connect_refused where nothing listens; exit 1', async () => {
    const { code, report } = await run(lab.configs.resource);
    assert.equal(code, 1);
    assert.deepEqual(
      { ...report.summary, durationMs: 0 },
      { total: 4, ok: 3, failed: 1, skipped: 0, durationMs: 0 },
    );
    assert.deepEqual(verdicts(report), [
      [JOBS.app, 'lab', lab.live, 'ok'],
      [JOBS.app, 'lab', lab.dead, 'connect_refused'],
      [JOBS.pod, 'lab', lab.live, 'ok'],
      [JOBS.secure, 'lab', lab.live, 'ok'],
    ]);
    for (const r of report.results.filter((x) => x.ok)) assert.equal(r.series, 2, r.job);
    const dead = report.results.find((r) => r.instance === lab.dead)!;
    assert.match(dead.diagnosis, /nothing listens on 127\.\d+\.9\.2:\d+/);
    // The pod's identity: spec.serviceAccountName through TokenRequest, accepted by the cluster.
    const pod = report.results.find((r) => r.job === JOBS.pod)!;
    assert.equal(pod.token?.source, 'token_request');
    assert.equal(pod.token.sub, POD_SA);
    assert.ok(lab.podSubjects.includes(POD_SA));
  });

  it('--job with the cluster name picks the jobs its Prometheus runs; fan-out queues them once, with the cluster', async () => {
    const [all, picked] = await Promise.all([
      run(lab.configs.resource),
      run(lab.configs.resource, '--job', 'lab'),
    ]);
    assert.equal(picked.code, 1);
    assert.deepEqual(verdicts(picked.report), verdicts(all.report));
    const loaded = await withOperatorJobs(await loadConfigFile(lab.configs.resource));
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
    assert.deepEqual(planFanout(loaded.config, {}), ['{"clusters":["lab"]}']);
  });

  it('run without --json: the table for people, one row per target under the generated job names', async () => {
    const { code, out, err } = await cli('run', '--config', lab.configs.resource);
    assert.equal(code, 1, err);
    for (const job of Object.values(JOBS)) assert.ok(out.includes(`lab/${job}`), job);
    assert.match(out, /connect_refused/);
    assert.match(out, /4 checks: 3 ok, 1 failed/);
  });

  it('a PrometheusAgent (prometheus.agent): its Secret prom-agent-<name>, the same jobs and verdicts', async () => {
    const [agent, resource] = await Promise.all([
      run(lab.configs.agent),
      run(lab.configs.resource),
    ]);
    assert.equal(agent.code, 1);
    assert.deepEqual(
      verdicts(agent.report),
      verdicts(resource.report).map(([job, , instance, reason]) => [job, 'edge', instance, reason]),
    );
  });

  it('--job names a generated job: only it is listed and run (exit 0 when it passes)', async () => {
    const listed = await targets(lab.configs.resource, '--job', JOBS.secure);
    assert.equal(listed.code, 0);
    assert.deepEqual(
      listed.doc.activeTargets.map((t) => t.scrapePool),
      [JOBS.secure],
    );
    const { code, report } = await run(lab.configs.resource, '--job', JOBS.secure);
    assert.equal(code, 0);
    assert.deepEqual(verdicts(report), [[JOBS.secure, 'lab', lab.live, 'ok']]);
    const failing = await run(lab.configs.resource, '--job', JOBS.app);
    assert.equal(failing.code, 1);
    assert.equal(failing.report.results.length, 2);
  });

  it('no Secret yet: one config_invalid verdict under prometheus/<namespace>/<name>, exit 1', async () => {
    const job = 'prometheus/monitoring/unreconciled';
    const { code, report } = await run(lab.configs.missing);
    assert.equal(code, 1);
    assert.deepEqual(verdicts(report), [[job, 'pending', null, 'config_invalid']]);
    assert.match(
      report.results[0]!.diagnosis,
      /Secret monitoring\/prometheus-unreconciled does not exist: the operator has not written the config of Prometheus monitoring\/unreconciled \(is the operator running, and does it watch namespace monitoring\?/,
    );
    const picked = await run(lab.configs.missing, '--job', job);
    assert.deepEqual(verdicts(picked.report), verdicts(report));
    const { doc } = await targets(lab.configs.missing);
    assert.deepEqual(doc.activeTargets, []);
    assert.deepEqual(
      doc.jobErrors.map((e) => [e.scrapePool, e.cluster, e.reason]),
      [[job, 'pending', 'config_invalid']],
    );
  });

  it('no Secret yet: targets exits 1, as the README says for a job left without targets', async () => {
    const { code } = await targets(lab.configs.missing);
    assert.equal(code, 1);
  });

  it('operator: { cluster } without monitors: the same targets and verdicts from the monitors in the cluster, and the one ignored, with why', async () => {
    const [fromSecret, fromMonitors] = await Promise.all([
      targets(lab.configs.resource),
      targets(lab.configs.monitors),
    ]);
    assert.equal(fromMonitors.code, 0);
    assert.deepEqual(pools(fromMonitors.doc), pools(fromSecret.doc));
    assert.deepEqual(
      fromMonitors.doc.skipped.map((s) => s.scrapePool),
      ['serviceMonitor/monitoring/forgotten/0'],
    );
    assert.match(fromMonitors.doc.skipped[0]!.why, /lacks label team=obs/);
    // The Secret is what the monitors give now: no stale warning.
    assert.doesNotMatch(fromMonitors.err, /not what the monitors/);
    const [a, b] = await Promise.all([run(lab.configs.resource), run(lab.configs.monitors)]);
    assert.equal(b.code, 1);
    assert.deepEqual(verdicts(b.report), verdicts(a.report));
    assert.equal(b.report.results.find((r) => r.job === JOBS.pod)?.token?.sub, POD_SA);
  });

  it('from the monitors, the resource-wide settings apply (enforcedSampleLimit: 1)', async () => {
    const { report } = await run(lab.configs.limitedMonitors);
    assert.deepEqual(
      report.results.filter((r) => r.instance === lab.live).map((r) => r.reason),
      ['sample_limit_exceeded', 'sample_limit_exceeded', 'sample_limit_exceeded'],
    );
  });

  it('from the Secret, its global section applies as in the pod: interval, timeout and limits', async () => {
    const { doc } = await targets(lab.configs.resource);
    assert.deepEqual(
      [...new Set(doc.activeTargets.map((t) => `${t.scrapeInterval} ${t.scrapeTimeout}`))],
      ['15s 5s'],
    );
    const { report } = await run(lab.configs.limited);
    assert.deepEqual(
      report.results.filter((r) => r.instance === lab.live).map((r) => r.reason),
      ['sample_limit_exceeded', 'sample_limit_exceeded', 'sample_limit_exceeded'],
    );
  });
});
