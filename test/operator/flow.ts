/**
 * What `scrape-check targets --json` and `scrape-check run` do with a config that has the
 * `operator` key, through the same calls the wired CLI makes (see the wiring in the report):
 * load, expand the operator's monitors, select, plan (operator jobs through planOperatorJobs, the
 * rest through planScrapeJobs), and print Prometheus's /api/v1/targets shape.
 */
import assert from 'node:assert/strict';
import { targetsDocument, type TargetsDocument } from '#lib/cli/targets-view.ts';
import { loadConfigFile, type Config } from '#lib/config/index.ts';
import { resolveOperatorFiles, type OperatorConfig } from '#lib/config/schema-operator.ts';
import { expandOperator, planOperatorJobs } from '#lib/operator/index.ts';
import { selectChecks } from '#lib/runner/select.ts';
import type { JobsPlan } from '#lib/targets/jobs.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';

/** Loads `file` and adds the operator key (the schema gets it once wired). */
export async function loadWithOperator(file: string, operator: OperatorConfig): Promise<Config> {
  const loaded = await loadConfigFile(file);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
  const op = structuredClone(operator);
  resolveOperatorFiles(op, new URL('.', `file://${file}`).pathname);
  return { ...loaded.config, operator: op };
}

export interface Planned {
  config: Config;
  plan: JobsPlan;
  doc: TargetsDocument;
  warnings: string[];
}

/** The targets command's plan and document for a config with the operator key. */
export async function planTargets(config: Config, jobs: string[] = []): Promise<Planned> {
  const version = config.compat.prometheus;
  const expanded = await expandOperator(config, { version });
  assert.ok(expanded.ok, expanded.ok ? '' : expanded.message);
  const selected = selectChecks(expanded.config, jobs);
  assert.ok(selected.ok, selected.ok ? '' : selected.message);
  const { plain, plan } = await planOperatorJobs(expanded.config, selected.selection.jobs, {
    version,
  });
  const rest = await planScrapeJobs(expanded.config, plain, { version });
  const merged: JobsPlan = {
    requests: [...rest.requests, ...plan.requests],
    failures: [...rest.failures, ...plan.failures],
    skipped: [...rest.skipped, ...plan.skipped],
    targets: [...rest.targets, ...plan.targets],
  };
  return {
    config: expanded.config,
    plan: merged,
    doc: targetsDocument(merged, { explain: false, version }),
    warnings: expanded.warnings,
  };
}
