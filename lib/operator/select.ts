/**
 * Which monitors a Prometheus resource selects (prometheus-operator
 * `pkg/prometheus/resource_selector.go` `selectObjects`, `pkg/operator/operator.go`
 * `SelectNamespacesFromCache`): a monitor must match the kind's label selector (unset selects
 * nothing, `{}` everything) and sit in a namespace the namespace selector picks (unset: the
 * resource's own namespace only). For every monitor left out, `why` names the label that is missing
 * or the namespace rule that excludes it — "my ServiceMonitor is not picked up" answered.
 */
import type { LabelSelector } from './crd-common.ts';
import type { Monitor } from './crd-monitors.ts';
import type { PrometheusResource, PrometheusSpec } from './crd-prometheus.ts';
import { matches, mismatches, selectorError, selectorString } from './label-selector.ts';

/** The resource's selector fields for each monitor kind. */
export const SELECTOR_FIELDS = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
  ScrapeConfig: ['scrapeConfigSelector', 'scrapeConfigNamespaceSelector'],
} as const satisfies Record<Monitor['kind'], readonly [keyof PrometheusSpec, keyof PrometheusSpec]>;

/** A monitor the resource does not select, and why. */
export interface Unselected {
  monitor: Monitor;
  why: string;
}

export interface Selection {
  selected: Monitor[];
  unselected: Unselected[];
}

/** Namespace labels by name (a `list namespaces`), or null when not listed. */
export type NamespaceLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

function selectorOf(spec: PrometheusSpec, field: keyof PrometheusSpec): LabelSelector | null {
  const value = spec[field] as LabelSelector | null | undefined;
  return value ?? null;
}

/** True when some namespace selector of the resource needs the namespaces' labels. */
export function needsNamespaceLabels(prom: PrometheusResource | null): boolean {
  if (prom === null) return false;
  return Object.values(SELECTOR_FIELDS).some(([, ns]) => selectorOf(prom.spec, ns) !== null);
}

/** The Helm release label kube-prometheus-stack puts in its selectors: worth a word of its own. */
function releaseHint(selector: LabelSelector, kind: Monitor['kind']): string {
  const release = selector.matchLabels?.release;
  if (release === undefined) return '';
  const values: Record<Monitor['kind'], string> = {
    ServiceMonitor: 'serviceMonitorSelectorNilUsesHelmValues',
    PodMonitor: 'podMonitorSelectorNilUsesHelmValues',
    Probe: 'probeSelectorNilUsesHelmValues',
    ScrapeConfig: 'scrapeConfigSelectorNilUsesHelmValues',
  };
  return ` (kube-prometheus-stack selects by its Helm release label: add "release: ${release}" to the ${kind}'s metadata.labels, or install the chart with prometheus.prometheusSpec.${values[kind]}=false to select every ${kind})`;
}

/** Why `m` is not selected, or null when it is. */
export function whyNotSelected(
  prom: PrometheusResource,
  m: Monitor,
  namespaces: NamespaceLabels | null,
): string | null {
  const [selField, nsField] = SELECTOR_FIELDS[m.kind];
  const who = `${prom.kind} ${prom.metadata.namespace}/${prom.metadata.name}`;
  const selector = selectorOf(prom.spec, selField);
  if (selector === null)
    return `${who} has no ${selField}, which selects no ${m.kind} at all (set ${selField}: {} to select every one)`;
  const bad = selectorError(selector);
  if (bad !== null)
    return `${who}'s ${selField} is invalid (${bad}): the operator selects nothing with it`;
  if (!matches(selector, m.metadata.labels)) {
    const missing = mismatches(selector, m.metadata.labels);
    return `the ${m.kind} ${missing.join('; ')}: ${who} selects ${m.kind}s with ${selField} "${selectorString(selector)}"${releaseHint(selector, m.kind)}`;
  }
  const ns = m.metadata.namespace;
  const nsSelector = selectorOf(prom.spec, nsField);
  if (nsSelector === null) {
    if (ns === prom.metadata.namespace) return null;
    return `it is in namespace ${ns}, and ${who} has no ${nsField}, so it selects ${m.kind}s in its own namespace ${prom.metadata.namespace} only (set ${nsField}: {} for every namespace, or one that matches ${ns})`;
  }
  const bad2 = selectorError(nsSelector);
  if (bad2 !== null)
    return `${who}'s ${nsField} is invalid (${bad2}): the operator selects nothing with it`;
  if (namespaces === null) return null;
  const labels = namespaces.get(ns);
  if (labels === undefined) return `its namespace ${ns} does not exist in the cluster`;
  if (matches(nsSelector, labels)) return null;
  return `its namespace ${ns} ${mismatches(nsSelector, labels).join('; ')}: ${who} selects namespaces with ${nsField} "${selectorString(nsSelector)}"`;
}

/**
 * Splits monitors into those the resource selects and the rest, with reasons. Without a resource,
 * every monitor is selected (the contract's default for `operator.prometheus`).
 */
export function selectMonitors(
  prom: PrometheusResource | null,
  monitors: readonly Monitor[],
  namespaces: NamespaceLabels | null,
): Selection {
  const out: Selection = { selected: [], unselected: [] };
  for (const m of monitors) {
    const why = prom === null ? null : whyNotSelected(prom, m, namespaces);
    if (why === null) out.selected.push(m);
    else out.unselected.push({ monitor: m, why });
  }
  return out;
}
