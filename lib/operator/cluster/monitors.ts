/**
 * `operator.monitors` left out: the ServiceMonitors, PodMonitors, Probes and ScrapeConfigs listed
 * from the cluster, as the operator's informers see them, for the resource that
 * `clusters[].prometheus.resource` names. Each kind is listed in the resource's own namespace when
 * its namespace selector is unset (the operator looks nowhere else), and across all namespaces
 * otherwise, so a monitor in a namespace the selector leaves out is still listed, and said why.
 * List items go through the same CRD checks as a file's objects.
 */
import type { Monitor } from '../crd-monitors.ts';
import type { PrometheusResource } from '../crd-prometheus.ts';
import { parseObjects } from '../objects.ts';
import { SELECTOR_FIELDS } from '../select.ts';
import type { ApiGet } from '../store.ts';
import { failureOf, type Read } from './api.ts';

const KINDS = {
  ServiceMonitor: { version: 'v1', resource: 'servicemonitors' },
  PodMonitor: { version: 'v1', resource: 'podmonitors' },
  Probe: { version: 'v1', resource: 'probes' },
  ScrapeConfig: { version: 'v1alpha1', resource: 'scrapeconfigs' },
} as const satisfies Record<Monitor['kind'], { version: string; resource: string }>;

/** The monitors, and what could not be read or did not check (warnings: the operator skips those too). */
export interface ListedMonitors {
  monitors: Monitor[];
  warnings: string[];
}

/** Lists every kind of monitor the resource may select. */
export async function listMonitors(
  get: ApiGet,
  prometheus: PrometheusResource,
): Promise<Read<ListedMonitors>> {
  const out: ListedMonitors = { monitors: [], warnings: [] };
  const ns = prometheus.metadata.namespace;
  for (const [kind, api] of Object.entries(KINDS) as [
    Monitor['kind'],
    (typeof KINDS)[Monitor['kind']],
  ][]) {
    const nsField = SELECTOR_FIELDS[kind][1];
    const everywhere = prometheus.spec[nsField] !== undefined && prometheus.spec[nsField] !== null;
    const path = `/apis/monitoring.coreos.com/${api.version}${everywhere ? '' : `/namespaces/${encodeURIComponent(ns)}`}/${api.resource}`;
    const answer = await get(path);
    if (!answer.ok) {
      const ref = {
        group: 'monitoring.coreos.com',
        version: api.version,
        resource: api.resource,
        namespace: ns,
        name: '',
        describe: `the ${kind}s${everywhere ? ' of every namespace' : ` of namespace ${ns}`}`,
      };
      const failure = failureOf(ref, answer, 'the CRD is not installed');
      if (answer.status === 404) {
        // A CRD that is not installed (ScrapeConfig before 0.65): nothing of that kind exists.
        out.warnings.push(`cannot list ${ref.describe}: ${failure.diagnosis}`);
        continue;
      }
      const rule = everywhere
        ? `add to a ClusterRole bound to scrape-check's identity:\n  - apiGroups: ["monitoring.coreos.com"]\n    resources: ["${api.resource}"]\n    verbs: ["list"]`
        : `add to a Role in namespace ${ns} bound to scrape-check's identity:\n  - apiGroups: ["monitoring.coreos.com"]\n    resources: ["${api.resource}"]\n    verbs: ["list"]`;
      return {
        ok: false,
        reason: 'discovery_failed',
        diagnosis:
          answer.status === 403
            ? `scrape-check may not list ${ref.describe} (${answer.message}): ${rule}`
            : `cannot list ${ref.describe}: ${answer.message}`,
      };
    }
    const items = ((answer.body as { items?: unknown } | null)?.items ?? []) as unknown[];
    const typed = items.map((item) => ({
      apiVersion: `monitoring.coreos.com/${api.version}`,
      kind,
      ...(item as object),
    }));
    const parsed = parseObjects(
      JSON.stringify({ kind: 'List', items: typed }),
      `the ${kind}s listed from the cluster`,
    );
    // A monitor its CRD would refuse cannot be in the cluster; one that fails here is skipped, said.
    for (const p of parsed.problems)
      out.warnings.push(`${p.file}: ${p.path}: ${p.message} (left out)`);
    out.monitors.push(...parsed.monitors);
  }
  return { ok: true, value: out };
}
