/**
 * Reading the operator's objects from the cluster with scrape-check's own rights (as the operator
 * reads them with its own), and every way that can fail as a verdict: a 404 names the object and
 * what it means, a 403 names the RBAC rule to add, anything else says what the API server said.
 */
import type { ApiResult } from '#lib/credentials/index.ts';
import type { Reason } from '#lib/result/reasons.ts';
import type { ApiGet } from '../store.ts';

/** Why something could not be read, as a check's verdict. */
export interface ReadFailure {
  reason: Extract<Reason, 'config_invalid' | 'discovery_failed'>;
  diagnosis: string;
}

export type Read<T> = { ok: true; value: T } | ({ ok: false } & ReadFailure);

/** What an object is, for messages and for the RBAC rule a 403 asks for. */
export interface ObjectRef {
  group: string;
  version: string;
  /** Plural, as RBAC names it. */
  resource: string;
  namespace: string;
  name: string;
  /** `Secret monitoring/prometheus-k8s`. */
  describe: string;
}

/** The API path of an object. */
export function objectPath(ref: ObjectRef): string {
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  return `${base}/namespaces/${encodeURIComponent(ref.namespace)}/${ref.resource}/${encodeURIComponent(ref.name)}`;
}

/** The Role rule that lets scrape-check read `ref` (a RoleBinding in its namespace). */
export function ruleFor(
  ref: Pick<ObjectRef, 'group' | 'resource' | 'namespace'>,
  verb: string,
  name?: string,
): string {
  return `add to a Role in namespace ${ref.namespace} bound to scrape-check's identity:
  - apiGroups: ["${ref.group}"]
    resources: ["${ref.resource}"]${name === undefined ? '' : `\n    resourceNames: ["${name}"]`}
    verbs: ["${verb}"]`;
}

/**
 * A failed answer as a verdict. `missing` says what a 404 means for this object (the operator has
 * not reconciled, the resource does not exist…).
 */
export function failureOf(
  ref: ObjectRef,
  answer: Extract<ApiResult, { ok: false }>,
  missing: string,
): ReadFailure {
  if (answer.status === 404)
    return { reason: 'config_invalid', diagnosis: `${ref.describe} does not exist: ${missing}` };
  if (answer.status === 403)
    return {
      reason: 'discovery_failed',
      diagnosis: `scrape-check may not read ${ref.describe} (${answer.message}): ${ruleFor(ref, 'get', ref.name)}`,
    };
  return {
    reason: 'discovery_failed',
    diagnosis: `cannot read ${ref.describe}: ${answer.status === null ? '' : `HTTP ${answer.status}: `}${answer.message}`,
  };
}

/** Gets one object. */
export async function getObject(
  get: ApiGet,
  ref: ObjectRef,
  missing: string,
): Promise<Read<unknown>> {
  const answer = await get(objectPath(ref));
  if (answer.ok) return { ok: true, value: answer.body };
  return { ok: false, ...failureOf(ref, answer, missing) };
}

/** A Secret's data, decoded (base64 → bytes). */
export function secretBytes(body: unknown): Map<string, Buffer> {
  const data = (body as { data?: unknown } | null)?.data;
  const out = new Map<string, Buffer>();
  if (data === null || typeof data !== 'object') return out;
  for (const [k, v] of Object.entries(data as Record<string, unknown>))
    if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/** A Secret reference in a namespace. */
export function secretRef(namespace: string, name: string): ObjectRef {
  return {
    group: '',
    version: 'v1',
    resource: 'secrets',
    namespace,
    name,
    describe: `Secret ${namespace}/${name}`,
  };
}

/** A ConfigMap reference in a namespace. */
export function configMapRef(namespace: string, name: string): ObjectRef {
  return {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    namespace,
    name,
    describe: `ConfigMap ${namespace}/${name}`,
  };
}
