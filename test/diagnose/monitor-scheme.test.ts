/**
 * A scheme that does not match the port says where to fix it: in the scrape config for a plain
 * job, in the monitor's endpoint for a Prometheus Operator job (its scrape config is generated), and
 * for kube-prometheus-stack's control-plane monitors, the chart's values key. Unit test of the hint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hintFor } from '#lib/diagnose/hints.ts';
import { blankResult } from '#lib/result/build.ts';
import type { Reason } from '#lib/result/reasons.ts';

function hint(job: string, url: string, reason: Reason, body: string): string {
  const result = blankResult({
    job,
    cluster: 'prod',
    instance: new URL(url).host,
    url,
    reason,
    diagnosis: '',
    token: null,
    scrapeTimeoutMs: 10_000,
  });
  return hintFor({ result, url: new URL(url), errorBody: body, job }) ?? '';
}

const TO_HTTPS = 'Client sent an HTTP request to an HTTPS server.\n';
const TO_HTTP = 'http: server gave HTTP response to HTTPS client';

test("the chart's kube-scheduler monitor on http-metrics, which speaks HTTPS", () => {
  assert.equal(
    hint(
      'serviceMonitor/kube-system/kps-kube-scheduler/0',
      'http://127.0.0.1:10259/metrics',
      'http_status',
      TO_HTTPS,
    ),
    "The port speaks HTTPS: set scheme: https in the serviceMonitor's spec.endpoints[0] (and its tlsConfig); kube-prometheus-stack: kubeScheduler.serviceMonitor.https: true.",
  );
});

test('a PodMonitor whose port speaks plain HTTP', () => {
  assert.equal(
    hint(
      'podMonitor/shop/checkout/1',
      'https://127.0.0.1:8080/metrics',
      'tls_handshake_failed',
      TO_HTTP,
    ),
    "The port speaks plain HTTP: set scheme: http in the podMonitor's spec.podMetricsEndpoints[1].",
  );
});

test('a plain job keeps the scrape config words', () => {
  assert.equal(
    hint('etcd', 'http://127.0.0.1:2379/metrics', 'http_status', TO_HTTPS),
    'The port speaks HTTPS: set scheme: https (and a tls_config).',
  );
});
