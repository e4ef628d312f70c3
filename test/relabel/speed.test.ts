/**
 * Relabeling's hot loop on real-sized data: 50,000 Kubernetes endpoints targets (27 labels each)
 * through a 20-rule ServiceMonitor-style chain, per version. The bound is loose so that a loaded
 * CI machine passes; what it catches is a lost fast path (re2js on every `(.*)` is ~10× slower).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PromVersion } from '#lib/discovery/types.ts';
import { relabel } from '#lib/relabel/index.ts';
import { endpointsTarget, SERVICE_MONITOR_RULES } from './fixtures.ts';
import { rules } from './helpers.ts';

const TARGETS = 50_000;
const BOUND_MS = 4000;

for (const version of ['3', '2'] as PromVersion[]) {
  test(`${TARGETS} targets × 20 rules (${version}) in well under ${BOUND_MS} ms`, (t) => {
    const chain = rules(SERVICE_MONITOR_RULES, version);
    assert.equal(chain.length, 20);
    const inputs = Array.from({ length: TARGETS }, (_, i) => endpointsTarget(i));
    for (const input of inputs.slice(0, 2000)) relabel(input, chain, version); // JIT, caches
    // CPU time rather than wall time: test files run two at a time and CI machines are shared.
    const cpu = process.cpuUsage();
    const start = performance.now();
    let kept = 0;
    for (const input of inputs) if (relabel(input, chain, version).labels !== null) kept++;
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const elapsed = (used.user + used.system) / 1000;
    t.diagnostic(`${elapsed.toFixed(0)} ms CPU (${wall.toFixed(0)} ms wall), ${kept} kept`);
    // Dropped: release "other" (1/3), port grpc (1/7), Succeeded (1/97), not ready (1/13).
    assert.equal(kept, 26_100);
    assert.ok(elapsed < BOUND_MS, `${elapsed.toFixed(0)} ms`);
  });
}

test('a kept target comes out as Prometheus labels it', () => {
  const out = relabel(endpointsTarget(1), rules(SERVICE_MONITOR_RULES, '3'), '3').labels!;
  assert.equal(out.job, 'app-1');
  assert.equal(out.pod, 'app-1-7d9f8b-1');
  assert.equal(out.pod_upper, 'APP-1-7D9F8B-1');
  assert.equal(out.namespace, 'ns-1');
  assert.equal(out.endpoint, 'http-metrics');
  assert.equal(out.__tmp_host, '10.0.0.1');
  assert.equal(out.__tmp_hash, '0');
  assert.equal(out.pod_label_app_kubernetes_io_name, 'app-1');
  assert.equal(out.pod_label_pod_template_hash, undefined);
  assert.equal(out.node, undefined);
});
