/**
 * The one call the entry points make after loading a config: when it has the `operator` key, the
 * config comes back with the operator's jobs in `scrape_configs` (so `--job`, `targets` and `run`
 * see them as any other job), and what stops the expansion (an unreadable monitor file, a monitor
 * its CRD refuses) comes back as configuration problems, exit 2. Without the key nothing of
 * lib/operator is loaded.
 *
 * @example
 * const loaded = await withOperatorJobs(await loadConfigFile(path), { version });
 * if (!loaded.ok) throw new UsageError(loaded.message);
 */
import type { ConfigResult } from '#lib/config/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';

export async function withOperatorJobs(
  loaded: ConfigResult,
  options: { version?: PromVersion; now?: () => number } = {},
): Promise<ConfigResult> {
  if (!loaded.ok) return loaded;
  const config = loaded.config as typeof loaded.config & { operator?: unknown };
  if (config.operator === undefined) return loaded;
  const { expandOperator } = await import('./expand.ts');
  const expanded = await expandOperator(loaded.config, {
    version: options.version ?? loaded.config.compat.prometheus,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  if (!expanded.ok) return { ok: false, problems: expanded.problems, message: expanded.message };
  return {
    ...loaded,
    config: expanded.config,
    warnings: [...loaded.warnings, ...expanded.warnings],
  };
}
