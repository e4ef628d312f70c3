/**
 * A generated job → one of scrape-check's `scrape_configs`, as the Prometheus pod would load it:
 * `$(SHARD)` substituted as the config reloader does, the resource's `global` section (interval,
 * timeout, protocols, limits) applied where the job sets none, and the result read by the same
 * schema and per-version checks as a prometheus.yml. A job Prometheus would refuse to load is a
 * message (never a value from it: it may hold secrets).
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { scrapeConfig } from '#lib/config/schema-prometheus.ts';
import { parseDuration } from '#lib/config/units.ts';
import { versionProblems } from '#lib/config/version-checks.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import { formatPath } from '#lib/config/errors.ts';
import type { GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import { toPlain } from './map-slice.ts';

/** Generated keys scrape-check's schema does not have; they change what is stored, not the scrape. */
const UNMODELED = ['scrape_native_histograms'] as const;

/** The resource's `global` scrape settings (`buildGlobalConfig`, `appendScrapeLimits`). */
export function resourceGlobal(cg: ConfigGenerator): Record<string, unknown> {
  const c = cg.cpf;
  const g: Record<string, unknown> = { scrape_interval: c.scrapeInterval ?? '30s' };
  if ((c.scrapeTimeout ?? '') !== '') g.scrape_timeout = c.scrapeTimeout;
  if ((c.scrapeProtocols ?? []).length > 0 && cg.atLeast('2.49.0'))
    g.scrape_protocols = c.scrapeProtocols!.filter(
      (p) => p !== 'PrometheusText1.0.0' || cg.atLeast('3.0.0-rc.0'),
    );
  if (!cg.atLeast('2.45.0')) return g;
  const body = c.bodySizeLimit ?? c.enforcedBodySizeLimit;
  if ((body ?? '') !== '') g.body_size_limit = body;
  const limit = (own: number | undefined, enforced: number | undefined): number | undefined => {
    if ((own ?? 0) > 0) return (enforced ?? 0) > 0 && own! > enforced! ? enforced : own;
    return (enforced ?? 0) > 0 ? enforced : undefined;
  };
  const pairs = [
    ['sample_limit', c.sampleLimit, c.enforcedSampleLimit],
    ['label_limit', c.labelLimit, c.enforcedLabelLimit],
    ['label_name_length_limit', c.labelNameLengthLimit, c.enforcedLabelNameLengthLimit],
    ['label_value_length_limit', c.labelValueLengthLimit, c.enforcedLabelValueLengthLimit],
  ] as const;
  for (const [key, own, enforced] of pairs) {
    const v = limit(own, enforced);
    if (v !== undefined) g[key] = v;
  }
  return g;
}

/**
 * What the config reloader puts in place of `$(SHARD)`: the shard's index. With several shards,
 * every shard's index, so one check covers the targets of every shard's pod.
 */
export function shardValue(shards: number): string {
  return shards <= 1 ? '0' : `(${Array.from({ length: shards }, (_, i) => String(i)).join('|')})`;
}

export type Converted =
  { ok: true; job: ScrapeConfig; warnings: string[] } | { ok: false; message: string };

/** Converts a generated job for `version`, in the context of `config` (for its other settings). */
export async function toScrapeConfig(
  cg: ConfigGenerator,
  generated: GeneratedJob,
  config: Config,
  version: PromVersion,
): Promise<Converted> {
  const raw = toPlain(generated.config) as Record<string, unknown>;
  const warnings: string[] = [];
  const shard = shardValue(cg.shards());
  for (const rule of (raw.relabel_configs ?? []) as Record<string, unknown>[]) {
    if (typeof rule.regex === 'string') rule.regex = rule.regex.replaceAll('$(SHARD)', shard);
    if (typeof rule.replacement === 'string')
      rule.replacement = rule.replacement.replaceAll('$(SHARD)', shard);
  }
  if (cg.shards() > 1)
    warnings.push(
      `the Prometheus resource has ${cg.shards()} shards: each shard's pod scrapes the targets whose address hashes to its index; scrape-check checks the targets of every shard`,
    );
  for (const key of UNMODELED) {
    if (key in raw) {
      Reflect.deleteProperty(raw, key);
      warnings.push(`${key}: a Prometheus setting that scrape-check does not act on`);
    }
  }
  for (const key of generated.lacking) raw[key] = [];
  const global = resourceGlobal(cg);
  for (const [key, value] of Object.entries(global)) {
    if (key !== 'scrape_timeout' && raw[key] === undefined) raw[key] = value;
  }
  if (raw.scrape_timeout === undefined) {
    const interval = parseDuration(String(raw.scrape_interval)) ?? 60_000;
    // An unset global timeout is 10s capped at the global interval (config.go
    // GlobalConfig.UnmarshalYAML, in 2.x and 3.x alike).
    const globalInterval = parseDuration(String(global.scrape_interval)) ?? 60_000;
    const globalTimeout =
      typeof global.scrape_timeout === 'string'
        ? global.scrape_timeout
        : globalInterval < 10_000
          ? String(global.scrape_interval)
          : '10s';
    const timeout = parseDuration(globalTimeout) ?? 10_000;
    raw.scrape_timeout = timeout > interval ? raw.scrape_interval : globalTimeout;
  }
  const parsed = scrapeConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      message: `${formatPath(issue.path)}: ${issue.message}`,
    };
  }
  const job = parsed.data;
  if ((job.scrape_timeout ?? 0) > (job.scrape_interval ?? 0))
    return {
      ok: false,
      message: `scrape timeout greater than scrape interval for scrape config with job name "${job.job_name}"`,
    };
  const problems = await versionProblems({ ...config, scrape_configs: [job] }, version);
  if (problems.length > 0) {
    const p = problems[0]!;
    return { ok: false, message: `${formatPath(p.path.slice(2))}: ${p.message}` };
  }
  return { ok: true, job, warnings };
}
