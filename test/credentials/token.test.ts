/**
 * The scoped token: TokenRequest (expiry, audiences, forbidden, missing ServiceAccount, too short
 * a lifetime), a legacy token Secret (present, missing, deleted later), and a token file (expired).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { resetCredentialCache } from '#lib/credentials/index.ts';
import { planCluster, type ClusterConfigLike, type ClusterPlan } from '#lib/targets/cluster.ts';
import { assertNoSecrets, DEFAULTS, planOutputs, scrape, scrapeAndDiagnose } from './helpers.ts';
import { SA, selfManagedFixture, type SelfManagedFixture } from './fixtures.ts';

const SECRET_RULE = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: 'scrape-check:legacy-secret', namespace: monitoring }
rules: [{ apiGroups: [''], resources: [secrets], resourceNames: [prometheus-token, gone-token], verbs: [get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: 'scrape-check:legacy-secret', namespace: monitoring }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: 'scrape-check:legacy-secret' }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: scrape-check-checkers }]
`;

describe('the scoped token', () => {
  let fx: SelfManagedFixture;
  const outputs: unknown[] = [];

  before(async () => {
    fx = await selfManagedFixture();
    fx.emu.addServiceAccount('monitoring', 'prometheus');
  });
  after(async () => {
    assertNoSecrets(outputs, fx.emu.secretValues());
    await fx.close();
  });
  afterEach(() => {
    resetCredentialCache();
  });

  async function plan(cluster: Partial<ClusterConfigLike>): Promise<ClusterPlan> {
    const result = await planCluster(
      { name: 'lab', kubeconfig: { path: fx.kubeconfig }, targets: ['apiserver'], ...cluster },
      DEFAULTS,
      { now: () => fx.emu.now() },
    );
    outputs.push(planOutputs(result));
    return result;
  }

  async function diagnosed(p: ClusterPlan, index = 0) {
    const result = await scrapeAndDiagnose(p, p.requests[index]!);
    outputs.push(result.diagnosis);
    return result;
  }

  it('TokenRequest: the result carries the claims, never the token', async () => {
    const p = await plan({
      service_account: { namespace: SA.namespace, name: SA.name, expiration_seconds: 900 },
    });
    const token = p.requests[0]?.token;
    assert.equal(token?.source, 'token_request');
    assert.equal(token.sub, 'system:serviceaccount:monitoring:scrape-check');
    assert.deepEqual(token.aud, ['https://kubernetes.default.svc']);
    assert.equal(Date.parse(token.exp ?? '') - Date.parse(token.iat ?? ''), 900_000);
    assert.equal((await scrape(p.requests[0]!)).status, 200);
  });

  it('TokenRequest granting less than asked: a warning names the API server cap', async () => {
    fx.emu.options.maxTokenSeconds = 3600;
    try {
      const p = await plan({
        service_account: { namespace: SA.namespace, name: SA.name, expiration_seconds: 7200 },
      });
      const request = p.requests[0]!;
      assert.ok(
        request.warnings.some((w) =>
          /TokenRequest granted 3600 s, less than the 7200 s asked/.test(w),
        ),
        request.warnings.join('\n'),
      );
      const left = request.token?.secondsLeft ?? 0;
      assert.ok(left > 3590 && left <= 3600, `${left} seconds left`);
    } finally {
      delete fx.emu.options.maxTokenSeconds;
    }
  });

  it('expired TokenRequest token: the 401 diagnosis says when it expired and what to raise', async () => {
    const p = await plan({
      service_account: { namespace: SA.namespace, name: SA.name, expiration_seconds: 600 },
    });
    fx.emu.advance(601_000);
    try {
      const result = await diagnosed(p);
      assert.equal(result.status, 401);
      assert.match(
        result.diagnosis ?? '',
        /expired at .* \(0 min before the scrape\)|expired at .* \(\d+ min before the scrape\)/,
      );
      assert.match(result.diagnosis ?? '', /expiration_seconds \(600 s\)/);
    } finally {
      fx.emu.advance(-601_000);
    }
  });

  it('expired token file: a warning at planning, and the 401 diagnosis says nothing refreshed the file', async () => {
    const file = join(fx.dir, 'token');
    writeFileSync(file, `${fx.emu.issueToken(SA.namespace, SA.name, 600)}\n`);
    fx.emu.advance(3_600_000);
    try {
      const p = await plan({ token: { file } });
      assert.deepEqual(
        p.requests[0]?.auth,
        { type: 'bearer', credentialsFile: file },
        'the file is read at check time',
      );
      assert.equal(p.requests[0].token?.source, 'file');
      assert.match(p.requests[0].warnings.join(' '), /expired at/);
      const result = await diagnosed(p);
      assert.equal(result.status, 401);
      assert.match(result.diagnosis ?? '', /expired at .* \(50 min before the scrape\)/);
      assert.match(result.diagnosis ?? '', /Nothing refreshed/);
    } finally {
      fx.emu.advance(-3_600_000);
    }
  });

  it('a token file that is missing: token_request_failed naming it', async () => {
    const p = await plan({ token: { file: join(fx.dir, 'absent') } });
    assert.equal(p.failures[0]?.reason, 'token_request_failed');
    assert.match(p.failures[0].diagnosis, /cannot be read \(ENOENT\)/);
  });

  it('audiences the API server does not accept: 401 diagnosed as the audience', async () => {
    const p = await plan({
      service_account: { namespace: SA.namespace, name: SA.name, audiences: ['vault'] },
    });
    assert.deepEqual(p.requests[0]?.token?.aud, ['vault']);
    const result = await diagnosed(p);
    assert.equal(result.status, 401);
    assert.match(result.diagnosis ?? '', /audiences \[vault\]/);
    assert.match(result.diagnosis ?? '', /Leave audiences empty/);
  });

  it('TokenRequest forbidden to the checker: token_request_failed naming the permission and the manifest', async () => {
    const binding = fx.emu.rbac.roleBindings.get('monitoring/scrape-check:token-creator');
    fx.emu.rbac.roleBindings.delete('monitoring/scrape-check:token-creator');
    try {
      const p = await plan({
        service_account: { namespace: SA.namespace, name: SA.name },
        targets: ['apiserver', 'kubelet'],
      });
      assert.deepEqual(
        p.failures.map((f) => [f.job, f.reason]),
        [
          ['apiserver', 'token_request_failed'],
          ['kubelet', 'token_request_failed'],
        ],
      );
      const d = p.failures[0]?.diagnosis ?? '';
      assert.match(d, /TokenRequest for ServiceAccount monitoring\/scrape-check/);
      assert.match(d, /HTTP 403/);
      assert.match(d, /cannot create resource "serviceaccounts\/token"/);
      assert.match(d, /deploy\/kubernetes\/checker-rbac\.yaml/);
    } finally {
      if (binding !== undefined) fx.emu.rbac.apply(binding);
    }
  });

  it('TokenRequest for a ServiceAccount that does not exist, and for too short a lifetime', async () => {
    const role = fx.emu.rbac.roles.get('monitoring/scrape-check:token-creator')!;
    fx.emu.rbac.apply({
      ...role,
      rules: [{ ...role.rules[0]!, resourceNames: ['scrape-check', 'ghost'] }],
    });
    const p = await plan({ service_account: { namespace: SA.namespace, name: 'ghost' } });
    fx.emu.rbac.apply(role);
    assert.equal(p.failures[0]?.reason, 'token_request_failed');
    assert.match(
      p.failures[0].diagnosis,
      /ServiceAccount monitoring\/ghost \(or its namespace\) does not exist/,
    );
    const q = await plan({
      service_account: { namespace: SA.namespace, name: SA.name, expiration_seconds: 300 },
    });
    assert.equal(q.failures[0]?.reason, 'config_invalid');
    assert.match(q.failures[0].diagnosis, /at least 600|less than 600/);
  });

  describe('legacy token Secret', () => {
    before(() => {
      fx.emu.applyYaml(SECRET_RULE);
    });

    it('present: scrapes with it, source secret', async () => {
      fx.emu.addLegacySecret('monitoring', 'prometheus-token', 'prometheus');
      fx.emu.rbac.apply({
        kind: 'ClusterRoleBinding',
        metadata: { name: 'prometheus' },
        roleRef: { kind: 'ClusterRole', name: 'scrape-check:scraper' },
        subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
      });
      const p = await plan({
        token: { secret: { namespace: 'monitoring', name: 'prometheus-token' } },
      });
      assert.deepEqual(p.failures, []);
      assert.equal(p.requests[0]?.token?.source, 'secret');
      assert.equal(p.requests[0].token.sub, 'system:serviceaccount:monitoring:prometheus');
      assert.equal(p.requests[0].token.exp, null);
      assert.equal((await scrape(p.requests[0])).status, 200);
    });

    it('missing: token_request_failed explaining 1.24 and both ways out', async () => {
      const p = await plan({
        token: { secret: { namespace: 'monitoring', name: 'gone-token' } },
        targets: ['apiserver', 'kubelet'],
      });
      assert.equal(p.failures.length, 2);
      const d = p.failures[0]?.diagnosis ?? '';
      assert.equal(p.failures[0]?.reason, 'token_request_failed');
      assert.match(d, /Secret monitoring\/gone-token does not exist/);
      assert.match(d, /1\.24/);
      assert.match(d, /service_account/);
      assert.match(d, /TokenRequest/);
      assert.match(d, /kubernetes\.io\/service-account\.name: <service account>/);
      assert.match(d, /type: kubernetes\.io\/service-account-token/);
    });

    it('deleted after planning: the 401 says the Secret is gone', async () => {
      fx.emu.addLegacySecret('monitoring', 'gone-token', 'prometheus');
      const p = await plan({ token: { secret: { namespace: 'monitoring', name: 'gone-token' } } });
      assert.deepEqual(p.failures, []);
      fx.emu.secrets.delete('monitoring/gone-token');
      const result = await diagnosed(p);
      assert.equal(result.status, 401);
      assert.match(result.diagnosis ?? '', /Secret monitoring\/gone-token has been deleted/);
    });

    it('not readable by the checker: token_request_failed naming the rule to add', async () => {
      const p = await plan({ token: { secret: { namespace: 'monitoring', name: 'other-token' } } });
      assert.equal(p.failures[0]?.reason, 'token_request_failed');
      assert.match(p.failures[0].diagnosis, /get on secrets with resourceNames \["other-token"\]/);
    });
  });
});
