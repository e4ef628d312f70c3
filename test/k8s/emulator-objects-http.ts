/**
 * The API paths of the object store, each with the RBAC attributes the API server authorizes
 * it with (k8s.io/apiserver pkg/endpoints/request/requestinfo.go): `list` on
 * `/api/v1/pods` (cluster scope) and `/api/v1/namespaces/<ns>/pods` (that namespace), `get` on
 * `.../pods/<name>`; likewise `/apis/discovery.k8s.io/v1/...endpointslices` and
 * `/apis/networking.k8s.io/v1/...ingresses`. A `watch=true` request is authorized as `watch`
 * and then refused with 405: the emulator serves no watches.
 */
import { status } from './emulator-extras.ts';
import type { ObjectStore } from './emulator-objects.ts';
import type { Attributes } from './emulator-rbac.ts';
import { RESOURCES, type Resource } from './emulator-types.ts';

/** What the emulator authorizes, then answers. */
export interface ObjectRoute {
  attrs: Attributes;
  handle(): { status: number; body: unknown };
}

function parsePath(path: string): { resource: Resource; namespace?: string; name?: string } | null {
  const m = /^\/(?:api\/v1|apis\/(discovery\.k8s\.io|networking\.k8s\.io)\/v1)\/(.+)$/.exec(path);
  if (m === null) return null;
  const group = m[1] ?? '';
  let parts: string[];
  try {
    parts = (m[2] ?? '').split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  const known = (r: string | undefined): r is Resource =>
    r !== undefined && Object.hasOwn(RESOURCES, r) && RESOURCES[r as Resource].group === group;
  const [a, b, c, d] = parts;
  if (parts.length <= 2 && known(a)) {
    if (parts.length === 2 && (RESOURCES[a].namespaced || b === '')) return null;
    return { resource: a, ...(b === undefined ? {} : { name: b }) };
  }
  if (a === 'namespaces' && b !== undefined && b !== '' && known(c) && RESOURCES[c].namespaced) {
    if (parts.length === 3) return { resource: c, namespace: b };
    if (parts.length === 4 && d !== '') return { resource: c, namespace: b, name: d ?? '' };
  }
  return null;
}

/** The route for a store path, or null when the path is not the store's. */
export function objectRoute(store: ObjectStore, method: string, url: URL): ObjectRoute | null {
  const target = parsePath(url.pathname);
  if (target === null || method !== 'GET') return null;
  const { resource, namespace, name } = target;
  const group = RESOURCES[resource].group;
  const q = url.searchParams;
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  const attrs: Attributes = {
    kind: 'resource',
    verb: name !== undefined ? 'get' : watch ? 'watch' : 'list',
    group,
    resource,
    ...(name === undefined ? {} : { name }),
    ...(namespace === undefined ? {} : { namespace }),
  };
  return {
    attrs,
    handle: () => {
      if (name !== undefined) {
        const object = store.get(resource, namespace, name);
        return object === undefined
          ? {
              status: 404,
              body: status(
                404,
                'NotFound',
                `${resource}${group === '' ? '' : `.${group}`} "${name}" not found`,
                {
                  name,
                  ...(group === '' ? {} : { group }),
                  kind: resource,
                },
              ),
            }
          : { status: 200, body: object };
      }
      if (watch)
        return {
          status: 405,
          body: status(405, 'MethodNotAllowed', 'the test emulator serves list, not watch'),
        };
      const limit = q.get('limit');
      if (limit !== null && !/^\d+$/.test(limit))
        return {
          status: 400,
          body: status(
            400,
            'BadRequest',
            `invalid limit: strconv.ParseInt: parsing "${limit}": invalid syntax`,
          ),
        };
      const cont = q.get('continue');
      const labelSelector = q.get('labelSelector');
      const fieldSelector = q.get('fieldSelector');
      return store.list(resource, {
        ...(namespace === undefined ? {} : { namespace }),
        ...(labelSelector === null ? {} : { labelSelector }),
        ...(fieldSelector === null ? {} : { fieldSelector }),
        ...(limit === null ? {} : { limit: Number(limit) }),
        ...(cont === null ? {} : { continue: cont }),
      });
    },
  };
}
