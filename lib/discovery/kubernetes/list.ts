/**
 * One paginated Kubernetes list call, as client-go's reflector makes it for an informer
 * (k8s.io/client-go `tools/pager`: pages of 500 followed by `continue`, and a full list when the
 * continue token expired with 410), turned into items or a failure that names the call.
 */
import type { ApiResult } from '#lib/credentials/kube-api.ts';
import type { DiscoveryFailure } from '../types.ts';
import { isMapping } from './yaml-decode.ts';

/** A listable resource. */
export interface ResourceType {
  /** API group, "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name, as RBAC names it. */
  resource: string;
  namespaced: boolean;
}

/** The resources discovery lists (v1 only: see the note on v1beta1 in `discover.ts`). */
export const RESOURCES = {
  nodes: { group: '', version: 'v1', resource: 'nodes', namespaced: false },
  namespaces: { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  pods: { group: '', version: 'v1', resource: 'pods', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', namespaced: true },
  endpoints: { group: '', version: 'v1', resource: 'endpoints', namespaced: true },
  endpointSlices: {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    namespaced: true,
  },
  ingresses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
} as const satisfies Record<string, ResourceType>;

/** What one list asks for: a resource, a namespace ("" for all) and selectors. */
export interface ListRequest {
  type: ResourceType;
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
}

/** Calls the API server with a path and query, as the caller's connection does. */
export type ApiCall = (path: string) => Promise<ApiResult>;

const PAGE_SIZE = 500;

/** The API path of a list: `/api/v1/namespaces/<ns>/pods`, `/apis/<group>/<version>/…`. */
export function listPath(request: ListRequest): string {
  const { type, namespace } = request;
  const root = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const scope =
    type.namespaced && namespace !== '' ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${type.resource}`;
}

/** `list pods in namespace "x"`, `list pods in all namespaces`, `list nodes`. */
export function describeList(request: ListRequest): string {
  const { type, namespace } = request;
  if (!type.namespaced) return `list ${type.resource}`;
  return namespace === ''
    ? `list ${type.resource} in all namespaces`
    : `list ${type.resource} in namespace ${JSON.stringify(namespace)}`;
}

function pageUrl(request: ListRequest, limit: boolean, token: string): string {
  const query = new URLSearchParams();
  if (request.labelSelector !== '') query.set('labelSelector', request.labelSelector);
  if (request.fieldSelector !== '') query.set('fieldSelector', request.fieldSelector);
  if (limit) query.set('limit', String(PAGE_SIZE));
  if (token !== '') query.set('continue', token);
  const text = query.toString();
  return text === '' ? listPath(request) : `${listPath(request)}?${text}`;
}

function failureOf(request: ListRequest, url: string, result: Exclude<ApiResult, { ok: true }>) {
  const call = `${describeList(request)} (GET ${url})`;
  const { status } = result;
  const verb = status === 401 || status === 403 ? 'refused' : 'failed';
  const failure: DiscoveryFailure = {
    message:
      status === null
        ? `${call} failed: ${result.message}`
        : `${call} ${verb} (${status}): ${result.message}`,
    status,
  };
  if (status === 403) {
    failure.refused = {
      verb: 'list',
      group: request.type.group,
      resource: request.type.resource,
      ...(request.type.namespaced && request.namespace !== ''
        ? { namespace: request.namespace }
        : {}),
    };
  }
  return failure;
}

/** A list's answer: every item of every page, or why it failed. */
export type ListResult = { ok: true; items: unknown[] } | { ok: false; failure: DiscoveryFailure };

/**
 * Lists every item, page after page. A continue token the server no longer knows (410 Gone)
 * restarts the list without a limit, as client-go's pager does (`FullListIfExpired`).
 */
export async function listAll(call: ApiCall, request: ListRequest): Promise<ListResult> {
  const items: unknown[] = [];
  let token = '';
  let limit = true;
  for (;;) {
    const url = pageUrl(request, limit, token);
    const result = await call(url);
    if (!result.ok) {
      if (result.status === 410 && token !== '') {
        items.length = 0;
        token = '';
        limit = false;
        continue;
      }
      return { ok: false, failure: failureOf(request, url, result) };
    }
    const body = result.body;
    if (!isMapping(body) || !Array.isArray(body.items)) {
      const message = `${describeList(request)} (GET ${url}) failed: the answer is not a Kubernetes list (no "items")`;
      return { ok: false, failure: { message, status: result.status } };
    }
    // An item that is not an object cannot be a Kubernetes object: leave it out.
    items.push(...(body.items as unknown[]).filter(isMapping));
    const next = isMapping(body.metadata) ? body.metadata.continue : undefined;
    if (typeof next !== 'string' || next === '') return { ok: true, items };
    token = next;
  }
}
