/**
 * `clusters[].prometheus.resource` through the `check` function (functions/check.ts), its config
 * where SCRAPE_CHECK_CONFIG points, AWS only at a loopback fake: the handler returns the run
 * document with the verdicts `scrape-check run --json` gives for the same config, a generated job
 * by name, the missing Secret as its verdict (not a failed invocation), and `operator: { cluster }`
 * without monitors. Nothing the function prints or returns holds a value from a Secret or a token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '#lib/cli/main.ts';
import type { RunReport } from '#lib/result/types.ts';
import { startFakeAws, useFakeAws, type FakeAws } from '../functions/fake-aws.ts';
import { captureOutput } from '../functions/targets.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { JOBS, startResourceLab, type ResourceLab } from './resource-lab.ts';

const SECOND = 164;

describe('clusters[].prometheus.resource through the check function', () => {
  let aws: FakeAws;
  let lab: ResourceLab;
  let handler: (event: unknown) => Promise<RunReport>;
  const outputs: unknown[] = [];

  before(async () => {
    aws = await startFakeAws();
    useFakeAws(aws.url);
    lab = await startResourceLab(SECOND);
    process.env.SCRAPE_CHECK_CONFIG = lab.configs.resource;
    ({ handler } = await import('../../functions/check.ts'));
  });

  after(async () => {
    assertNoSecrets(outputs, lab.secrets());
    await lab.stop();
    await aws.close();
  });

  /** Invokes the handler with the config at `config`; keeps everything it printed and returned. */
  async function check(config: string, event: unknown = {}): Promise<RunReport> {
    process.env.SCRAPE_CHECK_CONFIG = config;
    const { value, stdout, stderr } = await captureOutput(() => handler(event));
    outputs.push(value, stdout, stderr);
    return value;
  }

  /** `scrape-check run --json` on the same config, in this process. */
  async function cli(config: string): Promise<RunReport> {
    const io = captureIo();
    await main(['run', '--json', '--config', config], {}, io);
    outputs.push(io.out(), io.err());
    return JSON.parse(io.out()) as RunReport;
  }

  const verdicts = (report: RunReport) =>
    report.results.map((r) => [r.job, r.cluster, r.instance, r.reason]);

  it('returns the run --json document with the verdicts of the command line', async () => {
    const report = await check(lab.configs.resource);
    assert.deepEqual(Object.keys(report), ['summary', 'results', 'skipped']);
    assert.deepEqual(verdicts(report), [
      [JOBS.app, 'lab', lab.live, 'ok'],
      [JOBS.app, 'lab', lab.dead, 'connect_refused'],
      [JOBS.pod, 'lab', lab.live, 'ok'],
      [JOBS.secure, 'lab', lab.live, 'ok'],
    ]);
    assert.equal(report.summary.failed, 1);
    const pod = report.results.find((r) => r.job === JOBS.pod)!;
    assert.equal(pod.token?.sub, 'system:serviceaccount:monitoring:prometheus-k8s');
    assert.deepEqual(verdicts(await cli(lab.configs.resource)), verdicts(report));
  });

  it('an event naming a generated job runs that job alone', async () => {
    const report = await check(lab.configs.resource, { jobs: [JOBS.secure] });
    assert.deepEqual(verdicts(report), [[JOBS.secure, 'lab', lab.live, 'ok']]);
  });

  it('no Secret yet: the config_invalid verdict under prometheus/<namespace>/<name>, in the document', async () => {
    const report = await check(lab.configs.missing);
    assert.deepEqual(verdicts(report), [
      ['prometheus/monitoring/unreconciled', 'pending', null, 'config_invalid'],
    ]);
    assert.match(report.results[0]!.diagnosis, /the operator has not written the config/);
  });

  it('operator: { cluster } without monitors: the same verdicts, the ignored monitor skipped', async () => {
    const report = await check(lab.configs.monitors);
    assert.deepEqual(verdicts(report), verdicts(await check(lab.configs.resource)));
    assert.deepEqual(
      report.skipped.map((s) => s.job),
      ['serviceMonitor/monitoring/forgotten/0'],
    );
    assert.equal(report.summary.skipped, 1);
  });
});
