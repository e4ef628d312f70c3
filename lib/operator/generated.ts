/**
 * What generating a monitor gives: one scrape config per job, named as the operator names its
 * scrape pool, with what each of its relabel rules is for (so a job that ends with no target can
 * say which part of the monitor dropped them).
 */
import type { Monitor } from './crd-monitors.ts';
import type { MapSlice } from './map-slice.ts';

/** What one generated relabel rule does. */
export type RuleRole =
  | { kind: 'job-name' }
  /** Keeps or drops on one requirement of the monitor's selector. */
  | { kind: 'selector'; object: 'service' | 'pod' | 'ingress'; requirement: string }
  /** Keeps the endpoint's port (by name or number). */
  | {
      kind: 'port';
      by: 'service port name' | 'container port name' | 'container port number';
      port: string;
    }
  | { kind: 'phase' }
  | { kind: 'labels' }
  | { kind: 'scrape-class' }
  /** The monitor's own `relabelings[i]`. */
  | { kind: 'user'; where: string }
  | { kind: 'enforced-namespace' }
  | { kind: 'shard' };

/** One generated scrape job. */
export interface GeneratedJob {
  /** `serviceMonitor/<ns>/<name>/<i>`, `podMonitor/…`, `probe/<ns>/<name>`, `scrapeConfig/<ns>/<name>`. */
  name: string;
  monitor: Monitor;
  /** The endpoint index, for ServiceMonitors and PodMonitors. */
  endpoint: number | null;
  /** The scrape config, key for key as the operator writes it. */
  config: MapSlice;
  /** One entry per rule of `relabel_configs`. */
  rules: RuleRole[];
  /** Prometheus keys of discoveries scrape-check lacks (`consul_sd_configs`). */
  lacking: string[];
}

/** `serviceMonitor/ns/name/0`. */
export function jobName(m: Pick<Monitor, 'kind' | 'metadata'>, endpoint: number | null): string {
  const { namespace, name } = m.metadata;
  switch (m.kind) {
    case 'ServiceMonitor':
      return `serviceMonitor/${namespace}/${name}/${endpoint ?? 0}`;
    case 'PodMonitor':
      return `podMonitor/${namespace}/${name}/${endpoint ?? 0}`;
    case 'Probe':
      return `probe/${namespace}/${name}`;
    case 'ScrapeConfig':
      return `scrapeConfig/${namespace}/${name}`;
  }
}

/** The job generated for `m` (at `endpoint`, or null), with the roles of `list`'s rules. */
export function generatedJob(
  m: Monitor,
  endpoint: number | null,
  config: MapSlice,
  list: RuleList,
  lacking: string[] = [],
): GeneratedJob {
  return { name: jobName(m, endpoint), monitor: m, endpoint, config, rules: list.roles, lacking };
}

/** Every job name a monitor gives, in the operator's order. */
export function jobNames(m: Monitor): string[] {
  switch (m.kind) {
    case 'ServiceMonitor':
      return m.spec.endpoints.map((_, i) => jobName(m, i));
    case 'PodMonitor':
      return m.spec.podMetricsEndpoints.map((_, i) => jobName(m, i));
    default:
      return [jobName(m, null)];
  }
}

/** A job's relabel rules as they are generated, each with its role. */
export class RuleList {
  readonly rules: MapSlice[] = [];
  readonly roles: RuleRole[] = [];

  /** Appends rules; `role(j)` says what the j-th of them does. */
  add(rules: readonly MapSlice[], role: (j: number) => RuleRole): this {
    rules.forEach((rule, j) => {
      this.rules.push(rule);
      this.roles.push(role(j));
    });
    return this;
  }
}
