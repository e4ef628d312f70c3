/**
 * Applying relabel rules to a label set, per Prometheus version:
 *
 * - 3.x: `relabel.ProcessBuilder` (HEAD `model/relabel/relabel.go`), one builder through all rules;
 * - 2.42: `relabel.Process` (v2.42.0 `model/relabel/relabel.go`), which re-bases the builder on
 *   each rule's result; the visible differences are in `replace` and in `labelmap`'s order.
 *
 * Both stop at the first rule that drops the set.
 */
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { LabelBuilder } from './builder.ts';
import { goToLower, goToUpper } from './case.ts';
import { hasTemplateVar } from './expand.ts';
import { isValidLabelName } from './label-names.ts';
import { md5Low64 } from './md5.ts';
import type { RelabelRule, RelabelRuleJSON } from './types.ts';

/** What `relabel` returns: the new labels, or null and the index of the rule that dropped them. */
export interface RelabelResult {
  /** Keys sorted; empty values never appear. null when a rule dropped the set. */
  labels: LabelSet | null;
  /** Index (in `rules`) of the `keep`/`drop`/`keepequal`/`dropequal` rule that dropped the set. */
  droppedBy: number | null;
}

/** One step of `relabelSteps`: Prometheus 3.8's `RelabelStep` (`web/api/v1/api.go`). */
export interface RelabelStep {
  rule: RelabelRuleJSON;
  /** The labels after this rule; `{}` once the set has been dropped. */
  output: LabelSet;
  keep: boolean;
}

/** The source labels' values joined with the separator; a missing label is "" (`lb.Get`). */
function sourceValue(rule: RelabelRule, b: LabelBuilder): string {
  const names = rule.sourceLabels;
  if (names.length === 0) return '';
  let value = b.get(names[0]!);
  for (let i = 1; i < names.length; i++) value += rule.separator + b.get(names[i]!);
  return value;
}

/** 3.x `replace` (Prometheus ≥ 2.50): a bad expanded target changes nothing; "" deletes it. */
function replaceV3(rule: RelabelRule, b: LabelBuilder, value: string): void {
  // Fast path "to add or delete label pair" (#12180): only for the omitted (default) regex.
  // It gives what the general path would: `(.*)` matches "", and neither template has a `$`.
  if (
    value === '' &&
    rule.regexIsDefault &&
    !hasTemplateVar(rule.targetLabel) &&
    !hasTemplateVar(rule.replacement)
  ) {
    b.set(rule.targetLabel, rule.replacement);
    return;
  }
  const groups = rule.regex.findSubmatch(value);
  if (groups === null) return;
  const target = rule.regex.expand(rule.targetLabel, groups);
  if (!isValidLabelName(target, rule.nameValidation)) return;
  const result = rule.regex.expand(rule.replacement, groups);
  if (result === '') b.del(target);
  else b.set(target, result);
}

/**
 * 2.42 `replace`: on an invalid expanded target or an empty result it deletes
 * `cfg.TargetLabel`, the *unexpanded* template, so `target_label: $1` with an empty result
 * deletes nothing (fixed in 2.50, "relabel: blank replacement deletes label post-regexp").
 */
function replaceV2(rule: RelabelRule, b: LabelBuilder, value: string): void {
  const groups = rule.regex.findSubmatch(value);
  if (groups === null) return;
  const target = rule.regex.expand(rule.targetLabel, groups);
  if (!isValidLabelName(target, 'legacy')) {
    b.del(rule.targetLabel);
    return;
  }
  const result = rule.regex.expand(rule.replacement, groups);
  if (result === '') b.del(rule.targetLabel);
  else b.set(target, result);
}

/** `hashmod`: MD5 of the value, bytes 8..15 as a big-endian uint64, modulo `modulus`. */
function hashmod(value: string, modulus: bigint): string {
  return (md5Low64(value) % modulus).toString();
}

/**
 * `labelmap`: every label of the snapshot whose name matches is copied to the expanded
 * replacement (`ReplaceAllString`); the originals stay. The new name is not checked (Go does not).
 */
function labelmap(rule: RelabelRule, b: LabelBuilder, version: PromVersion, first: boolean): void {
  const map = (name: string, value: string): void => {
    const groups = rule.regex.findSubmatch(name);
    if (groups !== null) b.set(rule.regex.expand(rule.replacement, groups), value);
  };
  if (version === '3') b.forEachRange(map);
  else for (const [name, value] of b.sortedEntries(first)) map(name, value);
}

/** Applies one rule; false when it drops the set. */
function applyRule(
  rule: RelabelRule,
  b: LabelBuilder,
  version: PromVersion,
  first: boolean,
): boolean {
  const value = sourceValue(rule, b);
  switch (rule.action) {
    case 'drop':
      return !rule.regex.matches(value);
    case 'keep':
      return rule.regex.matches(value);
    case 'dropequal':
      return b.get(rule.targetLabel) !== value;
    case 'keepequal':
      return b.get(rule.targetLabel) === value;
    case 'replace':
      if (version === '2') replaceV2(rule, b, value);
      else replaceV3(rule, b, value);
      return true;
    case 'lowercase':
      b.set(rule.targetLabel, goToLower(value));
      return true;
    case 'uppercase':
      b.set(rule.targetLabel, goToUpper(value));
      return true;
    case 'hashmod':
      b.set(rule.targetLabel, hashmod(value, rule.modulus));
      return true;
    case 'labelmap':
      labelmap(rule, b, version, first);
      return true;
    case 'labeldrop':
      b.deleteWhere((name) => rule.regex.matches(name));
      return true;
    case 'labelkeep':
      b.deleteWhere((name) => !rule.regex.matches(name));
      return true;
  }
}

/**
 * Relabels one label set as Prometheus `version` does (target relabeling, metric relabeling).
 * `rules` must come from `compileRelabelConfigs` for the same version. The input is not
 * modified; the result is a new object with sorted keys.
 *
 * @example relabel({ __address__: '10.0.0.1:9100' }, rules, '3') // { labels: {...}, droppedBy: null }
 */
export function relabel(
  labels: LabelSet,
  rules: readonly RelabelRule[],
  version: PromVersion,
): RelabelResult {
  const b = new LabelBuilder(labels);
  for (let i = 0; i < rules.length; i++) {
    if (!applyRule(rules[i]!, b, version, i === 0)) return { labels: null, droppedBy: i };
  }
  return { labels: b.labels(), droppedBy: null };
}

/**
 * Every rule's effect, as Prometheus 3.8's `GET /api/v1/targets/relabel_steps` reports it
 * (`web/api/v1/api.go`, `targetRelabelSteps`): per rule, the rule, the labels after it and
 * whether the set is still kept; after a drop, the remaining steps show `{}` and `keep: false`.
 * `labels` is the final set (null when dropped). For 2.x (which has no such endpoint) the steps
 * follow 2.42's semantics in the same shape.
 */
export function relabelSteps(
  labels: LabelSet,
  rules: readonly RelabelRule[],
  version: PromVersion,
): { steps: RelabelStep[]; labels: LabelSet | null } {
  const b = new LabelBuilder(labels);
  const steps: RelabelStep[] = [];
  let keep: boolean = true;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (keep) keep = applyRule(rule, b, version, i === 0);
    steps.push({ rule: rule.config, output: keep ? b.labels() : {}, keep });
  }
  return { steps, labels: keep ? b.labels() : null };
}
