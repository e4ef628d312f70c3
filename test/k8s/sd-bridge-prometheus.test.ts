/**
 * The bridge feeding Debian's Prometheus 2.42 for real: the fixture's CoreDNS pods live on
 * loopback addresses (127.73.x.y) where this test serves metrics, Prometheus reads the endpoints
 * role from the bridge through `http_sd_configs`, keeps the kube-dns metrics port by relabeling
 * and scrapes both pods; a second job drops everything so that `droppedTargets` shows the
 * discovered label sets exactly as Prometheus received them (2.42 shows relabeled ones for
 * active targets). Under CI=true a missing prometheus fails loudly (test/helpers/peers.ts).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  BINARIES,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import { TEXT } from '../helpers/servers.ts';
import { loopbackAddresses, startClusterEmulator } from './cluster-fixture.ts';
import type { K8sEmulator } from './emulator.ts';
import { bridgePath, discover, toHttpSd, type LabelSet } from './sd-bridge.ts';

const missing = peerMissing(BINARIES.prometheus);
const COREDNS = ['127.73.1.2', '127.73.2.2'];

function listen(host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': TEXT }).end(`coredns_build_info{server="${host}"} 1\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve(server);
    });
  });
}

/** Prometheus's own labels, which the bridge does not send. */
const ADDED = [
  '__meta_url',
  'job',
  '__scheme__',
  '__metrics_path__',
  '__scrape_interval__',
  '__scrape_timeout__',
];

/**
 * A label set without Prometheus's own labels and without empty values: 2.42 deletes those for
 * every discovery alike (model/labels/labels.go, Builder.Reset, used by scrape PopulateLabels).
 */
function canonical(labels: LabelSet): string {
  const kept = Object.entries(labels).filter(([k, v]) => !ADDED.includes(k) && v !== '');
  return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('Prometheus 2.42 scrapes what the bridge discovers', { skip: missing ?? false }, () => {
  let emu: K8sEmulator;
  let prometheus: RunningPrometheus;
  const servers: Server[] = [];
  let sd: string;

  before(async () => {
    // Both pods serve on one port (it is the container port): retry if the second IP has it taken.
    let shared = 0;
    for (let attempt = 0; servers.length < 2; attempt++) {
      const first = await listen(COREDNS[0]!, 0);
      shared = (first.address() as AddressInfo).port;
      const second = await listen(COREDNS[1]!, shared).catch((error: unknown) => {
        first.close();
        if (attempt === 4) throw error;
        return null;
      });
      if (second !== null) servers.push(first, second);
    }
    emu = await startClusterEmulator({ ...loopbackAddresses(73), ports: { coredns: shared } });
    sd = await emu.startSdBridge();
    prometheus = await startPrometheus(`global:
  scrape_interval: 1s
  scrape_timeout: 500ms
scrape_configs:
  - job_name: coredns
    http_sd_configs:
      - url: '${sd}${bridgePath({ role: 'endpoints', namespaces: { names: ['kube-system'] } })}'
    relabel_configs:
      - source_labels: [__meta_kubernetes_service_name, __meta_kubernetes_endpoint_port_name]
        regex: kube-dns;metrics
        action: keep
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
${['endpoints', 'node']
  .map(
    (role) => `  - job_name: discovered-${role}
    http_sd_configs:
      - url: '${sd}/sd/${role}'
    relabel_configs:
      - action: drop
        source_labels: [__address__]
        regex: .+
`,
  )
  .join('')}`);
  });
  after(async () => {
    await prometheus.stop();
    await emu.stop();
    for (const s of servers) s.close();
  });

  it('relabels and scrapes the CoreDNS pods at their (loopback) endpoint addresses', async () => {
    await prometheus.waitForScrapes(2);
    const targets = await prometheus.targets();
    assert.deepEqual(targets.map((t) => [t.health, t.labels.instance, t.labels.pod]).sort(), [
      [
        'up',
        `${COREDNS[0]!}:${(servers[0]!.address() as AddressInfo).port}`,
        'coredns-7db6d8ff4d-4lq8w',
      ],
      [
        'up',
        `${COREDNS[1]!}:${(servers[0]!.address() as AddressInfo).port}`,
        'coredns-7db6d8ff4d-x2vkz',
      ],
    ]);
    const up = await prometheus.query('coredns_build_info');
    assert.equal(up.length, 2);
  });

  for (const role of ['endpoints', 'node'] as const)
    it(`shows, in droppedTargets, exactly the ${role} label sets the bridge served`, async () => {
      const body = (await (
        await fetch(`${prometheus.url}/api/v1/targets?state=dropped`)
      ).json()) as {
        data: { droppedTargets: { discoveredLabels: LabelSet }[] };
      };
      // The coredns job drops what it does not keep: count only the job that drops everything.
      const seen = body.data.droppedTargets
        .map((t) => t.discoveredLabels)
        .filter((l) => l.job === `discovered-${role}`);
      const served = toHttpSd(discover(emu.objects, { role }).groups).map((e): LabelSet => ({
        __address__: e.targets[0],
        ...e.labels,
      }));
      assert.ok(served.length > 0);
      assert.equal(seen.length, served.length);
      assert.deepEqual(seen.map(canonical).sort(), served.map(canonical).sort());
      assert.ok(seen.every((l) => l.__meta_url === `${sd}/sd/${role}`));
      if (role === 'endpoints') {
        const kubelet = seen.find(
          (l) => l.__meta_kubernetes_endpoint_port_name === 'https-metrics',
        );
        assert.equal(kubelet?.__meta_kubernetes_endpoint_address_target_kind, 'Node');
      } else {
        // node_provider_id is "" for these nodes: sent by the bridge, deleted by Prometheus.
        assert.ok(served.every((l) => l.__meta_kubernetes_node_provider_id === ''));
        assert.ok(seen.every((l) => !('__meta_kubernetes_node_provider_id' in l)));
        assert.deepEqual(seen.map((l) => l.instance).sort(), ['cp-1', 'worker-1', 'worker-2']);
      }
    });
});
