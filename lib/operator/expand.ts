/**
 * The `operator` key → ordinary `scrape_configs`: reads the monitors and the Prometheus resource,
 * asks the cluster (with scrape-check's own rights, as the operator uses its own) for the
 * namespaces' labels and every Secret and ConfigMap the monitors refer to, selects, checks and
 * generates as the operator would, and returns the config with one scrape config per generated job
 * appended. Monitors the resource does not select, monitors the operator would reject, and monitors
 * whose cluster could not be reached get a placeholder job too, so `--job` can name them and no
 * monitor is ever silently gone; the planner (plan.ts) turns each into its verdict.
 */
import type { ClusterConfig, Config, ScrapeConfig } from '#lib/config/index.ts';
import { formatProblem, type ConfigProblem } from '#lib/config/errors.ts';
import { operatorProblems, type OperatorConfig } from '#lib/config/schema-operator.ts';
import { callApi } from '#lib/credentials/index.ts';
import { listAll, RESOURCES } from '#lib/discovery/kubernetes/list.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import type { PlannedFailure } from '#lib/targets/clusters.ts';
import { admitMonitors, placeholder } from './admit.ts';
import type { Monitor } from './crd-monitors.ts';
import { implicitPrometheus, type PrometheusResource } from './crd-prometheus.ts';
import { jobNames, type GeneratedJob } from './generated.ts';
import {
  ConfigGenerator,
  DEFAULT_PROMETHEUS_V2,
  DEFAULT_PROMETHEUS_VERSION,
  GeneratorError,
} from './generator.ts';
import { needsNamespaceLabels, type NamespaceLabels } from './select.ts';
import type { FromCluster } from './cluster/from-cluster.ts';
import { readOperatorSources } from './sources.ts';
import { AssetStore, type ApiGet } from './store.ts';
import { operatorOrigin, setOperatorOrigin } from './origin.ts';

/** What one expansion knows, shared by its jobs. */
export interface OperatorRun {
  /** The `clusters[]` entry, standing in for the Prometheus pod as `serviceAccount`. */
  cluster: ClusterConfig;
  serviceAccount: string;
  prometheus: PrometheusResource | null;
  /** scrape-check's own way into the cluster (for the no-target diagnoses). */
  checker: ApiGet | null;
  store: AssetStore;
  /** Files the operator mounts into the pod (a generated config read from the cluster). */
  mounts?: ReadonlyMap<string, string>;
}

/** Where a job of the expanded config came from. */
export type Origin =
  | { kind: 'generated'; run: OperatorRun; generated: GeneratedJob; warnings: string[] }
  /** A job of the config the operator generated, read from the cluster (cluster/running.ts). */
  | { kind: 'running'; run: OperatorRun; warnings: string[] }
  | {
      kind: 'failed';
      run: OperatorRun;
      /** The monitor it came from; null for a job of the generated config, or the whole resource. */
      monitor: Monitor | null;
      failure: Pick<PlannedFailure, 'reason' | 'diagnosis'>;
    }
  | { kind: 'unselected'; run: OperatorRun; monitor: Monitor; why: string };

export interface ExpandOptions {
  version: PromVersion;
  now?: () => number;
}

/** The expanded config, or the problems (exit 2) that stopped it. */
export type Expansion =
  | { ok: true; config: Config; run: OperatorRun | null; warnings: string[] }
  | { ok: false; problems: ConfigProblem[]; message: string };

type Loose = Config & { operator?: OperatorConfig };

function fail(problems: ConfigProblem[]): Expansion {
  return { ok: false, problems, message: problems.map(formatProblem).join('\n') };
}

/** A problem at `path` in the config itself (no line: it is about what the keys mean together). */
function configProblem(path: string, message: string): ConfigProblem {
  return { file: 'config', line: null, column: null, path, message };
}

/**
 * Which ServiceAccount the stand-in pod runs as. `clusters[].prometheus.service_account` wins: it
 * is what the user asked to be checked as, and a resource file is often a chart's default render
 * that the installed values override; when the two differ, a warning says so. Without it, the
 * resource's `spec.serviceAccountName` in the resource's namespace (`default` when unset, as the
 * pod would run).
 */
