/**
 * A scraped sample's final labels, as Prometheus stores it (scrape/scrape.go mutateSampleLabels):
 * the target's labels attached (with `honor_labels` the sample's own win; without, a clashing
 * sample label is kept as `exported_<name>`), then `metric_relabel_configs`. Only then do the
 * sample and label limits apply, so `sample_limit` counts what survives the rules.
 */
import type { SampleRef } from '#lib/exposition/index.ts';
import { relabel } from '#lib/relabel/index.ts';
import type { SampleRules } from './types.ts';

/** Sorted `[name, value]` pairs, as Prometheus's labels.Labels holds them; no empty values. */
export type LabelPairs = [string, string][];

/** What became of one sample: its final labels, dropped by a rule, or an error for the scrape. */
export type SampleFate = { labels: LabelPairs } | { dropped: true } | { error: string };

const EXPORTED = 'exported_';

function sorted(labels: Record<string, string>): LabelPairs {
  const pairs: LabelPairs = [];
  for (const name in labels) {
    const value = labels[name]!;
    if (value !== '') pairs.push([name, value]);
  }
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Without `honor_labels`, exposed labels that clash with target labels are renamed, shortest name
 * first, with as many `exported_` prefixes as it takes to be unique (resolveConflictingExposedLabels).
 */
function resolveConflicts(
  out: Record<string, string>,
  exposed: Record<string, string>,
  target: Record<string, string>,
  conflicts: LabelPairs,
): void {
  conflicts.sort((a, b) => a[0].length - b[0].length);
  const taken = new Set<string>();
  for (const conflict of conflicts) {
    let name = conflict[0];
    do name = EXPORTED + name;
    while (name in exposed || name in target || taken.has(name));
    taken.add(name);
    conflict[0] = name;
  }
  for (const [name, value] of conflicts) out[name] = value;
}

/** Builds the mutator for one target. */
export function sampleMutator(
  rules: SampleRules,
  targetLabels: Record<string, string>,
): (sample: SampleRef) => SampleFate {
  const target = Object.fromEntries(Object.entries(targetLabels).filter(([, v]) => v !== ''));
  return (sample) => {
    const exposed = sample.labels();
    exposed.__name__ = sample.name;
    const out: Record<string, string> = { ...exposed };
    if (rules.honorLabels) {
      for (const name in target) if (!exposed[name]) out[name] = target[name]!;
    } else {
      const conflicts: LabelPairs = [];
      for (const name in target) {
        const existing = exposed[name];
        if (existing) conflicts.push([name, existing]);
        out[name] = target[name]!;
      }
      if (conflicts.length > 0) resolveConflicts(out, exposed, target, conflicts);
    }
    let final: Record<string, string> = out;
    if (rules.metricRelabel.length > 0) {
      const relabelled = relabel(out, rules.metricRelabel, rules.version);
      if (relabelled.labels === null) return { dropped: true };
      final = relabelled.labels;
    }
    const pairs = sorted(final);
    if (pairs.length === 0) return { dropped: true };
    if (!final.__name__) return { error: 'missing metric name (__name__ label)' };
    return { labels: pairs };
  };
}
