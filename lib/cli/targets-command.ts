/**
 * `scrape-check targets`: what each job would scrape after service discovery and relabeling, like
 * Prometheus's targets and service-discovery pages, without scraping. `--json` prints the `data` of
 * Prometheus's `/api/v1/targets` (plus `droppedBy`, `skipped` and scrape-check's additions), so
 * tools written for Prometheus read it; `--explain` adds each rule's effect, as Prometheus 3.8's
 * relabel steps do. Exit 0 when every job has targets, 1 when one has none or its discovery failed.
 */
import { loadConfigFile, type ScrapeConfig } from '#lib/config/index.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import { selectChecks } from '#lib/runner/index.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import { TARGETS } from './commands.ts';
import { UsageError, warn, type Io } from './io.ts';
import { parseCommandArgs, prometheusVersionOption } from './options.ts';
import { targetsDocument, renderTargets, type TargetsDocument } from './targets-view.ts';

/** Runs `scrape-check targets` (options in commands.ts) and returns its exit code. */
export async function targetsCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  const parsed = parseCommandArgs(TARGETS, args);
  const version = prometheusVersionOption(parsed, 'targets');
  const loaded = await withOperatorJobs(
    await loadConfigFile(parsed.text('config') ?? 'scrape-check.yaml', {
      ...(version === undefined ? {} : { prometheusVersion: version }),
    }),
    { ...(version === undefined ? {} : { version }) },
  );
  if (!loaded.ok) throw new UsageError(loaded.message);
  const config = loaded.config;
  const names = parsed.list('job');
  const unknown = names.filter((n) => !config.scrape_configs.some((j) => j.job_name === n));
  if (unknown.length > 0) {
    const known = config.scrape_configs.map((j) => j.job_name).join(', ') || 'none';
    throw new UsageError(
      `no scrape job named ${unknown.map((n) => JSON.stringify(n)).join(', ')} (known: ${known})`,
      'targets',
    );
  }
  const selected = selectChecks(config, names);
  if (!selected.ok) throw new UsageError(selected.message, 'targets');
  for (const warning of loaded.warnings) warn(io, warning);
  const chosen = version ?? config.compat.prometheus;
  const plan = await planScrapeJobs(config, selected.selection.jobs, { version: chosen });
  const explain = parsed.flag('explain');
  const doc = targetsDocument(plan, { explain, version: chosen });
  if (explain) explainWarning(io, doc, selected.selection.jobs);
  if (parsed.flag('json')) io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else
    io.stdout.write(
      renderTargets(doc, { color: io.stdout.isTTY === true && !env.NO_COLOR, explain }),
    );
  // A job-level failure (discovery, no target left, a monitor the operator rejects, a resource
  // whose generated config cannot be had) is a job Prometheus scrapes nothing for.
  const empty = plan.failures.some((f) => f.instance === null);
  return empty ? 1 : 0;
}

/** `--explain` with nothing to explain says so, rather than printing as if it did nothing. */
function explainWarning(io: Io, doc: TargetsDocument, jobs: readonly ScrapeConfig[]): void {
  if (doc.activeTargets.length === 0 && doc.droppedTargets.length === 0)
    warn(io, '--explain does nothing here: the selected jobs have no targets to explain');
  else if (jobs.every((j) => j.relabel_configs.length === 0))
    warn(io, '--explain does nothing here: the selected jobs have no relabel_configs (no steps)');
}
