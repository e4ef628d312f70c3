/**
 * The runner keeps checks apart: a hanging target costs its own timeout and nobody else's time, a
 * broken file fails one check alone, every result reaches every sink even when one sink throws, and
 * a name that matches nothing is an error, never an empty passing run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig, type Config } from '#lib/config/index.ts';
import { runChecks, SelectionError } from '#lib/runner/index.ts';
import type { Sink, SinkInput } from '#lib/sinks/types.ts';
import { METRICS, startHttp, TEXT, type Running } from '../helpers/servers.ts';

let healthy: Running;
let hanging: Running;
let forbidden: Running;

async function config(yaml: string): Promise<Config> {
  const parsed = await parseConfig(yaml, 'test.yaml', '/nonexistent');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('the runner', () => {
  before(async () => {
    healthy = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(METRICS);
    });
    hanging = await startHttp(() => undefined);
    forbidden = await startHttp((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        '{"message":"forbidden: User \\"system:serviceaccount:monitoring:prometheus\\" cannot get path \\"/metrics\\""}',
      );
    });
  });
  after(() => Promise.all([healthy.close(), hanging.close(), forbidden.close()]));

  test('forty hanging targets cost one scrape_timeout, and the healthy ones still pass', async () => {
    // Distinct labels make distinct targets, as in Prometheus; the same address and labels twice are one.
    const hangers = Array.from(
      { length: 40 },
      (_, i) => `{targets: ["${hanging.address}"], labels: {i: "${i}"}}`,
    ).join(', ');
    const cfg = await config(`
scrape_configs:
  - job_name: hang
    scrape_timeout: 300ms
    static_configs: [${hangers}, {targets: ["${hanging.address}"], labels: {i: "0"}}]
  - job_name: ok
    static_configs: [{targets: ["${healthy.address}"]}]
`);
    const started = performance.now();
    const report = await runChecks(cfg, { concurrency: 100 });
    const elapsed = performance.now() - started;
    assert.equal(
      report.summary.total,
      41,
      'the duplicate (same address, same labels) is scraped once',
    );
    assert.ok(report.results[0]!.warnings.some((w) => /listed more than once/.test(w)));
    assert.equal(report.summary.ok, 1);
    assert.ok(
      report.results.filter((r) => r.job === 'hang').every((r) => r.reason === 'scrape_timeout'),
    );
    // Not a speed target: the bound proves the timeouts ran side by side (40 × 300 ms would be 12 s).
    assert.ok(elapsed < 4000, `took ${elapsed} ms`);
    assert.equal(report.results.at(-1)!.job, 'ok', 'results keep the config order');
  });

  test('a missing token file fails its own check only, as config_invalid', async () => {
    const cfg = await config(`
scrape_configs:
  - job_name: broken
    bearer_token_file: /nonexistent/token
    static_configs: [{targets: ["${healthy.address}"]}]
  - job_name: fine
    static_configs: [{targets: ["${healthy.address}"]}]
`);
    const report = await runChecks(cfg);
    assert.deepEqual(
      report.results.map((r) => [r.job, r.reason]),
      [
        ['broken', 'config_invalid'],
        ['fine', 'ok'],
      ],
    );
    assert.match(report.results[0]!.diagnosis, /\/nonexistent\/token does not exist/);
  });

  test('a failure gets the hint that names the fix', async () => {
    const cfg = await config(
      `scrape_configs:\n  - job_name: rbac\n    static_configs: [{targets: ["${forbidden.address}"]}]\n`,
    );
    const [result] = (await runChecks(cfg)).results;
    assert.equal(result!.reason, 'http_forbidden');
    assert.match(result!.diagnosis, /nonResourceURLs: \["\/metrics"\]/);
  });

  test('every result reaches every sink, even when one sink throws', async () => {
    const seen: SinkInput[] = [];
    let flushed = 0;
    const broken: Sink = {
      name: 'broken',
      write() {
        throw new Error('disk full');
      },
      flush() {
        flushed++;
        return Promise.reject(new Error('still full'));
      },
    };
    const good: Sink = {
      name: 'good',
      write(input) {
        seen.push(input);
      },
      flush() {
        flushed++;
        return Promise.resolve();
      },
    };
    const warnings: string[] = [];
    const cfg = await config(`
scrape_configs:
  - job_name: a
    static_configs: [{targets: ["${healthy.address}", "${forbidden.address}"]}]
`);
    const report = await runChecks(cfg, {
      sinks: [broken, good],
      warn: (m) => warnings.push(m),
      forward: [/^up_total$/],
    });
    assert.equal(seen.length, 2);
    assert.equal(flushed, 2);
    assert.equal(report.summary.failed, 1);
    assert.ok(warnings.some((w) => /sink broken could not take/.test(w)));
    assert.ok(warnings.some((w) => /sink broken failed to flush: still full/.test(w)));
    const forwarded = seen.find((s) => s.result.ok)!.forwarded;
    assert.deepEqual(
      forwarded.map((s) => [s.name, s.labels.a]),
      [
        ['up_total', '1'],
        ['up_total', '2'],
      ],
    );
  });

  test("a bug on one check is that check's internal_error; the others finish", async () => {
    // A forward filter that throws stands in for a bug in scrape-check's own code on one target.
    class Exploding extends RegExp {
      override test(name: string): boolean {
        if (name === 'temp') throw new TypeError('boom on temp');
        return false;
      }
    }
    const cfg = await config(`
scrape_configs:
  - job_name: a
    static_configs: [{targets: ["${healthy.address}", "${forbidden.address}"]}]
`);
    const report = await runChecks(cfg, { forward: [new Exploding('x')] });
    assert.deepEqual(
      report.results.map((r) => r.reason),
      ['internal_error', 'http_forbidden'],
    );
    assert.match(report.results[0]!.diagnosis, /a bug in scrape-check.*TypeError: boom on temp/);
  });

  test('a name that matches nothing is an error that lists what exists', async () => {
    const cfg = await config(
      `scrape_configs:\n  - job_name: etcd\n    static_configs: [{targets: ["${healthy.address}"]}]\n`,
    );
    await assert.rejects(runChecks(cfg, { jobs: ['etdc'] }), (error: unknown) => {
      assert.ok(error instanceof SelectionError);
      assert.equal(error.message, 'no job or cluster named "etdc" (known: etcd)');
      return true;
    });
  });

  test('--samples keeps every sample with its labels and value', async () => {
    const cfg = await config(
      `scrape_configs:\n  - job_name: s\n    static_configs: [{targets: ["${healthy.address}"]}]\n`,
    );
    const [result] = (await runChecks(cfg, { samples: true })).results;
    assert.deepEqual(result!.samples, [
      { name: 'up_total', labels: { a: '1' }, value: 1, timestampMs: null },
      { name: 'up_total', labels: { a: '2' }, value: 2, timestampMs: null },
      { name: 'temp', labels: {}, value: 21.5, timestampMs: null },
    ]);
  });
});
