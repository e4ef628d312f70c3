/**
 * `clusters[].prometheus.resource` (or `.agent`): the config a Prometheus Operator resource really
 * runs, read from the cluster and checked as its pod would run it. The resource is read (for its
 * ServiceAccount, shards, mounts and status), then its generated Secret, unzipped and substituted
 * as the config-reloader does, read by the same schema and per-version checks as a prometheus.yml,
 * its mounted files resolved in memory, and every job registered for the planner to run as the
 * pod (its ServiceAccount through TokenRequest, in-cluster discovery). Whatever stops that (no
 * cluster, no resource, no Secret, RBAC, bad gzip or YAML) is one verdict under the job
 * `prometheus/<namespace>/<name>`, never an exception and never a value read from a Secret.
 *
 * Shards: a resource with `shards: N > 1` runs N pods whose configs differ only in `$(SHARD)`; by
 * default every shard is checked at once (the shard rule keeps a target whose hash is any shard's
 * index, so the check covers every target the resource scrapes, as the monitors' check does);
 * `prometheus.shard: i` checks exactly the config of shard i's pod.
 */
import { parse } from 'yaml';
import {
  parseConfig,
  type ClusterConfig,
  type Config,
  type ScrapeConfig,
} from '#lib/config/index.ts';
import { callApi } from '#lib/credentials/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import { placeholder } from '../admit.ts';
import type { Origin, OperatorRun } from '../expand.ts';
import { AssetStore, type ApiGet } from '../store.ts';
import type { PlannedFailure } from '#lib/targets/clusters.ts';
import { readGeneratedConfig, reloaderEnv, substituteEnv, podName } from './generated-config.ts';
import { readMounts } from './mounts.ts';
import { resolvePodPaths } from './pod-paths.ts';
import {
  describeRef,
  readResource,
  resourceJobName,
  resourceRef,
  type ClusterResource,
  type ResourceRef,
} from './resource.ts';

/** A verdict for the whole resource. */
type Failure = Pick<PlannedFailure, 'reason' | 'diagnosis'>;

/** The keys of a scrape config whose values are secrets (for redaction). */
const SECRET_KEYS = new Set(['password', 'credentials', 'bearer_token', 'client_secret', 'key']);

export interface RunningOptions {
  version: PromVersion;
  now: () => number;
}

/** What reading one cluster's resource gave. */
export interface RunningExpansion {
  jobs: { job: ScrapeConfig; origin: Origin }[];
  warnings: string[];
  /** The resource, when it could be read (the stale check compares against its Secret). */
  resource: ClusterResource | null;
}

/** The resource a cluster entry names, or null. */
export function clusterResourceRef(cluster: ClusterConfig): ResourceRef | null {
  const p = cluster.prometheus;
  if (p?.resource !== undefined) return resourceRef('Prometheus', p.resource);
  if (p?.agent !== undefined) return resourceRef('PrometheusAgent', p.agent);
  return null;
}

/** The ServiceAccount the pod runs as: the config's override, else the resource's spec. */
export function podServiceAccount(cluster: ClusterConfig, resource: ClusterResource): string {
  const p = resource.prometheus;
  return (
    cluster.prometheus?.service_account ??
    `${p.metadata.namespace}/${p.spec.serviceAccountName ?? 'default'}`
  );
}

/** Every secret-looking value of a parsed config, so messages can be redacted. */
function secretValues(value: unknown, out: string[], key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEYS.has(key)) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) secretValues(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) secretValues(v, out, k);
}

/**
 * `$(SHARD)` for every shard at once: in a relabel rule's `regex` (the operator's keep rule
 * `$(SHARD);|.+;.+`) the alternation of every index; anywhere else shard 0's value. The operator
 * writes one rule key per line (yaml.v2), so a line is enough to tell a regex from the rest.
 */
function everyShard(text: string, shards: number): string {
  const all = `(${Array.from({ length: shards }, (_, i) => String(i)).join('|')})`;
  return text
    .split('\n')
    .map((line) => (/^\s*(?:-\s+)?regex:/.test(line) ? line.replaceAll('$(SHARD)', all) : line))
    .join('\n');
}

