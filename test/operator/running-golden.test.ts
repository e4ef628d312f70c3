/**
 * `clusters[].prometheus.resource` against Secrets the operator itself would write: its golden
 * files (`pkg/prometheus/testdata/`, copied verbatim into goldens/), gzipped into
 * `prometheus-<name>` as `MakeConfigurationSecret` does, for resources the emulator serves.
 * HonorLabelsOverriding runs unchanged; the same golden with `modulus: 2` (what the operator
 * writes for `shards: 2`) checks `$(SHARD)` substitution; monitorObjectWithDefaultScrapeClassAndTLSConfig's
 * ServiceMonitor job, with `scheme: https` added, reads its client certificate from the
 * `spec.secrets` mount. Then everything that stops a check: no resource, no Secret (not
 * reconciled), a Secret scrape-check may not read, bad gzip, bad YAML, a mounted file missing;
 * and a stale Secret beside the monitors it no longer matches. Nothing read from a Secret is ever
 * in an output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { endpointsFor, service, sliceFor } from '../k8s/cluster-builders.ts';
import { putGeneratedSecret, putSecret } from '../k8s/emulator-operator.ts';
import {
  expandAndPlan,
  operatorConfigText,
  runPlan,
  writeKubeconfig,
  type Expanded,
} from './cluster-helpers.ts';
import { startKpsCluster, type KpsCluster } from './kps-cluster.ts';

const SECOND = 102;
const ip = (i: number) => `127.${SECOND}.9.${i}`;
const golden = (name: string) =>
  readFileSync(new URL(`goldens/${name}.golden`, import.meta.url), 'utf8');
const HONOR = golden('HonorLabelsOverriding');
const HONOR_JOB = 'serviceMonitor/default/testservicemonitor1/0';
const TLS_JOB = 'serviceMonitor/default/defaultServiceMonitor/0';
const METRICS = '# TYPE up_test gauge\nup_test 1\n';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
/** What the mTLS server saw in Authorization (the password must arrive, trimmed). */
const seen: string[] = [];

function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, host, () => {
      resolve((server.address() as AddressInfo).port);
    }),
  );
}

/** The golden's ServiceMonitor job alone, scraped over https (its TLS files then matter). */
function tlsGolden(): string {
  const doc = parse(golden('monitorObjectWithDefaultScrapeClassAndTLSConfig')) as {
    scrape_configs: Record<string, unknown>[];
  };
  doc.scrape_configs = doc.scrape_configs
    .filter((j) => j.job_name === TLS_JOB)
    .map((j) => ({
      ...j,
      scheme: 'https',
      // A password from the same mount: inlined in memory, never printed.
      basic_auth: {
        username: 'prometheus',
        password_file: '/etc/prometheus/secrets/default/password',
      },
    }));
  return stringify(doc);
}

function prometheus(name: string, spec: Record<string, unknown>, status?: unknown): string {
  return stringify({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name, namespace: 'default' },
    spec: { serviceAccountName: 'prometheus', ...spec },
    ...(status === undefined ? {} : { status }),
  });
}

