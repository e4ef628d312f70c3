/**
 * Which monitors make it into the generated config, as the operator decides it: those the
 * Prometheus resource selects (the rest are registered as unselected, with why), then those that
 * pass its checks (the rest as rejected, with the operator's event text), generated and read as
 * scrape configs for the chosen Prometheus version (a job Prometheus would refuse to load rejects
 * its monitor too: the config reloader would keep the previous config).
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import { scrapeConfig } from '#lib/config/schema-prometheus.ts';
import { checkMonitor } from './check.ts';
import { describeMonitor, type Monitor } from './crd-monitors.ts';
import type { PrometheusResource } from './crd-prometheus.ts';
import type { ExpandOptions, OperatorRun, Origin } from './expand.ts';
import { generateMonitorJobs } from './generate.ts';
import { jobNames } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import { selectMonitors, type NamespaceLabels } from './select.ts';
import type { AssetStore } from './store.ts';
import { toScrapeConfig } from './to-scrape-config.ts';

/** A job that only carries a name: its verdict comes from its origin. */
export function placeholder(name: string): ScrapeConfig {
  const parsed = scrapeConfig.safeParse({ job_name: name });
  if (!parsed.success) throw new Error(`placeholder job ${name} does not parse`);
  return parsed.data;
}

export interface GenerateContext {
  cg: ConfigGenerator;
  store: AssetStore;
  run: OperatorRun;
  config: Config;
  options: ExpandOptions;
  sources: Monitor[];
  namespaces: NamespaceLabels | null;
  prometheus: PrometheusResource | null;
  register: (job: ScrapeConfig, origin: Origin) => void;
  now: () => number;
}

/** Selects, checks and generates every monitor; registers each job with its origin. */
export async function admitMonitors(ctx: GenerateContext): Promise<void> {
  const { cg, run, register } = ctx;
  const selection = selectMonitors(ctx.prometheus, ctx.sources, ctx.namespaces);
  for (const u of selection.unselected)
    for (const name of jobNames(u.monitor))
      register(placeholder(name), { kind: 'unselected', run, monitor: u.monitor, why: u.why });
  const order = (m: Monitor) =>
    `${['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig'].indexOf(m.kind)}/${m.metadata.namespace}/${m.metadata.name}`;
  const selected = [...selection.selected].sort((a, b) => (order(a) < order(b) ? -1 : 1));
  for (const m of selected) {
    const rejectedBy = await checkMonitor(cg, ctx.store, m, ctx.now());
    const reject = (why: string) => {
      const diagnosis = `the operator rejects ${describeMonitor(m)} and leaves it out of the config ("${m.metadata.namespace}/${m.metadata.name}" was rejected due to invalid configuration: ${why})`;
      for (const name of jobNames(m))
        register(placeholder(name), {
          kind: 'failed',
          run,
          monitor: m,
          failure: { reason: 'config_invalid', diagnosis },
        });
    };
    if (rejectedBy !== null) {
      reject(rejectedBy);
      continue;
    }
    const before = cg.warnings.length;
    const jobs = generateMonitorJobs(cg, m);
    const generatorWarnings = cg.warnings.slice(before);
    const converted = await Promise.all(
      jobs.map(async (g) => ({
        g,
        c: await toScrapeConfig(cg, g, ctx.config, ctx.options.version),
      })),
    );
    const bad = converted.find((x) => !x.c.ok);
    if (bad !== undefined && !bad.c.ok) {
      reject(`${bad.g.name}: ${bad.c.message}`);
      continue;
    }
    for (const { g, c } of converted) {
      if (!c.ok) continue;
      register(c.job, {
        kind: 'generated',
        run,
        generated: g,
        warnings: [...generatorWarnings, ...c.warnings],
      });
    }
  }
}
