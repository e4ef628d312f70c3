/**
 * Issue 12's proof, against Debian's Prometheus 2.42: Prometheus's own Kubernetes example
 * (documentation/examples/prometheus-kubernetes.yml) and a dozen relabel chains from real configs,
 * as an in-cluster Prometheus runs them (kubernetes_sd_configs with no api_server, the pod's token
 * and CA files), checked by scrape-check from outside the cluster through a `clusters[]` entry that
 * stands in for the Prometheus pod (`prometheus.service_account`).
 *
 * Debian builds Prometheus without Kubernetes discovery, so it reads the same cluster through the
 * emulator's http_sd bridge (test/k8s/sd-bridge.ts, written independently from Prometheus 2.42's
 * discovery source) and relabels, populates and scrapes the targets for real. Every active target
 * is served on its loopback address (HTTPS with a certificate from the cluster CA where the job
 * says https; the API server's /metrics checks the bearer token with the emulator).
 *
 * Compared, per job: the active targets (scrape URL and labels) and the dropped targets'
 * discovered labels (`targets --json --prometheus-version 2` against `/api/v1/targets`), then every
 * verdict (`run --json`: `ok` against `up`, `series` against `scrape_samples_scraped`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { makeLeaf } from '#lib/lab/certs.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import {
  BINARIES,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import {
  loopbackAddresses,
  startClusterEmulator,
  writeAdminKubeconfig,
} from '../k8s/cluster-fixture.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';
import {
  DISCOVERY_JOBS,
  PROBE_ADDRESS,
  PROMETHEUS_RBAC,
  type SdFlavour,
} from './discovery-jobs.ts';

const missing = peerMissing(BINARIES.prometheus);
type Labels = Record<string, string>;

interface ApiTargets {
  activeTargets: { scrapePool: string; scrapeUrl: string; labels: Labels; health: string }[];
  droppedTargets: { discoveredLabels: Labels }[];
}

/** Labels Prometheus adds that the bridge or scrape-check's discovery do not have, and empties. */
function canonical(labels: Labels): string {
  const kept = Object.entries(labels).filter(([k, v]) => k !== '__meta_url' && v !== '');
  return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function metricsFor(path: string, host: string): string {
  // Different paths expose different counts, so series are compared, not just up.
  const extra = path.includes('cadvisor') ? 3 : path.includes('probe') ? 1 : 2;
  const lines = [`# TYPE up_total counter`];
  for (let i = 0; i < extra; i++) lines.push(`up_total{host="${host}",i="${i}"} ${i}`);
  return `${lines.join('\n')}\n`;
}

describe(
  'kubernetes_sd_configs and relabeling, against Prometheus 2.42 fed by the http_sd bridge',
  { skip: missing ?? false },
  () => {
    let emu: K8sEmulator;
    let prometheus: RunningPrometheus;
    let dir: string;
    let config: string;
    const servers: Server[] = [];
    const outputs: string[] = [];
    let ours: ApiTargets & { droppedTargets: { scrapePool: string; discoveredLabels: Labels }[] };
    let theirs: ApiTargets & { droppedTargets: { scrapePool: string; discoveredLabels: Labels }[] };

    before(async () => {
      emu = await startClusterEmulator(loopbackAddresses(74));
      emu.applyYaml(PROMETHEUS_RBAC);
      dir = mkdtempSync(join(tmpdir(), 'scrape-check-sd-diff-'));
      // scrape-check gets in as an administrator and stands in for monitoring/prometheus.
      const kubeconfig = join(dir, 'kubeconfig');
      writeAdminKubeconfig(emu, kubeconfig);
      const jobs = (flavour: SdFlavour): string => DISCOVERY_JOBS(flavour);
      config = join(dir, 'scrape-check.yaml');
      writeFileSync(
        config,
        `global: {scrape_interval: 1s, scrape_timeout: 800ms}
clusters:
  - name: lab
    kubeconfig: {path: ${kubeconfig}}
    targets: []
    prometheus: {service_account: monitoring/prometheus}
${jobs({ kind: 'kubernetes' })}`,
      );

      // Serve every active target where it is, as the cluster would.
      const listed = await targetsJson();
      const byHostPort = new Map<string, 'http:' | 'https:'>();
      for (const t of listed.activeTargets) {
        const url = new URL(t.scrapeUrl);
        byHostPort.set(url.host, url.protocol as 'http:' | 'https:');
      }
      byHostPort.set(PROBE_ADDRESS, 'http:');
      for (const [hostPort, protocol] of byHostPort) {
        const { hostname, port } = new URL(`http://${hostPort}`);
        const handler = (req: IncomingMessage, res: ServerResponse): void => {
          void (async () => {
            if (port === '6443') {
              // The API server's /metrics: only a token the cluster accepts.
              const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
              if (token === undefined || (await emu.authenticateToken(token)) === null) {
                res.writeHead(401).end('Unauthorized');
                return;
              }
            }
            res
              .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
              .end(metricsFor(req.url ?? '/', hostname));
          })();
        };
        const server =
          protocol === 'https:'
            ? createHttps(await tlsFor(hostname), handler)
            : createHttp(handler);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(Number(port || (protocol === 'https:' ? 443 : 80)), hostname, resolve);
        });
        servers.push(server);
      }

      // Prometheus: the same jobs over the bridge, with the pod's files as real files.
      const sd = await emu.startSdBridge();
      const token = emu.issueToken('monitoring', 'prometheus', 3600);
      prometheus = await startPrometheus(
        `global: {scrape_interval: 1s, scrape_timeout: 800ms}\n${jobs({ kind: 'http', bridge: sd, caFile: 'ca.crt', tokenFile: 'token' })}`,
        { 'ca.crt': emu.ca.certPem, token },
      );
      await prometheus.waitForScrapes(listed.activeTargets.length, 1500, 30_000);
      theirs = await prometheusTargets();
      ours = await targetsJson();
    });

    after(async () => {
      await prometheus.stop();
      await emu.stop();
      for (const s of servers) s.close();
      rmSync(dir, { recursive: true, force: true });
      assertNoSecrets(outputs, emu.secretValues());
    });

    async function tlsFor(ip: string): Promise<{ key: string; cert: string }> {
      const leaf = await makeLeaf(emu.ca, { commonName: ip, ips: [ip] });
      return { key: leaf.keyPem, cert: leaf.certPem };
    }

    async function targetsJson(): Promise<typeof ours> {
      const io = captureIo();
      const code = await main(
        ['targets', '--config', config, '--json', '--prometheus-version', '2'],
        {},
        io,
      );
      outputs.push(io.out(), io.err());
      const doc = JSON.parse(io.out()) as typeof ours & {
        jobErrors: { scrapePool: string; reason: string }[];
      };
      // Only the drop-everything jobs end without targets (exit 1, as the command documents).
      const unexpected = doc.jobErrors.filter(
        (e) => !(e.scrapePool.startsWith('discovered-') && e.reason === 'no_targets'),
      );
      assert.deepEqual(unexpected, [], io.err());
      assert.equal(code, 1);
      return doc;
    }

    async function prometheusTargets(): Promise<typeof theirs> {
      const body = (await (await fetch(`${prometheus.url}/api/v1/targets?state=any`)).json()) as {
        data: typeof theirs;
      };
      return body.data;
    }

    // 2.42's dropped targets carry no scrapePool (3.3 added it): their job label names the pool.
    const pools = (): string[] =>
      [
        ...new Set([
          ...theirs.activeTargets.map((t) => t.scrapePool),
          ...theirs.droppedTargets.map((t) => t.discoveredLabels.job ?? ''),
        ]),
      ]
        .filter(Boolean)
        .sort();

    it('lists the same active targets, job by job: scrape URL and labels', () => {
      const key = (t: { scrapePool: string; scrapeUrl: string; labels: Labels }): string =>
        `${t.scrapePool} ${t.scrapeUrl} ${canonical(t.labels)}`;
      const a = ours.activeTargets.map(key).sort();
      const b = theirs.activeTargets.map(key).sort();
      assert.ok(b.length >= 20, `a meaningful comparison: ${b.length} active targets`);
      assert.deepEqual(a, b);
    });

    it('drops the same targets, with the same discovered labels (jobs that drop at their first rule)', () => {
      // 2.42 shows relabeled labels as discovered for targets a later rule touched (fixed in later
      // releases), and its dropped targets carry no scrapePool: the exact comparison takes the jobs
      // built to drop everything at rule 0, one per role; the others are compared by total count.
      const ofPool = (list: { discoveredLabels: Labels }[], pool: string): string[] =>
        list
          .filter((t) => (t.discoveredLabels.job ?? '') === pool)
          .map((t) => canonical(t.discoveredLabels))
          .sort();
      let exact = 0;
      for (const pool of pools().filter((p) => p.startsWith('discovered-'))) {
        const a = ofPool(ours.droppedTargets, pool);
        assert.ok(a.length > 0, pool);
        assert.deepEqual(a, ofPool(theirs.droppedTargets, pool), pool);
        exact += a.length;
      }
      assert.ok(exact >= 30, `dropped label sets compared exactly: ${exact}`);
      assert.equal(ours.droppedTargets.length, theirs.droppedTargets.length, 'dropped, all jobs');
    });

    it('reaches the same verdict for every target: ok is up, series is scrape_samples_scraped', async () => {
      const io = captureIo();
      const code = await main(
        ['run', '--config', config, '--json', '--prometheus-version', '2', '--no-sinks'],
        {},
        io,
      );
      outputs.push(io.out(), io.err());
      assert.ok(code === 0 || code === 1, io.err());
      const report = JSON.parse(io.out()) as RunReport;
      // A target is its whole label set: two targets of a job may share an instance.
      const series = async (expr: string): Promise<Map<string, string>> =>
        new Map(
          (await prometheus.query(expr)).map((s) => {
            return [canonical({ ...s.metric, __name__: '' }), s.value[1]];
          }),
        );
      const up = await series('up');
      const samples = await series('scrape_samples_scraped');
      const scraped = report.results.filter((r) => r.instance !== null);
      assert.equal(scraped.length, up.size, 'one verdict per Prometheus target');
      for (const r of scraped) {
        const id = canonical(r.labels ?? {});
        assert.equal(r.ok ? '1' : '0', up.get(id), `${id}: ${r.reason} ${r.diagnosis}`);
        if (r.ok) assert.equal(String(r.series), samples.get(id), id);
      }
      assert.ok(scraped.filter((r) => r.ok).length >= 20, 'most targets are really scraped');
      // The in-cluster files resolved to the stand-in's TokenRequest token: described, never shown.
      const api = scraped.find((r) => r.job === 'kubernetes-apiservers');
      assert.equal(api?.ok, true, api?.diagnosis);
      assert.equal(api.token?.source, 'token_request');
      assert.equal(api.token.sub, 'system:serviceaccount:monitoring:prometheus');
    });
  },
);
