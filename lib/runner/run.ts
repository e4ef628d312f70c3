/**
 * The one runner every entry point calls (CLI, lab, Lambda handlers): plan the checks, scrape them
 * under a concurrency limit, diagnose the failures, hand every result to every sink, and flush the
 * sinks in a `finally` so a crash never loses a verdict already reached.
 */
import pLimit from 'p-limit';
import type { Config } from '#lib/config/index.ts';
import { addHint } from '#lib/diagnose/hints.ts';
import { blankResult } from '#lib/result/build.ts';
import type { CheckResult, RunReport, Sample, SkippedJob } from '#lib/result/types.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { PrometheusVersion } from '#lib/scrape/protocol.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';
import type { Sink } from '#lib/sinks/types.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import { planClusters, type PlannedFailure } from '#lib/targets/clusters.ts';
import { bugDiagnosis, crashedClusters, crashedJobs } from './bugs.ts';
import { selectChecks } from './select.ts';

export interface RunOptions {
  /** Job names, cluster names, presets or `cluster/preset`; all checks when empty. */
  jobs?: readonly string[];
  clusters?: readonly string[];
  /** How many scrapes run at once (default 32). */
  concurrency?: number;
  /** Whose verdict to reproduce; default the config's `compat.prometheus`. */
  prometheusVersion?: PrometheusVersion;
  /** Keep every parsed sample in the results (`run --samples`). */
  samples?: boolean;
  sinks?: readonly Sink[];
  /** Samples to forward to remote_write; default: the config's `sinks.remote_write.forward`. */
  forward?: readonly RegExp[];
  /** A line for a person (sink failures, planner warnings). Never a secret. */
  warn?: (message: string) => void;
  /** Called as each result is reached, for progress displays. */
  onResult?: (result: CheckResult, done: number, total: number) => void;
  signal?: AbortSignal;
  now?: () => number;
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

function forwardTest(patterns: readonly RegExp[]): ((name: string) => boolean) | null {
  if (patterns.length === 0) return null;
  return (name) => patterns.some((p) => p.test(name));
}

function summarize(results: CheckResult[], skipped: SkippedJob[], durationMs: number): RunReport {
  const ok = results.filter((r) => r.ok).length;
  return {
    summary: {
      total: results.length,
      ok,
      failed: results.length - ok,
      skipped: skipped.length,
      durationMs: Math.round(durationMs),
    },
    results,
    skipped,
  };
}

function failedResult(f: PlannedFailure, timeoutMs: number): CheckResult {
  return blankResult({ ...f, scrapeTimeoutMs: timeoutMs });
}

/**
 * A bug in scrape-check on one target must not stop the others or pass for a network fault: it
 * becomes that check's `internal_error`, with the error in the diagnosis (bugs.ts).
 */
async function scrapeOrReport(
  request: ScrapeRequest,
  options: Parameters<typeof scrape>[1],
): Promise<Awaited<ReturnType<typeof scrape>>> {
  try {
    return await scrape(request, options);
  } catch (error) {
    const failed = failedResult(
      {
        job: request.job,
        cluster: request.cluster,
        instance: request.instance,
        url: request.url.toString(),
        reason: 'internal_error',
        diagnosis: bugDiagnosis('on this check', error),
        token: request.token,
      },
      request.timeoutMs,
    );
    return { result: failed, forwarded: [], errorBody: null };
  }
}

/** Runs the selected checks. Throws SelectionError for a name that matches nothing. */
export async function runChecks(config: Config, options: RunOptions = {}): Promise<RunReport> {
  const started = performance.now();
  const selected = selectChecks(config, options.jobs, options.clusters);
  if (!selected.ok) throw new SelectionError(selected.message);
  const version = options.prometheusVersion ?? config.compat.prometheus;
  const warn = options.warn ?? (() => undefined);
  const sinks = options.sinks ?? [];
  const forward = forwardTest(
    options.forward ?? (config.sinks.remote_write?.forward ?? []).map((p) => new RegExp(p)),
  );
  const results: CheckResult[] = [];
  let skipped: SkippedJob[] = [];
  let total = 0;
  const deliver = (result: CheckResult, forwarded: Sample[]): void => {
    results.push(result);
    options.onResult?.(result, results.length, total);
    for (const sink of sinks) {
      try {
        sink.write({ result, forwarded });
      } catch (error) {
        warn(
          `sink ${sink.name} could not take the result of ${result.job} ${result.instance ?? '(job)'}: ${(error as Error).message}`,
        );
      }
    }
  };
  try {
    const { jobs, clusters } = selected.selection;
    const [jobsPlan, clusterPlan] = await Promise.all([
      planScrapeJobs(config, jobs, {
        version,
        ...(options.now ? { now: options.now } : {}),
      }).catch((error: unknown) => crashedJobs(jobs, error)),
      planClusters(config, clusters).catch((error: unknown) => crashedClusters(clusters, error)),
    ]);
    skipped = jobsPlan.skipped;
    const requests: ScrapeRequest[] = [...jobsPlan.requests, ...clusterPlan.requests];
    const failures = [...jobsPlan.failures, ...clusterPlan.failures];
    total = requests.length + failures.length;
    for (const f of failures) deliver(failedResult(f, config.global.scrape_timeout), []);
    const limit = pLimit(Math.max(1, options.concurrency ?? 32));
    const order = new Map<CheckResult, number>();
    await Promise.all(
      requests.map((request, index) =>
        limit(async () => {
          const outcome = await scrapeOrReport(request, {
            prometheusVersion: version,
            samples: options.samples ?? false,
            forward,
            certExpiryWarningDays: config.cert_expiry_warning_days,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.now ? { now: options.now } : {}),
          });
          const { result } = outcome;
          try {
            if (!result.ok) {
              // The cluster's own answer (a SubjectAccessReview) is more precise than a generic hint.
              const asked = await clusterPlan.diagnose(request, result, outcome.errorBody);
              if (!asked)
                addHint({
                  result,
                  url: request.url,
                  errorBody: outcome.errorBody,
                  inCluster: request.inCluster === true,
                  job: request.job,
                });
            } else {
              await clusterPlan.review(request, result);
            }
          } catch (error) {
            // The verdict stands; only the explanation of it failed.
            result.warnings.push(bugDiagnosis('while explaining this result', error));
          }
          order.set(result, failures.length + index);
          deliver(result, outcome.forwarded);
        }),
      ),
    );
    results.sort((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
  } finally {
    await Promise.all(
      sinks.map(async (sink) => {
        try {
          await sink.flush();
        } catch (error) {
          warn(`sink ${sink.name} failed to flush: ${(error as Error).message}`);
        }
      }),
    );
  }
  // Measured after the sinks flushed: a run whose remote_write retried for seconds took those
  // seconds, and a schedule sized on durationMs must see them (issue 13).
  return summarize(results, skipped, performance.now() - started);
}
