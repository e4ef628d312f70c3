/**
 * Plans the jobs an operator expansion added (expand.ts), as the Prometheus pod of
 * `operator.cluster` would run them: the generated ones through the ordinary planner
 * (`planJobs`) with that pod stood in for, the monitor's own cause added to a `no_targets`
 * verdict; a monitor the operator rejects, or whose cluster could not be read, as its failure; a
 * monitor the Prometheus resource does not select as `skipped`, saying why.
 *
 * @example
 * const { plain, plan } = await planOperatorJobs(config, jobs, { version: '3' });
 * // plan the `plain` jobs as before, then merge `plan` into the result
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import { redact } from '#lib/credentials/index.ts';
import type { JobsPlan } from '#lib/targets/jobs.ts';
import { describeMonitor } from './crd-monitors.ts';
import { explainMonitorNoTargets } from './explain.ts';
import type { Origin, OperatorRun } from './expand.ts';
import { operatorOrigin } from './origin.ts';

export interface OperatorPlan {
  /** The jobs that are not the operator's: plan them as before. */
  plain: ScrapeConfig[];
  /** The operator's jobs, planned. */
  plan: JobsPlan;
}

const empty = (): JobsPlan => ({ requests: [], failures: [], skipped: [], targets: [] });

/** The origins whose jobs are planned as the pod: generated from monitors, or read from the cluster. */
type Planned = Extract<Origin, { kind: 'generated' | 'running' }>;

/** Splits `jobs` and plans the operator's. Never throws for anything a monitor or cluster does. */
export async function planOperatorJobs(
  config: Config,
  jobs: readonly ScrapeConfig[],
  options: { version: PromVersion; now?: () => number },
): Promise<OperatorPlan> {
  const plain: ScrapeConfig[] = [];
  const byRun = new Map<OperatorRun, { job: ScrapeConfig; origin: Planned }[]>();
  const plan = empty();
  for (const job of jobs) {
    const origin = operatorOrigin(job);
    if (origin === undefined) plain.push(job);
    else if (origin.kind === 'unselected')
      plan.skipped.push({
        job: job.job_name,
        why: `${describeMonitor(origin.monitor)} is not selected: ${origin.why}`,
      });
    else if (origin.kind === 'failed')
      plan.failures.push({
        job: job.job_name,
        cluster: origin.run.cluster.name,
        instance: null,
        url: null,
        reason: origin.failure.reason,
        diagnosis: redact(origin.failure.diagnosis, origin.run.store.values()),
        token: null,
      });
    else {
      const list = byRun.get(origin.run) ?? [];
      list.push({ job, origin });
      byRun.set(origin.run, list);
    }
  }
  for (const [run, list] of byRun) merge(plan, await planRun(config, run, list, options));
  return { plain, plan };
}

function merge(into: JobsPlan, from: JobsPlan): void {
  into.requests.push(...from.requests);
  into.failures.push(...from.failures);
  into.skipped.push(...from.skipped);
  into.targets.push(...from.targets);
}

async function planRun(
  config: Config,
  run: OperatorRun,
  list: { job: ScrapeConfig; origin: Planned }[],
  options: { version: PromVersion; now?: () => number },
): Promise<JobsPlan> {
  const [{ standIn }, { planJobs }] = await Promise.all([
    import('#lib/standin/index.ts'),
    import('#lib/targets/jobs.ts'),
  ]);
  const pod = await standIn(run.cluster, {
    now: options.now ?? Date.now,
    ...(run.mounts === undefined ? {} : { files: run.mounts }),
  });
  if (!pod.ok) {
    const out = empty();
    for (const { job } of list)
      out.failures.push({
        job: job.job_name,
        cluster: run.cluster.name,
        instance: null,
        url: null,
        reason: pod.reason,
        diagnosis: `cannot stand in for the Prometheus pod (ServiceAccount ${run.serviceAccount}) in ${run.cluster.name}: ${pod.diagnosis}`,
        token: null,
      });
    return out;
  }
  const out = await planJobs(
    config,
    list.map((x) => x.job),
    { version: options.version, standIn: pod.value },
  );
  const byName = new Map(list.map((x) => [x.job.job_name, x.origin]));
  for (const request of out.requests) {
    const origin = byName.get(request.job);
    if (origin !== undefined) request.warnings.push(...origin.warnings);
  }
  notReadyWarnings(out);
  for (const failure of out.failures) {
    const origin = byName.get(failure.job);
    if (failure.reason !== 'no_targets' || origin?.kind !== 'generated' || run.checker === null)
      continue;
    const targets = out.targets.find((t) => t.job.job_name === failure.job);
    if (targets === undefined) continue;
    const cause = await explainMonitorNoTargets(origin.generated, targets, run.checker);
    if (cause !== null)
      failure.diagnosis = `${failure.diagnosis}. ${describeMonitor(origin.generated.monitor)}: ${cause}`;
  }
  return out;
}

/**
 * A target whose endpoint is not ready is still scraped (Prometheus keeps `notReadyAddresses`,
 * labelled `__meta_kubernetes_endpoint_ready="false"`): say so beside its verdict, since a pod that
 * is starting or failing its readiness probe often refuses the scrape too.
 */
function notReadyWarnings(plan: JobsPlan): void {
  for (const t of plan.targets) {
    for (const a of t.active) {
      const d = a.discovered;
      const ready =
        d.__meta_kubernetes_endpoint_ready ??
        d.__meta_kubernetes_endpointslice_endpoint_conditions_ready;
      if (ready !== 'false') continue;
      const instance = a.labels.instance ?? a.internal.__address__;
      const request = plan.requests.find(
        (r) => r.job === t.job.job_name && r.instance === instance,
      );
      const pod = d.__meta_kubernetes_pod_name;
      request?.warnings.push(
        `the endpoint ${instance ?? ''} of Service ${d.__meta_kubernetes_namespace ?? ''}/${d.__meta_kubernetes_service_name ?? ''} is not ready${pod === undefined ? '' : ` (pod ${pod} fails its readiness check)`}: Prometheus scrapes it anyway`,
      );
    }
  }
}
