/**
 * `scrape-check run`, the command a user types, against the Kubernetes API emulator: given only an
 * EKS cluster name or a kubeconfig and a ServiceAccount, it checks every preset target. It runs as a
 * child process whose only AWS settings are the SDK's own environment (endpoints, keys), as on a
 * laptop or in Lambda.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import {
  eksFixture,
  SA,
  selfManagedFixture,
  type EksFixture,
  type SelfManagedFixture,
} from './fixtures.ts';

const BIN = new URL('../../bin/scrape-check.js', import.meta.url).pathname;

function run(
  config: object,
  dir: string,
  env: Record<string, string>,
): Promise<{ code: number; report: RunReport | null; out: string; err: string }> {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(config));
  const child = spawn(process.execPath, [BIN, 'run', '--config', file, '--json'], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      resolve({ code: code ?? -1, report: out ? (JSON.parse(out) as RunReport) : null, out, err });
    });
  });
}

function awsEnv(fx: EksFixture): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: fx.user.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fx.user.secretAccessKey,
    AWS_ENDPOINT_URL_EKS: fx.aws.url,
    AWS_ENDPOINT_URL_STS: fx.aws.url,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('scrape-check run against an EKS cluster', () => {
  let fx: EksFixture;
  let dir: SelfManagedFixture['dir'];
  let sm: SelfManagedFixture;
  before(async () => {
    fx = await eksFixture();
    sm = await selfManagedFixture();
    dir = sm.dir;
  });
  after(async () => {
    await fx.close();
    await sm.close();
  });

  const eksCluster = (): object => ({
    clusters: [
      {
        name: 'prod',
        eks: {
          cluster: fx.clusterName,
          region: fx.region,
          role_arn: fx.role.arn,
          external_id: fx.externalId,
        },
        service_account: { namespace: SA.namespace, name: SA.name },
        kubelet: { max_nodes: 2 },
      },
    ],
  });

  it('given only the cluster name and a ServiceAccount, checks every preset and passes', async () => {
    const { code, report, out, err } = await run(eksCluster(), dir, awsEnv(fx));
    assert.equal(code, 0, `${err}\n${out}`);
    const jobs = report!.results.map((r) => `${r.cluster ?? ''}/${r.job}`);
    for (const preset of ['apiserver', 'kube-scheduler', 'kube-controller-manager', 'kubelet']) {
      assert.ok(jobs.includes(`prod/${preset}`), `prod/${preset} in ${jobs.join(', ')}`);
    }
    for (const result of report!.results) {
      assert.equal(result.reason, 'ok', `${result.job}: ${result.diagnosis}`);
      const token = result.token!;
      assert.equal(token.source, 'token_request');
      assert.equal(token.sub, `system:serviceaccount:${SA.namespace}:${SA.name}`);
      assert.ok(result.series > 0);
    }
    assertNoSecrets([out, err], fx.secrets());
  });

  it('a cluster EKS does not know: credentials_failed for every preset, exit 1', async () => {
    const config = eksCluster() as { clusters: { eks: { cluster: string } }[] };
    config.clusters[0]!.eks.cluster = 'no-such-cluster';
    const { code, report, out, err } = await run(config, dir, awsEnv(fx));
    assert.equal(code, 1, err);
    assert.equal(report!.results.length, 4);
    for (const result of report!.results) {
      assert.equal(result.reason, 'credentials_failed');
      assert.match(result.diagnosis, /no-such-cluster/);
    }
    assertNoSecrets([out, err], fx.secrets());
  });

  it('through a kubeconfig, with the binding removed: http_forbidden naming the rule to add', async () => {
    const config = {
      clusters: [
        {
          name: 'lab',
          kubeconfig: { path: sm.kubeconfig },
          service_account: { namespace: SA.namespace, name: SA.name },
          targets: ['apiserver'],
        },
      ],
    };
    const healthy = await run(config, dir, {});
    assert.equal(healthy.code, 0, `${healthy.err}\n${healthy.out}`);
    // Only the scraper's binding: the checker keeps its own, so it can still ask the cluster why.
    const bindings = [...sm.emu.rbac.clusterRoleBindings.keys()].filter(
      (name) => name === 'scrape-check:scraper',
    );
    assert.equal(bindings.length, 1);
    const removed = bindings.map(
      (name) => [name, sm.emu.rbac.clusterRoleBindings.get(name)!] as const,
    );
    for (const [name] of removed) sm.emu.rbac.clusterRoleBindings.delete(name);
    try {
      const { code, report, out, err } = await run(config, dir, {});
      assert.equal(code, 1, err);
      const [result] = report!.results;
      assert.equal(result!.reason, 'http_forbidden');
      assert.match(result!.diagnosis, /nonResourceURLs: \["\/metrics"\]/);
      assert.match(result!.diagnosis, /SubjectAccessReview: denied/);
      assertNoSecrets([out, err], [sm.checkerToken, ...sm.emu.secretValues()]);
    } finally {
      for (const [name, binding] of removed) sm.emu.rbac.clusterRoleBindings.set(name, binding);
    }
  });
});
