/**
 * scrape-check's `operator` key (`../shared/contract.md`, "Configuration file"): Prometheus
 * Operator monitors (ServiceMonitor, PodMonitor, Probe, ScrapeConfig) from files or globs, turned
 * into the scrape configs the operator would generate for them (lib/operator), optionally chosen
 * by a Prometheus resource's selectors, discovered and scraped as the Prometheus pod of the
 * `clusters[]` entry named in `cluster`.
 *
 * @example
 * operator:
 *   monitors: [monitors/*.yaml]     # files or globs, relative to the config's folder
 *   prometheus: prometheus.yaml     # optional: the Prometheus resource whose selectors choose
 *   cluster: prod                   # the clusters[] entry discovery and Secrets come from
 *
 * # or, monitors listed from the cluster, selected by the resource the cluster entry names:
 * operator: { cluster: prod }       # with clusters[prod].prometheus.resource: monitoring/k8s
 */
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod/mini';
import { nonEmpty } from './schema-values.ts';

export const operatorConfig = z.strictObject({
  // Left out: the monitors are listed from the cluster, selected by the resource that
  // clusters[<cluster>].prometheus.resource (or agent) names (lib/operator/cluster).
  monitors: z.optional(
    z.array(nonEmpty()).check(z.minLength(1, 'operator.monitors needs at least one file or glob')),
  ),
  prometheus: z.optional(nonEmpty()),
  cluster: nonEmpty(),
});

export type OperatorConfig = z.output<typeof operatorConfig>;

/** A config that may carry the operator key (the loaded `Config` once the key is wired in). */
export interface WithOperator {
  operator?: OperatorConfig | undefined;
  clusters: readonly {
    name: string;
    prometheus?: { resource?: string | undefined; agent?: string | undefined } | undefined;
  }[];
}

/** Cross-key problems: `operator.cluster` must name a `clusters[]` entry. */
export function operatorProblems(
  config: WithOperator,
): { path: (string | number)[]; message: string }[] {
  const op = config.operator;
  if (op === undefined) return [];
  const cluster = config.clusters.find((c) => c.name === op.cluster);
  if (cluster === undefined) {
    const known = config.clusters.map((c) => c.name).join(', ') || 'none';
    return [
      {
        path: ['operator', 'cluster'],
        message: `no clusters[] entry named "${op.cluster}" (known: ${known}): the monitors' discovery and Secrets come from that cluster`,
      },
    ];
  }
  if (op.monitors !== undefined) return [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (cluster.prometheus?.resource === undefined && cluster.prometheus?.agent === undefined)
    problems.push({
      path: ['operator', 'monitors'],
      message: `is left out, so the monitors are listed from the cluster: clusters[${op.cluster}].prometheus.resource (or agent) must name the Prometheus resource that selects them`,
    });
  if (op.prometheus !== undefined)
    problems.push({
      path: ['operator', 'prometheus'],
      message: `monitors listed from the cluster are selected by the resource clusters[${op.cluster}].prometheus names: leave operator.prometheus out`,
    });
  return problems;
}

/** Makes the operator's file paths and globs absolute against the config's folder, in place. */
export function resolveOperatorFiles(op: OperatorConfig | undefined, baseDir: string): void {
  if (op === undefined) return;
  if (op.monitors !== undefined)
    op.monitors = op.monitors.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  if (op.prometheus !== undefined && !isAbsolute(op.prometheus))
    op.prometheus = resolve(baseDir, op.prometheus);
}
