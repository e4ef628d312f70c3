/**
 * EKS end to end: the default credential chain and sts:AssumeRole against a local STS,
 * DescribeCluster against a local EKS (signatures recomputed by botocore), the EKS token checked
 * by the emulator with botocore, TokenRequest, and scrapes of every preset with undici. Also the
 * failures: cluster not found, throttling, assume-role denied, no access entry, and the caches.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { resetCredentialCache } from '#lib/credentials/index.ts';
import { planCluster, type ClusterConfigLike, type ClusterPlan } from '#lib/targets/cluster.ts';
import { skipWithoutBotocore } from '../aws/botocore.ts';
import { assertNoSecrets, DEFAULTS, planOutputs, scrape, scrapeAndDiagnose } from './helpers.ts';
import { eksFixture, SA, type EksFixture } from './fixtures.ts';

const skip = skipWithoutBotocore();

describe('EKS clusters', { skip }, () => {
  let fx: EksFixture;
  const outputs: unknown[] = [];

  before(async () => {
    fx = await eksFixture();
  });
  after(async () => {
    assertNoSecrets(outputs, fx.secrets());
    await fx.close();
  });
  beforeEach(() => {
    resetCredentialCache();
    fx.aws.throttleEks = 0;
  });

  function config(extra: Partial<ClusterConfigLike> = {}): ClusterConfigLike {
    return {
      name: 'prod',
      eks: { cluster: fx.clusterName, region: fx.region },
      service_account: {
        namespace: SA.namespace,
        name: SA.name,
        audiences: [],
        expiration_seconds: 600,
      },
      ...extra,
    };
  }

  async function plan(cluster: ClusterConfigLike, now?: () => number): Promise<ClusterPlan> {
    const result = await planCluster(cluster, DEFAULTS, {
      ...(now === undefined ? {} : { now }),
      awsMaxAttempts: 3,
    });
    outputs.push(planOutputs(result));
    return result;
  }

  it('plans and scrapes every EKS preset with the scoped token', async () => {
    const p = await plan(config());
    assert.deepEqual(p.failures, []);
    const jobs = p.requests.map((r) => `${r.job} ${r.instance} ${r.url.pathname}`);
    const host = new URL(fx.emu.url).host;
    assert.deepEqual(jobs, [
      `apiserver ${host} /metrics`,
      `kube-scheduler ${host} /apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics`,
      `kube-controller-manager ${host} /apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics`,
      'kubelet cp-1 /api/v1/nodes/cp-1/proxy/metrics',
      'kubelet cp-1 /api/v1/nodes/cp-1/proxy/metrics/cadvisor',
      'kubelet node-a /api/v1/nodes/node-a/proxy/metrics',
      'kubelet node-a /api/v1/nodes/node-a/proxy/metrics/cadvisor',
      'kubelet node-b /api/v1/nodes/node-b/proxy/metrics',
      'kubelet node-b /api/v1/nodes/node-b/proxy/metrics/cadvisor',
    ]);
    for (const request of p.requests) {
      assert.equal(request.cluster, 'prod');
      assert.equal(request.tls.ca, fx.emu.ca.certPem);
      assert.equal(request.token?.source, 'token_request');
      assert.equal(request.token.sub, 'system:serviceaccount:monitoring:scrape-check');
      assert.ok(request.token.exp !== null && request.token.iat !== null);
      const scraped = await scrape(request);
      assert.equal(scraped.status, 200, `${request.url.href}: ${scraped.body}`);
      assert.ok(scraped.result.series > 0);
    }
    // The checker used an EKS token (verified by botocore), the scrapes the ServiceAccount's.
    assert.ok(
      fx.emu.log.some(
        (l) =>
          l.path.endsWith('/serviceaccounts/scrape-check/token') &&
          l.user === fx.user.arn &&
          l.status === 201,
      ),
    );
    assert.ok(
      fx.emu.log
        .filter((l) => l.path === '/metrics')
        .every((l) => l.user === 'system:serviceaccount:monitoring:scrape-check'),
    );
    assert.equal(
      await p.review(p.requests[0]!),
      null,
      'deploy/kubernetes/scraper-rbac.yaml is not over-privileged',
    );
  });

  it('assumes the role with the external ID, and caches credentials, DescribeCluster and the EKS token across runs', async () => {
    const cluster = config({
      eks: {
        cluster: fx.clusterName,
        region: fx.region,
        role_arn: fx.role.arn,
        external_id: fx.externalId,
      },
      targets: ['apiserver'],
    });
    const before = {
      assume: fx.aws.count('sts', 'AssumeRole'),
      describe: fx.aws.count('eks', 'DescribeCluster'),
    };
    const first = await plan(cluster);
    const second = await plan(cluster);
    assert.deepEqual([first.failures, second.failures], [[], []]);
    assert.equal(fx.aws.count('sts', 'AssumeRole') - before.assume, 1);
    assert.equal(fx.aws.count('eks', 'DescribeCluster') - before.describe, 1);
    const calls = fx.emu.log.filter((l) => l.path.endsWith('/token') && l.status === 201).slice(-2);
    assert.ok(
      calls.every((l) =>
        l.user.startsWith('arn:aws:sts::111122223333:assumed-role/scrape-check/scrape-check'),
      ),
    );
    const eksTokens = [...fx.emu.tokens].filter((t) => t.startsWith('k8s-aws-v1.'));
    assert.equal((await scrape(second.requests[0]!)).status, 200);
    // Same token both runs: one new k8s-aws-v1 token for this role.
    const third = await plan(cluster);
    assert.deepEqual(third.failures, []);
    assert.equal(
      [...fx.emu.tokens].filter((t) => t.startsWith('k8s-aws-v1.')).length,
      eksTokens.length,
    );
  });

  it('renews the EKS token before its 15 minutes are up', async () => {
    const cluster = config({ targets: ['apiserver'] });
    let offset = 0;
    const now = () => Date.now() + offset;
    assert.deepEqual((await plan(cluster, now)).failures, []);
    const count = () => [...fx.emu.tokens].filter((t) => t.startsWith('k8s-aws-v1.')).length;
    const tokens = count();
    offset = 11 * 60_000; // past the 10-minute reuse window, inside the 15-minute lifetime
    fx.emu.advance(offset);
    try {
      const later = await plan(cluster, now);
      assert.deepEqual(later.failures, []);
      assert.equal(count(), tokens + 1, 'a fresh token was signed');
      assert.equal((await scrape(later.requests[0]!)).status, 200);
    } finally {
      fx.emu.advance(-offset);
    }
  });

  it('an EKS token older than 15 minutes is refused, and the diagnosis names the access entry and the clock', async () => {
    const cluster = config({ targets: ['apiserver'] });
    assert.deepEqual((await plan(cluster)).failures, []);
    fx.emu.advance(16 * 60_000); // the cached token is now too old for the API server
    try {
      const p = await plan(cluster, () => Date.now()); // the planner's clock still trusts its cache
      assert.equal(p.failures[0]?.reason, 'credentials_failed');
      assert.match(p.failures[0].diagnosis, /401/);
      assert.match(p.failures[0].diagnosis, /access entry/);
      assert.match(p.failures[0].diagnosis, /15 minutes/);
    } finally {
      fx.emu.advance(-16 * 60_000);
    }
  });

  it('cluster not found: credentials_failed for every preset, naming the cluster, region and AWS error', async () => {
    const p = await plan(config({ eks: { cluster: 'no-such-cluster', region: fx.region } }));
    assert.equal(p.requests.length, 0);
    assert.deepEqual(
      p.failures.map((f) => f.job),
      ['apiserver', 'kube-scheduler', 'kube-controller-manager', 'kubelet'],
    );
    for (const f of p.failures) {
      assert.equal(f.reason, 'credentials_failed');
      assert.equal(f.cluster, 'prod');
      assert.equal(f.url, `https://eks.${fx.region}.amazonaws.com/clusters/no-such-cluster`);
      assert.match(f.diagnosis, /"no-such-cluster" not found in eu-west-1/);
      assert.match(f.diagnosis, /ResourceNotFoundException/);
      assert.match(f.diagnosis, /list-clusters/);
    }
  });

  it('retries a throttled DescribeCluster and succeeds', async () => {
    fx.aws.throttleEks = 2;
    const p = await plan(config({ targets: ['apiserver'] }));
    assert.deepEqual(p.failures, []);
    assert.equal(fx.aws.throttleEks, 0);
  });

  it('throttled after retries: credentials_failed saying so', async () => {
    fx.aws.throttleEks = 10;
    const p = await plan(config({ targets: ['apiserver'] }));
    const [f] = p.failures;
    assert.equal(f?.reason, 'credentials_failed');
    assert.match(f.diagnosis, /DescribeCluster/);
    assert.match(f.diagnosis, /throttled \(ThrottlingException, HTTP 429, after 3 attempts\)/);
    assert.match(f.diagnosis, /next run/);
  });

  it('assume-role denied (wrong external ID): credentials_failed naming the role, the error and the trust policy', async () => {
    const p = await plan(
      config({
        eks: {
          cluster: fx.clusterName,
          region: fx.region,
          role_arn: fx.role.arn,
          external_id: 'wrong',
        },
      }),
    );
    const [f] = p.failures;
    assert.equal(f?.reason, 'credentials_failed');
    assert.match(f.diagnosis, /sts:AssumeRole into arn:aws:iam::111122223333:role\/scrape-check/);
    assert.match(f.diagnosis, /AccessDenied/);
    assert.match(f.diagnosis, /trust policy/);
    assert.match(f.diagnosis, /external_id/);
  });

  it('an IAM principal without an access entry: credentials_failed explaining the access entry', async () => {
    const stranger = fx.world.addUser('stranger');
    fx.world.roles.set(fx.role.arn, {
      ...fx.role,
      trusted: [fx.user.principalArn, stranger.principalArn],
    });
    const other = fx.world.addRole('no-entry', [fx.user.principalArn]);
    const p = await plan(
      config({ eks: { cluster: fx.clusterName, region: fx.region, role_arn: other.arn } }),
    );
    const [f] = p.failures;
    assert.equal(f?.reason, 'credentials_failed');
    assert.match(f.diagnosis, /TokenRequest/);
    assert.match(f.diagnosis, /create-access-entry --cluster-name prod-eks/);
  });

  it('EKS metrics APIService missing: the 404 diagnosis says so', async () => {
    const p = await plan(config({ targets: ['kube-scheduler'] }));
    fx.emu.apiService.present = false;
    try {
      const result = await scrapeAndDiagnose(p, p.requests[0]!);
      outputs.push(result.diagnosis);
      assert.equal(result.status, 404);
      assert.match(
        result.diagnosis ?? '',
        /APIService v1\.metrics\.eks\.amazonaws\.com does not exist/,
      );
      assert.match(result.diagnosis ?? '', /webhook/);
    } finally {
      fx.emu.apiService.present = true;
    }
  });

  it('a 1.27 cluster: the ksh target carries a warning and its 404 names the version', async () => {
    fx.aws.clusters.set('old-eks', {
      ...fx.aws.clusters.get(fx.clusterName)!,
      name: 'old-eks',
      version: '1.27',
    });
    const p = await plan(
      config({ eks: { cluster: 'old-eks', region: fx.region }, targets: ['kube-scheduler'] }),
    );
    // The emulator only accepts tokens for prod-eks: a token for another cluster fails its signature.
    assert.equal(p.failures[0]?.reason, 'credentials_failed');
    fx.aws.clusters.set(fx.clusterName, {
      ...fx.aws.clusters.get(fx.clusterName)!,
      version: '1.27',
    });
    resetCredentialCache();
    try {
      const q = await plan(config({ targets: ['kube-scheduler'] }));
      assert.match(q.requests[0]?.warnings.join(' ') ?? '', /only from 1\.28/);
      const diagnosis = await q.diagnose(q.requests[0]!, 404, '');
      outputs.push(diagnosis);
      assert.match(diagnosis ?? '', /runs Kubernetes 1\.27/);
    } finally {
      fx.aws.clusters.set(fx.clusterName, {
        ...fx.aws.clusters.get(fx.clusterName)!,
        version: '1.30',
      });
    }
  });

  it('the EKS metrics rule missing: the ksh 403 names ksh/metrics in metrics.eks.amazonaws.com and gives the rule', async () => {
    const p = await plan(config({ targets: ['apiserver', 'kube-scheduler'] }));
    const role = fx.emu.rbac.clusterRoles.get('scrape-check:scraper')!;
    fx.emu.rbac.apply({
      ...role,
      rules: role.rules.filter((r) => r.apiGroups?.includes('metrics.eks.amazonaws.com') !== true),
    });
    try {
      assert.equal((await scrape(p.requests[0]!)).status, 200);
      const result = await scrapeAndDiagnose(p, p.requests[1]!);
      outputs.push(result.diagnosis);
      assert.equal(result.status, 403);
      const d = result.diagnosis ?? '';
      assert.match(d, /ksh\.metrics\.eks\.amazonaws\.com "container" is forbidden/);
      assert.match(d, /get resource "ksh\/metrics" in API group "metrics\.eks\.amazonaws\.com"/);
      assert.match(d, /lacks this rule/);
      assert.match(
        d,
        /apiGroups: \["metrics\.eks\.amazonaws\.com"\]\n {4}resources: \["ksh\/metrics"\]/,
      );
    } finally {
      fx.emu.rbac.apply(role);
    }
  });

  it('etcd on EKS is config_invalid, with the reason', async () => {
    const p = await plan(config({ targets: ['apiserver', 'etcd'] }));
    assert.equal(p.requests.length, 1);
    assert.equal(p.failures[0]?.job, 'etcd');
    assert.equal(p.failures[0].reason, 'config_invalid');
    assert.match(p.failures[0].diagnosis, /run by AWS/);
  });
});
