/**
 * The job-level verdicts, each from a real failure through the runner: a discovery that fails
 * (`discovery_failed`: a file_sd file that does not parse, an http_sd endpoint that answers 500),
 * a job whose rules drop every target (`no_targets`, naming the rule and the count), a target
 * Prometheus cannot create (`config_invalid`), and a discovery scrape-check lacks (`skipped`).
 * One broken source never hides another's targets.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseConfig } from '#lib/config/index.ts';
import { runChecks } from '#lib/runner/index.ts';
import { METRICS, startHttp, tempFiles, TEXT, type Running } from '../helpers/servers.ts';

let target: Running;
let sd: Running;
let files: Awaited<ReturnType<typeof tempFiles>>;

before(async () => {
  target = await startHttp((_req, res) =>
    res.writeHead(200, { 'content-type': TEXT }).end(METRICS),
  );
  sd = await startHttp((_req, res) => res.writeHead(500).end('boom'));
  files = await tempFiles({
    'good.json': JSON.stringify([{ targets: [target.address], labels: { team: 'a' } }]),
    'broken.json': '[{"targets": ["a:1"], "labels": {"x": 1}}]',
    'noaddr.json': JSON.stringify([{ targets: [''], labels: {} }]),
  });
});

after(async () => {
  await target.close();
  await sd.close();
  await files.cleanup();
});

test('discovery_failed, no_targets, config_invalid and skipped come from real sources; healthy targets still pass', async () => {
  const parsed = await parseConfig(
    `scrape_configs:
  - job_name: files
    file_sd_configs: [{files: [good.json, broken.json]}]
  - job_name: http
    http_sd_configs: [{url: 'http://${sd.address}/sd'}]
  - job_name: vanished
    file_sd_configs: [{files: [good.json]}]
    relabel_configs:
      - {source_labels: [team], regex: b, action: keep}
  - job_name: noaddr
    file_sd_configs: [{files: [noaddr.json]}]
  - job_name: consul
    consul_sd_configs: [{server: 'localhost:8500'}]
`,
    'verdicts.yaml',
    files.dir,
  );
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const report = await runChecks(parsed.config, { prometheusVersion: '2' });
  const by = (job: string) => report.results.filter((r) => r.job === job);

  const [good, broken] = [
    by('files').find((r) => r.instance !== null),
    by('files').find((r) => r.instance === null),
  ];
  assert.equal(good?.reason, 'ok', good?.diagnosis);
  assert.deepEqual(good.labels, { instance: target.address, job: 'files', team: 'a' });
  assert.equal(broken?.reason, 'discovery_failed');
  assert.match(broken.diagnosis, /file_sd_configs\[0\]: .*broken\.json/);

  const [http] = by('http');
  assert.equal(http?.reason, 'discovery_failed');
  assert.match(http.diagnosis, /server returned HTTP status 500/);
  assert.equal(http.url, null);

  const [vanished] = by('vanished');
  assert.equal(vanished?.reason, 'no_targets');
  assert.match(
    vanished.diagnosis,
    /found 1 target and relabeling dropped every one: relabel_configs\[0\] \(keep\) dropped 1/,
  );

  const [noaddr] = by('noaddr');
  assert.equal(noaddr?.reason, 'config_invalid');
  assert.match(noaddr.diagnosis, /Creating target failed.*no address/);

  assert.deepEqual(report.skipped, [
    { job: 'consul', why: 'consul_sd_configs: a discovery scrape-check does not have' },
  ]);
  assert.equal(report.summary.skipped, 1);
});
