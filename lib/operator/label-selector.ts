/**
 * Kubernetes label selectors (`metav1.LabelSelector`) as apimachinery evaluates and prints them
 * (k8s.io/apimachinery `pkg/apis/meta/v1/helpers.go` LabelSelectorAsSelector, `pkg/labels/
 * selector.go`): requirements sorted by key, matchLabels before expressions of the same key, `In`
 * values sorted when printed. `firstMismatch` says which requirement an object fails, in words a
 * person can act on ("lacks label release=kps").
 */
import type { LabelSelector } from './crd-common.ts';

/** One requirement of a selector. */
export interface Requirement {
  key: string;
  operator: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** The requirements, in the order apimachinery keeps them (stable by key). */
export function requirements(selector: LabelSelector): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    reqs.push({ key, operator: 'Equals', values: [value] });
  for (const e of selector.matchExpressions ?? [])
    reqs.push({ key: e.key, operator: e.operator, values: [...(e.values ?? [])] });
  // Go's insertion sort for short slices is stable; Array.prototype.sort is stable too.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Why apimachinery refuses a selector (`LabelSelectorAsSelector`'s error), or null. In and NotIn
 * need values; Exists and DoesNotExist take none.
 */
export function selectorError(selector: LabelSelector): string | null {
  for (const e of selector.matchExpressions ?? []) {
    const n = (e.values ?? []).length;
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0)
      return `values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0)
      return `values: Invalid value: ${JSON.stringify(e.values)}: values set must be empty for exists and does not exist`;
  }
  return null;
}

/** `labels.Selector.String()`: `app=x,tier in (a,b),!legacy`. */
export function selectorString(selector: LabelSelector): string {
  return requirements(selector)
    .map((r) => {
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Equals':
          return `${r.key}=${r.values[0] ?? ''}`;
        default: {
          const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
          return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${values})`;
        }
      }
    })
    .join(',');
}

function holds(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Equals':
    case 'In':
      return has && r.values.includes(value!);
    case 'NotIn':
      return !has || !r.values.includes(value!);
  }
}

/** True when `labels` satisfy every requirement (an empty selector matches everything). */
export function matches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements(selector).every((r) => holds(r, labels));
}

/** How an object fails a requirement: `lacks label release=kps`, `has release=a, not b`. */
export function describeMismatch(r: Requirement, labels: Readonly<Record<string, string>>): string {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'Exists':
      return `lacks label ${r.key}`;
    case 'DoesNotExist':
      return `has label ${r.key}, which the selector excludes (!${r.key})`;
    case 'Equals':
      return has
        ? `has label ${r.key}=${value!}, not ${r.key}=${r.values[0] ?? ''}`
        : `lacks label ${r.key}=${r.values[0] ?? ''}`;
    case 'In':
      return has
        ? `has label ${r.key}=${value!}, not one of ${r.key} in (${r.values.join(',')})`
        : `lacks label ${r.key} (one of ${r.values.join(', ')})`;
    case 'NotIn':
      return `has label ${r.key}=${value!}, which the selector excludes (${r.key} notin (${r.values.join(',')}))`;
  }
}

/** Every requirement `labels` fail, described; empty when they match. */
export function mismatches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): string[] {
  return requirements(selector)
    .filter((r) => !holds(r, labels))
    .map((r) => describeMismatch(r, labels));
}
