/**
 * Prometheus's relabeling engine, per major version ('2' = Prometheus 2.42, '3' = Prometheus 3.x):
 * rule decoding and validation with Prometheus's own messages, RE2 regexes with Prometheus's
 * anchoring, Go's template expansion, and every action.
 *
 * `compileRelabelConfigs` turns a job's `relabel_configs` (as the YAML parser gave it) into rules;
 * `relabel` applies them to a label set; `relabelSteps` shows each rule's effect, as Prometheus
 * 3.8's `/api/v1/targets/relabel_steps` does.
 *
 * @example
 * const compiled = compileRelabelConfigs(job.relabel_configs, '3');
 * if (!compiled.ok) return compiled.errors; // [{ path: [2, 'target_label'], message: '…' }]
 * const { labels, droppedBy } = relabel(discoveredLabels, compiled.rules, '3');
 */
export { compileRelabelConfigs } from './rules.ts';
export type { CompileOptions, CompileResult } from './rules.ts';
export { relabel, relabelSteps } from './process.ts';
export type { RelabelResult, RelabelStep } from './process.ts';
export { compileRegex, RelabelRegex } from './regex.ts';
export type { RegexResult, RegexStrategy } from './regex.ts';
export { expandTemplate } from './expand.ts';
export type { Submatches } from './expand.ts';
export { isValidLabelName } from './label-names.ts';
export type { NameValidationScheme } from './label-names.ts';
export { RELABEL_ACTIONS } from './types.ts';
export type { RelabelAction, RelabelConfigError, RelabelRule, RelabelRuleJSON } from './types.ts';
