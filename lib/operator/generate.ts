/**
 * Monitors → scrape jobs, in the order the operator writes them (`GenerateServerConfiguration`:
 * ServiceMonitors, PodMonitors, Probes, then ScrapeConfigs, each kind sorted by `namespace/name`,
 * one job per endpoint). `toPlain(job.config)` is the scrape config as YAML or JSON would hold it
 * (with what the operator inlines from Secrets: never print it).
 *
 * @example
 * const cg = new ConfigGenerator(prometheus, { store });
 * const jobs = generateJobs(cg, monitors);
 * jobs[0].name; // "serviceMonitor/monitoring/kps-apiserver/0"
 */
import type { Monitor } from './crd-monitors.ts';
import type { GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import { generatePodMonitorJob } from './pod-monitor.ts';
import { generateProbeJob } from './probe.ts';
import { generateScrapeConfigJob } from './scrape-config.ts';
import { generateServiceMonitorJob } from './service-monitor.ts';

const ORDER: Monitor['kind'][] = ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig'];

function key(m: Monitor): string {
  return `${m.metadata.namespace}/${m.metadata.name}`;
}

/** Generates every monitor's jobs, in the operator's order. */
export function generateJobs(cg: ConfigGenerator, monitors: readonly Monitor[]): GeneratedJob[] {
  const out: GeneratedJob[] = [];
  for (const kind of ORDER) {
    const ofKind = monitors
      .filter((m) => m.kind === kind)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (const m of ofKind) out.push(...generateMonitorJobs(cg, m));
  }
  return out;
}

/** One monitor's jobs. */
export function generateMonitorJobs(cg: ConfigGenerator, m: Monitor): GeneratedJob[] {
  switch (m.kind) {
    case 'ServiceMonitor':
      return m.spec.endpoints.map((ep, i) => generateServiceMonitorJob(cg, m, ep, i));
    case 'PodMonitor':
      return m.spec.podMetricsEndpoints.map((ep, i) => generatePodMonitorJob(cg, m, ep, i));
    case 'Probe':
      return [generateProbeJob(cg, m)];
    case 'ScrapeConfig':
      return [generateScrapeConfigJob(cg, m)];
  }
}
