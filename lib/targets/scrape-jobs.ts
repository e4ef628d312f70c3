/**
 * The runner's seam to `scrape_configs`: plans them as this process (a prometheus.yml read from a
 * laptop), or once per `clusters[]` entry that stands in for a Prometheus pod, as that pod would run
 * them. A stand-in that cannot be had (credentials, TokenRequest) is a verdict for each job.
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { checksOperatorResource } from '#lib/config/schema-clusters.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import type { JobsPlan } from './jobs.ts';

export type { JobsPlan } from './jobs.ts';

export async function planScrapeJobs(
  config: Config,
  jobs: readonly ScrapeConfig[],
  options: { version: PromVersion; now?: () => number },
): Promise<JobsPlan> {
  // Monitors (operator) and a Prometheus resource's generated config both run as a stand-in pod.
  const fromOperator =
    config.operator !== undefined || config.clusters.some(checksOperatorResource);
  if (!fromOperator) return planPlainJobs(config, jobs, options);
  // Monitors' jobs run as operator.cluster's Prometheus pod, with the monitor's own verdicts.
  const { planOperatorJobs } = await import('#lib/operator/plan.ts');
  const { plain, plan } = await planOperatorJobs(config, jobs, options);
  const rest = await planPlainJobs(config, plain, options);
  return {
    requests: [...rest.requests, ...plan.requests],
    failures: [...rest.failures, ...plan.failures],
    skipped: [...rest.skipped, ...plan.skipped],
    targets: [...rest.targets, ...plan.targets],
  };
}

async function planPlainJobs(
  config: Config,
  jobs: readonly ScrapeConfig[],
  options: { version: PromVersion; now?: () => number },
): Promise<JobsPlan> {
  const empty: JobsPlan = { requests: [], failures: [], skipped: [], targets: [] };
  if (jobs.length === 0) return empty;
  // Discovery, relabeling and their clients load only when a run has scrape jobs (Lambda cold starts).
  const { planJobs } = await import('./jobs.ts');
  const pods = config.clusters.filter((c) => c.prometheus?.service_account !== undefined);
  if (pods.length === 0) return planJobs(config, jobs, { version: options.version, standIn: null });
  const { standIn } = await import('#lib/standin/index.ts');
  const plans = await Promise.all(
    pods.map(async (cluster) => {
      const pod = await standIn(cluster, { now: options.now ?? Date.now });
      if (pod.ok) return planJobs(config, jobs, { version: options.version, standIn: pod.value });
      const failed: JobsPlan = { ...empty, failures: [], skipped: [], targets: [] };
      for (const job of jobs) {
        failed.failures.push({
          job: job.job_name,
          cluster: cluster.name,
          instance: null,
          url: null,
          reason: pod.reason,
          diagnosis: `cannot stand in for the Prometheus pod (ServiceAccount ${cluster.prometheus?.service_account ?? ''}) in ${cluster.name}: ${pod.diagnosis}`,
          token: null,
        });
      }
      return failed;
    }),
  );
  return {
    requests: plans.flatMap((p) => p.requests),
    failures: plans.flatMap((p) => p.failures),
    skipped: plans.flatMap((p) => p.skipped),
    targets: plans.flatMap((p) => p.targets),
  };
}
