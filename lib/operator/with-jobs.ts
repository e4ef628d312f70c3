/**
 * The one call the entry points make after loading a config: when it has the `operator` key, or a
 * `clusters[]` entry names an operator resource (`prometheus.resource`/`agent`), the config comes
 * back with the operator's jobs in `scrape_configs` (so `--job`, `targets` and `run` see them as
 * any other job), and what stops the expansion (an unreadable monitor file, a monitor its CRD
 * refuses) comes back as configuration problems, exit 2; what the cluster holds (a missing
 * Secret, RBAC) comes back as verdicts. Without either, nothing of lib/operator is loaded.
 *
 * @example
 * const loaded = await withOperatorJobs(await loadConfigFile(path), { version });
 * if (!loaded.ok) throw new UsageError(loaded.message);
 */
import type { ConfigResult } from '#lib/config/index.ts';
import { checksOperatorResource } from '#lib/config/schema-clusters.ts';
import type { PromVersion } from '#lib/discovery/types.ts';

export async function withOperatorJobs(
  loaded: ConfigResult,
  options: { version?: PromVersion; now?: () => number } = {},
): Promise<ConfigResult> {
  if (!loaded.ok) return loaded;
  const config = loaded.config;
  const resources = config.clusters.some(checksOperatorResource);
  if (config.operator === undefined && !resources) return loaded;
  const version = options.version ?? loaded.config.compat.prometheus;
  let current = config;
  const warnings = [...loaded.warnings];
  if (config.operator !== undefined) {
    const { expandOperator } = await import('./expand.ts');
    const expanded = await expandOperator(current, {
      version,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    if (!expanded.ok) return { ok: false, problems: expanded.problems, message: expanded.message };
    current = expanded.config;
    warnings.push(...expanded.warnings);
  }
  if (resources) {
    const { expandClusters } = await import('./cluster/index.ts');
    const expanded = await expandClusters(current, { version, now: options.now ?? Date.now });
    current = expanded.config;
    warnings.push(...expanded.warnings);
  }
  return { ...loaded, config: current, warnings };
}
