/**
 * Clusters reached through a kubeconfig, with each kind of auth a kubeconfig holds: a bearer
 * token, a client certificate, and an exec plugin (`/usr/bin/aws eks get-token`, whose token the
 * emulator checks with botocore). Also self-managed control-plane targets (kube-scheduler and
 * kube-controller-manager on the control-plane nodes, etcd with client certificates) and the
 * kubeconfig failures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { after, afterEach, before, describe, it } from 'node:test';
import { resetCredentialCache } from '#lib/credentials/index.ts';
import { planCluster, type ClusterConfigLike, type ClusterPlan } from '#lib/targets/cluster.ts';
import { AWS_CLI, skipWithoutBotocore } from '../aws/botocore.ts';
import type { EtcdServer } from '../k8s/emulator-extras.ts';
import { assertNoSecrets, DEFAULTS, planOutputs, scrape } from './helpers.ts';
import {
  CHECKER_GROUP,
  eksFixture,
  SA,
  selfManagedFixture,
  type EksFixture,
  type SelfManagedFixture,
} from './fixtures.ts';

const SERVICE_ACCOUNT = { namespace: SA.namespace, name: SA.name };

describe('kubeconfig clusters (self-managed)', () => {
  let fx: SelfManagedFixture;
  let etcd: EtcdServer;
  let ports: { scheduler: number; controllerManager: number };
  const outputs: unknown[] = [];
  const extraSecrets: string[] = [];

  before(async () => {
    fx = await selfManagedFixture();
    const [scheduler, controllerManager] = await Promise.all([
      fx.emu.startComponent('kube-scheduler'),
      fx.emu.startComponent('kube-controller-manager'),
    ]);
    ports = { scheduler: scheduler.port, controllerManager: controllerManager.port };
    etcd = await fx.emu.startEtcd();
    writeFileSync(join(fx.dir, 'etcd-ca.crt'), etcd.ca.certPem);
    writeFileSync(join(fx.dir, 'etcd-client.crt'), etcd.client.certPem);
    writeFileSync(join(fx.dir, 'etcd-client.key'), etcd.client.keyPem);
  });
  after(async () => {
    assertNoSecrets(outputs, [...fx.emu.secretValues(), ...extraSecrets]);
    await fx.close();
  });
  afterEach(() => {
    resetCredentialCache();
  });

  async function plan(cluster: Partial<ClusterConfigLike>): Promise<ClusterPlan> {
    const result = await planCluster(
      {
        name: 'lab',
        kubeconfig: { path: fx.kubeconfig },
        service_account: SERVICE_ACCOUNT,
        ...cluster,
      },
      DEFAULTS,
    );
    outputs.push(planOutputs(result));
    return result;
  }

  it('with a token: plans every preset, control plane and etcd on the control-plane node, and scrapes them', async () => {
    const p = await plan({
      targets: ['apiserver', 'kube-scheduler', 'kube-controller-manager', 'kubelet', 'etcd'],
      kubelet: { max_nodes: 2 },
      control_plane: {
        scheduler_port: ports.scheduler,
        controller_manager_port: ports.controllerManager,
      },
      etcd: {
        endpoints: [`127.0.0.1:${etcd.port}`],
        tls_config: {
          ca_file: join(fx.dir, 'etcd-ca.crt'),
          cert_file: join(fx.dir, 'etcd-client.crt'),
          key_file: join(fx.dir, 'etcd-client.key'),
        },
      },
    });
    assert.deepEqual(p.failures, []);
    const host = new URL(fx.emu.url).host;
    assert.deepEqual(
      p.requests.map((r) => `${r.job} ${r.instance} ${r.url.pathname}`),
      [
        `apiserver ${host} /metrics`,
        `kube-scheduler 127.0.0.1:${ports.scheduler} /metrics`,
        `kube-controller-manager 127.0.0.1:${ports.controllerManager} /metrics`,
        'kubelet cp-1 /api/v1/nodes/cp-1/proxy/metrics',
        'kubelet cp-1 /api/v1/nodes/cp-1/proxy/metrics/cadvisor',
        'kubelet node-a /api/v1/nodes/node-a/proxy/metrics',
        'kubelet node-a /api/v1/nodes/node-a/proxy/metrics/cadvisor',
        `etcd 127.0.0.1:${etcd.port} /metrics`,
      ],
    );
    const scheduler = p.requests.find((r) => r.job === 'kube-scheduler');
    assert.equal(
      scheduler?.tls.insecureSkipVerify,
      true,
      'kubeadm components serve a self-signed certificate',
    );
    const etcdRequest = p.requests.find((r) => r.job === 'etcd');
    assert.equal(etcdRequest?.auth, null);
    assert.equal(etcdRequest.token, null);
    for (const request of p.requests) {
      const scraped = await scrape(request);
      assert.equal(scraped.status, 200, `${request.url.href}: ${scraped.body}`);
      assert.ok(scraped.result.series > 0);
    }
    assert.ok(
      fx.emu.log.some((l) => l.path === '/api/v1/nodes' && l.user === 'scrape-check-checker'),
    );
  });

  it('finds etcd on the control-plane nodes when no endpoint is given, and asks for client certificates when none are', async () => {
    const p = await plan({
      targets: ['etcd'],
      etcd: { tls_config: { cert_file: '/x.crt', key_file: '/x.key' } },
    });
    assert.deepEqual(
      p.requests.map((r) => r.url.href),
      ['https://127.0.0.1:2379/metrics'],
    );
    const q = await plan({ targets: ['etcd'] });
    assert.equal(q.failures[0]?.reason, 'config_invalid');
    assert.match(q.failures[0].diagnosis, /apiserver-etcd-client/);
  });

  it('with a client certificate', async () => {
    const cert = await fx.emu.clientCert('scrape-check-checker', [CHECKER_GROUP]);
    const file = fx.writeKubeconfig('cert', {
      'client-certificate-data': Buffer.from(cert.certPem).toString('base64'),
      'client-key-data': Buffer.from(cert.keyPem).toString('base64'),
    });
    const p = await plan({
      kubeconfig: { path: file, context: 'lab' },
      targets: ['apiserver', 'kubelet'],
      kubelet: { max_nodes: 1 },
    });
    assert.deepEqual(p.failures, []);
    assert.equal(p.requests.length, 3);
    for (const request of p.requests) assert.equal((await scrape(request)).status, 200);
    const tokenCall = fx.emu.log.filter((l) => l.path.endsWith('/token')).at(-1);
    assert.equal(tokenCall?.user, 'scrape-check-checker');
  });

  it('an exec plugin that fails: credentials_failed with its message, and no secret from its stderr', async () => {
    const leaked = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLXNlY3JldA';
    extraSecrets.push(leaked);
    const file = fx.writeKubeconfig('exec-fail', {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: '/bin/sh',
        args: ['-c', `echo "error: SSO session expired (token ${leaked})" >&2; exit 1`],
      },
    });
    const p = await plan({ kubeconfig: { path: file }, targets: ['apiserver'] });
    assert.equal(p.failures[0]?.reason, 'credentials_failed');
    assert.match(p.failures[0].diagnosis, /exec plugin `\/bin\/sh`/);
    assert.match(p.failures[0].diagnosis, /SSO session expired/);
    assert.doesNotMatch(p.failures[0].diagnosis, /eyJ/);
  });

  it('a context the file lacks, and a file that is not there: credentials_failed naming them', async () => {
    const p = await plan({ kubeconfig: { path: fx.kubeconfig, context: 'prod' } });
    assert.equal(p.failures.length, 4);
    assert.equal(p.failures[0]?.reason, 'credentials_failed');
    assert.match(p.failures[0].diagnosis, /no context "prod".*Its contexts: lab/);
    assert.equal(p.failures[0].url, `file://${fx.kubeconfig}#prod`);
    const q = await plan({ kubeconfig: { path: join(fx.dir, 'nope') } });
    assert.match(q.failures[0]?.diagnosis ?? '', /cannot be read \(ENOENT\)/);
  });

  it("a token the API server does not know: credentials_failed, the checker's own credentials refused", async () => {
    const file = fx.writeKubeconfig('stale', { token: 'stale-token-0123456789abcdef' });
    extraSecrets.push('stale-token-0123456789abcdef');
    const p = await plan({ kubeconfig: { path: file }, targets: ['apiserver'] });
    assert.equal(p.failures[0]?.reason, 'credentials_failed');
    assert.match(
      p.failures[0].diagnosis,
      /refused the checker's own credentials \(401 Unauthorized\)/,
    );
    assert.match(p.failures[0].diagnosis, /auth whoami/);
  });

  it('no control-plane nodes: kube-scheduler is config_invalid, saying why', async () => {
    const saved = fx.emu.nodes;
    fx.emu.nodes = saved.filter((n) => n.controlPlane !== true);
    try {
      const p = await plan({ targets: ['apiserver', 'kube-scheduler'] });
      assert.equal(p.requests.length, 1);
      assert.equal(p.failures[0]?.job, 'kube-scheduler');
      assert.equal(p.failures[0].reason, 'config_invalid');
      assert.match(p.failures[0].diagnosis, /node-role\.kubernetes\.io\/control-plane/);
    } finally {
      fx.emu.nodes = saved;
    }
  });
});

const skip = skipWithoutBotocore();

describe('kubeconfig with the aws eks get-token exec plugin', { skip }, () => {
  let fx: EksFixture;
  before(async () => {
    fx = await eksFixture();
  });
  after(async () => {
    await fx.close();
  });

  it("runs /usr/bin/aws, whose token the emulator verifies with botocore, and plans EKS's control-plane paths", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrape-check-exec-'));
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'eks',
            cluster: {
              server: fx.emu.url,
              'certificate-authority-data': Buffer.from(fx.emu.ca.certPem).toString('base64'),
            },
          },
        ],
        users: [
          {
            name: 'aws',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command: AWS_CLI,
                args: ['eks', 'get-token', '--cluster-name', fx.clusterName, '--region', fx.region],
                env: [
                  { name: 'AWS_ACCESS_KEY_ID', value: fx.user.accessKeyId },
                  { name: 'AWS_SECRET_ACCESS_KEY', value: fx.user.secretAccessKey },
                  { name: 'AWS_CONFIG_FILE', value: '/nonexistent/config' },
                  { name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/nonexistent/credentials' },
                ],
              },
            },
          },
        ],
        contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'aws' } }],
        'current-context': 'eks',
      }),
    );
    resetCredentialCache();
    const p = await planCluster(
      {
        name: 'prod',
        kubeconfig: { path: file, context: 'eks' },
        service_account: SERVICE_ACCOUNT,
        targets: ['apiserver', 'kube-scheduler'],
      },
      DEFAULTS,
    );
    assertNoSecrets(planOutputs(p), fx.secrets());
    assert.deepEqual(p.failures, []);
    assert.equal(
      p.requests[1]?.url.pathname,
      '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics',
      'EKS detected from /version',
    );
    for (const request of p.requests) assert.equal((await scrape(request)).status, 200);
    const token = fx.emu.log.find((l) => l.path.endsWith('/token'));
    assert.equal(token?.user, fx.user.arn, "the API server saw the exec plugin's IAM identity");
    assert.ok([...fx.emu.tokens].some((t) => t.startsWith('k8s-aws-v1.')));
    rmSync(dir, { recursive: true, force: true });
  });
});
