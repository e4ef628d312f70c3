/**
 * Metric types, and which sample names belong to a family of each type.
 *
 * OpenMetrics 1.0 names the samples of each type
 * (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md#metric-types):
 * counter `_total` and `_created`; histogram `_bucket`, `_count`, `_sum`, `_created`;
 * gaugehistogram `_bucket`, `_gcount`, `_gsum`; summary the bare name (quantiles), `_count`, `_sum`,
 * `_created`; info `_info`; gauge, stateset and unknown the bare name. Text 0.0.4 has counter, gauge,
 * histogram, summary and untyped (https://prometheus.io/docs/instrumenting/exposition_formats/).
 *
 * The bare family name is always accepted as a member, whatever the type, as Prometheus's
 * `isSeriesPartOfFamily` accepts it (text 0.0.4 counters are named `foo_total` in `# TYPE` itself).
 */

/** Metric types as small integers, for the hot path; `TYPE_NAMES` spells them. */
export const MetricType = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** Each `MetricType`'s name, as `--json` prints it (text 0.0.4's untyped is `unknown`). */
export const TYPE_NAMES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
] as const;

/** Every suffix a family may add, longest first so that stripping finds the right one. */
export const SUFFIXES = [
  '_created',
  '_bucket',
  '_gcount',
  '_total',
  '_count',
  '_gsum',
  '_info',
  '_sum',
];

const SUFFIXES_BY_TYPE: readonly (readonly string[])[] = [
  [], // unknown
  ['_total', '_created'], // counter
  [], // gauge
  ['_bucket', '_count', '_sum', '_created'], // histogram
  ['_bucket', '_gcount', '_gsum'], // gaugehistogram
  ['_count', '_sum', '_created'], // summary
  ['_info'], // info
  [], // stateset
];

/** Per type, each allowed suffix's index in `SUFFIXES`, and its bytes. */
const SUFFIX_INDEX: readonly (readonly number[])[] = SUFFIXES_BY_TYPE.map((list) =>
  list.map((s) => SUFFIXES.indexOf(s)),
);
const SUFFIX_BYTES: readonly Uint8Array[] = SUFFIXES.map((s) => new TextEncoder().encode(s));

/** Whether `suffix` (e.g. `_bucket`) names a sample of a family of type `type`. */
export function typeAllows(type: MetricType, suffix: string): boolean {
  return SUFFIXES_BY_TYPE[type]!.includes(suffix);
}

/** What `memberSuffix` returns for a name that is not of the family. */
export const NOT_A_MEMBER = -1;
/** What `memberSuffix` returns for the bare family name. */
export const BARE_NAME = SUFFIXES.length;

/**
 * How the sample name in `b[s..e)` belongs to the family whose name is `family` (bytes) and type
 * `type`: `BARE_NAME`, the index in `SUFFIXES` of the type's suffix it adds, or `NOT_A_MEMBER`.
 */
export function memberSuffix(
  b: Uint8Array,
  s: number,
  e: number,
  family: Uint8Array,
  type: MetricType,
): number {
  const n = family.length;
  if (e - s < n) return NOT_A_MEMBER;
  for (let k = 0; k < n; k++) if (b[s + k] !== family[k]) return NOT_A_MEMBER;
  const rest = e - s - n;
  if (rest === 0) return BARE_NAME;
  const allowed = SUFFIX_INDEX[type]!;
  for (let j = 0; j < allowed.length; j++) {
    const suf = SUFFIX_BYTES[allowed[j]!]!;
    if (suf.length !== rest) continue;
    let k = 0;
    while (k < rest && b[s + n + k] === suf[k]) k++;
    if (k === rest) return allowed[j]!;
  }
  return NOT_A_MEMBER;
}

/** `memberSuffix` for a name already decoded (quoted names with escapes). */
export function memberSuffixOf(name: string, family: string, type: MetricType): number {
  if (name === family) return BARE_NAME;
  if (!name.startsWith(family)) return NOT_A_MEMBER;
  const suffix = name.slice(family.length);
  return typeAllows(type, suffix) ? SUFFIXES.indexOf(suffix) : NOT_A_MEMBER;
}

// The `# TYPE` words of each format: OpenMetrics 1.0 §"Metric types", text 0.0.4 (`untyped`).
const OPENMETRICS_TYPES: ReadonlyMap<string, MetricType> = new Map([
  ...TYPE_NAMES.slice(1).map((name, i) => [name, (i + 1) as MetricType] as const),
  ['unknown', MetricType.unknown],
]);
const TEXT_TYPES: ReadonlyMap<string, MetricType> = new Map([
  ...(['counter', 'gauge', 'histogram', 'summary'] as const).map(
    (name) => [name, MetricType[name]] as const,
  ),
  ['untyped', MetricType.unknown],
]);

/** Parses a `# TYPE` word for the given format, or returns -1 for one the format lacks. */
export function parseTypeWord(word: string, openMetrics: boolean): MetricType | -1 {
  return (openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES).get(word) ?? -1;
}

/** The `# TYPE` words of a format, for a message: `counter, gauge, … or unknown`. */
export function typeChoices(openMetrics: boolean): string {
  const words = [...(openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES).keys()];
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}
