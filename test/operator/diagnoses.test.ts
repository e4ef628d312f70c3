/**
 * Why a monitor scrapes nothing, answered against the emulator's cluster with kube-prometheus-stack
 * installed: the monitors its Prometheus does not select (the `release` label, a namespace
 * selector, an unset selector), the monitors the operator rejects (a Secret that is not there),
 * and the jobs that end with no target (a selector that matches no Service, a port name the Service
 * lacks, a Service without endpoints, a targetPort no container declares, a PodMonitor's pods).
 * Secrets the monitors refer to are read from the cluster and scraped with, never printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { runChecks } from '#lib/runner/index.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { METRICS, startHttp, startHttps, TEXT, type Running } from '../helpers/servers.ts';
import {
  endpointsController,
  FULLNAME,
  KPS_FILE,
  KPS_SA,
  startKpsCluster,
  type KpsCluster,
} from './kps-cluster.ts';
import { loadWithOperator, planTargets, type Planned } from './flow.ts';

const TOKEN = 'operator-bearer-9f3c2a7d41';
const PASSWORD = 'operator-password-5b81e0';
const release = 'release: kps';

function sm(name: string, spec: string, labels = release, namespace = 'monitoring'): string {
  return `---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: ${name}, namespace: ${namespace}, labels: {${labels}}}
spec:
${spec}`;
}

function secret(name: string, data: Record<string, string>) {
  return {
    apiVersion: 'v1' as const,
    kind: 'Secret' as const,
    type: 'Opaque',
    metadata: { name, namespace: 'monitoring' },
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  };
}

describe('why a monitor scrapes nothing', () => {
  let cluster: KpsCluster;
  let https: Running;
  let http: Running;
  let planned: Planned;
  let caPem = '';
  const outputs: unknown[] = [];

  before(async () => {
    cluster = await startKpsCluster(93);
    const emu = cluster.emu;
    const ca = await makeCa({ commonName: 'shop-ca' });
    caPem = ca.certPem;
    const leaf = await makeLeaf(ca, {
      commonName: 'secure',
      ips: ['127.0.0.1'],
      dns: ['secure.shop.svc'],
    });
    https = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
      const ok = req.headers.authorization === `Bearer ${TOKEN}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': TEXT });
      res.end(ok ? METRICS : 'unauthorized\n');
    });
    http = await startHttp((req, res) => {
      const ok =
        req.headers.authorization ===
        `Basic ${Buffer.from(`scraper:${PASSWORD}`).toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': TEXT });
      res.end(ok ? METRICS : 'unauthorized\n');
    });
    // The operator reads a monitor's Secrets from the monitor's own namespace.
    emu.secrets.set(
      'monitoring/secure',
      secret('secure', { 'ca.crt': ca.certPem, token: TOKEN, password: PASSWORD, user: 'scraper' }),
    );
    // A Service whose selector matches no pod (a managed control plane's kube-controller-manager).
    const payments = emu.objects.put({
      kind: 'Service',
      metadata: { name: 'payments', namespace: 'shop', labels: { app: 'payments' } },
      spec: {
        selector: { app: 'payments' },
        ports: [{ name: 'metrics', port: 9100, targetPort: 9100 }],
      },
    });
    endpointsController(emu, payments);
    // The chart's kube-scheduler Service where no scheduler pod runs (EKS: the control plane is AWS's).
    const scheduler = emu.objects.put({
      kind: 'Service',
      metadata: { name: 'scheduler', namespace: 'shop', labels: { app: 'eks-scheduler' } },
      spec: {
        clusterIP: 'None',
        selector: { component: 'kube-scheduler' },
        ports: [{ name: 'http-metrics', port: 10259, targetPort: 10259 }],
      },
    });
    endpointsController(emu, scheduler);
    // Services without selectors whose Endpoints point at the test's servers.
    for (const [name, port, portName] of [
      ['secure', https.port, 'https'],
      ['basic', http.port, 'http'],
    ] as const) {
      emu.objects.put({
        kind: 'Service',
        metadata: { name, namespace: 'shop', labels: { app: name } },
        spec: { clusterIP: 'None', ports: [{ name: portName, port, targetPort: port }] },
      });
      emu.objects.put({
        kind: 'Endpoints',
        metadata: { name, namespace: 'shop', labels: { app: name } },
        subsets: [
          { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: portName, port, protocol: 'TCP' }] },
        ],
      });
    }
    const shop = 'namespaceSelector: {matchNames: [shop]}';
    const monitors = cluster.write(
      'monitors.yaml',
      [
        sm(
          'checkout',
          `  selector: {matchLabels: {app.kubernetes.io/name: checkout}}\n  endpoints: [{port: metrics}]`,
          'team: storefront',
          'shop',
        ),
        sm(
          'no-service',
          `  selector: {matchLabels: {app: checkout}}\n  ${shop}\n  endpoints: [{port: metrics}]`,
        ),
        sm(
          'wrong-port',
          `  selector: {matchLabels: {app.kubernetes.io/name: checkout}}\n  ${shop}\n  endpoints: [{port: http-metrics}]`,
        ),
        sm(
          'no-endpoints',
          `  selector: {matchLabels: {app: payments}}\n  ${shop}\n  endpoints: [{port: metrics}]`,
        ),
        sm(
          'checkout-metrics',
          `  selector: {matchLabels: {app.kubernetes.io/name: checkout}}\n  ${shop}\n  endpoints: [{port: metrics}]`,
        ),
        sm(
          'eks-scheduler',
          `  selector: {matchLabels: {app: eks-scheduler}}\n  ${shop}\n  endpoints: [{port: http-metrics, scheme: https}]`,
        ),
        sm(
          'kcm-target-port',
          `  selector: {matchLabels: {app: kube-prometheus-stack-kube-controller-manager}}\n  namespaceSelector: {matchNames: [kube-system]}\n  endpoints: [{targetPort: 10257, scheme: https}]`,
        ),
        sm(
          'missing-secret',
          `  selector: {matchLabels: {app: secure}}\n  ${shop}\n  endpoints: [{port: https, bearerTokenSecret: {name: missing, key: token}}]`,
        ),
        sm(
          'secure',
          `  selector: {matchLabels: {app: secure}}\n  ${shop}\n  endpoints:\n  - port: https\n    scheme: https\n    tlsConfig: {ca: {secret: {name: secure, key: ca.crt}}, serverName: secure.shop.svc}\n    authorization: {credentials: {name: secure, key: token}}`,
        ),
        sm(
          'basic',
          `  selector: {matchLabels: {app: basic}}\n  ${shop}\n  endpoints:\n  - port: http\n    basicAuth: {username: {name: secure, key: user}, password: {name: secure, key: password}}`,
        ),
        `---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: no-pods, namespace: monitoring, labels: {${release}}}
spec:
  selector: {matchLabels: {app: nope}}
  namespaceSelector: {any: true}
  podMetricsEndpoints: [{port: metrics}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: pod-port, namespace: monitoring, labels: {${release}}}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: checkout}}
  ${shop}
  podMetricsEndpoints: [{port: http-metrics}]
`,
      ].join('\n'),
    );
    const file = cluster.write(
      'scrape-check.yaml',
      `clusters:\n  - name: lab\n    kubeconfig: {path: kubeconfig}\n    targets: []\n    prometheus: {service_account: ${KPS_SA}}\n`,
    );
    const config = await loadWithOperator(file, {
      monitors: [monitors, KPS_FILE],
      prometheus: KPS_FILE,
      cluster: 'lab',
    });
    planned = await planTargets(config);
    outputs.push(planned.doc, planned.plan.failures, planned.plan.skipped);
  });

  after(async () => {
    await Promise.all([https.close(), http.close()]);
    assertNoSecrets(outputs, [TOKEN, PASSWORD, ...cluster.emu.secretValues()]);
    assert.ok(outputs.every((o) => !JSON.stringify(o).includes(caPem.split('\n')[1]!)));
    await cluster.stop();
  });

  const failure = (name: string, kind = 'serviceMonitor') =>
    planned.plan.failures.find((f) => f.job === `${kind}/monitoring/${name}/0`);

  it('a ServiceMonitor without the release label: skipped, naming the label and the chart setting', () => {
    const skipped = planned.doc.skipped.find(
      (s) => s.scrapePool === 'serviceMonitor/shop/checkout/0',
    );
    assert.ok(skipped);
    assert.match(
      skipped.why,
      /^ServiceMonitor shop\/checkout is not selected: the ServiceMonitor lacks label release=kps: Prometheus monitoring\/kps-kube-prometheus-stack-prometheus selects ServiceMonitors with serviceMonitorSelector "release=kps"/,
    );
    assert.match(
      skipped.why,
      /add "release: kps" to the ServiceMonitor's metadata\.labels, or install the chart with prometheus\.prometheusSpec\.serviceMonitorSelectorNilUsesHelmValues=false/,
    );
  });

  it('a selector that matches no Service: no_targets, with the nearest Service and the label it lacks', () => {
    const f = failure('no-service');
    assert.equal(f?.reason, 'no_targets');
    assert.match(
      f.diagnosis,
      /ServiceMonitor monitoring\/no-service: its selector "app=checkout" matches no Service in namespace shop: /,
    );
    assert.match(f.diagnosis, /Service shop\/checkout lacks label app=checkout/);
    assert.match(f.diagnosis, /Service shop\/payments has label app=payments, not app=checkout/);
  });

  it('a port name the Service does not have', () => {
    const f = failure('wrong-port');
    assert.equal(f?.reason, 'no_targets');
    assert.match(f.diagnosis, /relabeling dropped every one/);
    assert.match(
      f.diagnosis,
      /Service shop\/checkout has no port named "http-metrics" \(its ports: http, metrics\)/,
    );
  });

  it('a Service with no endpoints: its own selector matches no pod (a managed control plane)', () => {
    const f = failure('no-endpoints');
    assert.equal(f?.reason, 'no_targets');
    assert.match(
      f.diagnosis,
      /Service shop\/payments has no endpoints: its selector "app=payments" matches no running pod in shop/,
    );
    assert.match(f.diagnosis, /EKS, AKS, GKE/);
  });

  it('an endpoint that is not ready is still a target, and its verdict says so', () => {
    const requests = planned.plan.requests.filter(
      (r) => r.job === 'serviceMonitor/monitoring/checkout-metrics/0',
    );
    assert.equal(requests.length, 3);
    const warned = requests.filter((r) => r.warnings.some((w) => /is not ready/.test(w)));
    assert.equal(warned.length, 1);
    assert.match(
      warned[0]!.warnings.join('\n'),
      /the endpoint 127\.93\.\d+\.\d+:9090 of Service shop\/checkout is not ready \(pod checkout-6d9f8b7c5-t8n3q fails its readiness check\): Prometheus scrapes it anyway/,
    );
  });

  it('the control plane is not in the cluster (EKS): no endpoints, and where EKS serves the metrics instead', () => {
    const f = failure('eks-scheduler');
    assert.equal(f?.reason, 'no_targets');
    assert.match(
      f.diagnosis,
      /Service shop\/scheduler has no endpoints: its selector "component=kube-scheduler" matches no running pod in shop \(a managed control plane \(EKS, AKS, GKE\) runs kube-scheduler outside the cluster: disable this monitor there; EKS 1\.28\+ serves its metrics through the API server at \/apis\/metrics\.eks\.amazonaws\.com\/v1\/ksh\/container\/metrics/,
    );
  });

  it("targetPort on kubeadm's static pods: no container declares it", () => {
    const f = failure('kcm-target-port');
    assert.equal(f?.reason, 'no_targets');
    assert.match(
      f.diagnosis,
      /1 target dropped because no container declares port 10257 .*use port, the Service port's name, instead/,
    );
  });

  it('PodMonitors: no pod matches; no container declares the port', () => {
    const none = failure('no-pods', 'podMonitor');
    assert.equal(none?.reason, 'no_targets');
    assert.match(none.diagnosis, /its selector "app=nope" matches no Pod in any namespace/);
    const port = failure('pod-port', 'podMonitor');
    assert.equal(port?.reason, 'no_targets');
    assert.match(
      port.diagnosis,
      /no container of the 3 selected pods declares port http-metrics \(they declare http, metrics, pprof\)/,
    );
  });

  it('a Secret that is not there: the operator rejects the monitor, and says so', () => {
    const f = failure('missing-secret');
    assert.equal(f?.reason, 'config_invalid');
    assert.equal(
      f.diagnosis,
      'the operator rejects ServiceMonitor monitoring/missing-secret and leaves it out of the config ("monitoring/missing-secret" was rejected due to invalid configuration: endpoints[0]: bearerTokenSecret: unable to get secret "missing": secrets "missing" not found)',
    );
  });

  it('bearer token, CA and basic auth from Secrets: inlined in memory, scraped with, never printed', async () => {
    const report = await runChecks(planned.config, {
      jobs: ['serviceMonitor/monitoring/secure/0', 'serviceMonitor/monitoring/basic/0'],
    });
    outputs.push(report);
    assert.deepEqual(report.results.map((r) => [r.job, r.reason, r.tls?.verified ?? null]).sort(), [
      ['serviceMonitor/monitoring/basic/0', 'ok', null],
      ['serviceMonitor/monitoring/secure/0', 'ok', true],
    ]);
    const secure = report.results.find((r) => r.job === 'serviceMonitor/monitoring/secure/0');
    assert.equal(secure?.token?.source, 'inline');
  });

  it('a namespace selector, an unset one, an unset kind selector: each named', async () => {
    const prom = cluster.write(
      'prometheus.yaml',
      `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: team, namespace: monitoring}
spec:
  serviceAccountName: kps-kube-prometheus-stack-prometheus
  serviceMonitorSelector: {}
  serviceMonitorNamespaceSelector: {matchLabels: {team: storefront}}
  probeSelector: {}
`,
    );
    const own = cluster.write(
      'prometheus-own.yaml',
      `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: own, namespace: monitoring}
spec:
  serviceMonitorSelector: {}
`,
    );
    const file = cluster.write(
      'c2.yaml',
      `clusters:\n  - name: lab\n    kubeconfig: {path: kubeconfig}\n    targets: []\n    prometheus: {service_account: ${KPS_SA}}\n`,
    );
    const monitors = `${cluster.dir}/monitors.yaml`;
    const team = await planTargets(
      await loadWithOperator(file, { monitors: [monitors], prometheus: prom, cluster: 'lab' }),
    );
    const why = (p: Planned, pool: string) =>
      p.doc.skipped.find((s) => s.scrapePool === pool)?.why ?? '';
    assert.match(
      why(team, 'serviceMonitor/monitoring/secure/0'),
      /its namespace monitoring lacks label team=storefront: Prometheus monitoring\/team selects namespaces with serviceMonitorNamespaceSelector "team=storefront"/,
    );
    assert.equal(why(team, 'serviceMonitor/shop/checkout/0'), '');
    assert.match(
      why(team, 'podMonitor/monitoring/no-pods/0'),
      /Prometheus monitoring\/team has no podMonitorSelector, which selects no PodMonitor at all/,
    );
    const ownNs = await planTargets(
      await loadWithOperator(file, { monitors: [monitors], prometheus: own, cluster: 'lab' }),
    );
    assert.match(
      why(ownNs, 'serviceMonitor/shop/checkout/0'),
      /it is in namespace shop, and Prometheus monitoring\/own has no serviceMonitorNamespaceSelector, so it selects ServiceMonitors in its own namespace monitoring only/,
    );
    assert.equal(why(ownNs, 'serviceMonitor/monitoring/secure/0'), '');
    assert.match(
      ownNs.warnings.join('\n'),
      /runs as monitoring\/default \(spec\.serviceAccountName\)/,
    );
    outputs.push(team.doc, ownNs.doc);
  });

  it(`the chart's own monitors still find their targets beside these (${FULLNAME})`, () => {
    assert.ok(planned.doc.activeTargets.some((t) => t.labels.job === 'kube-controller-manager'));
  });
});
