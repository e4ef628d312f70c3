/**
 * The Prometheus (or PrometheusAgent) resource a `clusters[]` entry names, read from the cluster
 * and checked against its CRD as a file's would be, with its status conditions (what the operator
 * says about its last reconcile: `Reconciled`, `Available`), which the stale check points at.
 */
import { parseObjects } from '../objects.ts';
import type { PrometheusResource } from '../crd-prometheus.ts';
import type { ApiGet } from '../store.ts';
import { getObject, type ObjectRef, type Read } from './api.ts';

/** Which resource: `clusters[].prometheus.resource` or `.agent`. */
export interface ResourceRef {
  kind: 'Prometheus' | 'PrometheusAgent';
  namespace: string;
  name: string;
}

/** One of the resource's status conditions. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The resource, and what its status says. */
export interface ClusterResource {
  prometheus: PrometheusResource;
  conditions: Condition[];
}

/** Parses `namespace/name` for a kind. */
export function resourceRef(kind: ResourceRef['kind'], ref: string): ResourceRef {
  const [namespace = '', name = ''] = ref.split('/', 2);
  return { kind, namespace, name };
}

/** `Prometheus monitoring/k8s`. */
export function describeRef(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/** The job name a failure of the whole resource is reported under: `prometheus/<ns>/<name>`. */
export function resourceJobName(ref: ResourceRef): string {
  return `${ref.kind === 'Prometheus' ? 'prometheus' : 'prometheusAgent'}/${ref.namespace}/${ref.name}`;
}

/** The operator's name prefix for what it writes (`PrefixedName`): `prometheus-k8s`. */
export function prefixedName(ref: ResourceRef): string {
  return `${ref.kind === 'Prometheus' ? 'prometheus' : 'prom-agent'}-${ref.name}`;
}

function apiRef(ref: ResourceRef): ObjectRef {
  const agent = ref.kind === 'PrometheusAgent';
  return {
    group: 'monitoring.coreos.com',
    version: agent ? 'v1alpha1' : 'v1',
    resource: agent ? 'prometheusagents' : 'prometheuses',
    namespace: ref.namespace,
    name: ref.name,
    describe: describeRef(ref),
  };
}

function conditionsOf(body: unknown): Condition[] {
  const list = (body as { status?: { conditions?: unknown } } | null)?.status?.conditions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is Condition =>
      c !== null && typeof c === 'object' && typeof (c as Condition).type === 'string',
  );
}

/** Reads and checks the resource. */
export async function readResource(
  get: ApiGet,
  ref: ResourceRef,
  where: string,
): Promise<Read<ClusterResource>> {
  const got = await getObject(
    get,
    apiRef(ref),
    `check ${where} (kubectl get ${ref.kind === 'Prometheus' ? 'prometheuses' : 'prometheusagents'} -A lists the ones there are)`,
  );
  if (!got.ok) return got;
  const source = `${describeRef(ref)} (read from the cluster)`;
  const parsed = parseObjects(JSON.stringify(got.value), source, { namespace: ref.namespace });
  const prometheus = parsed.prometheuses[0];
  if (parsed.problems.length > 0 || prometheus === undefined)
    return {
      ok: false,
      reason: 'config_invalid',
      diagnosis: `${source} does not read as a ${ref.kind}: ${parsed.problems.map((p) => `${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('; ') || 'no such object in the answer'}`,
    };
  return { ok: true, value: { prometheus, conditions: conditionsOf(got.value) } };
}

/**
 * What the status says went wrong, when something did: the conditions that are not `True`, with
 * their reason and message (`Reconciled=False: ...`). Empty when all is well or nothing is said.
 */
export function conditionTrouble(conditions: readonly Condition[]): string {
  return conditions
    .filter((c) => c.status !== 'True')
    .map(
      (c) =>
        `${c.type}=${c.status}${c.reason === undefined ? '' : ` (${c.reason})`}${c.message === undefined || c.message === '' ? '' : `: ${c.message}`}`,
    )
    .join('; ');
}
