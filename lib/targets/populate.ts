/**
 * From discovered labels to a Prometheus target: active, dropped by relabeling, or failed, with
 * Prometheus's labels and its error words. prometheus/prometheus `scrape/target.go`
 * `PopulateLabels`, `TargetsFromGroup` (v2.42.0 and HEAD), `scrape/scrape.go` `scrapePool.sync`
 * (duplicates).
 *
 * The steps, and where the versions part:
 *
 * 1. Target labels, then group labels the target does not have (even as `""`). An empty value is
 *    an absent label (`labels.Builder` deletes it).
 * 2. Defaults where absent: `job`, `__scrape_interval__`, `__scrape_timeout__` (as
 *    `model.Duration` prints them), `__metrics_path__`, `__scheme__`; 3.x (v3.13+) also
 *    `__convert_classic_histograms_to_nhcb__`, `__always_scrape_classic_histograms__`,
 *    `__scrape_native_histograms__`. Then `params` as `__param_<name>` (first value): 2.x always
 *    overwrites, 3.x only fills an absent one (#11029).
 * 3. Relabeling. Dropped: done.
 * 4. `no address`; 2.x only: a missing port gets `:80`/`:443` from `__scheme__` (another scheme:
 *    `invalid scheme: "<job scheme>"`), or with `--enable-feature=no-default-scrape-port` a
 *    default one is stripped; 3.x leaves the address alone (#14160).
 * 5. `"a/b" is not a valid hostname`; interval and timeout parse, non-zero, timeout ≤ interval;
 *    3.x: the histogram flags parse as Go bools.
 * 6. `__meta_*` removed; `instance` defaults to the address; every value must be UTF-8.
 */
import { formatGoDuration, parseGoDuration } from '#lib/discovery/go-duration.ts';
import { splitHostPort } from '#lib/discovery/go-net.ts';
import { compareGo, goQuote, isValidUtf8 } from '#lib/discovery/go-strings.ts';
import { setLabel } from '#lib/discovery/target-groups.ts';
import type { LabelSet, PromVersion, TargetGroup } from '#lib/discovery/types.ts';
import { targetUrl, type TargetUrl } from './target-url.ts';

/** The scrape config values PopulateLabels reads. */
export interface ScrapeDefaults {
  jobName: string;
  scheme: string;
  metricsPath: string;
  /** Milliseconds. */
  scrapeInterval: number;
  /** Milliseconds. */
  scrapeTimeout: number;
  params: Readonly<Record<string, readonly string[]>>;
  /** 3.x only, each false unless the job (or global config) turns it on. */
  convertClassicHistogramsToNhcb?: boolean;
  alwaysScrapeClassicHistograms?: boolean;
  scrapeNativeHistograms?: boolean;
}

/** The job's relabel_configs applied to a label set: the result, or null and the rule that dropped. */
export type Relabel = (labels: LabelSet) => { labels: LabelSet | null; droppedBy: number | null };

/** What became of one discovered target. All label sets are sorted by name (Go byte order). */
export type PopulateResult =
  | {
      kind: 'active';
      /** Public labels: what the target's series carry (`labels` in /api/v1/targets). */
      labels: LabelSet;
      /** All labels, with `__address__`, `__scheme__`, `__param_*`… (promtool's `labels`). */
      internal: LabelSet;
      /** Before relabeling, defaults included (`discoveredLabels`). */
      discovered: LabelSet;
    }
  | { kind: 'dropped'; discovered: LabelSet; droppedBy: number | null }
  /** Prometheus logs the error and shows the target nowhere; `discovered` is kept for the report. */
  | { kind: 'failed'; discovered: LabelSet; error: string };

/** Options beyond the scrape config. */
export interface PopulateOptions {
  /** 2.x `--enable-feature=no-default-scrape-port`; 3.x behaves so always. */
  noDefaultScrapePort?: boolean;
}

const HISTOGRAM_FLAGS = [
  [
    '__convert_classic_histograms_to_nhcb__',
    'convertClassicHistogramsToNhcb',
    'convert classic histograms to nhcb',
  ],
  [
    '__always_scrape_classic_histograms__',
    'alwaysScrapeClassicHistograms',
    'always scrape classic histograms',
  ],
  ['__scrape_native_histograms__', 'scrapeNativeHistograms', 'scrape native histograms'],
] as const;

// strconv.ParseBool.
const GO_BOOLS = new Set([
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False',
]);

// Targets of one discovery share their label names: sort each name list once (Go byte order).
const SORTED_SHAPES = new Map<string, string[]>();
const MAX_SHAPES = 4096;

