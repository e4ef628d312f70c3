/**
 * One job's targets, as Prometheus's targets page would show them: discovery, then for every
 * discovered target the job's defaults, `relabel_configs` and the target checks of
 * scrape/target.go. Active targets are scraped; dropped ones say which rule dropped them; targets
 * Prometheus could not create ("Creating target failed") say why.
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { resolvedNameSchemes } from '#lib/config/name-schemes.ts';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { relabel } from '#lib/relabel/process.ts';
import type { NameValidationScheme, RelabelRule } from '#lib/relabel/index.ts';
import type { StandIn } from '#lib/standin/index.ts';
import { discoverJob, type SourceFailure } from './job-discovery.ts';
import { targetsFromGroup } from './populate.ts';
import type { TargetUrl } from './target-url.ts';
import { jobTiming } from './job-settings.ts';

export interface ActiveTarget {
  /** Public labels (no `__` label), sorted. */
  labels: LabelSet;
  /** Every label after relabeling, `__address__`, `__scheme__`, `__param_*` … included. */
  internal: LabelSet;
  discovered: LabelSet;
  /** The scrape URL, as Go prints it and as a WHATWG URL (null where WHATWG refuses it). */
  url: TargetUrl;
  /** How many identical targets (same labels, same URL) were folded into this one. */
  folded: number;
}

export interface DroppedTarget {
  discovered: LabelSet;
  /** The rule (index in `relabel_configs`) that dropped it, and its action. */
  droppedBy: { rule: number; action: string } | null;
}

export interface FailedTarget {
  discovered: LabelSet;
  /** Prometheus's words ("no address", `"a/b" is not a valid hostname`). */
  error: string;
}

export interface JobTargets {
  job: ScrapeConfig;
  /** The cluster whose Prometheus pod this job ran as, or null. */
  cluster: string | null;
  rules: readonly RelabelRule[];
  active: ActiveTarget[];
  dropped: DroppedTarget[];
  failed: FailedTarget[];
  sourceFailures: SourceFailure[];
  warnings: string[];
  /** Discoveries this job uses that scrape-check lacks. */
  lacking: string[];
}

/**
 * The job's relabel rules for `version`, writing the names `nameValidation` takes (Prometheus 3's
 * `metric_name_validation_scheme`); the loader refused invalid ones already.
 */
export async function compiledRules(
  raw: readonly unknown[],
  version: PromVersion,
  kind: 'target' | 'metric',
  nameValidation: NameValidationScheme,
): Promise<RelabelRule[]> {
  if (raw.length === 0) return [];
  // The compiler brings RE2 (re2js): only jobs with rules pay for it.
  const { compileRelabelConfigs } = await import('#lib/relabel/index.ts');
  const compiled = compileRelabelConfigs(raw, version, {
    kind,
    nameValidationScheme: nameValidation,
  });
  if (!compiled.ok) {
    throw new Error(
      `relabel rules passed the loader but not the compiler: ${compiled.errors[0]?.message ?? ''}`,
    );
  }
  return compiled.rules;
}

/** Discovers and relabels one job's targets. Never throws for anything a source does. */
export async function jobTargets(
  config: Config,
  job: ScrapeConfig,
  options: { version: PromVersion; standIn: StandIn | null },
): Promise<JobTargets> {
  const discovery = await discoverJob(job, options);
  const { validation } = resolvedNameSchemes(config.global, job, options.version);
  const rules = await compiledRules(job.relabel_configs, options.version, 'target', validation);
  const out: JobTargets = {
    job,
    cluster: options.standIn?.cluster ?? null,
    rules,
    active: [],
    dropped: [],
    failed: [],
    sourceFailures: discovery.failures,
    warnings: discovery.warnings,
    lacking: discovery.lacking,
  };
  const defaults = {
    jobName: job.job_name,
    scheme: job.scheme,
    metricsPath: job.metrics_path,
    scrapeInterval: jobTiming(job, config).intervalMs,
    scrapeTimeout: jobTiming(job, config).timeoutMs,
    params: job.params,
  };
  const apply = (labels: LabelSet): ReturnType<typeof relabel> =>
    relabel(labels, rules, options.version);
  // Prometheus keeps one scrape loop per distinct label set and URL (scrape/scrape.go sync).
  const seen = new Map<string, ActiveTarget>();
  for (const group of discovery.groups) {
    for (const target of targetsFromGroup(group, defaults, apply, options.version)) {
      if (target.kind === 'active') {
        // Internal labels come sorted: their JSON is a canonical key (the URL follows from them).
        const key = JSON.stringify(target.internal);
        const first = seen.get(key);
        if (first) {
          first.folded++;
          continue;
        }
        const active: ActiveTarget = {
          labels: target.labels,
          internal: target.internal,
          discovered: target.discovered,
          url: target.url!,
          folded: 0,
        };
        seen.set(key, active);
        out.active.push(active);
      } else if (target.kind === 'dropped') {
        const rule = target.droppedBy;
        out.dropped.push({
          discovered: target.discovered,
          droppedBy: rule === null ? null : { rule, action: rules[rule]?.action ?? 'unknown' },
        });
      } else out.failed.push({ discovered: target.discovered, error: target.error });
    }
  }
  return out;
}
