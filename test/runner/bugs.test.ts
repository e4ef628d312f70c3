/**
 * The runner's contract with its own bugs (lib/runner/bugs.ts): a planner that throws costs the
 * checks it was planning, as `internal_error`, never the run; the other planner's checks still run,
 * the sinks still flush, and the report still comes back.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseConfig, type Config } from '#lib/config/index.ts';
import { runChecks } from '#lib/runner/index.ts';
import type { Sink } from '#lib/sinks/types.ts';
import { METRICS, startHttp, TEXT, type Running } from '../helpers/servers.ts';

let healthy: Running;

before(async () => {
  healthy = await startHttp((_req, res) => {
    res.writeHead(200, { 'content-type': TEXT });
    res.end(METRICS);
  });
});
after(() => healthy.close());

async function config(yaml: string): Promise<Config> {
  const parsed = await parseConfig(yaml, 'bugs.yaml', '/nonexistent');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

test('a jobs planner that throws: its jobs are internal_error, the run and the sinks go on', async () => {
  const cfg = await config(`scrape_configs:
  - job_name: a
    static_configs: [{targets: ["${healthy.address}"]}]
  - job_name: b
    static_configs: [{targets: ["${healthy.address}"]}]
`);
  // A getter that throws stands in for a bug in the planner on this config.
  Object.defineProperty(cfg.scrape_configs[1]!, 'static_configs', {
    get() {
      throw new TypeError('planner bug');
    },
  });
  let flushed = false;
  const sink: Sink = {
    name: 'watch',
    write: () => undefined,
    flush: () => {
      flushed = true;
      return Promise.resolve();
    },
  };
  const report = await runChecks(cfg, { sinks: [sink] });
  assert.deepEqual(
    report.results.map((r) => [r.job, r.reason]),
    [
      ['a', 'internal_error'],
      ['b', 'internal_error'],
    ],
  );
  assert.match(
    report.results[0]!.diagnosis,
    /while planning this job \(a bug in scrape-check.*TypeError: planner bug/,
  );
  assert.equal(flushed, true);
});