function sortedNames(names: string[]): string[] {
  const key = names.join('\u0000');
  let sorted = SORTED_SHAPES.get(key);
  if (sorted === undefined) {
    sorted = names.slice().sort(compareGo);
    if (SORTED_SHAPES.size < MAX_SHAPES) SORTED_SHAPES.set(key, sorted);
  }
  return sorted;
}

/** A label set sorted by name in Go's byte order, empty values left out. */
export function sortedLabels(labels: Iterable<[string, string]>): LabelSet {
  const values = new Map<string, string>();
  for (const [name, value] of labels) if (value !== '') values.set(name, value);
  const out: LabelSet = {};
  for (const name of sortedNames([...values.keys()])) setLabel(out, name, values.get(name)!);
  return out;
}

/** The discovered labels: the target's, then the job's defaults where absent or empty. */
function discover(input: LabelSet, d: ScrapeDefaults, version: PromVersion): LabelSet {
  const lb = new Map<string, string>();
  // labels.Builder.Set with "" deletes, so an empty value never makes it in.
  for (const name in input) {
    const value = input[name]!;
    if (value !== '') lb.set(name, value);
  }
  if (!lb.has('job')) lb.set('job', d.jobName);
  if (!lb.has('__scrape_interval__'))
    lb.set('__scrape_interval__', formatGoDuration(d.scrapeInterval));
  if (!lb.has('__scrape_timeout__'))
    lb.set('__scrape_timeout__', formatGoDuration(d.scrapeTimeout));
  if (!lb.has('__metrics_path__') && d.metricsPath !== '')
    lb.set('__metrics_path__', d.metricsPath);
  if (!lb.has('__scheme__') && d.scheme !== '') lb.set('__scheme__', d.scheme);
  if (version === '3') {
    for (const [label, key] of HISTOGRAM_FLAGS)
      if (!lb.has(label)) lb.set(label, String(d[key] ?? false));
  }
  for (const name in d.params) {
    const values = d.params[name]!;
    const label = `__param_${name}`;
    if (values.length === 0 || (version === '3' && lb.has(label))) continue;
    // 2.x sets the first value over what discovery gave; Set("") deletes.
    if (values[0] === '') lb.delete(label);
    else lb.set(label, values[0]!);
  }
  return sortedLabels(lb);
}

/**
 * PopulateLabels for one target: `input` is the target's labels merged with its group's (see
 * `targetsFromGroup`), `relabel` the job's rules (identity when it has none).
 */
