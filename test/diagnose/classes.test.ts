/**
 * The cause and the fix, for each class of breakage users report, from a real failure of a real
 * server, through the runner (where the diagnosis is completed): the reason, and the words of the
 * diagnosis that tell a person what to change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '#lib/config/index.ts';
import { daysFromNow, makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { runChecks } from '#lib/runner/index.ts';
import {
  METRICS,
  startHttp,
  startHttps,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';
import { createServer, type Server } from 'node:http';

let ca: Issued;
let files: Awaited<ReturnType<typeof tempFiles>>;
const servers: Running[] = [];

async function check(job: string): Promise<CheckResult> {
  const parsed = await parseConfig(`scrape_configs:\n${job}`, 'classes.yaml', files.dir);
  if (!parsed.ok) throw new Error(parsed.message);
  const [result] = (await runChecks(parsed.config)).results;
  return result!;
}

function text(status: number, body: string): Parameters<typeof startHttp>[0] {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  };
}

describe('each class of breakage, with its cause and fix', () => {
  before(async () => {
    ca = await makeCa({ commonName: 'classes-ca' });
    files = await tempFiles({ 'ca.pem': ca.certPem });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await files.cleanup();
  });

  test('403 for system:anonymous: no token sent, or a component without --authentication-kubeconfig', async () => {
    const server = await startHttp(
      text(403, 'forbidden: User "system:anonymous" cannot get path "/metrics"'),
    );
    servers.push(server);
    const result = await check(
      `  - job_name: scheduler\n    static_configs: [{targets: ["${server.address}"]}]\n`,
    );
    assert.equal(result.reason, 'http_forbidden');
    assert.match(
      result.diagnosis,
      /no token was sent.*--authentication-kubeconfig and --authorization-kubeconfig/,
    );
  });

  test('403 from a kubelet: the nodes/metrics rule, as YAML', async () => {
    const server = await startHttp(
      text(
        403,
        'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=metrics)',
      ),
    );
    servers.push(server);
    const result = await check(
      `  - job_name: kubelet\n    static_configs: [{targets: ["${server.address}"]}]\n`,
    );
    assert.equal(result.reason, 'http_forbidden');
    assert.match(result.diagnosis, /system:serviceaccount:monitoring:prometheus/);
    assert.match(result.diagnosis, /resources: \["nodes\/metrics", "nodes\/proxy"\]/);
  });

  test('401 from a kubelet (port 10250): webhook token authentication is off', async () => {
    const kubelet: Server = createServer(text(401, 'Unauthorized'));
    await new Promise<void>((resolve, reject) => {
      kubelet.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            `this test needs 127.0.0.1:10250, the kubelet's port, free: ${error.code ?? error.message}`,
          ),
        );
      });
      kubelet.listen(10250, '127.0.0.1', resolve);
    });
    try {
      const result = await check(
        '  - job_name: kubelet\n    static_configs: [{targets: ["127.0.0.1:10250"]}]\n',
      );
      assert.equal(result.reason, 'http_unauthorized');
      assert.match(result.diagnosis, /--authentication-token-webhook/);
    } finally {
      kubelet.close();
    }
  });

  test('refused on a node address for 10257: the component binds 127.0.0.1', async () => {
    const result = await check(
      '  - job_name: kcm\n    scheme: https\n    static_configs: [{targets: ["127.0.0.2:10257"]}]\n',
    );
    assert.equal(result.reason, 'connect_refused');
    assert.match(
      result.diagnosis,
      /kube-controller-manager binds 127\.0\.0\.1 by default.*--bind-address/,
    );
  });

  test('a self-signed serving certificate (a kubelet without serverTLSBootstrap)', async () => {
    const self = await makeCa({ commonName: 'node-1', dns: ['node-1'], ips: ['127.0.0.1'] });
    const server = await startHttps({ cert: self.certPem, key: self.keyPem }, text(200, METRICS));
    servers.push(server);
    const result = await check(
      `  - job_name: kubelet\n    scheme: https\n    tls_config: {ca_file: ca.pem}\n    static_configs: [{targets: ["${server.address}"]}]\n`,
    );
    assert.equal(result.reason, 'tls_unknown_ca');
    assert.match(result.diagnosis, /self-signed certificate.*serverTLSBootstrap/);
  });

  test('a name mismatch lists the names held and the server_name that would work', async () => {
    const leaf = await makeLeaf(ca, { commonName: 'etcd', dns: ['etcd.kube-system.svc', 'etcd'] });
    const server = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, text(200, METRICS));
    servers.push(server);
    const result = await check(
      `  - job_name: etcd\n    scheme: https\n    tls_config: {ca_file: ca.pem}\n    static_configs: [{targets: ["localhost:${server.port}"]}]\n`,
    );
    assert.equal(result.reason, 'tls_hostname_mismatch');
    assert.match(
      result.diagnosis,
      /certificate is valid for etcd\.kube-system\.svc, etcd, not localhost/,
    );
    assert.match(result.diagnosis, /set tls_config\.server_name to one of those/);
  });

  test('a certificate within cert_expiry_warning_days: the run passes, and warns', async () => {
    const soon = await makeLeaf(ca, {
      commonName: 'soon',
      ips: ['127.0.0.1'],
      notAfter: daysFromNow(5),
    });
    const server = await startHttps({ cert: soon.certPem, key: soon.keyPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(METRICS);
    });
    servers.push(server);
    const result = await check(
      `  - job_name: soon\n    scheme: https\n    tls_config: {ca_file: ca.pem}\n    static_configs: [{targets: ["${server.address}"]}]\n`,
    );
    assert.equal(result.reason, 'ok');
    assert.equal(result.tls?.daysLeft, 4);
    assert.ok(result.warnings.some((w) => /certificate expires in 4 days/.test(w)));
  });
});