describe("the operator's own generated configs, read from the cluster", () => {
  let cluster: KpsCluster;
  let all: Expanded;
  let denied: Expanded;
  let results: CheckResult[];
  const secrets: string[] = [];
  const outputs: unknown[] = [];
  const servers: Server[] = [];

  before(async () => {
    cluster = await startKpsCluster(SECOND);
    const emu = cluster.emu;
    // The pods' ServiceAccount, with the chart's Prometheus ClusterRole.
    emu.applyYaml(`apiVersion: v1
kind: ServiceAccount
metadata: {name: prometheus, namespace: default}
---
kind: ClusterRoleBinding
metadata: {name: prometheus-default}
roleRef: {kind: ClusterRole, name: kps-kube-prometheus-stack-prometheus}
subjects: [{kind: ServiceAccount, name: prometheus, namespace: default}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: limited, namespace: default}
---
kind: Role
metadata: {name: read-prometheuses, namespace: default}
rules: [{apiGroups: [monitoring.coreos.com], resources: [prometheuses], verbs: [get]}]
---
kind: RoleBinding
metadata: {name: limited, namespace: default}
roleRef: {kind: Role, name: read-prometheuses}
subjects: [{kind: ServiceAccount, name: limited, namespace: default}]
`);
    // A plain metrics server behind Service default/example (six endpoints, one serving), an
    // mTLS one behind default/secure: both on a port named web.
    const plain = createHttp((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(METRICS),
    );
    servers.push(plain);
    const port = await listen(plain, ip(1));
    const ca = await makeCa({ commonName: 'golden-ca' });
    const leaf = await makeLeaf(ca, { commonName: 'secure', ips: [ip(20)] });
    const client = await makeLeaf(ca, { commonName: 'prometheus', client: true });
    secrets.push(client.keyPem, leaf.keyPem, PASSWORD);
    const tls = createHttps(
      {
        key: leaf.keyPem,
        cert: leaf.certPem,
        ca: [ca.certPem],
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        seen.push(req.headers.authorization ?? '');
        res.writeHead(200, { 'content-type': 'text/plain' }).end(METRICS);
      },
    );
    servers.push(tls);
    const tlsPort = await listen(tls, ip(20));
    for (const [name, ips, p] of [
      ['example', [1, 2, 3, 4, 5, 6], port],
      ['secure', [20], tlsPort],
    ] as const) {
      const svc = service(
        'default',
        name,
        { ports: [{ name: 'web', port: p }] },
        // The TLS golden's ServiceMonitor selects group=group1.
        { labels: name === 'secure' ? { app: name, group: 'group1' } : { app: name } },
      );
      const backends = ips.map((i) => ({ node: 'cp-1', ip: ip(i), ready: true }));
      emu.objects.put(svc);
      emu.objects.put(endpointsFor(svc, backends, [{ name: 'web', port: p }]));
      emu.objects.put(sliceFor(svc, backends, [{ name: 'web', port: p }]));
    }
    // The resources, and what the operator wrote for each.
    const ref = (name: string) => ({ kind: 'Prometheus', namespace: 'default', name }) as const;
    const put = (name: string, spec: Record<string, unknown> = {}, status?: unknown) => {
      emu.applyYaml(prometheus(name, spec, status));
    };
    put('test');
    putGeneratedSecret(emu, ref('test'), HONOR);
    emu.applyYaml(
      stringify({
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'PrometheusAgent',
        metadata: { name: 'edge', namespace: 'default' },
        spec: { serviceAccountName: 'prometheus' },
      }),
    );
    putGeneratedSecret(emu, { kind: 'PrometheusAgent', namespace: 'default', name: 'edge' }, HONOR);
    put('sharded', { shards: 2 });
    putGeneratedSecret(emu, ref('sharded'), HONOR.replace('modulus: 1', 'modulus: 2'));
    put('tls', { secrets: ['default'] });
    putGeneratedSecret(emu, ref('tls'), tlsGolden());
    putSecret(emu, 'default', 'default', {
      'ca.crt': ca.certPem,
      'tls.crt': client.certPem,
      'tls.key': client.keyPem,
      password: `${PASSWORD}\n`,
    });
    put('tls-missing', { secrets: ['half'] });
    putGeneratedSecret(
      emu,
      ref('tls-missing'),
      tlsGolden().replaceAll('/secrets/default/', '/secrets/half/'),
    );
    putSecret(emu, 'default', 'half', { 'ca.crt': ca.certPem, 'tls.crt': client.certPem });
    put('unreconciled');
    put('badgzip');
    putSecret(emu, 'default', 'prometheus-badgzip', {
      'prometheus.yaml.gz': Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]),
    });
    put('badyaml');
    putGeneratedSecret(
      emu,
      ref('badyaml'),
      'global:\n  scrape_interval: 30s\nscrape_configs:\n  - job_name: [x\n',
    );
    // Stale: the monitor in the cluster moved to port "metrics"; the Secret still has "web".
    put(
      'stale',
      { serviceMonitorSelector: {} },
      {
        conditions: [
          {
            type: 'Reconciled',
            status: 'False',
            reason: 'ReconciliationFailed',
            message: 'creating config failed',
          },
        ],
      },
    );
    const monitor = (port: string) => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: app, namespace: default}
spec: {selector: {matchLabels: {app: example}}, endpoints: [{port: ${port}}]}
`;
    emu.applyYaml(monitor('metrics'));
    putGeneratedSecret(
      emu,
      ref('stale'),
      operatorConfigText(prometheus('stale', { serviceMonitorSelector: {} }), monitor('web')),
    );

    const entry = (
      name: string,
      prometheusKey: string,
      kubeconfig = 'kubeconfig',
    ) => `  - name: ${name}
    kubeconfig: {path: ${kubeconfig}}
    targets: []
    prometheus: ${prometheusKey}
`;
    all = await expandAndPlan(
      cluster.write(
        'all.yaml',
        `clusters:
${entry('honor', '{resource: default/test}')}${entry('agent', '{agent: default/edge}')}${entry('shard0', '{resource: default/sharded, shard: 0}')}${entry('shard1', '{resource: default/sharded, shard: 1}')}${entry('shards', '{resource: default/sharded}')}${entry('tls', '{resource: default/tls}')}${entry('tls-missing', '{resource: default/tls-missing}')}${entry('unreconciled', '{resource: default/unreconciled}')}${entry('gone', '{resource: default/nope}')}${entry('badgzip', '{resource: default/badgzip}')}${entry('badyaml', '{resource: default/badyaml}')}${entry('stale', '{resource: default/stale}')}operator: {cluster: stale}
`,
      ),
    );
    writeKubeconfig(emu, `${cluster.dir}/limited`, emu.issueToken('default', 'limited', 3600));
    denied = await expandAndPlan(
      cluster.write(
        'denied.yaml',
        `clusters:\n${entry('limited', '{resource: default/test}', 'limited')}`,
      ),
    );
    results = await runPlan(all.plan);
    outputs.push(all.doc, all.warnings, results, denied.doc, denied.plan.failures);
  });

  after(async () => {
    assertNoSecrets(outputs, [...secrets, ...cluster.emu.secretValues()]);
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await cluster.stop();
  });

  const targetsOf = (c: string, job: string) =>
    all.plan.targets
      .filter((t) => t.cluster === c && t.job.job_name === job)
      .flatMap((t) => t.active.map((a) => a.labels.instance ?? ''))
      .sort();
  const resultOf = (c: string, instance: string | null) =>
    results.filter((r) => r.cluster === c && r.instance === instance);
  const failureOf = (c: string) => all.plan.failures.filter((f) => f.cluster === c);

  it('HonorLabelsOverriding, verbatim: the endpoints with a port named web, labelled as the golden says, scraped as the pod', () => {
    const found = all.plan.targets
      .filter((t) => t.cluster === 'honor' && t.job.job_name === HONOR_JOB)
      .flatMap((t) => t.active)
      .filter((a) => a.labels.instance?.startsWith(`${ip(1)}:`) === true);
    assert.equal(found.length, 1);
    const instance = found[0]!.labels.instance!;
    assert.deepEqual(found[0]!.labels, {
      endpoint: 'web',
      instance,
      job: 'example',
      namespace: 'default',
      node: 'cp-1',
      service: 'example',
    });
    assert.equal(targetsOf('honor', HONOR_JOB).length, 7);
    const r = resultOf('honor', instance);
    assert.equal(r.length, 1);
    assert.equal(r[0]!.reason, 'ok', r[0]!.diagnosis);
    assert.equal(r[0]!.job, HONOR_JOB);
    assert.equal(r[0]!.token, null);
  });

  it('a PrometheusAgent: its Secret prom-agent-<name>, the same jobs and targets', () => {
    assert.deepEqual(targetsOf('agent', HONOR_JOB), targetsOf('honor', HONOR_JOB));
    assert.deepEqual(failureOf('agent'), []);
  });

  it('$(SHARD): shard 0 and shard 1 split the targets between them; left unset, every shard is checked, and said', () => {
    const s0 = targetsOf('shard0', HONOR_JOB);
    const s1 = targetsOf('shard1', HONOR_JOB);
    assert.ok(s0.length > 0 && s1.length > 0, `${s0.length} + ${s1.length}`);
    assert.deepEqual(
      s0.filter((t) => s1.includes(t)),
      [],
    );
    assert.deepEqual([...s0, ...s1].sort(), targetsOf('shards', HONOR_JOB));
    assert.equal(targetsOf('shards', HONOR_JOB).length, 7);
    assert.ok(
      all.warnings.some((w) =>
        /clusters\[shards\].*2 shards: scrape-check checks the targets of every shard/.test(w),
      ),
    );
    assert.ok(
      all.warnings.some((w) =>
        /clusters\[shard1\].*checks shard 1 \(pod prometheus-sharded-shard-1-0\) only/.test(w),
      ),
    );
  });

  it('a client certificate from a spec.secrets mount (/etc/prometheus/secrets/default/…), read in memory: the mTLS target passes', () => {
    const secure = resultOf(
      'tls',
      results.find((r) => r.cluster === 'tls' && r.instance?.startsWith(ip(20)))?.instance ?? '',
    );
    assert.equal(secure.length, 1);
    assert.equal(secure[0]!.reason, 'ok', secure[0]!.diagnosis);
    assert.equal(secure[0]!.job, TLS_JOB);
    assert.deepEqual(targetsOf('tls', TLS_JOB), [secure[0]!.instance]);
    // basic_auth.password_file from the same mount, trimmed as prometheus/common trims it.
    const basic = `Basic ${Buffer.from(`prometheus:${PASSWORD}`).toString('base64')}`;
    assert.ok(seen.includes(basic));
  });

  it('a mounted file the Secret lacks: the job fails, naming the path and the key', () => {
    const f = failureOf('tls-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.job, TLS_JOB);
    assert.equal(f[0]!.reason, 'config_invalid');
    assert.match(
      f[0]!.diagnosis,
      /tls_config\.key_file \/etc\/prometheus\/secrets\/half\/tls\.key: Secret default\/half has no key tls\.key/,
    );
  });

  it('no Secret, no resource, bad gzip, bad YAML: one verdict each, under prometheus/<namespace>/<name>', () => {
    const one = (c: string) => {
      const f = failureOf(c);
      assert.equal(f.length, 1, c);
      return f[0]!;
    };
    const unreconciled = one('unreconciled');
    assert.equal(unreconciled.job, 'prometheus/default/unreconciled');
    assert.equal(unreconciled.reason, 'config_invalid');
    assert.match(
      unreconciled.diagnosis,
      /Secret default\/prometheus-unreconciled does not exist: the operator has not written the config/,
    );
    const gone = one('gone');
    assert.equal(gone.job, 'prometheus/default/nope');
    assert.match(gone.diagnosis, /Prometheus default\/nope does not exist/);
    assert.match(
      one('badgzip').diagnosis,
      /Secret default\/prometheus-badgzip, key prometheus\.yaml\.gz: not a valid gzip stream/,
    );
    assert.match(
      one('badyaml').diagnosis,
      /Secret default\/prometheus-badyaml, key prometheus\.yaml\.gz:\d+:\d+: Flow sequence/,
    );
  });

  it('RBAC: scrape-check may read the resource but not its Secret: the rule to add', () => {
    const f = denied.plan.failures;
    assert.equal(f.length, 1);
    assert.equal(f[0]!.reason, 'discovery_failed');
    assert.match(f[0]!.diagnosis, /may not read Secret default\/prometheus-test/);
    assert.match(
      f[0]!.diagnosis,
      /resources: \["secrets"\]\n\s+resourceNames: \["prometheus-test"\]\n\s+verbs: \["get"\]/,
    );
  });

  it("stale: the monitors in the cluster no longer give the Secret's job; the warning names it and the status condition", () => {
    const w = all.warnings.find((x) => x.includes('not what the monitors in the cluster give now'));
    assert.ok(w, all.warnings.join('\n'));
    assert.match(w, /serviceMonitor\/default\/app\/0: differs at relabel_configs\[\d+\]\.regex/);
    assert.match(w, /Reconciled=False \(ReconciliationFailed\): creating config failed/);
    // The monitors' own verdict, with the monitors' diagnosis: the port it names is gone.
    const f = failureOf('stale');
    assert.deepEqual(
      f.map((x) => [x.job, x.reason]),
      [['serviceMonitor/default/app/0', 'no_targets']],
    );
    assert.match(f[0]!.diagnosis, /Service default\/example has no port named "metrics"/);
  });
});
