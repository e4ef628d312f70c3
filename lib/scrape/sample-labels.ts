/**
 * A scraped sample's final labels, as Prometheus stores it (scrape/scrape.go mutateSampleLabels):
 * the target's labels attached (with `honor_labels` the sample's own win; without, a clashing
 * sample label is kept as `exported_<name>`), then `metric_relabel_configs`, then the checks of the
 * append loop (a `__name__`, valid names). Only then do the sample and label limits apply, so
 * `sample_limit` counts what survives the rules.
 */
import { compareGo, goQuote } from '#lib/discovery/go-strings.ts';
import type { SampleRef } from '#lib/exposition/index.ts';
import { isValidLabelName, isValidMetricName } from '#lib/relabel/label-names.ts';
import type { NameValidationScheme } from '#lib/relabel/label-names.ts';
import { relabel } from '#lib/relabel/process.ts';
import type { SampleRules } from './types.ts';

/** Sorted `[name, value]` pairs, as Prometheus's labels.Labels holds them; no empty values. */
export type LabelPairs = [string, string][];

/**
 * What became of one sample: its final labels (and its final metric name, which the label limits'
 * messages name), dropped by a rule, or an error that fails the scrape, in Prometheus's words.
 */
export type SampleFate =
  { labels: LabelPairs; name: string } | { dropped: true } | { error: string };

const EXPORTED = 'exported_';

/** `labels.Get`: the value, "" when absent (never an inherited property such as `constructor`). */
function own(labels: Record<string, string>, name: string): string {
  return Object.hasOwn(labels, name) ? labels[name]! : '';
}

function sorted(labels: Record<string, string>): LabelPairs {
  const pairs: LabelPairs = [];
  for (const name in labels) {
    const value = labels[name]!;
    if (value !== '') pairs.push([name, value]);
  }
  return pairs.sort((a, b) => compareGo(a[0], b[0]));
}

/** The names a sample may have: 2.x legacy ones only, 3.x as the job's scheme says. */
function nameScheme(rules: SampleRules): NameValidationScheme {
  return rules.version === '2' ? 'legacy' : (rules.nameValidation ?? 'utf8');
}

/**
 * `labels.IsValid(scheme)` (HEAD model/labels/labels_common.go; v2.42.0 model/labels/labels.go
 * with legacy names only): the metric name and every label name valid under the scheme, every
 * value UTF-8.
 */
function invalidLabels(pairs: LabelPairs, scheme: NameValidationScheme): boolean {
  for (const [name, value] of pairs) {
    if (!value.isWellFormed()) return true;
    if (name === '__name__' && !isValidMetricName(value, scheme)) return true;
    if (!isValidLabelName(name, scheme)) return true;
  }
  return false;
}

/**
 * `labels.Labels.String()`: 2.42 prints names as they are; 3.x quotes a name that is not a legacy
 * one. Values are quoted as Go's strconv.Quote does.
 */
function labelsString(pairs: LabelPairs, version: '2' | '3'): string {
  const name = (n: string): string =>
    version === '3' && !isValidLabelName(n, 'legacy') ? goQuote(n) : n;
  return `{${pairs.map(([n, v]) => `${name(n)}=${goQuote(v)}`).join(', ')}}`;
}

/**
 * Without `honor_labels`, exposed labels that clash with target labels are renamed, shortest name
 * first, with as many `exported_` prefixes as it takes to be unique (resolveConflictingExposedLabels).
 * A name is taken when the sample exposes it (2.42 asks `Has`, so an exposed empty value takes it
 * too; 3.x asks the builder, where an empty value is absent), when the target has it, or when an
 * earlier clash took it.
 */
function resolveConflicts(
  out: Record<string, string>,
  exposed: Record<string, string>,
  target: Record<string, string>,
  conflicts: LabelPairs,
  version: '2' | '3',
): void {
  conflicts.sort((a, b) => a[0].length - b[0].length);
  const taken = new Set<string>();
  const exposes = (name: string): boolean =>
    version === '2' ? Object.hasOwn(exposed, name) : own(exposed, name) !== '';
  for (const conflict of conflicts) {
    let name = conflict[0];
    do name = EXPORTED + name;
    while (exposes(name) || Object.hasOwn(target, name) || taken.has(name));
    taken.add(name);
    conflict[0] = name;
  }
  for (const [name, value] of conflicts) out[name] = value;
}

/**
 * Whether a target's samples need their labels checked beyond the limits: metric_relabel_configs
 * can make any name invalid, and so can a target label that relabel_configs named "" (a `labelmap`
 * whose `$1` is empty: Prometheus checks only target label values, v2.42.0 scrape/target.go). The
 * parser holds exposed names to the version's rules, and Prometheus 3's are UTF-8: a job with
 * legacy validation checks every sample.
 */
export function labelsNeedChecks(
  rules: SampleRules,
  targetLabels: Record<string, string>,
): boolean {
  if (rules.metricRelabel.length > 0) return true;
  const scheme = nameScheme(rules);
  if (rules.version === '3' && scheme === 'legacy') return true;
  return Object.keys(targetLabels).some((name) => !isValidLabelName(name, scheme));
}

/** Builds the mutator for one target. */
export function sampleMutator(
  rules: SampleRules,
  targetLabels: Record<string, string>,
): (sample: SampleRef) => SampleFate {
  const target = Object.fromEntries(Object.entries(targetLabels).filter(([, v]) => v !== ''));
  const checkNames = labelsNeedChecks(rules, target);
  const scheme = nameScheme(rules);
  return (sample) => {
    const exposed = sample.labels();
    exposed.__name__ = sample.name;
    const out: Record<string, string> = { ...exposed };
    if (rules.honorLabels) {
      // `lset.Has`: an exposed label keeps the target's out even with an empty value, and then
      // vanishes itself (instance="" leaves the sample with no instance at all).
      for (const name in target) if (!Object.hasOwn(exposed, name)) out[name] = target[name]!;
    } else {
      const conflicts: LabelPairs = [];
      for (const name in target) {
        const existing = own(exposed, name);
        if (existing !== '') conflicts.push([name, existing]);
        out[name] = target[name]!;
      }
      if (conflicts.length > 0) resolveConflicts(out, exposed, target, conflicts, rules.version);
    }
    let final: Record<string, string> = out;
    if (rules.metricRelabel.length > 0) {
      const relabelled = relabel(out, rules.metricRelabel, rules.version);
      if (relabelled.labels === null) return { dropped: true };
      final = relabelled.labels;
    }
    const pairs = sorted(final);
    if (pairs.length === 0) return { dropped: true };
    const name = final.__name__;
    if (!name) return { error: 'missing metric name (__name__ label)' };
    // The parser already holds every exposed name to the rules (see labelsNeedChecks).
    if (checkNames && invalidLabels(pairs, scheme)) {
      return {
        error: `invalid metric name or label names: ${labelsString(pairs, rules.version)}`,
      };
    }
    return { labels: pairs, name };
  };
}
