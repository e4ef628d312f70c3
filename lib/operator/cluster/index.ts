/**
 * The cluster side of the Prometheus Operator: what a resource really runs
 * (`clusters[].prometheus.resource` or `.agent`: its generated Secret, substituted and mounted as
 * its pod has it), the monitors listed from the cluster (`operator` without `monitors`), and the
 * stale check between the two.
 *
 * @example
 * const expanded = await expandClusters(config, { version: '3', now: Date.now });
 * // expanded.config.scrape_configs now ends with the jobs of every named resource's Secret
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { setOperatorOrigin } from '../origin.ts';
import { clusterResourceRef, expandRunning, type RunningOptions } from './running.ts';

export { readClusterMonitors } from './from-cluster.ts';
export type { FromCluster } from './from-cluster.ts';
export { expandRunning, clusterResourceRef } from './running.ts';
export type { RunningExpansion, RunningOptions } from './running.ts';
export { compareWithSecret, firstDifference } from './stale.ts';
export type { Staleness } from './stale.ts';
export { substituteEnv, reloaderEnv, podName } from './generated-config.ts';
export { resolvePodPaths } from './pod-paths.ts';

/**
 * Appends the jobs of every cluster entry's resource (but the one `operator.cluster` names, whose
 * jobs come from its monitors) to `scrape_configs`, each with its origin for the planner.
 */
export async function expandClusters(
  config: Config,
  options: RunningOptions,
): Promise<{ config: Config; warnings: string[] }> {
  const warnings: string[] = [];
  const added: ScrapeConfig[] = [];
  for (const cluster of config.clusters) {
    const ref = clusterResourceRef(cluster);
    if (ref === null || config.operator?.cluster === cluster.name) continue;
    const expanded = await expandRunning(cluster, ref, options);
    warnings.push(...expanded.warnings.map((w) => `clusters[${cluster.name}]: ${w}`));
    for (const { job, origin } of expanded.jobs) {
      setOperatorOrigin(job, origin);
      added.push(job);
    }
  }
  return { config: { ...config, scrape_configs: [...config.scrape_configs, ...added] }, warnings };
}
