/**
 * Plans the checks of Prometheus `scrape_configs`: one ScrapeRequest per active target after
 * discovery and relabeling, with the settings Prometheus would scrape it with, and a verdict of its
 * own for everything that leaves Prometheus without a target: a failed discovery
 * (`discovery_failed`), a job that ends with none (`no_targets`, saying which rules dropped what),
 * a target Prometheus cannot create (`config_invalid`).
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { resolvedNameSchemes } from '#lib/config/name-schemes.ts';
import { httpSettings } from '#lib/config/schema-http.ts';
import { parseDuration } from '#lib/config/units.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import type { SkippedJob } from '#lib/result/types.ts';
import { DEFAULT_SCRAPE_PROTOCOLS } from '#lib/scrape/protocol.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';
import type { StandIn } from '#lib/standin/index.ts';
import type { PlannedFailure } from './clusters.ts';
import { jobTiming } from './job-settings.ts';
import { explainNoTargets, sourceFailureDiagnosis } from './job-verdicts.ts';
import { compiledRules, jobTargets, type ActiveTarget, type JobTargets } from './job-targets.ts';
import { podAuth, podTls } from './pod-settings.ts';

export interface JobsPlan {
  requests: ScrapeRequest[];
  failures: PlannedFailure[];
  skipped: SkippedJob[];
  /** Each job's targets, as `scrape-check targets` shows them. */
  targets: JobTargets[];
}

function staticWarnings(job: ScrapeConfig, scheme: string, hasAuth: boolean): string[] {
  const warnings: string[] = [];
  if (scheme === 'http' && job.tls_config) {
    warnings.push('tls_config is set but scheme is http: the TLS settings are not used');
  }
  if (hasAuth && scheme === 'http') {
    warnings.push(
      'credentials are sent over plain HTTP (scheme: http): anyone on the path can read them',
    );
  }
  return warnings;
}

/** What every target of a job is scraped with: resolved once per job, shared by its requests. */
type JobRequestSettings = Omit<
  ScrapeRequest,
  | 'job'
  | 'cluster'
  | 'instance'
  | 'url'
  | 'targetLabels'
  | 'labels'
  | 'inCluster'
  | 'timeoutMs'
  | 'warnings'
> & { timeoutMs: number };

async function jobRequestSettings(
  config: Config,
  job: ScrapeConfig,
  version: PromVersion,
  standIn: StandIn | null,
): Promise<JobRequestSettings> {
  const g = config.global;
  const names = resolvedNameSchemes(g, job, version);
  const auth = podAuth(job, standIn);
  const http = httpSettings(job);
  return {
    tls: podTls(job.tls_config, standIn),
    auth: auth.settings,
    timeoutMs: jobTiming(job, config).timeoutMs,
    limits: {
      // A job's 0 is "the global limit" (config.go ScrapeConfig.Validate, 3.x; 2.x has none).
      bodySizeLimit: job.body_size_limit || g.body_size_limit,
      sampleLimit: job.sample_limit || g.sample_limit,
      labelLimit: job.label_limit || g.label_limit,
      labelNameLengthLimit: job.label_name_length_limit || g.label_name_length_limit,
      labelValueLengthLimit: job.label_value_length_limit || g.label_value_length_limit,
    },
    scrapeProtocols: job.scrape_protocols ?? g.scrape_protocols ?? DEFAULT_SCRAPE_PROTOCOLS,
    fallbackScrapeProtocol: job.fallback_scrape_protocol ?? null,
    nameValidation: names.validation,
    nameEscaping: names.escaping,
    followRedirects: job.follow_redirects,
    enableCompression: job.enable_compression,
    oauth2: http.oauth2,
    proxy: http.proxy,
    httpHeaders: http.httpHeaders,
    enableHttp2: http.enableHttp2,
    sampleRules: {
      honorLabels: job.honor_labels,
      metricRelabel: await compiledRules(
        job.metric_relabel_configs,
        version,
        'metric',
        names.validation,
      ),
      version,
    },
    token: auth.token,
  };
}

