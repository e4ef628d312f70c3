/**
 * The runner's contract with its own bugs (issue 13). Nothing a config or a target does may throw:
 * the scrape, the planners and the credentials turn every such thing into a verdict with its own
 * reason. What still throws is a bug in scrape-check, and it costs only the checks it touched:
 *
 * - a scrape that throws is that check's `internal_error`;
 * - a planner that throws (the jobs', or the clusters') makes `internal_error` results for what it
 *   was planning, and every other check still runs;
 * - a diagnosis or review that throws after the scrape keeps the scrape's verdict, with a warning
 *   that names the bug;
 * - exit 70 (bin/scrape-check.js) is left for the run itself failing outside all of these.
 */
import type { ClusterConfig, ScrapeConfig } from '#lib/config/index.ts';
import type { ClusterPlans, PlannedFailure } from '#lib/targets/clusters.ts';
import type { JobsPlan } from '#lib/targets/jobs.ts';

/** The first lines of a bug, for a diagnosis a person can report. */
export function bugText(error: unknown): string {
  const stack = error instanceof Error ? error.stack : undefined;
  return stack?.split('\n').slice(0, 3).join(' | ') ?? String(error);
}

/** The diagnosis of an `internal_error`. */
export function bugDiagnosis(what: string, error: unknown): string {
  return `scrape-check failed ${what} (a bug in scrape-check; please report it with this message): ${bugText(error)}`;
}

/** What a jobs planner that threw leaves: one `internal_error` per job it was planning. */
export function crashedJobs(jobs: readonly ScrapeConfig[], error: unknown): JobsPlan {
  return {
    requests: [],
    failures: jobs.map((job): PlannedFailure => ({
      job: job.job_name,
      cluster: null,
      instance: null,
      url: null,
      reason: 'internal_error',
      diagnosis: bugDiagnosis('while planning this job', error),
      token: null,
    })),
    skipped: [],
    targets: [],
  };
}

/** What a cluster planner that threw leaves: one `internal_error` per preset it was planning. */
export function crashedClusters(
  clusters: readonly { cluster: ClusterConfig; presets: ClusterConfig['targets'] }[],
  error: unknown,
): ClusterPlans {
  return {
    requests: [],
    failures: clusters.flatMap(({ cluster, presets }) =>
      presets.map((preset): PlannedFailure => ({
        job: preset,
        cluster: cluster.name,
        instance: null,
        url: null,
        reason: 'internal_error',
        diagnosis: bugDiagnosis(`while planning cluster ${cluster.name}`, error),
        token: null,
      })),
    ),
    diagnose: () => Promise.resolve(false),
    review: () => Promise.resolve(),
  };
}
