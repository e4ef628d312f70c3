/**
 * The `emf` sink: one CloudWatch Embedded Metric Format document per result, one line each, on
 * stdout (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * CloudWatch Logs turns each line into metrics, so no PutMetricData call (and no IAM for it) is
 * needed. Written with `process.stdout.write`, not `console.log`, so Lambda's JSON log format does
 * not wrap the document in a `message` string.
 */
import type { CheckResult } from '#lib/result/types.ts';
import type { Sink, SinkInput } from './types.ts';

/** The metric names alarms and dashboards key on (`../shared/contract.md`, "Sinks"). */
export const EMF_METRICS = {
  success: 'ScrapeSuccess',
  duration: 'ScrapeDuration',
  series: 'SeriesScraped',
  certDaysLeft: 'CertDaysLeft',
} as const;

/** The dimension sets of every document: per target, and per target and reason. */
export const EMF_DIMENSIONS = [
  ['Cluster', 'Job'],
  ['Cluster', 'Job', 'Reason'],
] as const;

export const DEFAULT_EMF_NAMESPACE = 'ScrapeCheck';

/** The spec's limits (and CloudWatch's dimension-value rules). */
const MAX_DIMENSION_VALUE = 1024;

export interface EmfMetric {
  Name: string;
  Unit: 'None' | 'Milliseconds' | 'Count';
}

export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: EmfMetric[];
    }[];
  };
  [member: string]: unknown;
}

/**
 * A CloudWatch dimension value: printable ASCII, at least one non-blank character, at most 1024
 * characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html).
 */
export function dimensionValue(value: string | null): string {
  const printable = (value ?? '').replace(/[^\x20-\x7e]/g, '_').trim();
  return printable === '' ? 'none' : printable.slice(0, MAX_DIMENSION_VALUE);
}

/**
 * The EMF document for one result. `Instance` rides along as a property (searchable in Logs
 * Insights, not a dimension, so it adds no metric cardinality).
 *
 * @example
 * emfDocument(result, { namespace: 'ScrapeCheck', timestampMs: Date.now() });
 */
export function emfDocument(
  result: CheckResult,
  options: { namespace: string; timestampMs: number },
): EmfDocument {
  const metrics: EmfMetric[] = [
    { Name: EMF_METRICS.success, Unit: 'None' },
    { Name: EMF_METRICS.duration, Unit: 'Milliseconds' },
    { Name: EMF_METRICS.series, Unit: 'Count' },
  ];
  const values: Record<string, number> = {
    [EMF_METRICS.success]: result.ok ? 1 : 0,
    [EMF_METRICS.duration]: Number.isFinite(result.durationMs) ? result.durationMs : 0,
    [EMF_METRICS.series]: result.series,
  };
  const daysLeft = result.tls?.daysLeft;
  if (typeof daysLeft === 'number' && Number.isFinite(daysLeft)) {
    metrics.push({ Name: EMF_METRICS.certDaysLeft, Unit: 'None' });
    values[EMF_METRICS.certDaysLeft] = daysLeft;
  }
  return {
    _aws: {
      Timestamp: Math.round(options.timestampMs),
      CloudWatchMetrics: [
        {
          Namespace: options.namespace,
          Dimensions: EMF_DIMENSIONS.map((set) => [...set]),
          Metrics: metrics,
        },
      ],
    },
    Cluster: dimensionValue(result.cluster),
    Job: dimensionValue(result.job),
    Reason: dimensionValue(result.reason),
    Instance: result.instance ?? 'none',
    ...values,
  };
}

export interface EmfSinkOptions {
  /** `sinks.emf.namespace`; `ScrapeCheck` by default. */
  namespace?: string;
  /** Where lines go; `process.stdout` by default. */
  write?: (line: string) => void;
  now?: () => number;
}

/** Creates the EMF sink: each `write()` prints its document at once; `flush()` has nothing left. */
export function createEmfSink(options: EmfSinkOptions = {}): Sink {
  const namespace = options.namespace ?? DEFAULT_EMF_NAMESPACE;
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  return {
    name: 'emf',
    write({ result }: SinkInput): void {
      write(`${JSON.stringify(emfDocument(result, { namespace, timestampMs: now() }))}\n`);
    },
    flush: () => Promise.resolve(),
  };
}
