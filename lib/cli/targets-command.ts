/**
 * `scrape-check targets`: what each job would scrape after service discovery and relabeling, like
 * Prometheus's targets and service-discovery pages, without scraping. `--json` prints the `data` of
 * Prometheus's `/api/v1/targets` (plus `droppedBy`, `skipped` and scrape-check's additions), so
 * tools written for Prometheus read it; `--explain` adds each rule's effect, as Prometheus 3.8's
 * relabel steps do. Exit 0 when every job has targets, 1 when one has none or its discovery failed.
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '#lib/config/index.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import { selectChecks } from '#lib/runner/index.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import { UsageError, type Io } from './io.ts';
import { targetsDocument, renderTargets } from './targets-view.ts';

export const TARGETS_USAGE = `usage: scrape-check targets [--config FILE] [--job NAME]... [--json] [--explain]
                            [--prometheus-version 2|3]`;

export const TARGETS_HELP = `${TARGETS_USAGE}

Lists what each scrape job would scrape after service discovery and relabeling, without scraping.

options:
  -c, --config FILE           the configuration (default scrape-check.yaml)
  -j, --job NAME              only this job (repeatable)
      --json                  the data of Prometheus's /api/v1/targets, plus droppedBy and skipped
      --explain               each target's labels after every relabel rule
      --prometheus-version V  reproduce Prometheus 2 or 3 (default: the config's compat.prometheus)

exit codes: 0 every job has targets, 1 a job has none or its discovery failed, 2 bad usage or config`;

export async function targetsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      job: { type: 'string', multiple: true, short: 'j' },
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
      'prometheus-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${TARGETS_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}\n${TARGETS_USAGE}`);
  const version = values['prometheus-version'];
  if (version !== undefined && version !== '2' && version !== '3') {
    throw new UsageError(`--prometheus-version takes 2 or 3, got ${JSON.stringify(version)}`);
  }
  const loaded = await withOperatorJobs(
    await loadConfigFile(values.config ?? 'scrape-check.yaml', {
      ...(version === undefined ? {} : { prometheusVersion: version }),
    }),
    { ...(version === undefined ? {} : { version }) },
  );
  if (!loaded.ok) throw new UsageError(loaded.message);
  const config = loaded.config;
  const names = values.job ?? [];
  const unknown = names.filter((n) => !config.scrape_configs.some((j) => j.job_name === n));
  if (unknown.length > 0) {
    const known = config.scrape_configs.map((j) => j.job_name).join(', ') || 'none';
    throw new UsageError(
      `no scrape job named ${unknown.map((n) => JSON.stringify(n)).join(', ')} (known: ${known})`,
    );
  }
  const selected = selectChecks(config, names);
  if (!selected.ok) throw new UsageError(selected.message);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  const chosen = version ?? config.compat.prometheus;
  const plan = await planScrapeJobs(config, selected.selection.jobs, { version: chosen });
  const explain = values.explain ?? false;
  const doc = targetsDocument(plan, { explain, version: chosen });
  if (values.json) io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else io.stdout.write(renderTargets(doc, { color: io.stdout.isTTY === true, explain }));
  const empty = plan.failures.some(
    (f) => f.reason === 'discovery_failed' || f.reason === 'no_targets',
  );
  return empty ? 1 : 0;
}
