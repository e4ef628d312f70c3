/**
 * Helpers for the operator tests: monitors and Prometheus resources from YAML text (as a user
 * writes them), a generator over an in-memory store, and a golden file's `scrape_configs`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Monitor } from '#lib/operator/crd-monitors.ts';
import type { PrometheusResource } from '#lib/operator/crd-prometheus.ts';
import { generateJobs } from '#lib/operator/generate.ts';
import { ConfigGenerator, type GeneratorOptions } from '#lib/operator/generator.ts';
import { toPlain } from '#lib/operator/map-slice.ts';
import { parseObjects } from '#lib/operator/objects.ts';
import { AssetStore, type StoreObjects } from '#lib/operator/store.ts';

/** Objects parsed from YAML, without the API server's defaulting (the Go tests build structs). */
export function objectsFrom(text: string): { monitors: Monitor[]; prometheus: PrometheusResource } {
  const parsed = parseObjects(text, 'test.yaml', { defaults: false });
  assert.deepEqual(parsed.problems, []);
  const prometheus = parsed.prometheuses[0];
  assert.ok(prometheus, 'the test input has a Prometheus resource');
  return { monitors: parsed.monitors, prometheus };
}

/** prometheus-operator's `defaultPrometheus()` (promcfg_test.go), as YAML, with extra spec lines. */
export function defaultPrometheus(extraSpec = ''): string {
  return `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: test, namespace: default}
spec:
  podMonitorSelector: {matchLabels: {group: group1}}
  probeSelector: {matchLabels: {group: group1}}
  scrapeInterval: 30s
${extraSpec}`;
}

/** Generates every job of the text's monitors; returns them as plain data. */
export function generate(
  text: string,
  store: StoreObjects = {},
  options: Omit<GeneratorOptions, 'store'> = {},
): { configs: unknown[]; warnings: string[] } {
  const { monitors, prometheus } = objectsFrom(text);
  const cg = new ConfigGenerator(prometheus, { ...options, store: new AssetStore(null, store) });
  const jobs = generateJobs(cg, monitors);
  return { configs: jobs.map((j) => toPlain(j.config)), warnings: cg.warnings };
}

/** A golden file's `scrape_configs`. */
export function goldenScrapeConfigs(name: string): unknown[] {
  const text = readFileSync(new URL(`goldens/${name}`, import.meta.url), 'utf8');
  const doc = parse(text) as { scrape_configs?: unknown[] };
  return doc.scrape_configs ?? [];
}
