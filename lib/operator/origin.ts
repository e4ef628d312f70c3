/**
 * Where each job the operator expansions added came from (a monitor, a generated config read from
 * the cluster, a failure), kept beside the job rather than in it so the job stays a plain
 * ScrapeConfig. A module of its own so that job selection can ask which cluster a job belongs to
 * without loading the operator's generator.
 */
import type { ScrapeConfig } from '#lib/config/index.ts';
import type { Origin } from './expand.ts';

const origins = new WeakMap<ScrapeConfig, Origin>();

/** The origin of a job the expansion added, or undefined for the config's own jobs. */
export function operatorOrigin(job: ScrapeConfig): Origin | undefined {
  return origins.get(job);
}

/** Records where an added job came from (the expansions of this folder and of cluster/). */
export function setOperatorOrigin(job: ScrapeConfig, origin: Origin): void {
  origins.set(job, origin);
}

/** The `clusters[]` entry an added job runs in (as that cluster's Prometheus pod), if any. */
export function jobCluster(job: ScrapeConfig): string | undefined {
  return origins.get(job)?.run.cluster.name;
}