function serviceAccountOf(
  cluster: ClusterConfig,
  prometheus: PrometheusResource | null,
  warnings: string[],
): string | null {
  const own = cluster.prometheus?.service_account;
  const fromResource =
    prometheus === null
      ? null
      : `${prometheus.metadata.namespace}/${prometheus.spec.serviceAccountName ?? 'default'}`;
  if (own !== undefined) {
    if (fromResource !== null && fromResource !== own)
      warnings.push(
        `clusters[${cluster.name}].prometheus.service_account is ${own}, but ${prometheus!.kind} ${prometheus!.metadata.namespace}/${prometheus!.metadata.name} runs as ${fromResource} (spec.serviceAccountName): scrape-check checks as ${own}`,
      );
    return own;
  }
  return fromResource;
}

async function namespaceLabels(get: ApiGet): Promise<NamespaceLabels | string> {
  const got = await listAll(get, {
    type: RESOURCES.namespaces,
    namespace: '',
    labelSelector: '',
    fieldSelector: '',
  });
  if (!got.ok) return got.failure.message;
  const out = new Map<string, Record<string, string>>();
  for (const item of got.items as {
    metadata?: { name?: string; labels?: Record<string, string> };
  }[]) {
    if (item.metadata?.name !== undefined) out.set(item.metadata.name, item.metadata.labels ?? {});
  }
  return out;
}

/**
 * Expands `config.operator` into jobs. Never throws for anything the cluster or a monitor does;
 * file and resource problems stop it as configuration problems.
 */