/** Reads, substitutes and parses the generated config of `ref` for the chosen shard. */
async function loadGenerated(
  get: ApiGet,
  ref: ResourceRef,
  cluster: ClusterConfig,
  resource: ClusterResource,
  store: AssetStore,
  options: RunningOptions,
  warnings: string[],
): Promise<{ ok: true; config: Config } | ({ ok: false } & Failure)> {
  const spec = resource.prometheus.spec;
  const shards = Math.max(1, spec.shards ?? 1);
  const asked = cluster.prometheus?.shard;
  if (asked !== undefined && asked >= shards)
    return {
      ok: false,
      reason: 'config_invalid',
      diagnosis: `clusters[${cluster.name}].prometheus.shard is ${asked}, but ${describeRef(ref)} has ${shards} shard${shards === 1 ? '' : 's'} (0${shards > 1 ? `-${shards - 1}` : ''})`,
    };
  const generated = await readGeneratedConfig(get, ref);
  if (!generated.ok) return generated;
  const shard = asked ?? 0;
  const major = /^v?(\d+)\./.exec(spec.version ?? '')?.[1];
  if (major !== undefined && major !== options.version)
    warnings.push(
      `${describeRef(ref)} runs Prometheus ${spec.version ?? ''}, but scrape-check reproduces Prometheus ${options.version} (--prometheus-version or compat.prometheus)`,
    );
  let text = generated.value.text;
  if (asked === undefined && shards > 1) {
    text = everyShard(text, shards);
    warnings.push(
      `${describeRef(ref)} has ${shards} shards: scrape-check checks the targets of every shard at once (each shard's pod scrapes those whose address hashes to its index); set clusters[${cluster.name}].prometheus.shard to check one shard's pod`,
    );
  } else if (shards > 1)
    warnings.push(
      `${describeRef(ref)} has ${shards} shards: scrape-check checks shard ${shard} (pod ${podName(ref, shard)}) only`,
    );
  const substituted = substituteEnv(text, reloaderEnv(ref, shard));
  if (substituted.unset.length > 0)
    warnings.push(
      `${generated.value.origin} refers to ${substituted.unset.map((n) => `$(${n})`).join(', ')}, which the config-reloader's environment does not set: it leaves ${substituted.unset.length > 1 ? 'them' : 'it'} as written`,
    );
  let doc: unknown = null;
  try {
    doc = parse(substituted.text);
  } catch {
    // parseConfig reports it, with line and column.
  }
  const found: string[] = [];
  secretValues(doc, found);
  for (const v of found) store.remember(v);
  const jobs = (doc as { scrape_configs?: unknown } | null)?.scrape_configs;
  if (doc !== null && (!Array.isArray(jobs) || jobs.length === 0))
    return {
      ok: false,
      reason: 'no_targets',
      diagnosis: `${generated.value.origin} has no scrape job: ${describeRef(ref)} selects no ServiceMonitor, PodMonitor, Probe or ScrapeConfig (set operator: { cluster: ${cluster.name} } to list the monitors and why each is left out)`,
    };
  const parsed = await parseConfig(substituted.text, generated.value.origin, '/', {
    prometheusVersion: options.version,
  });
  if (!parsed.ok)
    return {
      ok: false,
      reason: 'config_invalid',
      diagnosis: `the generated config cannot be read: ${parsed.message}`,
    };
  // The operator's global and top-level keys (storage, external_labels…) are not the user's to fix.
  for (const w of parsed.warnings) if (w.includes('scrape_configs[')) warnings.push(w);
  return { ok: true, config: parsed.config };
}

/**
 * The generated config's `global` applied to a job as Prometheus applies it at load (config.go
 * `Config.UnmarshalYAML` and `ScrapeConfig.Validate`: an unset or zero value is the global one),
 * since the job then runs inside scrape-check's own config, whose `global` is the user's.
 */
function withGlobal(job: ScrapeConfig, g: Config['global']): ScrapeConfig {
  const interval = job.scrape_interval || g.scrape_interval;
  const protocols = job.scrape_protocols ?? g.scrape_protocols;
  return {
    ...job,
    scrape_interval: interval,
    scrape_timeout: job.scrape_timeout || Math.min(g.scrape_timeout, interval),
    body_size_limit: job.body_size_limit || g.body_size_limit,
    sample_limit: job.sample_limit || g.sample_limit,
    label_limit: job.label_limit || g.label_limit,
    label_name_length_limit: job.label_name_length_limit || g.label_name_length_limit,
    label_value_length_limit: job.label_value_length_limit || g.label_value_length_limit,
    ...(protocols === undefined ? {} : { scrape_protocols: protocols }),
  };
}

/**
 * Expands one cluster entry's resource into jobs. Never throws for anything the cluster holds.
 */
export async function expandRunning(
  cluster: ClusterConfig,
  ref: ResourceRef,
  options: RunningOptions,
): Promise<RunningExpansion> {
  const warnings: string[] = [];
  const jobName = resourceJobName(ref);
  const { connect } = await import('#lib/targets/cluster-connect.ts');
  const connected = await connect(cluster, undefined, options.now);
  const get: ApiGet | null = connected.ok ? (path) => callApi(connected.value, path) : null;
  const store = new AssetStore(get);
  const runFor = (sa: string): OperatorRun => ({
    cluster: { ...cluster, prometheus: { ...cluster.prometheus, service_account: sa } },
    serviceAccount: sa,
    prometheus: null,
    checker: get,
    store,
  });
  const failed = (run: OperatorRun, failure: Failure): RunningExpansion => ({
    jobs: [
      {
        job: placeholder(jobName),
        origin: {
          kind: 'failed',
          run,
          monitor: null,
          failure: { reason: failure.reason, diagnosis: failure.diagnosis },
        },
      },
    ],
    warnings,
    resource: null,
  });
  if (!connected.ok || get === null)
    return failed(runFor(''), {
      reason: connected.ok ? 'config_invalid' : connected.reason,
      diagnosis: `cannot read ${describeRef(ref)} from ${cluster.name}: ${connected.ok ? '' : connected.diagnosis}`,
    });
  const where = `clusters[${cluster.name}].prometheus.${ref.kind === 'Prometheus' ? 'resource' : 'agent'}`;
  const resource = await readResource(get, ref, where);
  if (!resource.ok) return failed(runFor(''), resource);
  const sa = podServiceAccount(cluster, resource.value);
  const run = runFor(sa);
  run.prometheus = resource.value.prometheus;
  const loaded = await loadGenerated(get, ref, cluster, resource.value, store, options, warnings);
  if (!loaded.ok) return { ...failed(run, loaded), resource: resource.value };
  const mounts = await readMounts(store, ref, resource.value.prometheus);
  run.mounts = mounts.files;
  const jobs: RunningExpansion['jobs'] = [];
  for (const job of loaded.config.scrape_configs) {
    const resolved = resolvePodPaths(withGlobal(job, loaded.config.global), mounts);
    jobs.push(
      resolved.ok
        ? { job: resolved.job, origin: { kind: 'running', run, warnings: [] } }
        : {
            job: placeholder(job.job_name),
            origin: {
              kind: 'failed',
              run,
              monitor: null,
              failure: { reason: 'config_invalid', diagnosis: resolved.message },
            },
          },
    );
  }
  return { jobs, warnings, resource: resource.value };
}
