/**
 * A discovered address that scrape-check cannot reach from where it runs (a pod IP from a laptop,
 * a cluster DNS name, a Lambda outside the cluster's VPC) says so, and what to change. Unit test of
 * the hint alone: no traffic is ever sent to a private address from here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hintFor } from '#lib/diagnose/hints.ts';
import { blankResult } from '#lib/result/build.ts';
import type { Reason } from '#lib/result/reasons.ts';

function result(reason: Reason, diagnosis = '') {
  return blankResult({
    job: 'kubernetes-pods',
    cluster: 'prod',
    instance: '10.244.1.5:8080',
    url: 'http://10.244.1.5:8080/metrics',
    reason,
    diagnosis,
    token: null,
    scrapeTimeoutMs: 10_000,
  });
}

test('a discovered pod address that times out: the cluster network, and where to run instead', () => {
  const hint = hintFor({
    result: result('connect_timeout'),
    url: new URL('http://10.244.1.5:8080/metrics'),
    errorBody: null,
    inCluster: true,
  });
  assert.match(hint ?? '', /comes from Kubernetes discovery: it lives in the cluster network/);
  assert.match(hint ?? '', /vpc settings/);
});

test('a cluster DNS name that does not resolve from here', () => {
  const hint = hintFor({
    result: result('dns_failed'),
    url: new URL('http://kube-dns.kube-system.svc:9153/metrics'),
    errorBody: null,
    inCluster: true,
  });
  assert.match(hint ?? '', /kube-dns\.kube-system\.svc is a cluster DNS name/);
});

test('a static target keeps the ordinary hint', () => {
  const hint = hintFor({
    result: result('connect_timeout'),
    url: new URL('http://10.244.1.5:8080/metrics'),
    errorBody: null,
  });
  assert.match(hint ?? '', /a timeout means nothing answered at all/);
});
