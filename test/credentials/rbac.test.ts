/**
 * RBAC diagnoses, asked of the emulator with SubjectAccessReviews: a rule missing from the
 * ClusterRole, the binding removed, nodes/proxy removed, a component's delegated 403, the checker
 * unable to ask, a 403 from past the authorizer, and the over-privileged ServiceAccount.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { redact, resetCredentialCache } from '#lib/credentials/index.ts';
import { accessFor, describeAccess, ruleYaml } from '#lib/diagnose/rbac.ts';
import { planCluster, type ClusterPlan } from '#lib/targets/cluster.ts';
import type { BindingObject, RoleObject } from '../k8s/emulator-rbac.ts';
import { assertNoSecrets, DEFAULTS, planOutputs, scrapeAndDiagnose } from './helpers.ts';
import { SA, selfManagedFixture, type SelfManagedFixture } from './fixtures.ts';

describe('RBAC diagnoses', () => {
  let fx: SelfManagedFixture;
  let schedulerPort: number;
  const outputs: unknown[] = [];
  let scraper: RoleObject;
  let binding: BindingObject;

  before(async () => {
    fx = await selfManagedFixture();
    schedulerPort = (await fx.emu.startComponent('kube-scheduler')).port;
    scraper = fx.emu.rbac.clusterRoles.get('scrape-check:scraper')!;
    binding = fx.emu.rbac.clusterRoleBindings.get('scrape-check:scraper')!;
  });
  after(async () => {
    assertNoSecrets(outputs, fx.emu.secretValues());
    await fx.close();
  });
  afterEach(() => {
    fx.emu.rbac.apply(scraper);
    fx.emu.rbac.apply(binding);
    fx.emu.rbac.clusterRoleBindings.delete('too-much');
    resetCredentialCache();
  });

  async function plan(): Promise<ClusterPlan> {
    const p = await planCluster(
      {
        name: 'lab',
        kubeconfig: { path: fx.kubeconfig },
        service_account: { namespace: SA.namespace, name: SA.name },
        targets: ['apiserver', 'kube-scheduler', 'kubelet'],
        kubelet: { max_nodes: 1 },
        control_plane: { scheduler_port: schedulerPort },
      },
      DEFAULTS,
    );
    outputs.push(planOutputs(p));
    assert.deepEqual(p.failures, []);
    return p;
  }

  async function diagnose(p: ClusterPlan, job: string) {
    const request = p.requests.find((r) => r.job === job)!;
    const result = await scrapeAndDiagnose(p, request);
    outputs.push(result.diagnosis);
    return result;
  }

  function withoutRule(match: (rule: RoleObject['rules'][number]) => boolean): void {
    fx.emu.rbac.apply({ ...scraper, rules: scraper.rules.filter((rule) => !match(rule)) });
  }

  it('a rule missing from the ClusterRole: names it, and gives the rule to add', async () => {
    const p = await plan();
    withoutRule((rule) => rule.nonResourceURLs !== undefined);
    const result = await diagnose(p, 'apiserver');
    assert.equal(result.status, 403);
    const d = result.diagnosis ?? '';
    assert.match(
      d,
      /RBAC does not let system:serviceaccount:monitoring:scrape-check get path "\/metrics"/,
    );
    assert.match(d, /SubjectAccessReview: denied/);
    assert.match(
      d,
      /forbidden: User "system:serviceaccount:monitoring:scrape-check" cannot get path "\/metrics"/,
    );
    assert.match(
      d,
      /It may get resource "nodes\/proxy", so it is bound, but the ClusterRole bound to it lacks this rule/,
    );
    assert.match(d, /rules:\n {2}- nonResourceURLs: \["\/metrics"\]\n {4}verbs: \["get"\]/);
  });

  it("the self-managed kube-scheduler's delegated 403 gets the same diagnosis", async () => {
    const p = await plan();
    withoutRule((rule) => rule.nonResourceURLs !== undefined);
    const result = await diagnose(p, 'kube-scheduler');
    assert.equal(result.status, 403);
    assert.match(result.diagnosis ?? '', /get path "\/metrics".*lacks this rule/s);
  });

  it('nodes/proxy removed: the kubelet diagnosis gives the nodes/proxy rule and says how nodes/metrics stands', async () => {
    const p = await plan();
    withoutRule((rule) => rule.resources?.includes('nodes/proxy') === true);
    const result = await diagnose(p, 'kubelet');
    assert.equal(result.status, 403);
    const d = result.diagnosis ?? '';
    assert.match(d, /cannot get resource "nodes\/proxy" in API group "" at the cluster scope/);
    assert.match(
      d,
      /nodes\/metrics, which the kubelet checks when scraped directly on :10250, is denied too/,
    );
    assert.match(d, /resources: \["nodes\/proxy"\]/);
  });

  it('the binding removed: says the ClusterRoleBinding is missing, not a rule, and gives it', async () => {
    const p = await plan();
    fx.emu.rbac.clusterRoleBindings.delete('scrape-check:scraper');
    const result = await diagnose(p, 'apiserver');
    assert.equal(result.status, 403);
    const d = result.diagnosis ?? '';
    assert.match(d, /none of the other permissions scraping needs/);
    assert.match(d, /ClusterRoleBinding is missing, not one rule/);
    assert.match(d, /kind: ClusterRoleBinding[\s\S]*name: scrape-check\n {4}namespace: monitoring/);
  });

  it('the checker may not ask: the diagnosis says so and still gives the likely rule', async () => {
    const p = await plan();
    withoutRule((rule) => rule.nonResourceURLs !== undefined);
    const checker = fx.emu.rbac.clusterRoles.get('scrape-check:checker')!;
    fx.emu.rbac.apply({
      ...checker,
      rules: checker.rules.filter((r) => r.resources?.includes('subjectaccessreviews') !== true),
    });
    try {
      const d = (await diagnose(p, 'apiserver')).diagnosis ?? '';
      assert.match(d, /could not ask cluster "lab" why: SubjectAccessReview failed \(HTTP 403/);
      assert.match(d, /create on subjectaccessreviews/);
      assert.match(d, /nonResourceURLs: \["\/metrics"\]/);
    } finally {
      fx.emu.rbac.apply(checker);
    }
  });

  it('a 403 that RBAC allows (the kubelet refusing the API server) points past the authorizer', async () => {
    const p = await plan();
    const request = p.requests.find((r) => r.job === 'kubelet')!;
    const body = JSON.stringify({
      kind: 'Status',
      message:
        'Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy)',
      reason: 'Forbidden',
      code: 403,
    });
    const d = (await p.diagnose(request, 403, body)) ?? '';
    outputs.push(d);
    assert.match(
      d,
      /RBAC allows system:serviceaccount:monitoring:scrape-check to get resource "nodes\/proxy"/,
    );
    assert.match(d, /allowed by ClusterRoleBinding "scrape-check:scraper"/);
    assert.match(d, /system:kubelet-api-admin/);
  });

  it('over-privileged: bound to cluster-admin, a passing check is reviewed with a warning', async () => {
    const p = await plan();
    const request = p.requests[0]!;
    assert.equal(await p.review(request), null);
    fx.emu.rbac.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'too-much' },
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: SA.name, namespace: SA.namespace }],
    });
    const q = await plan();
    const warning = (await q.review(q.requests[0]!)) ?? '';
    outputs.push(warning);
    assert.match(warning, /can do anything on cluster "lab"/);
    assert.match(warning, /cluster-admin/);
    assert.match(warning, /allowed by ClusterRoleBinding "too-much"/);
    assert.match(warning, /deploy\/kubernetes\/scraper-rbac\.yaml/);
    assert.equal(
      await q.review(q.requests[1]!),
      warning,
      'asked once per plan, said for each check',
    );
  });

  it('over-privileged: able to read every Secret', async () => {
    fx.emu.rbac.apply({
      kind: 'ClusterRole',
      metadata: { name: 'secret-reader' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });
    fx.emu.rbac.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'too-much' },
      roleRef: { kind: 'ClusterRole', name: 'secret-reader' },
      subjects: [{ kind: 'ServiceAccount', name: SA.name, namespace: SA.namespace }],
    });
    const p = await plan();
    const warning = (await p.review(p.requests[0]!)) ?? '';
    outputs.push(warning);
    assert.match(warning, /can list every Secret/);
  });
});

describe('request paths to permissions', () => {
  it('parses paths as the API server does', () => {
    const cases: [string, string][] = [
      ['/metrics', 'get path "/metrics"'],
      ['/api/v1/nodes/n1/proxy/metrics/cadvisor', 'get resource "nodes/proxy"'],
      [
        '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics',
        'get resource "ksh/metrics" in API group "metrics.eks.amazonaws.com"',
      ],
      [
        '/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics',
        'get resource "kcm/metrics" in API group "metrics.eks.amazonaws.com"',
      ],
      ['/api/v1/namespaces/monitoring/secrets/x', 'get resource "secrets"'],
      ['/api/v1/nodes', 'list resource "nodes"'],
    ];
    const proxied = new URL('https://rancher.example/k8s/clusters/c-abc');
    assert.equal(
      describeAccess(
        accessFor(
          new URL('https://rancher.example/k8s/clusters/c-abc/api/v1/nodes/n1/proxy/metrics'),
          proxied,
        ),
      ),
      'get resource "nodes/proxy"',
    );
    assert.equal(
      describeAccess(
        accessFor(new URL('https://rancher.example/k8s/clusters/c-abc/metrics'), proxied),
      ),
      'get path "/metrics"',
    );
    for (const [path, expected] of cases)
      assert.equal(describeAccess(accessFor(new URL(path, 'https://h'))), expected, path);
    assert.equal(
      ruleYaml(
        accessFor(new URL('https://h/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics')),
      ),
      'rules:\n  - apiGroups: ["metrics.eks.amazonaws.com"]\n    resources: ["kcm/metrics"]\n    verbs: ["get"]',
    );
  });

  it('redacts tokens, keys and known secrets from messages', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const cases: [string, string][] = [
      [`token ${jwt} refused`, 'token [redacted] refused'],
      ['k8s-aws-v1.aHR0cHM6Ly9zdHMu-_abc rejected', '[redacted] rejected'],
      ['Authorization: Bearer abcdefghijklmnop1234', 'Authorization: Bearer [redacted]'],
      ['with a bearer token', 'with a bearer token'],
      [
        'url?X-Amz-Security-Token=IQo%2Fabc&X-Amz-Signature=0123abcd',
        'url?X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]',
      ],
      ['-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----', '[redacted]'],
    ];
    for (const [input, expected] of cases) assert.equal(redact(input), expected);
    assert.equal(
      redact('secret wJalrXUtnFEMI/K7MDENG here', ['wJalrXUtnFEMI/K7MDENG']),
      'secret [redacted] here',
    );
  });
});
