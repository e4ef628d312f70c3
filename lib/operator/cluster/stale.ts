/**
 * Is the running config the one the monitors give now? The jobs the operator would generate from
 * the monitors in the cluster (generated here with file references, as the operator writes them)
 * against the jobs of its Secret, by name and content (key order aside): a job missing from the
 * Secret, one the Secret still has, or one whose content differs, means the operator's last
 * reconcile failed or is behind (or it runs a version that generates differently). The warning
 * names the jobs and the first differing key, never a value (a value may be a secret).
 */
import { parse } from 'yaml';
import type { Monitor } from '../crd-monitors.ts';
import type { PrometheusResource } from '../crd-prometheus.ts';
import { generateJobs } from '../generate.ts';
import { ConfigGenerator, GeneratorError } from '../generator.ts';
import { toPlain } from '../map-slice.ts';
import type { AssetStore, ApiGet } from '../store.ts';
import { readGeneratedConfig } from './generated-config.ts';
import { conditionTrouble, describeRef, type Condition, type ResourceRef } from './resource.ts';

/** The first path where two plain values differ, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path} (${a.length} entries against ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path === '' ? k : `${path}.${k}`,
      );
      if (d !== null) return d;
    }
    return null;
  }
  // Scalars YAML may spell differently (30 and "30"): equal when their text is.
  const scalar = (v: unknown): v is string | number | boolean =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (scalar(a) && scalar(b) && String(a) === String(b)) return null;
  return path === '' ? '(the whole job)' : path;
}

/** What the comparison found: one line per differing job. */
export interface Staleness {
  differences: string[];
  /** The jobs that differ, by name (their results carry the warning too). */
  jobs: Set<string>;
  warning: string | null;
}

/**
 * Compares. `monitors` are those the operator admits (selected, not rejected); a Secret that
 * cannot be read gives no warning (resource mode says why elsewhere).
 */
export async function compareWithSecret(options: {
  get: ApiGet;
  ref: ResourceRef;
  prometheus: PrometheusResource;
  conditions: readonly Condition[];
  monitors: readonly Monitor[];
  store: AssetStore;
}): Promise<Staleness> {
  const none: Staleness = { differences: [], jobs: new Set(), warning: null };
  const generated = await readGeneratedConfig(options.get, options.ref);
  if (!generated.ok) return none;
  let secretJobs: Map<string, unknown>;
  try {
    const doc = parse(generated.value.text) as { scrape_configs?: { job_name?: unknown }[] } | null;
    secretJobs = new Map((doc?.scrape_configs ?? []).map((j) => [String(j.job_name), j]));
  } catch {
    return none;
  }
  let cg: ConfigGenerator;
  try {
    cg = new ConfigGenerator(options.prometheus, { store: options.store, inlineTls: false });
  } catch (error) {
    if (error instanceof GeneratorError) return none;
    throw error;
  }
  const ours = new Map(generateJobs(cg, options.monitors).map((j) => [j.name, toPlain(j.config)]));
  const out: Staleness = { differences: [], jobs: new Set(), warning: null };
  for (const [name, job] of ours) {
    const theirs = secretJobs.get(name);
    if (theirs === undefined) {
      out.differences.push(`${name}: not in the running config (the operator has not added it)`);
      out.jobs.add(name);
      continue;
    }
    const d = firstDifference(job, theirs);
    if (d !== null) {
      out.differences.push(`${name}: differs at ${d}`);
      out.jobs.add(name);
    }
  }
  // additionalScrapeConfigs jobs are the user's own, not a monitor's: only monitors' jobs count.
  const fromMonitor = /^(serviceMonitor|podMonitor|probe|scrapeConfig)\//;
  for (const name of secretJobs.keys())
    if (!ours.has(name) && fromMonitor.test(name)) {
      out.differences.push(
        `${name}: only in the running config (its monitor is gone, changed or rejected)`,
      );
      out.jobs.add(name);
    }
  if (out.differences.length === 0) return out;
  const trouble = conditionTrouble(options.conditions);
  out.warning = `the config the operator generated (${generated.value.origin}) is not what the monitors in the cluster give now: the operator's last reconcile of ${describeRef(options.ref)} failed or is behind (its logs say why${trouble === '' ? ", and so do the resource's status conditions: kubectl describe" : `; status: ${trouble}`}), or the operator runs a version that generates differently. Differing jobs: ${out.differences.join('; ')}`;
  return out;
}
