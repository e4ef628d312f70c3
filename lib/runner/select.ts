/**
 * Which checks a run covers: everything, or the jobs and clusters named on the command line, in the
 * event, or in a Slack command. A name that matches nothing is a usage error, never an empty run
 * that passes.
 */
import type { ClusterConfig, Config, ScrapeConfig } from '#lib/config/index.ts';

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
  const unknown: string[] = [];
  for (const name of names) {
    // A scrape job's own name wins: `etcd` names the plain job etcd when there is one, and only
    // otherwise the etcd preset of every cluster (`prod/etcd` always names the preset).
    const job = config.scrape_configs.find((j) => j.job_name === name);
    if (job) {
      jobs.add(job);
      continue;
    }
    let matched = false;
    const [clusterName, preset] = name.includes('/') ? name.split('/', 2) : [name, undefined];
    for (const c of config.clusters) {
      if (c.name === clusterName) {
        const presets = preset === undefined ? c.targets : c.targets.filter((t) => t === preset);
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
    if (c) pick(c, c.targets);
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
