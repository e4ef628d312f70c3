/**
 * Turns results (and the samples forwarded with them) into remote_write time series, following the
 * remote_write 1.0 spec (https://prometheus.io/docs/specs/prw/remote_write_spec/#labels): every
 * series carries `__name__`, label names are unique and sorted, empty label values are left out
 * (Prometheus treats them as absent), and each series' samples are in timestamp order.
 */
import type { CheckResult, JsonSampleValue, Sample } from '#lib/result/types.ts';
import { METRIC_TYPE, type Label, type MetricMetadata, type TimeSeries } from './write-request.ts';

/** The series scrape-check writes about each result (`../shared/contract.md`, "Sinks"). */
export const SERIES = {
  success: 'scrape_check_success',
  duration: 'scrape_check_duration_seconds',
  series: 'scrape_check_series',
  certExpiry: 'scrape_check_cert_expiry_timestamp_seconds',
} as const;

/** HELP and TYPE for scrape-check's own series, sent as remote_write metadata. */
export const SERIES_METADATA: readonly MetricMetadata[] = [
  {
    type: METRIC_TYPE.gauge,
    name: SERIES.success,
    help: '1 when Prometheus could scrape the target, 0 when not (see the reason label).',
    unit: '',
  },
  {
    type: METRIC_TYPE.gauge,
    name: SERIES.duration,
    help: 'How long the checked scrape took.',
    unit: 'seconds',
  },
  {
    type: METRIC_TYPE.gauge,
    name: SERIES.series,
    help: 'Samples parsed from the scraped body.',
    unit: '',
  },
  {
    type: METRIC_TYPE.gauge,
    name: SERIES.certExpiry,
    help: "When the target's leaf certificate expires, in seconds since the epoch.",
    unit: 'seconds',
  },
];

/** One result as the remote_write sink buffers it: what was written and when. */
export interface TimedInput {
  result: CheckResult;
  forwarded: readonly Sample[];
  /** When the sink received the result; the timestamp of its series. */
  timestampMs: number;
}

function numberValue(value: JsonSampleValue): number {
  if (value === 'NaN') return NaN;
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return value;
}

function compareNames(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Collects samples into series keyed by their sorted label set. */
class SeriesSet {
  private readonly byKey = new Map<string, TimeSeries>();

  add(labels: Record<string, string>, value: number, timestampMs: number): void {
    const list: Label[] = [];
    for (const [name, labelValue] of Object.entries(labels)) {
      if (labelValue !== '') list.push({ name, value: labelValue });
    }
    list.sort(compareNames);
    const key = list.map((l) => `${l.name}\u0000${l.value}`).join('\u0001');
    let series = this.byKey.get(key);
    if (!series) {
      series = { labels: list, samples: [] };
      this.byKey.set(key, series);
    }
    series.samples.push({ value, timestampMs });
  }

  /** Every series, samples in timestamp order (one sample per timestamp: the last written). */
  list(): TimeSeries[] {
    const out = [...this.byKey.values()];
    for (const series of out) {
      series.samples.sort((a, b) => a.timestampMs - b.timestampMs);
      series.samples = series.samples.filter(
        (s, i, all) => i === all.length - 1 || all[i + 1]!.timestampMs !== s.timestampMs,
      );
    }
    out.sort((a, b) => a.samples[0]!.timestampMs - b.samples[0]!.timestampMs);
    return out;
  }
}

/** The target labels of a result: `cluster` (absent for a plain job), `job`, `instance`. */
function targetLabels(result: CheckResult): Record<string, string> {
  const labels: Record<string, string> = { job: result.job };
  // A job-level verdict (no target found) has no instance: the label is absent, as Prometheus has it.
  if (result.instance !== null) labels.instance = result.instance;
  if (result.cluster !== null) labels.cluster = result.cluster;
  return labels;
}

/**
 * A forwarded sample's labels with the target's added. A label the target also sets keeps its
 * value as `exported_<name>`, as Prometheus does without `honor_labels`.
 */
function forwardedLabels(sample: Sample, target: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.labels)) {
    labels[name in target ? `exported_${name}` : name] = value;
  }
  Object.assign(labels, target);
  labels.__name__ = sample.name;
  return labels;
}

/**
 * Builds the time series for a batch of results.
 *
 * @example
 * const series = toTimeSeries([{ result, forwarded: [], timestampMs: Date.now() }]);
 */
export function toTimeSeries(inputs: readonly TimedInput[]): TimeSeries[] {
  const set = new SeriesSet();
  for (const { result, forwarded, timestampMs } of inputs) {
    const target = targetLabels(result);
    const own = { ...target, reason: result.reason };
    set.add({ ...own, __name__: SERIES.success }, result.ok ? 1 : 0, timestampMs);
    set.add({ ...own, __name__: SERIES.duration }, result.durationMs / 1000, timestampMs);
    set.add({ ...own, __name__: SERIES.series }, result.series, timestampMs);
    const notAfter = result.tls?.notAfter;
    if (notAfter) {
      const expiry = Date.parse(notAfter);
      if (Number.isFinite(expiry)) {
        set.add({ ...own, __name__: SERIES.certExpiry }, expiry / 1000, timestampMs);
      }
    }
    for (const sample of forwarded) {
      set.add(
        forwardedLabels(sample, target),
        numberValue(sample.value),
        sample.timestampMs ?? timestampMs,
      );
    }
  }
  return set.list();
}
