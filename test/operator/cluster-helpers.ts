/**
 * Helpers for the cluster-side operator tests: the operator's objects applied to the emulator, a
 * generated Secret written the way the operator writes it, and the planning and scraping a run
 * does with the jobs of an expanded config (the operator's jobs as their pod, the rest as before),
 * so a test compares what `run` and `targets` would report.
 */
import assert from 'node:assert/strict';
import { parseAllDocuments, stringify } from 'yaml';
import { targetsDocument, type TargetsDocument } from '#lib/cli/targets-view.ts';
import { loadConfigFile, type Config } from '#lib/config/index.ts';
import { generateJobs } from '#lib/operator/generate.ts';
import { ConfigGenerator } from '#lib/operator/generator.ts';
import { toPlain } from '#lib/operator/map-slice.ts';
import { parseObjects } from '#lib/operator/objects.ts';
import { AssetStore } from '#lib/operator/store.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { selectChecks } from '#lib/runner/select.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { JobsPlan } from '#lib/targets/jobs.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import type { CustomObject } from '../k8s/emulator-operator.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';

/** Applies every monitoring.coreos.com object of a YAML text to the emulator. */
export function applyOperatorObjects(emu: K8sEmulator, text: string): void {
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as CustomObject | null;
    if (o?.apiVersion?.startsWith('monitoring.coreos.com') === true) emu.operator.put(o);
  }
}

/**
 * The config the operator writes for `prometheusText`'s resource and `monitorsText`'s monitors
 * (`global` as `buildGlobalConfig` writes it, then the jobs with file references, not inlined).
 */
export function operatorConfigText(
  prometheusText: string,
  monitorsText: string,
  get: AssetStore = new AssetStore(null),
): string {
  const p = parseObjects(prometheusText, 'prometheus.yaml').prometheuses[0];
  assert.ok(p);
  const monitors = parseObjects(monitorsText, 'monitors.yaml').monitors;
  const cg = new ConfigGenerator(p, { store: get, inlineTls: false });
  return stringify({
    global: {
      scrape_interval: p.spec.scrapeInterval ?? '30s',
      external_labels: {
        prometheus: `${p.metadata.namespace}/${p.metadata.name}`,
        prometheus_replica: '$(POD_NAME)',
      },
      evaluation_interval: '30s',
    },
    scrape_configs: generateJobs(cg, monitors).map((j) => toPlain(j.config)),
  });
}

export { writeKubeconfig } from '../k8s/cluster-fixture.ts';

export interface Expanded {
  config: Config;
  warnings: string[];
  plan: JobsPlan;
  doc: TargetsDocument;
}

/**
 * Loads `file` as the entry points do (withOperatorJobs) and plans every job: the operator's as
 * their pod, the rest as before (planScrapeJobs, as `run` and `targets` plan).
 */
export async function expandAndPlan(file: string, jobs: string[] = []): Promise<Expanded> {
  const loaded = await withOperatorJobs(await loadConfigFile(file));
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
  const config = loaded.config;
  const version = config.compat.prometheus;
  const selected = selectChecks(config, jobs);
  assert.ok(selected.ok, selected.ok ? '' : selected.message);
  const plan = await planScrapeJobs(config, selected.selection.jobs, { version });
  return {
    config,
    warnings: loaded.warnings,
    plan,
    doc: targetsDocument(plan, { explain: false, version }),
  };
}

/** Scrapes every planned request as `run` does; failures as their verdicts. Sorted by job, instance. */
export async function runPlan(plan: JobsPlan): Promise<CheckResult[]> {
  const results = await Promise.all(
    plan.requests.map(
      async (r) =>
        (
          await scrape(r, {
            prometheusVersion: '3',
            samples: false,
            forward: null,
            certExpiryWarningDays: 14,
          })
        ).result,
    ),
  );
  const failed = plan.failures.map(
    (f) => ({ ...f, ok: false, warnings: [] }) as unknown as CheckResult,
  );
  return [...results, ...failed].sort((a, b) =>
    `${a.job} ${a.instance ?? ''}` < `${b.job} ${b.instance ?? ''}` ? -1 : 1,
  );
}
