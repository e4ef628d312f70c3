/**
 * discoverKubernetes against a real HTTP API server on 127.0.0.1 (port 0), called through the
 * project's own `callApi`: the paths and selectors each role lists, pagination, the 410 restart,
 * and what a refused list does to the outcome, as Prometheus's informers would behave.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { callApi } from '#lib/credentials/kube-api.ts';
import type { ClusterConnection } from '#lib/credentials/types.ts';
import {
  discoverKubernetes,
  NO_ATTACH_METADATA,
  type KubernetesSdConfig,
} from '#lib/discovery/kubernetes/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import { makeEndpoints, makeNode, makeOnePortPod, makePodEndpoints } from './fixtures.ts';

/** What the server holds: items by path, and the paths that answer otherwise. */
interface ApiState {
  lists: Map<string, unknown[]>;
  forbidden: Set<string>;
  /** Paths whose first continue token is answered 410 Gone. */
  expire: Set<string>;
  requests: string[];
}

const state: ApiState = { lists: new Map(), forbidden: new Set(), expire: new Set(), requests: [] };
const PAGE = 2;

function forbiddenMessage(path: string): string {
  const parts = path.split('/');
  const resource = parts[parts.length - 1] ?? '';
  const at = parts.indexOf('namespaces');
  const scope =
    at >= 0 && at < parts.length - 2
      ? ` in the namespace "${parts[at + 1] ?? ''}"`
      : ' at the cluster scope';
  return `${resource} is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "${resource}" in API group ""${scope}`;
}

let server: Server;
let conn: ClusterConnection;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(req.url ?? '');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (state.forbidden.has(url.pathname)) {
      send(403, {
        kind: 'Status',
        status: 'Failure',
        message: forbiddenMessage(url.pathname),
        reason: 'Forbidden',
        code: 403,
      });
      return;
    }
    const items = state.lists.get(url.pathname);
    if (items === undefined) {
      send(404, {
        kind: 'Status',
        status: 'Failure',
        message: 'the server could not find the requested resource',
        code: 404,
      });
      return;
    }
    const token = url.searchParams.get('continue');
    if (token !== null && state.expire.delete(url.pathname)) {
      send(410, {
        kind: 'Status',
        status: 'Failure',
        message: 'The provided continue parameter is too old',
        reason: 'Expired',
        code: 410,
      });
      return;
    }
    // The server pages by PAGE items whenever a limit is asked, as the API server may.
    const start = token === null ? 0 : Number(token);
    const end = url.searchParams.has('limit') ? start + PAGE : items.length;
    const more = end < items.length;
    send(200, {
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', ...(more ? { continue: String(end) } : {}) },
      items: items.slice(start, end),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  conn = {
    name: 'test',
    server: new URL(`http://127.0.0.1:${port}`),
    caPem: null,
    tls: {},
    authorization: 'Bearer prom-token',
    flavor: 'unknown',
    version: null,
    identity: 'ServiceAccount monitoring/prometheus',
    identityHint: '',
    rejectedHint: '',
    warnings: [],
    secrets: ['prom-token'],
  };
});

after(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    }),
);

beforeEach(() => {
  state.lists.clear();
  state.forbidden.clear();
  state.expire.clear();
  state.requests.length = 0;
});

function config(
  partial: Partial<KubernetesSdConfig> & Pick<KubernetesSdConfig, 'role'>,
): KubernetesSdConfig {
  return {
    apiServer: 'https://kubernetes.default.svc',
    kubeconfigFile: null,
    namespaces: { ownNamespace: false, names: [] },
    selectors: [],
    attachMetadata: NO_ATTACH_METADATA,
    customHttpConfig: false,
    ...partial,
  };
}

const discover = (
  c: KubernetesSdConfig,
  version: PromVersion = '3',
  ownNamespace: string | null = null,
) => discoverKubernetes(c, { version, call: (path) => callApi(conn, path), ownNamespace });

/** Five pods `p0`…`p4` in `ns`, so a list takes three pages. */
function pods(ns: string): unknown[] {
  return [0, 1, 2, 3, 4].map((i) => ({
    ...makeOnePortPod(ns, 'c1', `10.0.0.${i}`),
    metadata: { name: `p${i}`, namespace: ns, uid: `u${i}` },
  }));
}

