/**
 * The emulator's lists as the API server answers them: the label-selector grammar (equality,
 * `!=`, `in`, `notin`, exists, `!key`, `>`/`<`) and its 400s, field selectors, `limit` and
 * `continue` over a consistent snapshot (410 once compacted), cluster-wide and namespaced paths
 * and their List kinds over HTTPS, and RBAC's 403 Status for each scope.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { clusterFixture, startClusterEmulator } from './cluster-fixture.ts';
import { K8sEmulator } from './emulator.ts';
import { ObjectStore, type ListAnswer } from './emulator-objects.ts';

function names(answer: ListAnswer): string[] {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.items.map((i) => (i as { metadata: { name: string } }).metadata.name);
}

function badRequest(answer: ListAnswer): string {
  assert.equal(answer.status, 400);
  const body = JSON.parse(answer.body) as {
    reason: string;
    code: number;
    message: string;
  };
  assert.equal(body.reason, 'BadRequest');
  assert.equal(body.code, 400);
  return body.message;
}

describe('label selectors, as labels.Parse and Requirement.Matches', () => {
  const store = new ObjectStore();
  store.putAll(clusterFixture());
  const pods = (labelSelector: string, namespace = 'kube-system') =>
    names(store.list('pods', { namespace, labelSelector }));

  const cases: [string, string[]][] = [
    ['', pods('')],
    ['component=etcd', ['etcd-cp-1']],
    ['component==etcd', ['etcd-cp-1']],
    ['component = etcd', ['etcd-cp-1']],
    // != and notin also select the objects without the label.
    [
      'tier!=control-plane',
      [
        'coredns-7db6d8ff4d-4lq8w',
        'coredns-7db6d8ff4d-x2vkz',
        'kube-proxy-7xq2m',
        'kube-proxy-b9k4d',
        'kube-proxy-pl5vn',
      ],
    ],
    ['component in (etcd, kube-scheduler)', ['etcd-cp-1', 'kube-scheduler-cp-1']],
    ['component notin (etcd,kube-apiserver,kube-controller-manager),tier', ['kube-scheduler-cp-1']],
    [
      'k8s-app',
      [
        'coredns-7db6d8ff4d-4lq8w',
        'coredns-7db6d8ff4d-x2vkz',
        'kube-proxy-7xq2m',
        'kube-proxy-b9k4d',
        'kube-proxy-pl5vn',
      ],
    ],
    [
      '!k8s-app,component!=etcd',
      ['kube-apiserver-cp-1', 'kube-controller-manager-cp-1', 'kube-scheduler-cp-1'],
    ],
    [
      'k8s-app=kube-dns,pod-template-hash in (7db6d8ff4d)',
      ['coredns-7db6d8ff4d-4lq8w', 'coredns-7db6d8ff4d-x2vkz'],
    ],
    ['pod-template-generation>0', ['kube-proxy-7xq2m', 'kube-proxy-b9k4d', 'kube-proxy-pl5vn']],
    ['pod-template-generation<1', []],
    ['component in ()', []],
    ['component=', []],
  ];
  for (const [selector, expected] of cases)
    it(`"${selector}"`, () => {
      assert.deepEqual(pods(selector), expected);
    });

  it('keys with a prefix and label values that are empty', () => {
    assert.deepEqual(
      names(store.list('nodes', { labelSelector: 'node-role.kubernetes.io/control-plane=' })),
      ['cp-1'],
    );
    assert.deepEqual(
      names(
        store.list('nodes', { labelSelector: 'topology.kubernetes.io/zone in (zone-a,zone-b)' }),
      ),
      ['worker-1', 'worker-2'],
    );
  });

  const errors: [string, string][] = [
    ['component in etcd', "unable to parse requirement: found 'etcd' expected: '('"],
    ['component=etcd,', "found '', expected: identifier after ','"],
    ['component=etcd kube', "found 'kube', expected: ',' or 'end of string'"],
    ['(component)', "found '(', expected: !, identifier, or 'end of string'"],
    [
      'a>b',
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      'app=-bad',
      `unable to parse requirement: values[0][app]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ];
  for (const [selector, message] of errors)
    it(`refuses "${selector}" with 400`, () => {
      assert.equal(badRequest(store.list('pods', { labelSelector: selector })), message);
    });
});

describe('field selectors', () => {
  const store = new ObjectStore();
  store.putAll(clusterFixture());

  it('metadata.name, metadata.namespace, spec.nodeName, status.phase, spec.hostNetwork, !=', () => {
    assert.deepEqual(names(store.list('services', { fieldSelector: 'metadata.name=kube-dns' })), [
      'kube-dns',
    ]);
    assert.deepEqual(
      names(
        store.list('services', {
          fieldSelector: 'metadata.namespace!=shop,metadata.namespace!=monitoring',
        }),
      ),
      ['kubernetes', 'kube-dns', 'kubelet'],
    );
    assert.deepEqual(
      names(store.list('pods', { namespace: 'shop', fieldSelector: 'spec.nodeName=worker-2' })),
      ['checkout-6d9f8b7c5-m4w7r', 'db-migrate-28612345-xk4vq'],
    );
    assert.deepEqual(names(store.list('pods', { fieldSelector: 'status.phase!=Running' })), [
      'db-migrate-28612345-xk4vq',
      'report-generator-5f7b9c8d4-9zzqp',
    ]);
    assert.deepEqual(
      names(
        store.list('pods', {
          fieldSelector: 'spec.hostNetwork==true,metadata.namespace=monitoring',
        }),
      ),
      ['node-exporter-2fkwq', 'node-exporter-h7d9r', 'node-exporter-zx8tc'],
    );
    // An unset field is "": the unscheduled pod has no node.
    assert.deepEqual(names(store.list('pods', { fieldSelector: 'spec.nodeName=' })), [
      'report-generator-5f7b9c8d4-9zzqp',
    ]);
  });

  it('refuses fields the resource does not support, and bad escapes', () => {
    assert.equal(
      badRequest(store.list('services', { fieldSelector: 'spec.nodeName=x' })),
      'field label not supported: spec.nodeName',
    );
    assert.equal(
      badRequest(store.list('pods', { fieldSelector: 'status.phase' })),
      "invalid selector: 'status.phase'; can't understand 'status.phase'",
    );
    assert.equal(
      badRequest(store.list('pods', { fieldSelector: 'metadata.name=a\\b' })),
      'invalid field selector: invalid escape sequence: \\b',
    );
  });
});

describe('limit and continue', () => {
  it('pages in key order over one snapshot, then 410 once it is compacted', () => {
    const store = new ObjectStore();
    store.putAll(clusterFixture());
    const all = names(store.list('pods'));
    const seen: string[] = [];
    const remaining: (number | undefined)[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    let first: string | undefined;
    do {
      const page = store.list('pods', {
        limit: 4,
        ...(token === undefined ? {} : { continue: token }),
      });
      assert.equal(page.status, 200);
      seen.push(...names(page));
      rv ??= page.body.metadata.resourceVersion;
      assert.equal(page.body.metadata.resourceVersion, rv, 'every page is read at the first one');
      remaining.push(page.body.metadata.remainingItemCount);
      token = page.body.metadata.continue;
      first ??= token;
      // Changing the store between pages changes nothing in this list.
      store.delete('pods', 'shop', 'checkout-6d9f8b7c5-t8n3q');
    } while (token !== undefined);
    assert.deepEqual(seen, all);
    assert.deepEqual(remaining, [13, 9, 5, 1, undefined]);
    store.compact();
    const expired = store.list('pods', { limit: 4, continue: first! });
    assert.equal(expired.status, 410);
    assert.match(expired.body, /"reason":"Expired".*"code":410/);
    assert.equal(
      badRequest(store.list('pods', { continue: 'not-a-token' })),
      'continue key is not valid: malformed token',
    );
  });

  it('with a selector: no remainingItemCount, and a page may come back short', () => {
    const store = new ObjectStore();
    store.putAll(clusterFixture());
    const page = store.list('pods', {
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-proxy',
      limit: 2,
    });
    assert.equal(page.status, 200);
    assert.deepEqual(names(page), ['kube-proxy-7xq2m', 'kube-proxy-b9k4d']);
    assert.equal(page.body.metadata.remainingItemCount, undefined);
    const next = store.list('pods', {
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-proxy',
      limit: 2,
      continue: page.body.metadata.continue!,
    });
    assert.deepEqual(names(next), ['kube-proxy-pl5vn']);
  });
});

describe('over HTTPS: paths, List kinds and RBAC', () => {
  let emu: K8sEmulator;
  let saToken: string;

  async function get(
    path: string,
    token = emu.adminToken,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${emu.url}${path}`,
        { ca: emu.ca.certPem, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(text) as Record<string, unknown>,
            });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  before(async () => {
    emu = await startClusterEmulator();
    emu.addServiceAccount('monitoring', 'prometheus');
    saToken = emu.issueToken('monitoring', 'prometheus', 3600);
    // A ClusterRole like kube-prometheus-stack's, without endpointslices; pods only in `shop`.
    emu.rbac.apply({
      kind: 'ClusterRole',
      metadata: { name: 'prometheus' },
      rules: [
        {
          verbs: ['get', 'list', 'watch'],
          apiGroups: [''],
          resources: ['nodes', 'services', 'endpoints'],
        },
      ],
    });
    emu.rbac.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'prometheus' },
      roleRef: { kind: 'ClusterRole', name: 'prometheus' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
    });
    emu.rbac.apply({
      kind: 'Role',
      metadata: { name: 'pods', namespace: 'shop' },
      rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
    });
    emu.rbac.apply({
      kind: 'RoleBinding',
      metadata: { name: 'prometheus-pods', namespace: 'shop' },
      roleRef: { kind: 'Role', name: 'pods' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
    });
  });
  after(async () => {
    await emu.stop();
  });

  it('serves each resource cluster-wide and per namespace, with its List kind', async () => {
    const expected: [string, string, string, number][] = [
      ['/api/v1/namespaces', 'NamespaceList', 'v1', 6],
      ['/api/v1/nodes', 'NodeList', 'v1', 3],
      ['/api/v1/pods', 'PodList', 'v1', 17],
      ['/api/v1/namespaces/kube-system/pods', 'PodList', 'v1', 9],
      ['/api/v1/namespaces/shop/services', 'ServiceList', 'v1', 3],
      ['/api/v1/endpoints', 'EndpointsList', 'v1', 6],
      ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList', 'discovery.k8s.io/v1', 6],
      [
        '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
        'EndpointSliceList',
        'discovery.k8s.io/v1',
        1,
      ],
      [
        '/apis/networking.k8s.io/v1/namespaces/shop/ingresses',
        'IngressList',
        'networking.k8s.io/v1',
        2,
      ],
    ];
    for (const [path, kind, apiVersion, count] of expected) {
      const { status, body } = await get(path);
      assert.equal(status, 200, path);
      assert.equal(body.kind, kind, path);
      assert.equal(body.apiVersion, apiVersion, path);
      assert.match((body.metadata as { resourceVersion: string }).resourceVersion, /^\d+$/);
      const items = body.items as Record<string, unknown>[];
      assert.equal(items.length, count, path);
      assert.ok(
        items.every((i) => !('kind' in i) && !('apiVersion' in i)),
        'list items carry no kind',
      );
    }
    const one = await get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
    assert.equal(one.body.kind, 'EndpointSlice');
    const missing = await get('/apis/networking.k8s.io/v1/namespaces/shop/ingresses/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'ingresses.networking.k8s.io "nope" not found');
    assert.equal((await get('/api/v1/pods/etcd-cp-1')).status, 404, 'pods are namespaced');
    const watch = await get('/api/v1/pods?watch=true');
    assert.equal(watch.status, 405);
  });

  it('selectors and pages through the query string', async () => {
    const q = new URLSearchParams({
      labelSelector: 'k8s-app in (kube-dns)',
      fieldSelector: 'spec.nodeName=worker-1',
    });
    const { body } = await get(`/api/v1/namespaces/kube-system/pods?${q.toString()}`);
    assert.deepEqual(
      (body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
      ['coredns-7db6d8ff4d-x2vkz'],
    );
    const page = await get('/api/v1/nodes?limit=2');
    const meta = page.body.metadata as { continue: string; remainingItemCount: number };
    assert.equal(meta.remainingItemCount, 1);
    const rest = await get(`/api/v1/nodes?limit=2&continue=${encodeURIComponent(meta.continue)}`);
    assert.deepEqual(
      (rest.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
      ['worker-2'],
    );
    const bad = await get('/api/v1/pods?labelSelector=a%20in%20b');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.reason, 'BadRequest');
  });

  it("answers the API server's 403 Status for a resource the ClusterRole lacks", async () => {
    const denied = await get('/apis/discovery.k8s.io/v1/endpointslices', saToken);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope',
      reason: 'Forbidden',
      details: { group: 'discovery.k8s.io', kind: 'endpointslices' },
      code: 403,
    });
    assert.equal((await get('/api/v1/endpoints', saToken)).status, 200);
  });

  it('authorizes a namespaced list in its namespace: a RoleBinding there is enough', async () => {
    assert.equal((await get('/api/v1/namespaces/shop/pods', saToken)).status, 200);
    const other = await get('/api/v1/namespaces/kube-system/pods', saToken);
    assert.equal(other.status, 403);
    assert.equal(
      other.body.message,
      'pods is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    const clusterWide = await get('/api/v1/pods', saToken);
    assert.equal(clusterWide.status, 403);
    assert.match(
      String(clusterWide.body.message),
      /cannot list resource "pods" in API group "" at the cluster scope$/,
    );
    assert.deepEqual(clusterWide.body.details, { kind: 'pods' });
  });
});

describe('nodes from EmulatorNode', () => {
  it('are Node objects in the store, and setting emu.nodes replaces them', () => {
    const emu = new K8sEmulator({ flavor: 'self-managed' });
    assert.deepEqual(emu.nodes, [
      { name: 'cp-1', controlPlane: true, address: '127.0.0.1' },
      { name: 'node-a', address: '10.0.1.11' },
      { name: 'node-b', address: '10.0.1.12' },
    ]);
    const cp = names(
      emu.objects.list('nodes', { labelSelector: 'node-role.kubernetes.io/control-plane' }),
    );
    assert.deepEqual(cp, ['cp-1']);
    const before = emu.objects.get('nodes', undefined, 'node-a');
    emu.nodes = emu.nodes.filter((n) => n.controlPlane !== true);
    assert.deepEqual(names(emu.objects.list('nodes')), ['node-a', 'node-b']);
    assert.equal(
      emu.objects.get('nodes', undefined, 'node-a'),
      before,
      'an unchanged node keeps its object',
    );
    emu.nodes = [{ name: 'x', address: null }];
    assert.deepEqual(emu.objects.get('nodes', undefined, 'x')?.status?.addresses, []);
  });
});

describe('applyYaml', () => {
  it('puts the kinds the store holds into it, namespaced ones in default unless told', () => {
    const emu = new K8sEmulator({ flavor: 'self-managed', nodes: [] });
    emu.applyYaml(`apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec: {rules: [{host: web.example.com}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{verbs: [list], apiGroups: [''], resources: [pods]}]
`);
    const svc = emu.objects.get('services', 'default', 'web');
    assert.deepEqual(svc?.spec?.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.ok(emu.objects.get('ingresses', 'shop', 'web'));
    assert.ok(emu.rbac.clusterRoles.has('reader'));
  });
});