export async function expandOperator(config: Config, options: ExpandOptions): Promise<Expansion> {
  const op = (config as Loose).operator;
  if (op === undefined) return { ok: true, config, run: null, warnings: [] };
  const cross = operatorProblems(config);
  if (cross.length > 0) return fail(cross.map((p) => configProblem(p.path.join('.'), p.message)));
  const sources = await readOperatorSources(op);
  if (sources.problems.length > 0) return fail(sources.problems);
  const warnings = [...sources.warnings];
  const cluster = config.clusters.find((c) => c.name === op.cluster)!;
  // No monitors named: list them, and the resource that selects them, from the cluster.
  let listed: Extract<FromCluster, { ok: true }> | null = null;
  if (op.monitors === undefined) {
    const { readClusterMonitors } = await import('./cluster/from-cluster.ts');
    const got = await readClusterMonitors(cluster, { now: options.now ?? Date.now });
    if (!got.ok)
      return {
        ok: true,
        config: { ...config, scrape_configs: [...config.scrape_configs, got.job] },
        run: null,
        warnings,
      };
    listed = got;
    sources.monitors = got.monitors;
    sources.prometheus = got.resource.prometheus;
    warnings.push(...got.warnings);
  }
  const prometheus = sources.prometheus;
  const sa = serviceAccountOf(cluster, prometheus, warnings);
  if (sa === null)
    return fail([
      configProblem(
        'operator',
        `clusters[${cluster.name}] has no prometheus.service_account and operator.prometheus names no resource: scrape-check cannot tell which ServiceAccount the Prometheus pod runs as`,
      ),
    ]);
  const version =
    prometheus?.spec.version !== undefined
      ? prometheus.spec.version
      : options.version === '2' && prometheus === null
        ? DEFAULT_PROMETHEUS_V2
        : DEFAULT_PROMETHEUS_VERSION;
  const resource = prometheus ?? implicitPrometheus(version);
  const now = options.now ?? Date.now;
  const { connect } = await import('#lib/targets/cluster-connect.ts');
  const connected = await connect(cluster, undefined, now);
  const get: ApiGet | null = connected.ok ? (path) => callApi(connected.value, path) : null;
  const store = new AssetStore(get);
  const run: OperatorRun = {
    cluster: { ...cluster, prometheus: { ...cluster.prometheus, service_account: sa } },
    serviceAccount: sa,
    prometheus,
    checker: get,
    store,
  };
  let cg: ConfigGenerator;
  try {
    cg = new ConfigGenerator(resource, { store, inlineTls: true });
  } catch (error) {
    if (!(error instanceof GeneratorError)) throw error;
    return fail([
      {
        file: resource.source,
        line: null,
        column: null,
        path: 'spec',
        message: `the operator cannot generate a config for it: ${error.message}`,
      },
    ]);
  }
  if (String(cg.version.major) !== options.version)
    warnings.push(
      `${resource.kind} ${resource.metadata.namespace}/${resource.metadata.name} runs Prometheus ${version}, but scrape-check reproduces Prometheus ${options.version} (--prometheus-version or compat.prometheus)`,
    );

  const added: ScrapeConfig[] = [];
  const register = (job: ScrapeConfig, origin: Origin) => {
    setOperatorOrigin(job, origin);
    added.push(job);
  };
  const failAll = (
    monitors: readonly Monitor[],
    failure: Pick<PlannedFailure, 'reason' | 'diagnosis'>,
  ) => {
    for (const m of monitors)
      for (const name of jobNames(m))
        register(placeholder(name), { kind: 'failed', run, monitor: m, failure });
  };

  let namespaces: NamespaceLabels | null = null;
  if (!connected.ok) {
    failAll(sources.monitors, {
      reason: connected.reason,
      diagnosis: `cannot read the cluster the monitors are checked against: ${connected.diagnosis}`,
    });
  } else {
    if (needsNamespaceLabels(prometheus)) {
      const listed = await namespaceLabels(get!);
      if (typeof listed === 'string') {
        failAll(sources.monitors, {
          reason: 'discovery_failed',
          diagnosis: `cannot tell which namespaces ${resource.kind} ${resource.metadata.namespace}/${resource.metadata.name} selects monitors in: ${listed}`,
        });
      } else namespaces = listed;
    }
    if (!needsNamespaceLabels(prometheus) || namespaces !== null)
      await admitMonitors({
        cg,
        store,
        run,
        config,
        options,
        sources: sources.monitors,
        namespaces,
        prometheus,
        register,
        now,
      });
  }
  if (listed !== null) await staleCheck(listed, run, added, warnings);
  const taken = new Map(config.scrape_configs.map((j, i) => [j.job_name, i]));
  const clashes = added.filter((j) => taken.has(j.job_name));
  if (clashes.length > 0)
    return fail(
      clashes.map((j) =>
        configProblem(
          `scrape_configs[${taken.get(j.job_name)!}].job_name`,
          `"${j.job_name}" is also the name of a job the operator generates: Prometheus refuses two scrape configs with one name`,
        ),
      ),
    );
  return {
    ok: true,
    config: { ...config, scrape_configs: [...config.scrape_configs, ...added] },
    run,
    warnings,
  };
}

/**
 * Monitors from the cluster and the Secret the operator generated from them: when the two
 * disagree, say so (cluster/stale.ts), on the run and on each differing job's results.
 */
async function staleCheck(
  listed: Extract<FromCluster, { ok: true }>,
  run: OperatorRun,
  added: readonly ScrapeConfig[],
  warnings: string[],
): Promise<void> {
  const admitted = new Set<Monitor>();
  for (const job of added) {
    const origin = operatorOrigin(job);
    if (origin?.kind === 'generated') admitted.add(origin.generated.monitor);
  }
  const { compareWithSecret } = await import('./cluster/stale.ts');
  const stale = await compareWithSecret({
    get: listed.get,
    ref: listed.ref,
    prometheus: listed.resource.prometheus,
    conditions: listed.resource.conditions,
    monitors: [...admitted],
    store: run.store,
  });
  if (stale.warning === null) return;
  warnings.push(stale.warning);
  for (const job of added) {
    const origin = operatorOrigin(job);
    if (origin?.kind === 'generated' && stale.jobs.has(job.job_name))
      origin.warnings.push(
        `this job is not the one the operator is running: ${stale.differences.find((d) => d.startsWith(`${job.job_name}:`)) ?? job.job_name} (the operator's reconcile failed or is behind: see its logs and the Prometheus resource's status)`,
      );
  }
}
