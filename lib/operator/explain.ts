/**
 * Why a monitor's job ends with no target, in the monitor's terms: its selector matches no Service
 * (and which label the nearest ones lack), the Service has no port of that name, the Service has
 * no endpoints (its own selector matches no pod: a managed control plane), no pod declares the
 * container port, every pod has finished. Asked of the cluster with scrape-check's own rights,
 * after relabeling said which generated rule dropped the targets.
 */
import { namespacedPath } from '#lib/credentials/api-path.ts';
import type { ApiResult } from '#lib/credentials/index.ts';
import { listAll, RESOURCES, type ResourceType } from '#lib/discovery/kubernetes/list.ts';
import type { JobTargets } from '#lib/targets/job-targets.ts';
import type { LabelSelector } from './crd-common.ts';
import type { GeneratedJob, RuleRole } from './generated.ts';
import { matches, mismatches, selectorString } from './label-selector.ts';
import { MapSlice } from './map-slice.ts';

type Get = (path: string) => Promise<ApiResult>;

interface Meta {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> | null };
}
interface Service extends Meta {
  spec?: {
    selector?: Record<string, string> | null;
    ports?: { name?: string; port?: number }[] | null;
  };
}
interface Endpoints extends Meta {
  subsets?: { addresses?: unknown[] | null; notReadyAddresses?: unknown[] | null }[] | null;
}
interface Pod extends Meta {
  spec?: { containers?: { ports?: { name?: string; containerPort?: number }[] | null }[] | null };
  status?: { phase?: string };
}

const key = (o: Meta) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const labelsOf = (o: Meta) => o.metadata?.labels ?? {};
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The namespaces a generated job discovers in ([] = all). */
function namespacesOf(job: GeneratedJob): string[] {
  const sd = job.config.get('kubernetes_sd_configs');
  const first = Array.isArray(sd) ? sd[0] : undefined;
  const ns = first instanceof MapSlice ? first.get('namespaces') : undefined;
  const names = ns instanceof MapSlice ? ns.get('names') : undefined;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

async function list(get: Get, type: ResourceType, namespaces: string[]): Promise<Meta[] | string> {
  const out: Meta[] = [];
  for (const namespace of namespaces.length === 0 ? [''] : namespaces) {
    const got = await listAll(get, { type, namespace, labelSelector: '', fieldSelector: '' });
    if (!got.ok) return got.failure.message;
    out.push(...(got.items as Meta[]));
  }
  return out;
}

/** Counts the dropped targets by the role of the rule that dropped them. */
function droppedByRole(job: GeneratedJob, targets: JobTargets): Map<RuleRole, number> {
  const by = new Map<RuleRole, number>();
  for (const d of targets.dropped) {
    const role = d.droppedBy === null ? undefined : job.rules[d.droppedBy.rule];
    if (role !== undefined) by.set(role, (by.get(role) ?? 0) + 1);
  }
  return by;
}

/** Objects matching `selector`, or the nearest misses described. */
function nearest(objects: Meta[], selector: LabelSelector, what: string, where: string): string {
  const misses = objects
    .map((o) => ({ o, why: mismatches(selector, labelsOf(o)) }))
    .sort((a, b) => a.why.length - b.why.length)
    .slice(0, 3);
  const near = misses.map((m) => `${what} ${key(m.o)} ${m.why.join('; ')}`).join('; ');
  return `its selector "${selectorString(selector)}" matches no ${what} in ${where}${objects.length === 0 ? ` (there is no ${what} there at all)` : `: ${near}`}`;
}

/**
 * The objects of `type` in the job's namespaces that `selector` matches, or why the monitor gets
 * none: the list failed, or the selector matches nothing there (with the nearest misses).
 */
async function selectObjects(
  job: GeneratedJob,
  get: Get,
  type: ResourceType,
  what: string,
  selector: LabelSelector,
): Promise<Meta[] | string> {
  const namespaces = namespacesOf(job);
  const found = await list(get, type, namespaces);
  if (typeof found === 'string') return `scrape-check could not look further: ${found}`;
  const selected = found.filter((o) => matches(selector, labelsOf(o)));
  if (selected.length > 0) return selected;
  const where = namespaces.length === 0 ? 'any namespace' : `namespace ${namespaces.join(', ')}`;
  return nearest(found, selector, what, where);
}

/** What a managed control plane does instead, when the Service selects a control-plane pod. */
function managedHint(podSelector: Record<string, string>): string {
  const component = podSelector.component ?? '';
  const eks: Record<string, string> = {
    'kube-scheduler': 'ksh',
    'kube-controller-manager': 'kcm',
  };
  if (!['kube-scheduler', 'kube-controller-manager', 'etcd'].includes(component))
    return ' (a managed control plane (EKS, AKS, GKE) runs kube-controller-manager, kube-scheduler and etcd outside the cluster, so nothing can match: disable those monitors there)';
  const path = eks[component];
  return ` (a managed control plane (EKS, AKS, GKE) runs ${component} outside the cluster: disable this monitor there${path === undefined ? '' : `; EKS 1.28+ serves its metrics through the API server at /apis/metrics.eks.amazonaws.com/v1/${path}/container/metrics, which scrape-check's ${component} preset (clusters[].targets) checks`})`;
}

async function explainServiceMonitor(
  job: GeneratedJob & { monitor: { kind: 'ServiceMonitor' } },
  targets: JobTargets,
  get: Get,
): Promise<string | null> {
  const m = job.monitor;
  const ep = m.spec.endpoints[job.endpoint ?? 0];
  const services = await selectObjects(job, get, RESOURCES.services, 'Service', m.spec.selector);
  if (typeof services === 'string') return services;
  const selected = services as Service[];
  const causes: string[] = [];
  const port = ep?.port ?? '';
  for (const svc of selected) {
    const ports = (svc.spec?.ports ?? []).map((p) => p.name ?? '');
    if (port !== '' && !ports.includes(port)) {
      causes.push(
        `Service ${key(svc)} has no port named "${port}" (its ports: ${ports.map((p) => (p === '' ? '(unnamed)' : p)).join(', ') || 'none'}): name the Service port "${port}", or set the endpoint's port to one of those`,
      );
      continue;
    }
    const [ns = '', name = ''] = key(svc).split('/');
    const answer = await get(namespacedPath(ns, 'endpoints', name));
    const endpoints = answer.ok ? (answer.body as Endpoints) : null;
    const subsets = endpoints?.subsets ?? [];
    const ready = subsets.reduce((n, s) => n + (s.addresses ?? []).length, 0);
    const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses ?? []).length, 0);
    const podSelector = svc.spec?.selector ?? null;
    if (ready + notReady === 0) {
      causes.push(
        podSelector === null || Object.keys(podSelector).length === 0
          ? `Service ${key(svc)} has no selector and no endpoints: nothing fills its Endpoints (the chart's <component>.endpoints values write them by hand)`
          : `Service ${key(svc)} has no endpoints: its selector "${selectorString({ matchLabels: podSelector })}" matches no running pod in ${ns}${managedHint(podSelector)}`,
      );
    } else if (ready === 0) {
      causes.push(
        `Service ${key(svc)} has ${count(notReady, 'endpoint')}, none ready (Prometheus still scrapes not-ready addresses, marked __meta_kubernetes_endpoint_ready="false")`,
      );
    }
  }
  const by = droppedByRole(job, targets);
  for (const [role, n] of by) {
    if (role.kind === 'port' && role.by !== 'service port name')
      causes.push(
        `${count(n, 'target')} dropped because no container declares port ${role.by === 'container port name' ? `"${role.port}"` : role.port} (targetPort matches the pod's declared container ports; host-network static pods such as kubeadm's control plane declare none: use port, the Service port's name, instead)`,
      );
    else if (role.kind === 'phase')
      causes.push(
        `${count(n, 'target')} dropped because their pod has finished (phase Succeeded or Failed)`,
      );
    else if (role.kind === 'user')
      causes.push(`${count(n, 'target')} dropped by the monitor's own ${role.where}`);
  }
  return causes.length === 0 ? null : causes.join('; ');
}

