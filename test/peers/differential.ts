/**
 * The shared half of every differential against Debian's Prometheus: run `scrape-check run
 * --prometheus-version 2 --json` on the prometheus.yml that Prometheus runs, and pair each result
 * with Prometheus's own view of that target (health, last error, scrape_samples_scraped).
 */
import assert from 'node:assert/strict';
import { main } from '#lib/cli/main.ts';
import type { CheckResult, RunReport } from '#lib/result/types.ts';
import { captureIo, type CapturedIo } from '../helpers/io.ts';
import type { PrometheusTarget, RunningPrometheus } from '../helpers/peers.ts';

export interface Pair {
  result: CheckResult;
  target: PrometheusTarget;
  /** Prometheus's `up`. */
  up: boolean;
  /** Prometheus's scrape_samples_scraped for the target, or null when it reported none. */
  scrapedSamples: number | null;
}

/** Runs scrape-check on Prometheus's own config; expects at least one check to fail (exit 1). */
export async function runBesidePrometheus(
  prometheus: RunningPrometheus,
  extraArgs: string[] = [],
): Promise<{ report: RunReport; io: CapturedIo; pairs: Pair[] }> {
  const io = captureIo();
  const args = [
    'run',
    '--config',
    `${prometheus.dir}/prometheus.yml`,
    '--prometheus-version',
    '2',
    '--json',
  ];
  const code = await main([...args, ...extraArgs], {}, io);
  assert.equal(code, 1, io.err());
  const report = JSON.parse(io.out()) as RunReport;
  const targets = await prometheus.targets();
  const scraped = await prometheus.query('scrape_samples_scraped');
  const pairs = report.results.map((result) => {
    const target = targets.find((t) => t.scrapePool === result.job);
    assert.ok(target, `Prometheus has a target for job ${result.job}`);
    const sample = scraped.find((s) => s.metric.job === result.job);
    return {
      result,
      target,
      up: target.health === 'up',
      scrapedSamples: sample ? Number(sample.value[1]) : null,
    };
  });
  return { report, io, pairs };
}
