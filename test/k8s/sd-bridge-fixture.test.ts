/**
 * The bridge over the kubeadm-like fixture: what Prometheus 2.42 makes of static pods, two ports
 * numbered 53, Node targetRefs, a not-ready endpoint, an unexposed port and a sidecar, the
 * selectors that silently drop service or pod labels, `attach_metadata.node`, and a discoverer
 * that RBAC keeps from syncing; then the bridge served over HTTP and HTTPS.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { clusterFixture, loopbackAddresses, startClusterEmulator } from './cluster-fixture.ts';
import type { K8sEmulator } from './emulator.ts';
import type { Attributes } from './emulator-rbac.ts';
import { ObjectStore } from './emulator-objects.ts';
import { m } from './sd-bridge-helpers.ts';
import {
  bridgePath,
  discover,
  parseBridgeUrl,
  toHttpSd,
  type HttpSdEntry,
  type SdConfig,
} from './sd-bridge.ts';

const store = new ObjectStore();
store.putAll(clusterFixture());

function entries(config: SdConfig): HttpSdEntry[] {
  return toHttpSd(discover(store, config).groups);
}

function find(
  list: HttpSdEntry[],
  address: string,
  labels: Record<string, string> = {},
): HttpSdEntry {
  const found = list.filter(
    (e) => e.targets[0] === address && Object.entries(labels).every(([k, v]) => e.labels[k] === v),
  );
  assert.equal(found.length, 1, `one target ${address} ${JSON.stringify(labels)}: ${found.length}`);
  return found[0]!;
}

describe('the fixture through the bridge', () => {
  it('node role: kubelet port from the node status, instance = name, one label per address type', () => {
    const nodes = entries({ role: 'node' });
    assert.deepEqual(
      nodes.map((e) => [e.targets[0], e.labels.instance]),
      [
        ['10.0.0.10:10250', 'cp-1'],
        ['10.0.0.11:10250', 'worker-1'],
        ['10.0.0.12:10250', 'worker-2'],
      ],
    );
    const w2 = nodes[2]!.labels;
    assert.equal(w2.__meta_kubernetes_node_address_ExternalIP, '203.0.113.12');
    assert.equal(w2.__meta_kubernetes_node_address_Hostname, 'worker-2');
    assert.equal(
      nodes[0]!.labels['__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane'],
      'true',
    );
  });

  it('pod role: static pods are the node IP without a port; init containers count; no IP, no target', () => {
    const pods = entries({ role: 'pod', namespaces: { names: ['kube-system', 'shop'] } });
    const etcd = find(pods, '10.0.0.10', m({ pod_name: 'etcd-cp-1' }));
    assert.equal(etcd.labels.__meta_kubernetes_pod_controller_kind, 'Node');
    assert.equal(etcd.labels.__meta_kubernetes_pod_controller_name, 'cp-1');
    assert.match(
      etcd.labels.__meta_kubernetes_pod_container_id ?? '',
      /^containerd:\/\/[0-9a-f]{64}$/,
    );
    const sidecar = find(pods, '10.244.1.5:2020');
    assert.equal(sidecar.labels.__meta_kubernetes_pod_container_init, 'true');
    assert.equal(sidecar.labels.__meta_kubernetes_pod_container_name, 'log-shipper');
    const migrate = find(pods, '10.244.2.9');
    assert.equal(migrate.labels.__meta_kubernetes_pod_phase, 'Succeeded');
    assert.equal(migrate.labels.__meta_kubernetes_pod_ready, 'false');
    assert.equal(migrate.labels.__meta_kubernetes_pod_controller_kind, 'Job');
    assert.ok(
      !pods.some((e) => e.labels.__meta_kubernetes_pod_name?.startsWith('report-generator')),
    );
    assert.equal(find(pods, '10.244.1.6:9090').labels.__meta_kubernetes_pod_ready, 'false');
  });

  it('service role: every port, UDP too; a LoadBalancer IP in status only is "" in 2.42', () => {
    const services = entries({ role: 'service' });
    assert.equal(
      find(services, 'kube-dns.kube-system.svc:53', m({ service_port_protocol: 'UDP' })).labels
        .__meta_kubernetes_service_port_name,
      'dns',
    );
    assert.equal(
      find(services, 'storefront-lb.shop.svc:443').labels.__meta_kubernetes_service_loadbalancer_ip,
      '',
    );
    const external = find(services, 'payments-api.shop.svc:443').labels;
    assert.equal(external.__meta_kubernetes_service_external_name, 'api.payments.example.net');
    assert.equal(external.__meta_kubernetes_service_cluster_ip, undefined);
    assert.equal(
      find(services, 'kubelet.kube-system.svc:10250').labels.__meta_kubernetes_service_cluster_ip,
      'None',
    );
  });

  it('endpoints role: 53/TCP is labelled with the first container port 53 (dns), protocol from the endpoint', () => {
    const eps = entries({ role: 'endpoints', namespaces: { names: ['kube-system'] } });
    const tcp = find(eps, '10.244.0.2:53', m({ endpoint_port_name: 'dns-tcp' })).labels;
    assert.equal(tcp.__meta_kubernetes_pod_container_port_name, 'dns');
    assert.equal(tcp.__meta_kubernetes_pod_container_port_protocol, 'TCP');
    assert.equal(tcp.__meta_kubernetes_service_annotation_prometheus_io_scrape, 'true');
    const slices = entries({ role: 'endpointslice', namespaces: { names: ['kube-system'] } });
    const sliceTcp = find(
      slices,
      '10.244.0.2:53',
      m({ endpointslice_port_name: 'dns-tcp' }),
    ).labels;
    // The endpointslice role takes the container port's own protocol.
    assert.equal(sliceTcp.__meta_kubernetes_pod_container_port_protocol, 'UDP');
  });

  it('endpoints role: Node targetRefs carry no pod labels; default/kubernetes has no targetRef', () => {
    const eps = entries({ role: 'endpoints' });
    const kubelet = eps.filter((e) => e.labels.__meta_kubernetes_endpoints_name === 'kubelet');
    assert.equal(kubelet.length, 9);
    assert.ok(
      kubelet.every((e) => e.labels.__meta_kubernetes_endpoint_address_target_kind === 'Node'),
    );
    assert.ok(kubelet.every((e) => e.labels.__meta_kubernetes_pod_name === undefined));
    const api = find(eps, '10.0.0.10:6443').labels;
    assert.equal(api.__meta_kubernetes_endpoint_address_target_kind, undefined);
    assert.equal(api.__meta_kubernetes_service_label_provider, 'kubernetes');
  });

  it('endpoints role: not-ready addresses, extra targets for unexposed ports, not for sidecars (2.42)', () => {
    const eps = entries({ role: 'endpoints', namespaces: { names: ['shop'] } });
    assert.deepEqual(
      eps.map((e) => [e.targets[0], e.labels.__meta_kubernetes_endpoint_ready ?? '-']),
      [
        ['10.244.1.5:8080', 'true'],
        ['10.244.2.7:8080', 'true'],
        ['10.244.1.6:8080', 'false'],
        ['10.244.1.5:9090', 'true'],
        ['10.244.2.7:9090', 'true'],
        ['10.244.1.6:9090', 'false'],
        ['10.244.1.5:6060', '-'],
        ['10.244.2.7:6060', '-'],
        ['10.244.1.6:6060', '-'],
      ],
    );
    const slices = entries({ role: 'endpointslice', namespaces: { names: ['shop'] } });
    const notReady = find(slices, '10.244.1.6:8080').labels;
    assert.deepEqual(
      [
        notReady.__meta_kubernetes_endpointslice_endpoint_conditions_ready,
        notReady.__meta_kubernetes_endpointslice_port_app_protocol,
      ],
      ['false', 'http'],
    );
    assert.ok(
      !slices.some((e) =>
        e.labels.__meta_kubernetes_endpointslice_name?.startsWith('storefront-lb'),
      ),
    );
  });

  it('a service or pod selector silently takes those labels off endpoint targets', () => {
    const noDns = entries({
      role: 'endpoints',
      namespaces: { names: ['kube-system'] },
      selectors: [{ role: 'service', label: 'k8s-app!=kube-dns' }],
    });
    assert.equal(find(noDns, '10.244.0.2:9153').labels.__meta_kubernetes_service_name, undefined);
    const noPods = entries({
      role: 'endpoints',
      namespaces: { names: ['shop'] },
      selectors: [{ role: 'pod', field: 'spec.nodeName=worker-2' }],
    });
    assert.equal(find(noPods, '10.244.1.5:8080').labels.__meta_kubernetes_pod_name, undefined);
    assert.equal(
      find(noPods, '10.244.2.7:8080').labels.__meta_kubernetes_pod_name,
      'checkout-6d9f8b7c5-m4w7r',
    );
    assert.deepEqual(
      noPods.filter((e) => e.targets[0].endsWith(':6060')).map((e) => e.targets[0]),
      ['10.244.2.7:6060'],
    );
  });

  it('attach_metadata.node puts the node name and labels on endpoint and pod targets', () => {
    const eps = entries({
      role: 'endpoints',
      namespaces: { names: ['shop'] },
      attach_metadata: { node: true },
    });
    const t = find(eps, '10.244.2.7:9090').labels;
    assert.equal(t.__meta_kubernetes_node_name, 'worker-2');
    assert.equal(t.__meta_kubernetes_node_label_topology_kubernetes_io_zone, 'zone-b');
    assert.equal(
      t.__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl,
      undefined,
      'no node annotations in 2.42',
    );
    const pods = entries({
      role: 'pod',
      namespaces: { names: ['shop'] },
      attach_metadata: { node: true },
    });
    assert.equal(
      find(pods, '10.244.1.5:8080').labels.__meta_kubernetes_node_label_kubernetes_io_hostname,
      'worker-1',
    );
  });

  it('attach_metadata.node needs nodes for pod and endpoints roles only (their node informer)', () => {
    const noNodes = (a: Attributes) => a.kind === 'resource' && a.resource !== 'nodes';
    const ingress = discover(store, { role: 'ingress', attach_metadata: { node: true } }, noNodes);
    assert.deepEqual([ingress.stalled, ingress.groups.length], [[], 2]);
    const pods = discover(
      store,
      { role: 'pod', namespaces: { names: ['shop'] }, attach_metadata: { node: true } },
      noNodes,
    );
    assert.deepEqual([pods.stalled, pods.groups.length], [['list nodes: forbidden'], 0]);
  });

  it('ingress role: TLS hosts and wildcards decide the scheme; a rule without http is "/"', () => {
    const ing = entries({ role: 'ingress' });
    assert.deepEqual(
      ing.map((e) => [
        e.targets[0],
        e.labels.__meta_kubernetes_ingress_scheme,
        e.labels.__meta_kubernetes_ingress_path,
      ]),
      [
        ['legacy.example.com', 'http', '/'],
        ['shop.example.com', 'https', '/'],
        ['shop.example.com', 'https', '/cart'],
        ['orders.api.example.com', 'https', '/v1'],
        ['status.example.com', 'http', '/'],
      ],
    );
  });

  it('loopbackAddresses moves every node and pod onto 127.<n>.x.y', () => {
    const moved = new ObjectStore();
    moved.putAll(clusterFixture(loopbackAddresses(42)));
    for (const role of ['node', 'pod', 'endpoints', 'endpointslice'] as const)
      for (const e of toHttpSd(discover(moved, { role }).groups))
        assert.match(e.targets[0], /^127\.42\.\d+\.\d+(:\d+)?$/, `${role} ${e.targets[0]}`);
  });

  it('toHttpSd: one entry per target, the target winning over its group', () => {
    const out = toHttpSd([
      {
        source: 's',
        labels: { a: 'group', b: 'group' },
        targets: [{ __address__: 'x:1', a: 'target' }, { __address__: 'y:1' }],
      },
    ]);
    assert.deepEqual(out, [
      { targets: ['x:1'], labels: { a: 'target', b: 'group' } },
      { targets: ['y:1'], labels: { a: 'group', b: 'group' } },
    ]);
  });

  it('bridgePath and parseBridgeUrl carry the same config', () => {
    const config: SdConfig = {
      role: 'endpointslice',
      namespaces: { names: ['a', 'b'] },
      selectors: [
        { role: 'service', label: 'k' },
        { role: 'pod', label: 'app in (x, y)', field: 'spec.nodeName=n' },
      ],
      attach_metadata: { node: true },
    };
    assert.deepEqual(parseBridgeUrl(new URL(bridgePath(config), 'http://x')), config);
    assert.equal(bridgePath({ role: 'node' }), '/sd/node');
  });
});

describe('the bridge served by the emulator', () => {
  let emu: K8sEmulator;
  let plain: string;
  let token: string;

  before(async () => {
    emu = await startClusterEmulator();
    plain = await emu.startSdBridge();
    emu.addServiceAccount('monitoring', 'prometheus');
    token = emu.issueToken('monitoring', 'prometheus', 3600);
    emu.rbac.apply({
      kind: 'ClusterRole',
      metadata: { name: 'p' },
      rules: [{ verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] }],
    });
    emu.rbac.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'p' },
      roleRef: { kind: 'ClusterRole', name: 'p' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
    });
    emu.rbac.apply({
      kind: 'Role',
      metadata: { name: 'p', namespace: 'shop' },
      rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
    });
    emu.rbac.apply({
      kind: 'RoleBinding',
      metadata: { name: 'p', namespace: 'shop' },
      roleRef: { kind: 'Role', name: 'p' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
    });
  });
  after(async () => {
    await emu.stop();
  });

  it('over plain HTTP: application/json, the same entries as discover()', async () => {
    const res = await fetch(
      `${plain}${bridgePath({ role: 'endpoints', namespaces: { names: ['shop'] } })}`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(
      await res.json(),
      entries({ role: 'endpoints', namespaces: { names: ['shop'] } }),
    );
  });

  it('over HTTPS on the API port, trusting the cluster CA', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      request(`${emu.url}/sd/node`, { ca: emu.ca.certPem }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve(text);
        });
      })
        .on('error', reject)
        .end();
    });
    assert.deepEqual(JSON.parse(body), entries({ role: 'node' }));
  });

  it("with a bearer token: a namespace whose pods it may not list sends nothing, as 2.42's informers never sync", async () => {
    const url = `${plain}${bridgePath({ role: 'endpoints', namespaces: { names: ['kube-system', 'shop'] } })}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.headers.get('x-sd-bridge-stalled'), 'list pods in kube-system: forbidden');
    const got = (await res.json()) as HttpSdEntry[];
    assert.ok(got.length > 0);
    assert.ok(got.every((e) => e.labels.__meta_kubernetes_namespace === 'shop'));
    const all = await fetch(`${plain}/sd/endpoints`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(await all.json(), []);
    assert.equal(all.headers.get('x-sd-bridge-stalled'), 'list pods: forbidden');
    const bad = await fetch(`${plain}/sd/node`, { headers: { authorization: 'Bearer nope' } });
    assert.deepEqual(await bad.json(), []);
  });

  it('refuses what Prometheus 2.42 refuses to load, with its message', async () => {
    const cases: [string, string][] = [
      ['/sd/service?pod.label=a%3Db', 'service role supports only service selectors'],
      ['/sd/pod?pod.label=a%20in%20b', "unable to parse requirement: found 'b' expected: '('"],
      ['/sd/pods', 'unknown Kubernetes SD role "pods"'],
      [
        '/sd/pod?pod.field=status.phase',
        "invalid selector: 'status.phase'; can't understand 'status.phase'",
      ],
      [
        '/sd/endpoints?pod.label=a&pod.label=b&node.label=c',
        'endpoints role supports only pod, service, endpoints selectors',
      ],
    ];
    for (const [path, error] of cases) {
      const res = await fetch(`${plain}${path}`);
      assert.equal(res.status, 400, path);
      assert.deepEqual(await res.json(), { error });
    }
    const unsupported = await fetch(`${plain}/sd/service?service.field=spec.nodeName%3Dx`);
    assert.equal(
      unsupported.headers.get('x-sd-bridge-stalled'),
      'list services: field label not supported: spec.nodeName',
    );
  });
});