function request(
  targets: JobTargets,
  target: ActiveTarget,
  settings: JobRequestSettings,
): ScrapeRequest | PlannedFailure {
  const job = targets.job;
  const url = target.url;
  const instance = target.labels.instance ?? target.internal.__address__ ?? '';
  // Go parses the URL Prometheus prints, and url.Parse lowercases the scheme (HTTPS works).
  const scheme = (target.internal.__scheme__ ?? job.scheme).toLowerCase();
  if ((scheme !== 'http' && scheme !== 'https') || url.url === null) {
    return {
      job: job.job_name,
      cluster: targets.cluster,
      instance,
      url: url.href,
      reason: 'config_invalid',
      diagnosis:
        url.url === null
          ? `Get "${url.href}": not a URL a client can request (check __address__ and __metrics_path__ after relabeling)`
          : `Get "${url.href}": unsupported protocol scheme "${scheme}" (Prometheus scrapes only http and https: check scheme and the rules that set __scheme__)`,
      token: null,
    };
  }
  return {
    ...settings,
    job: job.job_name,
    cluster: targets.cluster,
    instance,
    url: url.url,
    targetLabels: target.labels,
    labels: target.labels,
    inCluster: Object.keys(target.discovered).some((k) => k.startsWith('__meta_kubernetes_')),
    // Prometheus scrapes with the timeout the target's labels carry after relabeling.
    timeoutMs: parseDuration(target.internal.__scrape_timeout__ ?? '') ?? settings.timeoutMs,
    warnings: [
      ...staticWarnings(job, scheme, settings.auth !== null),
      ...targets.warnings,
      ...(target.folded > 0
        ? [
            `${instance} is listed more than once with the same labels in job ${job.job_name}: Prometheus scrapes it once, and so does scrape-check`,
          ]
        : []),
    ],
  };
}

/** Turns one job's targets into requests and job-level verdicts. */
async function planOne(
  config: Config,
  targets: JobTargets,
  version: PromVersion,
  standIn: StandIn | null,
  out: JobsPlan,
): Promise<void> {
  const job = targets.job;
  const timeout = jobTiming(job, config).timeoutMs;
  const jobLevel = (reason: PlannedFailure['reason'], diagnosis: string): PlannedFailure => ({
    job: job.job_name,
    cluster: targets.cluster,
    instance: null,
    url: null,
    reason,
    diagnosis,
    token: null,
  });
  for (const failed of targets.sourceFailures) {
    out.failures.push(
      jobLevel('discovery_failed', await sourceFailureDiagnosis(failed, standIn, timeout)),
    );
  }
  for (const failed of targets.failed) {
    out.failures.push({
      ...jobLevel(
        'config_invalid',
        `Prometheus cannot create this target ("Creating target failed": ${failed.error}); it is neither scraped nor listed as dropped`,
      ),
      instance: failed.discovered.__address__ ?? null,
    });
  }
  const settings = await jobRequestSettings(config, job, version, standIn);
  for (const target of targets.active) {
    const planned = request(targets, target, settings);
    if ('reason' in planned) out.failures.push(planned);
    else out.requests.push(planned);
  }
  const hasSources = [
    job.static_configs,
    job.kubernetes_sd_configs,
    job.file_sd_configs,
    job.http_sd_configs,
  ].some((list) => list.length > 0);
  if (
    targets.active.length === 0 &&
    targets.sourceFailures.length === 0 &&
    targets.failed.length === 0 &&
    hasSources
  ) {
    out.failures.push(jobLevel('no_targets', explainNoTargets(targets)));
  }
}

/**
 * Plans the given jobs, as the Prometheus pod `standIn` would run them (null: as this process).
 * Never throws for anything a discovery, a file or a target does.
 */
export async function planJobs(
  config: Config,
  jobs: readonly ScrapeConfig[],
  options: { version: PromVersion; standIn: StandIn | null },
): Promise<JobsPlan> {
  const out: JobsPlan = { requests: [], failures: [], skipped: [], targets: [] };
  const all = await Promise.all(jobs.map((job) => jobTargets(config, job, options)));
  for (const targets of all) {
    out.targets.push(targets);
    for (const key of targets.lacking) {
      out.skipped.push({
        job: targets.job.job_name,
        why: `${key}: a discovery scrape-check does not have${targets.cluster === null ? '' : ` (as the Prometheus in ${targets.cluster})`}`,
      });
    }
    await planOne(config, targets, options.version, options.standIn, out);
  }
  return out;
}
