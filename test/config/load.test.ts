/**
 * Configuration mistakes become one message each, naming the file, line, column, key path and what
 * is wrong; Prometheus keys scrape-check does not act on are warnings that name them.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfigFile, parseConfig } from '#lib/config/index.ts';
import { tempFiles } from '../helpers/servers.ts';

async function problems(text: string): Promise<string[]> {
  const result = await parseConfig(text, 'scrape-check.yaml', '/etc/scrape-check');
  if (result.ok) assert.fail('expected the config to be refused');
  return result.message.split('\n');
}

const JOB =
  'scrape_configs:\n  - job_name: etcd\n    static_configs: [{targets: ["127.0.0.1:2379"]}]\n';

test('mistakes name the file, line, column, key path and what is wrong', async () => {
  const table: [string, string][] = [
    [
      `${JOB}    tls_config:\n      ca_file: 12\n`,
      'scrape-check.yaml:5:16: scrape_configs[0].tls_config.ca_file: expected string, got number 12',
    ],
    [
      `${JOB}    relabel_configs: [{action: hashmod, target_label: x}]\n`,
      'scrape-check.yaml:4:23: scrape_configs[0].relabel_configs[0].modulus: relabel configuration for hashmod requires non-zero modulus (as Prometheus 3 refuses it)',
    ],
    [
      `${JOB}    kubernetes_sd_configs: [{role: nodes}]\n`,
      'scrape-check.yaml:4:36: scrape_configs[0].kubernetes_sd_configs[0].role: unknown Kubernetes SD role "nodes" (as Prometheus 3 refuses it)',
    ],
    [
      `${JOB}    scrape_timeout: 1q\n`,
      'scrape-check.yaml:4:21: scrape_configs[0].scrape_timeout: "1q" is not a Prometheus duration (use units y, w, d, h, m, s, ms in that order, e.g. 1m30s)',
    ],
    [
      `${JOB}    scrape_timeout: 5\n`,
      'scrape-check.yaml:4:21: scrape_configs[0].scrape_timeout: expected a duration such as 10s or 1m30s, got number 5',
    ],
    [
      `${JOB}    sheme: https\n`,
      'scrape-check.yaml:4:5: scrape_configs[0].sheme: unknown key: neither Prometheus nor scrape-check has it; did you mean scheme?',
    ],
    [
      'scrape_configs:\n  - static_configs: [{targets: ["a:1"]}]\n',
      'scrape-check.yaml:2:5: scrape_configs[0].job_name: is required (expected string)',
    ],
    [
      'scrape_configs:\n  - job_name: x\n    static_configs: [{targets: ["http://a:1/metrics"]}]\n',
      'scrape-check.yaml:3:33: scrape_configs[0].static_configs[0].targets[0]: "http://a:1/metrics" is not a valid hostname: a target is host or host:port, without a scheme or a path (put those in scheme and metrics_path)',
    ],
    [
      `${JOB}    scrape_interval: 5s\n    scrape_timeout: 10s\n`,
      'scrape-check.yaml:5:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "etcd"',
    ],
    [
      `${JOB}  - job_name: etcd\n    static_configs: [{targets: ["b:1"]}]\n`,
      'scrape-check.yaml:4:15: scrape_configs[1].job_name: found multiple scrape configs with job name "etcd" (first at scrape_configs[0])',
    ],
    [
      `${JOB}    authorization: {credentials: a}\n    basic_auth: {username: u}\n`,
      'scrape-check.yaml:2:5: scrape_configs[0]: at most one of authorization, basic_auth may be set',
    ],
    [
      `${JOB}    tls_config: {cert_file: c.pem}\n`,
      'scrape-check.yaml:4:17: scrape_configs[0].tls_config.key_file: a client certificate needs both a certificate (cert or cert_file) and its key (key or key_file)',
    ],
    [
      'scrape_configs: [\n',
      'scrape-check.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      '- a\n- b\n',
      'scrape-check.yaml:1:1: expected a mapping at the top (global, scrape_configs, clusters, …), got a list',
    ],
    [
      'scrape_configs:\n  - job_name: a\n    job_name: b\n',
      'scrape-check.yaml:3:5: Map keys must be unique',
    ],
  ];
  for (const [text, expected] of table) assert.deepEqual(await problems(text), [expected], text);
});

test('an unknown key suggests the nearest known one, at every level, with its place', async () => {
  const table: [string, string][] = [
    [
      `${JOB}    scrape_timout: 5s\n`,
      'scrape-check.yaml:4:5: scrape_configs[0].scrape_timout: unknown key: neither Prometheus nor scrape-check has it; did you mean scrape_timeout?',
    ],
    [
      `glbal: {}\n${JOB}`,
      'scrape-check.yaml:1:1: glbal: unknown key: neither Prometheus nor scrape-check has it; did you mean global?',
    ],
    [
      `global: {scrape_intervl: 1m}\n${JOB}`,
      'scrape-check.yaml:1:10: global.scrape_intervl: unknown key: neither Prometheus nor scrape-check has it; did you mean scrape_interval?',
    ],
    [
      `${JOB}    tls_config: {ca_fle: ca.pem}\n`,
      'scrape-check.yaml:4:18: scrape_configs[0].tls_config.ca_fle: unknown key: neither Prometheus nor scrape-check has it; did you mean ca_file?',
    ],
    [
      `${JOB}    oauth2: {client_id: a, token_url: "http://a", client_secret: b, scope: [x]}\n`,
      'scrape-check.yaml:4:69: scrape_configs[0].oauth2.scope: unknown key: neither Prometheus nor scrape-check has it; did you mean scopes?',
    ],
    [
      'clusters:\n  - name: a\n    eks: {cluster: a, region: b, rol_arn: x}\n    service_account: {namespace: a, name: b}\n',
      'scrape-check.yaml:3:34: clusters[0].eks.rol_arn: unknown key: neither Prometheus nor scrape-check has it; did you mean role_arn?',
    ],
    [
      `${JOB}    ca_file: ca.pem\n`,
      'scrape-check.yaml:4:5: scrape_configs[0].ca_file: unknown key here: did you mean tls_config.ca_file? (it belongs under tls_config)',
    ],
    [
      `${JOB}    labels: {a: b}\n`,
      'scrape-check.yaml:4:5: scrape_configs[0].labels: unknown key here: did you mean static_configs[].labels? (it belongs in an entry of static_configs)',
    ],
    [
      `${JOB}    tls_config: {scheme: https}\n`,
      'scrape-check.yaml:4:18: scrape_configs[0].tls_config.scheme: unknown key here: scheme belongs one level up, beside tls_config (check the indentation)',
    ],
    [
      `${JOB}    relabel_configs: [{sorce_labels: [a], target_label: b}]\n`,
      'scrape-check.yaml:4:24: scrape_configs[0].relabel_configs[0].sorce_labels: field sorce_labels not found in type relabel.plain (as Prometheus 3 refuses it); did you mean source_labels?',
    ],
    [
      `${JOB}    kubernetes_sd_configs: [{role: pod, selectors: [{role: pod, lable: a=b}]}]\n`,
      'scrape-check.yaml:4:65: scrape_configs[0].kubernetes_sd_configs[0].selectors[0].lable: field lable not found in type kubernetes.SelectorConfig (as Prometheus 3 refuses it); did you mean label?',
    ],
    [
      `${JOB}    kubernetes_sd_configs: [{role: pod, namespaces: {own_namspace: true}}]\n`,
      'scrape-check.yaml:4:54: scrape_configs[0].kubernetes_sd_configs[0].namespaces.own_namspace: field own_namspace not found in type kubernetes.plain (as Prometheus 3 refuses it); did you mean own_namespace?',
    ],
    [
      `${JOB}    file_sd_configs: [{file: [a.json]}]\n`,
      'scrape-check.yaml:4:24: scrape_configs[0].file_sd_configs[0].file: field file not found in type file.plain (as Prometheus 3 refuses it); did you mean files?',
    ],
    [
      `${JOB}    http_sd_configs: [{uri: "http://127.0.0.1:1"}]\n`,
      'scrape-check.yaml:4:24: scrape_configs[0].http_sd_configs[0].uri: field uri not found in type http.plain (as Prometheus 3 refuses it); did you mean url?',
    ],
    [
      `${JOB}    frobnicate: 1\n`,
      'scrape-check.yaml:4:5: scrape_configs[0].frobnicate: unknown key: neither Prometheus nor scrape-check has it (check the spelling and the indentation)',
    ],
  ];
  for (const [text, expected] of table) assert.deepEqual(await problems(text), [expected], text);
});

test('a configuration with nothing to check is refused', async () => {
  assert.match(
    (await problems(''))[0]!,
    /^scrape-check\.yaml: the configuration has no check in it \(the file is empty\)/,
  );
  assert.match(
    (await problems('global: {scrape_timeout: 5s}\n'))[0]!,
    /no static_configs targets, no service discovery scrape-check has, and no clusters/,
  );
  assert.match(
    (
      await problems('scrape_configs:\n  - job_name: k\n    consul_sd_configs: [{server: a:1}]\n')
    )[0]!,
    /has no check in it/,
  );
});

test('Prometheus keys scrape-check does not act on are warnings that name them', async () => {
  const result = await parseConfig(
    `global:\n  evaluation_interval: 1m\nrule_files: [a.yml]\n${JOB}    relabel_configs: []\n    consul_sd_configs: [{server: 'localhost:8500'}]\n`,
    'prometheus.yml',
  );
  assert.ok(result.ok);
  // In the file's order of lines, whatever order they were found in.
  assert.deepEqual(result.warnings, [
    'prometheus.yml:2:3: global.evaluation_interval: a Prometheus setting that scrape-check does not act on: it does not change whether a scrape works',
    'prometheus.yml:3:1: rule_files: a Prometheus setting that scrape-check does not act on: it does not change whether a scrape works',
    'prometheus.yml:8:5: scrape_configs[0].consul_sd_configs: scrape-check has no consul discovery: the targets it would find are not checked (the job is listed as skipped)',
  ]);
});

test('defaults and *_file paths resolve as Prometheus resolves them', async () => {
  const result = await parseConfig(
    `${JOB}    scheme: https\n    tls_config: {ca_file: certs/ca.pem}\n    bearer_token_file: /var/run/token\n    body_size_limit: 64MiB\n`,
    'x.yaml',
    '/etc/scrape-check',
  );
  assert.ok(result.ok);
  const job = result.config.scrape_configs[0]!;
  assert.equal(job.tls_config?.ca_file, '/etc/scrape-check/certs/ca.pem');
  assert.equal(job.bearer_token_file, '/var/run/token');
  assert.equal(job.metrics_path, '/metrics');
  assert.equal(job.body_size_limit, 64 * 2 ** 20);
  assert.equal(result.config.global.scrape_timeout, 10_000);
  assert.equal(result.config.compat.prometheus, '3');
});

test('JSON configs get line and column too', async () => {
  const result = await parseConfig(
    '{\n  "scrape_configs": [{"job_name": "x", "static_configs": [{"targets": ["a:1"]}], "scheme": 1}]\n}',
    'c.json',
  );
  if (result.ok) assert.fail('expected the config to be refused');
  assert.equal(
    result.message,
    'c.json:2:92: scrape_configs[0].scheme: expected string, got number 1',
  );
});

let dir: Awaited<ReturnType<typeof tempFiles>>;
before(async () => {
  dir = await tempFiles({ 'ok.yaml': JOB });
  await mkdir(join(dir.dir, 'a-directory'));
});
after(() => dir.cleanup());

test('missing files and directories are problems, not crashes', async () => {
  const missing = await loadConfigFile(dir.path('nope.yaml'));
  assert.ok(
    !missing.ok &&
      missing.message.endsWith(
        'nope.yaml: no such file (pass --config FILE, or create scrape-check.yaml here)',
      ),
  );
  const folder = await loadConfigFile(dir.path('a-directory'));
  assert.ok(
    !folder.ok && folder.message.endsWith('a-directory: is a directory, not a configuration file'),
  );
  assert.ok((await loadConfigFile(dir.path('ok.yaml'))).ok);
});

test('a cluster entry: EKS or kubeconfig, a token source, presets, control_plane ports', async () => {
  const result = await parseConfig(
    `clusters:
  - name: prod
    eks: {cluster: prod-eks, region: eu-west-1}
    service_account: {namespace: monitoring, name: prometheus}
  - name: lab
    kubeconfig: {path: kube.yaml, context: kind-kind}
    token: {file: token}
    targets: [apiserver, kube-scheduler, etcd]
    control_plane: {scheduler_port: 10259}
    etcd: {tls_config: {cert_file: etcd.pem, key_file: etcd-key.pem}}
`,
    'c.yaml',
    '/etc/scrape-check',
  );
  if (!result.ok) assert.fail(result.message);
  const [prod, lab] = result.config.clusters;
  assert.deepEqual(prod!.targets, [
    'apiserver',
    'kube-scheduler',
    'kube-controller-manager',
    'kubelet',
  ]);
  assert.equal(prod!.service_account?.expiration_seconds, 600);
  assert.equal(lab!.kubeconfig?.path, '/etc/scrape-check/kube.yaml');
  assert.equal(lab!.control_plane?.scheduler_port, 10259);
  assert.equal(lab!.etcd?.tls_config?.cert_file, '/etc/scrape-check/etcd.pem');
  const both = await parseConfig(
    'clusters:\n  - name: x\n    eks: {cluster: a, region: b}\n    kubeconfig: {}\n    token: {file: t}\n',
    'c.yaml',
  );
  assert.ok(!both.ok && /a cluster needs exactly one of eks and kubeconfig/.test(both.message));
});