describe('discoverKubernetes over HTTP', () => {
  it('lists what the endpoints role needs, with selectors, page after page', async () => {
    state.lists.set('/api/v1/namespaces/kube-system/endpoints', [
      makePodEndpoints('kube-system', '10.0.0.3', [{ name: 'metrics', port: 9000 }]),
    ]);
    state.lists.set('/api/v1/namespaces/kube-system/services', [
      {
        metadata: { name: 'testendpoints', namespace: 'kube-system', labels: { 'k8s-app': 'dns' } },
      },
    ]);
    state.lists.set('/api/v1/namespaces/kube-system/pods', [
      ...pods('kube-system'),
      { ...makeOnePortPod('kube-system', 'c1', '10.0.0.3') },
    ]);
    const outcome = await discover(
      config({
        role: 'endpoints',
        namespaces: { ownNamespace: false, names: ['kube-system'] },
        selectors: [
          { role: 'service', label: 'k8s-app=dns', field: '' },
          { role: 'pod', label: '', field: 'status.phase=Running' },
        ],
      }),
    );
    assert.deepEqual(state.requests.sort(), [
      '/api/v1/namespaces/kube-system/endpoints?limit=500',
      '/api/v1/namespaces/kube-system/pods?fieldSelector=status.phase%3DRunning&limit=500',
      '/api/v1/namespaces/kube-system/pods?fieldSelector=status.phase%3DRunning&limit=500&continue=2',
      '/api/v1/namespaces/kube-system/pods?fieldSelector=status.phase%3DRunning&limit=500&continue=4',
      '/api/v1/namespaces/kube-system/services?labelSelector=k8s-app%3Ddns&limit=500',
    ]);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.warnings, []);
    const [group] = outcome.groups;
    assert.ok(group);
    assert.equal(group.source, 'endpoints/kube-system/testendpoints');
    assert.equal(group.labels.__meta_kubernetes_service_label_k8s_app, 'dns');
    // The pod on the last page is found behind the address's targetRef.
    const [first] = group.targets;
    assert.ok(first);
    assert.equal(first.__meta_kubernetes_pod_container_name, 'c1');
    assert.equal(first.__meta_kubernetes_pod_ip, '10.0.0.3');
  });

  it('restarts a list without a limit when its continue token expired (410)', async () => {
    state.lists.set('/api/v1/pods', pods('default'));
    state.expire.add('/api/v1/pods');
    const outcome = await discover(config({ role: 'pod' }));
    assert.deepEqual(state.requests, [
      '/api/v1/pods?limit=500',
      '/api/v1/pods?limit=500&continue=2',
      '/api/v1/pods',
    ]);
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.groups.map((g) => g.source),
      ['pod/default/p0', 'pod/default/p1', 'pod/default/p2', 'pod/default/p3', 'pod/default/p4'],
    );
  });

  it('fails with the refused call when the role is refused everywhere', async () => {
    state.lists.set('/api/v1/namespaces/kube-system/endpoints', [
      makeEndpoints('kube-system', '3'),
    ]);
    state.lists.set('/api/v1/namespaces/kube-system/services', []);
    state.forbidden.add('/api/v1/namespaces/kube-system/pods');
    const outcome = await discover(
      config({ role: 'endpoints', namespaces: { ownNamespace: false, names: ['kube-system'] } }),
    );
    assert.deepEqual(outcome, {
      ok: false,
      failure: {
        message:
          'list pods in namespace "kube-system" (GET /api/v1/namespaces/kube-system/pods?limit=500) refused (403): pods is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "pods" in API group "" in the namespace "kube-system"',
        status: 403,
        refused: { verb: 'list', group: '', resource: 'pods', namespace: 'kube-system' },
      },
    });
  });

  it('keeps the namespaces whose lists succeed, and says why the others show nothing', async () => {
    for (const ns of ['a', 'b']) {
      state.lists.set(`/api/v1/namespaces/${ns}/endpoints`, [makeEndpoints(ns, '3')]);
      state.lists.set(`/api/v1/namespaces/${ns}/pods`, []);
    }
    state.lists.set('/api/v1/namespaces/a/services', []);
    state.forbidden.add('/api/v1/namespaces/b/services');
    const outcome = await discover(
      config({ role: 'endpoints', namespaces: { ownNamespace: false, names: ['a', 'b'] } }),
    );
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.groups.map((g) => g.source),
      ['endpoints/a/testendpoints'],
    );
    assert.equal(outcome.warnings.length, 1);
    assert.match(
      outcome.warnings[0] ?? '',
      /^list services in namespace "b" \(GET \/api\/v1\/namespaces\/b\/services\?limit=500\) refused \(403\): .*; Prometheus's endpoints discovery for namespace "b" waits for every list .* shows no target from that namespace/,
    );
  });

  it('fails when a cluster-scoped list every namespace waits for is refused (nodes)', async () => {
    state.lists.set('/api/v1/namespaces/default/pods', pods('default'));
    state.forbidden.add('/api/v1/nodes');
    const outcome = await discover(
      config({
        role: 'pod',
        namespaces: { ownNamespace: false, names: ['default'] },
        attachMetadata: { ...NO_ATTACH_METADATA, node: true },
        selectors: [{ role: 'node', label: 'pool=infra', field: '' }],
      }),
    );
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.status, 403);
    assert.deepEqual(outcome.failure.refused, { verb: 'list', group: '', resource: 'nodes' });
    assert.match(
      outcome.failure.message,
      /^list nodes \(GET \/api\/v1\/nodes\?labelSelector=pool%3Dinfra&limit=500\) refused \(403\)/,
    );
  });

  it('warns, not fails, when a list Prometheus does not wait for is refused (ReplicaSets)', async () => {
    state.lists.set('/api/v1/endpoints', [makeEndpoints('default', '3')]);
    state.lists.set('/api/v1/services', []);
    state.lists.set('/api/v1/pods', []);
    state.forbidden.add('/apis/apps/v1/replicasets');
    const outcome = await discover(
      config({ role: 'endpoints', attachMetadata: { ...NO_ATTACH_METADATA, deployment: true } }),
    );
    assert.ok(outcome.ok);
    assert.equal(outcome.groups.length, 1);
    assert.match(
      outcome.warnings[0] ?? '',
      /^list replicasets in all namespaces \(GET \/apis\/apps\/v1\/replicasets\?limit=500\) refused \(403\): .*lack __meta_kubernetes_pod_deployment_name$/,
    );
  });

  it('lists ingresses and nodes where Prometheus does, cluster-wide', async () => {
    state.lists.set('/apis/networking.k8s.io/v1/ingresses', []);
    state.lists.set('/api/v1/nodes', [makeNode('n1', '10.1.0.1', '', null, null)]);
    assert.ok((await discover(config({ role: 'ingress' }))).ok);
    const nodes = await discover(config({ role: 'node' }));
    assert.ok(nodes.ok);
    assert.deepEqual(nodes.groups[0]?.targets[0], {
      __address__: '10.1.0.1:10250',
      instance: 'n1',
      __meta_kubernetes_node_address_InternalIP: '10.1.0.1',
    });
    assert.deepEqual(state.requests, [
      '/apis/networking.k8s.io/v1/ingresses?limit=500',
      '/api/v1/nodes?limit=500',
    ]);
  });

  it('names the v1beta1 fallback of Prometheus 2.42 when discovery.k8s.io/v1 is missing', async () => {
    const outcome = await discover(config({ role: 'endpointslice' }), '2');
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.status, 404);
    assert.equal(outcome.failure.refused, undefined);
    assert.match(
      outcome.failure.message,
      /^list endpointslices in all namespaces \(GET \/apis\/discovery\.k8s\.io\/v1\/endpointslices\?limit=500\) failed \(404\): .*would fall back to discovery\.k8s\.io\/v1beta1 on a cluster older than Kubernetes 1\.21/,
    );
  });

  it('needs its own namespace for own_namespace', async () => {
    const c = config({
      role: 'pod',
      apiServer: null,
      namespaces: { ownNamespace: true, names: ['x'] },
    });
    const missing = await discover(c);
    assert.ok(!missing.ok);
    assert.match(missing.failure.message, /^could not determine the pod's namespace/);
    state.lists.set('/api/v1/namespaces/x/pods', []);
    state.lists.set('/api/v1/namespaces/monitoring/pods', pods('monitoring').slice(0, 1));
    const found = await discover(c, '3', 'monitoring');
    assert.ok(found.ok);
    assert.deepEqual(
      found.groups.map((g) => g.source),
      ['pod/monitoring/p0'],
    );
  });
});
