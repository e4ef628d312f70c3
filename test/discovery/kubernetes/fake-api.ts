/**
 * An in-memory API server for the role tests that port namespace and selector behaviour (Go's
 * tests use client-go's fake clientset the same way): it answers list paths from a set of objects,
 * by namespace and equality label selector. The lister itself is tested against a real HTTP server
 * in discover.test.ts.
 */
import type { ApiResult } from '#lib/credentials/kube-api.ts';
import type { KubeObject, ListedObjects } from '#lib/discovery/kubernetes/index.ts';

const KEYS: Record<string, keyof ListedObjects> = {
  nodes: 'nodes',
  namespaces: 'namespaces',
  pods: 'pods',
  services: 'services',
  endpoints: 'endpoints',
  endpointslices: 'endpointSlices',
  ingresses: 'ingresses',
  replicasets: 'replicaSets',
  jobs: 'jobs',
};

/** `a=b,c=d` only: what the ported tests use. */
function matches(object: KubeObject, selector: string | null): boolean {
  if (selector === null || selector === '') return true;
  return selector.split(',').every((term) => {
    const [key = '', value = ''] = term.split('=');
    return object.metadata?.labels?.[key] === value;
  });
}

/** A `call` answering list requests from `objects`, recording every path asked. */
export function fakeApi(objects: ListedObjects): {
  call: (path: string) => Promise<ApiResult>;
  paths: string[];
} {
  const paths: string[] = [];
  const call = (path: string): Promise<ApiResult> => {
    paths.push(path);
    const url = new URL(path, 'http://api.invalid');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const resource = parts[parts.length - 1] ?? '';
    const nsIndex = parts.indexOf('namespaces');
    const namespace = nsIndex >= 0 && nsIndex < parts.length - 2 ? parts[nsIndex + 1] : undefined;
    const key = KEYS[resource];
    if (key === undefined) {
      return Promise.resolve({
        ok: false,
        status: 404,
        message: 'not found',
        code: null,
        body: null,
      });
    }
    const selector = url.searchParams.get('labelSelector');
    const items = ((objects[key] ?? []) as KubeObject[]).filter(
      (o) =>
        (namespace === undefined || o.metadata?.namespace === namespace) && matches(o, selector),
    );
    return Promise.resolve({ ok: true, status: 200, body: { items, metadata: {} } });
  };
  return { call, paths };
}