async function explainPodMonitor(
  job: GeneratedJob & { monitor: { kind: 'PodMonitor' } },
  targets: JobTargets,
  get: Get,
): Promise<string | null> {
  const m = job.monitor;
  const pods = await selectObjects(job, get, RESOURCES.pods, 'Pod', m.spec.selector);
  if (typeof pods === 'string') return pods;
  const selected = pods as Pod[];
  const causes: string[] = [];
  for (const [role, n] of droppedByRole(job, targets)) {
    if (role.kind === 'port') {
      const declared = [
        ...new Set(
          selected.flatMap((p) =>
            (p.spec?.containers ?? []).flatMap((c) =>
              (c.ports ?? []).map((x) =>
                role.by === 'container port number' ? String(x.containerPort) : (x.name ?? ''),
              ),
            ),
          ),
        ),
      ].filter((x) => x !== '');
      causes.push(
        `${count(n, 'target')} dropped: no container of the ${count(selected.length, 'selected pod')} declares port ${role.port} (they declare ${declared.join(', ') || 'none'})`,
      );
    } else if (role.kind === 'phase')
      causes.push(
        `${count(n, 'target')} dropped because their pod has finished (phase Succeeded or Failed)`,
      );
    else if (role.kind === 'user')
      causes.push(`${count(n, 'target')} dropped by the monitor's own ${role.where}`);
  }
  return causes.length === 0 ? null : causes.join('; ');
}

/**
 * The monitor-level cause of a job's `no_targets`, or null when there is nothing to add. `get`
 * asks the cluster with scrape-check's own rights.
 */
export async function explainMonitorNoTargets(
  job: GeneratedJob,
  targets: JobTargets,
  get: Get,
): Promise<string | null> {
  switch (job.monitor.kind) {
    case 'ServiceMonitor':
      return explainServiceMonitor(
        job as GeneratedJob & { monitor: { kind: 'ServiceMonitor' } },
        targets,
        get,
      );
    case 'PodMonitor':
      return explainPodMonitor(
        job as GeneratedJob & { monitor: { kind: 'PodMonitor' } },
        targets,
        get,
      );
    case 'Probe': {
      const ingress = job.monitor.spec.targets?.ingress;
      if (ingress === undefined) return null;
      const found = await selectObjects(
        job,
        get,
        RESOURCES.ingresses,
        'Ingress',
        ingress.selector ?? {},
      );
      return typeof found === 'string' ? found : null;
    }
    case 'ScrapeConfig':
      return null;
  }
}
