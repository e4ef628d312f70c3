/**
 * Which checks a run covers: everything, or the jobs and clusters named on the command line, in the
 * event, or in a Slack command. A name that matches nothing is a usage error, never an empty run
 * that passes.
 */
import type { ClusterConfig, Config, ScrapeConfig } from '#lib/config/index.ts';
import { jobCluster } from '#lib/operator/origin.ts';

export interface Selection {
  jobs: ScrapeConfig[];
  /** Each selected cluster with the presets to check in it. */
  clusters: { cluster: ClusterConfig; presets: ClusterConfig['targets'] }[];
}

export type SelectionResult = { ok: true; selection: Selection } | { ok: false; message: string };

/**
 * `names` match a scrape job, else a cluster (all its targets), a preset in every cluster
 * (`apiserver`), or `cluster/preset`; `clusters` match cluster names only.
 */
export function selectChecks(
  config: Config,
  names: readonly string[] = [],
  clusters: readonly string[] = [],
): SelectionResult {
  if (names.length === 0 && clusters.length === 0) {
    return {
      ok: true,
      selection: {
        jobs: config.scrape_configs,
        clusters: config.clusters.map((c) => ({ cluster: c, presets: c.targets })),
      },
    };
  }
  const jobs = new Set<ScrapeConfig>();
  const picked = new Map<ClusterConfig, Set<ClusterConfig['targets'][number]>>();
  const pick = (c: ClusterConfig, presets: readonly ClusterConfig['targets'][number][]): void => {
    const set = picked.get(c) ?? new Set();
    for (const p of presets) set.add(p);
    picked.set(c, set);
  };
  // A cluster's name also picks the jobs that run as its Prometheus pod (its operator monitors,
  // its Prometheus resource's generated config): a cluster with only those has no presets.
  const pickCluster = (c: ClusterConfig): boolean => {
    pick(c, c.targets);
    const own = config.scrape_configs.filter((j) => jobCluster(j) === c.name);
    for (const job of own) jobs.add(job);
    return c.targets.length > 0 || own.length > 0;
  };
  const unknown: string[] = [];
  for (const name of names) {
    // A scrape job's own name wins: `etcd` names the plain job etcd when there is one, and only
    // otherwise the etcd preset of every cluster (`prod/etcd` always names the preset). Two
    // clusters running the same chart give jobs of the same name: the name picks all of them.
    const named = config.scrape_configs.filter((j) => j.job_name === name);
    if (named.length > 0) {
      for (const job of named) jobs.add(job);
      continue;
    }
    let matched = false;
    const [clusterName, preset] = name.includes('/') ? name.split('/', 2) : [name, undefined];
    for (const c of config.clusters) {
      if (c.name === clusterName && preset === undefined) {
        if (pickCluster(c)) matched = true;
      } else if (c.name === clusterName) {
        const presets = c.targets.filter((t) => t === preset);
        if (presets.length > 0) {
          pick(c, presets);
          matched = true;
        }
      } else if (preset === undefined && (c.targets as readonly string[]).includes(name)) {
        pick(
          c,
          c.targets.filter((t) => t === name),
        );
        matched = true;
      }
    }
    if (!matched) unknown.push(name);
  }
  for (const name of clusters) {
    const c = config.clusters.find((x) => x.name === name);
    if (c) pickCluster(c);
    else unknown.push(name);
  }
  if (unknown.length > 0) {
    const known = [
      ...config.scrape_configs.map((j) => j.job_name),
      ...config.clusters.map((c) => c.name),
    ];
    return {
      ok: false,
      message: `no job or cluster named ${unknown.map((u) => JSON.stringify(u)).join(', ')} (known: ${known.join(', ') || 'none'})`,
    };
  }
  return {
    ok: true,
    selection: {
      jobs: config.scrape_configs.filter((j) => jobs.has(j)),
      clusters: [...picked].map(([cluster, presets]) => ({
        cluster,
        presets: cluster.targets.filter((t) => presets.has(t)),
      })),
    },
  };
}
