/**
 * Prometheus Operator monitors as the operator turns them into scrape configs
 * (prometheus-operator `pkg/prometheus/promcfg.go`, `resource_selector.go` at HEAD): ServiceMonitor,
 * PodMonitor, Probe and ScrapeConfig objects from files, selected by a Prometheus resource (and,
 * for each one left out, why), checked and rejected as the operator rejects them, generated key for
 * key with the operator's job names and relabel chain, then planned as ordinary scrape_configs by
 * the Prometheus pod stood in for.
 *
 * @example
 * const expanded = await expandOperator(config, { version: '3' });
 * if (!expanded.ok) throw new UsageError(expanded.message);
 * // expanded.config.scrape_configs now holds serviceMonitor/<ns>/<name>/<i>, … jobs
 * const { plain, plan } = await planOperatorJobs(expanded.config, jobs, { version: '3' });
 */
export { expandOperator } from './expand.ts';
export { jobCluster, operatorOrigin } from './origin.ts';
export type { Expansion, ExpandOptions, OperatorRun, Origin } from './expand.ts';
export { planOperatorJobs } from './plan.ts';
export type { OperatorPlan } from './plan.ts';
export { generateJobs, generateMonitorJobs } from './generate.ts';
export { MapSlice, toPlain } from './map-slice.ts';
export { jobName, jobNames } from './generated.ts';
export type { GeneratedJob, RuleRole } from './generated.ts';
export {
  ConfigGenerator,
  DEFAULT_PROMETHEUS_V2,
  DEFAULT_PROMETHEUS_VERSION,
  GeneratorError,
} from './generator.ts';
export type { GeneratorOptions } from './generator.ts';
export { selectMonitors, whyNotSelected } from './select.ts';
export type { NamespaceLabels, Selection, Unselected } from './select.ts';
export { checkMonitor } from './check.ts';
export { explainMonitorNoTargets } from './explain.ts';
export { parseObjects } from './objects.ts';
export type { ParsedObjects, ParseObjectsOptions } from './objects.ts';
export { readOperatorSources } from './sources.ts';
export type { OperatorSources } from './sources.ts';
export { AssetStore } from './store.ts';
export type { StoreObjects } from './store.ts';
export { describeMonitor } from './crd-monitors.ts';
export type { Monitor, MonitorKind } from './crd-monitors.ts';
export { implicitPrometheus } from './crd-prometheus.ts';
export type { PrometheusResource } from './crd-prometheus.ts';
export { withOperatorJobs } from './with-jobs.ts';