export function populateLabels(
  input: LabelSet,
  defaults: ScrapeDefaults,
  relabel: Relabel,
  version: PromVersion,
  options: PopulateOptions = {},
): PopulateResult {
  const discovered = discover(input, defaults, version);
  // The relabel engine never changes its input and returns a fresh set, sorted, without empties.
  const relabeled = relabel(discovered);
  if (relabeled.labels === null)
    return { kind: 'dropped', discovered, droppedBy: relabeled.droppedBy };
  const lb = relabeled.labels;
  const failed = (error: string): PopulateResult => ({ kind: 'failed', discovered, error });
  const get = (name: string): string => (Object.hasOwn(lb, name) ? lb[name]! : '');

  let addr = get('__address__');
  if (addr === '') return failed('no address');
  // What __address__ becomes in the labels (2.x's no-default-scrape-port strips only the label).
  let addressLabel = addr;
  if (version === '2') {
    const scheme = get('__scheme__');
    const split = splitHostPort(addr);
    // A port is added only if one is missing and adding one makes the address valid.
    const add = !split.ok && splitHostPort(`${addr}:1234`).ok;
    if (!options.noDefaultScrapePort && add) {
      if (scheme === 'http' || scheme === '') addr += ':80';
      else if (scheme === 'https') addr += ':443';
      else return failed(`invalid scheme: ${goQuote(defaults.scheme)}`);
      addressLabel = addr;
    }
    if (options.noDefaultScrapePort && split.ok) {
      // Only the label loses the port: `instance` below still gets it (as in v2.42.0).
      if (
        (split.port === '80' && scheme === 'http') ||
        (split.port === '443' && scheme === 'https')
      ) {
        addressLabel = split.host;
      }
    }
  }
  // config.CheckTargetAddress.
  if (addr.includes('/')) return failed(`${goQuote(addr)} is not a valid hostname`);

  const interval = get('__scrape_interval__');
  const intervalMs = parseGoDuration(interval, version);
  if (!intervalMs.ok) return failed(`error parsing scrape interval: ${intervalMs.error}`);
  if (intervalMs.ms === 0) return failed('scrape interval cannot be 0');
  const timeout = get('__scrape_timeout__');
  const timeoutMs = parseGoDuration(timeout, version);
  if (!timeoutMs.ok) return failed(`error parsing scrape timeout: ${timeoutMs.error}`);
  if (timeoutMs.ms === 0) return failed('scrape timeout cannot be 0');
  if (timeoutMs.ms > intervalMs.ms) {
    return failed(
      `scrape timeout cannot be greater than scrape interval (${goQuote(timeout)} > ${goQuote(interval)})`,
    );
  }
  if (version === '3') {
    for (const [label, , desc] of HISTOGRAM_FLAGS) {
      const v = get(label);
      if (v !== '' && !GO_BOOLS.has(v)) {
        return failed(
          `error parsing ${desc}: strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`,
        );
      }
    }
  }

  // Internal labels: sorted already; __meta_* go, `instance` defaults to the address (placed in
  // order), and every value must be valid UTF-8.
  const needsInstance = get('instance') === '';
  const internal: LabelSet = {};
  const labels: LabelSet = {};
  const put = (name: string, value: string): PopulateResult | null => {
    if (!isValidUtf8(value))
      return failed(`invalid label value for ${goQuote(name)}: ${goQuote(value)}`);
    setLabel(internal, name, value);
    if (!name.startsWith('__')) setLabel(labels, name, value);
    return null;
  };
  let instanceDone = !needsInstance;
  // The relabel engine returns its labels sorted; a hand-written relabel function may not.
  let names = Object.keys(lb);
  for (let i = 1; i < names.length; i++) {
    if (compareGo(names[i - 1]!, names[i]!) > 0) {
      names = sortedNames(names);
      break;
    }
  }
  for (const name of names) {
    if (!instanceDone && compareGo(name, 'instance') > 0) {
      instanceDone = true;
      const bad = put('instance', addr);
      if (bad) return bad;
    }
    if (name.startsWith('__meta_')) continue;
    const bad = put(name, name === '__address__' ? addressLabel : lb[name]!);
    if (bad) return bad;
  }
  if (!instanceDone) {
    const bad = put('instance', addr);
    if (bad) return bad;
  }
  return { kind: 'active', labels, internal, discovered };
}

/** One target of a group, with where Prometheus says it is (`instance 0 in group <source>`). */
export type GroupTarget = PopulateResult & {
  /** Prometheus's prefix for this target's errors: `instance 2 in group targets.json:0`. */
  where: string;
  /** The scrape URL; set on active targets only. */
  url: TargetUrl | null;
};

/**
 * `TargetsFromGroup`: every target of the group, its own labels winning over the group's.
 * Prometheus would log a failed one as `Creating target failed` with `err="<where>: <error>"`.
 */
export function targetsFromGroup(
  group: TargetGroup,
  defaults: ScrapeDefaults,
  relabel: Relabel,
  version: PromVersion,
  options: PopulateOptions = {},
): GroupTarget[] {
  return group.targets.map((target, i) => {
    const merged: LabelSet = {};
    for (const [name, value] of Object.entries(target)) setLabel(merged, name, value);
    for (const [name, value] of Object.entries(group.labels)) {
      if (!Object.hasOwn(target, name)) setLabel(merged, name, value);
    }
    const result = populateLabels(merged, defaults, relabel, version, options);
    const url =
      result.kind === 'active' ? targetUrl(result.internal, defaults.params, version) : null;
    return { ...result, where: `instance ${i} in group ${group.source}`, url };
  });
}

/**
 * Active targets deduplicated as `scrapePool.sync` does: two targets with the same internal labels
 * and URL are one scrape (Prometheus keys them by a hash of both). The first kept is the first
 * given; Prometheus keeps the one it met first, in an order that follows map iteration, and shows
 * the discovered labels of the last one.
 */
export function dedupeTargets<T extends { internal: LabelSet; url: { href: string } }>(
  targets: readonly T[],
): { unique: T[]; duplicates: { target: T; duplicateOf: T }[] } {
  const byKey = new Map<string, T>();
  const unique: T[] = [];
  const duplicates: { target: T; duplicateOf: T }[] = [];
  for (const target of targets) {
    const key = JSON.stringify([Object.entries(target.internal), target.url.href]);
    const first = byKey.get(key);
    if (first) duplicates.push({ target, duplicateOf: first });
    else {
      byKey.set(key, target);
      unique.push(target);
    }
  }
  return { unique, duplicates };
}
