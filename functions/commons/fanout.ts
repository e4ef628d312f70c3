/**
 * Fan-out (`fanout: sqs`): the scheduled function queues one message per cluster, and one for the
 * plain scrape jobs, so each cluster's checks run in their own worker invocation.
 */
import type { Config } from '#lib/config/index.ts';
import { jobCluster } from '#lib/operator/origin.ts';
import { selectChecks } from '#lib/runner/index.ts';
import type { RunRequest } from './events.ts';

/**
 * The message bodies for a request: `{"clusters":["prod"]}` for a whole cluster,
 * `{"jobs":["prod/apiserver"]}` for some of its targets, `{"jobs":["etcd",…]}` for the plain jobs.
 * Throws when the request names something the config does not have.
 */
export function planFanout(config: Config, request: RunRequest): string[] {
  const selected = selectChecks(config, request.jobs ?? [], request.clusters ?? []);
  if (!selected.ok) throw new Error(selected.message);
  const bodies: string[] = [];
  const wholes = new Set<string>();
  for (const { cluster, presets } of selected.selection.clusters) {
    const whole = presets.length === cluster.targets.length;
    if (whole) wholes.add(cluster.name);
    const message: RunRequest = whole
      ? { clusters: [cluster.name] }
      : { jobs: presets.map((preset) => `${cluster.name}/${preset}`) };
    bodies.push(JSON.stringify(message));
  }
  // A whole cluster's message also runs the jobs of its Prometheus pod (see selectChecks).
  const plain = selected.selection.jobs.filter((job) => !wholes.has(jobCluster(job) ?? ''));
  if (plain.length > 0) {
    bodies.push(JSON.stringify({ jobs: plain.map((job) => job.job_name) }));
  }
  return bodies;
}
