/**
 * A kube-apiserver-like exposition of any size, for the parser benchmark and the cross-checks:
 * histograms with the apiserver's long label sets, counters, gauges, a summary, escaped label
 * values and help text, NaN and +Inf. Deterministic for a given seed.
 *
 * @example
 * const { text, series } = buildCorpus({ targetBytes: 1 << 20 });
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface CorpusOptions {
  /** About how many bytes to produce (the result is within one series of it). */
  targetBytes: number;
  seed?: number;
  /** OpenMetrics adds `# UNIT`, `_created` lines, exemplars and `# EOF`. */
  format?: 'prometheus' | 'openmetrics';
}

export interface CorpusStats {
  bytes: number;
  /** Sample lines. */
  series: number;
  families: number;
}

const GROUPS = [
  ['', 'v1'],
  ['apps', 'v1'],
  ['batch', 'v1'],
  ['coordination.k8s.io', 'v1'],
  ['rbac.authorization.k8s.io', 'v1'],
  ['networking.k8s.io', 'v1'],
  ['policy', 'v1'],
  ['storage.k8s.io', 'v1'],
  ['apiextensions.k8s.io', 'v1'],
  ['admissionregistration.k8s.io', 'v1'],
  ['flowcontrol.apiserver.k8s.io', 'v1beta3'],
  ['monitoring.coreos.com', 'v1'],
] as const;
const RESOURCES = [
  'pods',
  'services',
  'configmaps',
  'secrets',
  'endpoints',
  'events',
  'nodes',
  'namespaces',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'leases',
  'roles',
  'rolebindings',
  'clusterroles',
  'ingresses',
  'networkpolicies',
  'poddisruptionbudgets',
  'storageclasses',
  'customresourcedefinitions',
  'validatingwebhookconfigurations',
  'flowschemas',
  'servicemonitors',
  'persistentvolumeclaims',
  'serviceaccounts',
];
const VERBS = ['GET', 'LIST', 'WATCH', 'POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'];
const SCOPES = ['namespace', 'cluster', 'resource'];
const SUBRESOURCES = ['', 'status', 'log', 'exec', 'scale', 'token'];
const DURATION_BUCKETS = [
  '0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5', '2', '3', '4',
  '5', '6', '8', '10', '15', '20', '30', '45', '60', '+Inf',
]; // prettier-ignore
const SIZE_BUCKETS = ['100', '1000', '10000', '100000', '1e+06', '1e+07', '1e+08', '1e+09', '+Inf'];
const CODES = ['200', '201', '404', '409', '422', '500'];

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Writer {
  line(s: string): void;
  series: number;
  bytes: number;
}

/** Yields the exposition in pieces of a few kilobytes. */
export function* corpusChunks(options: CorpusOptions): Generator<string, CorpusStats> {
  const om = options.format === 'openmetrics';
  const random = rng(options.seed ?? 42);
  let buf: string[] = [];
  let pending = 0;
  const w: Writer = {
    series: 0,
    bytes: 0,
    line(s: string) {
      buf.push(s);
      const n = Buffer.byteLength(s) + 1;
      pending += n;
      this.bytes += n;
    },
  };
  let families = 0;
  const flush = function* (): Generator<string> {
    if (buf.length === 0) return;
    yield buf.join('\n') + '\n';
    buf = [];
    pending = 0;
  };
  const target = options.targetBytes;
  const meta = (name: string, type: string, help: string, unit = ''): void => {
    families++;
    w.line(`# HELP ${name} ${help}`);
    w.line(`# TYPE ${name} ${type}`);
    if (om && unit !== '') w.line(`# UNIT ${name} ${unit}`);
  };
  const created = 1700000000 + Math.floor(random() * 1000);

  // Series label sets for the apiserver request families, as many as the budget needs.
  const labelSets = function* (): Generator<string> {
    for (let round = 0; ; round++) {
      for (const [group, version] of GROUPS) {
        for (const resource of RESOURCES) {
          for (const verb of VERBS) {
            const scope = SCOPES[(resource.length + verb.length) % SCOPES.length]!;
            const sub =
              SUBRESOURCES[(resource.length * 7 + verb.length + round) % SUBRESOURCES.length]!;
            const res = round === 0 ? resource : `${resource}${round}`;
            yield `component="apiserver",dry_run="",group="${group}",resource="${res}",scope="${scope}",subresource="${sub}",verb="${verb}",version="${version}"`;
          }
        }
      }
    }
  };

  // 1. apiserver_request_duration_seconds: about half the bytes.
  const durName = 'apiserver_request_duration_seconds';
  meta(
    durName,
    'histogram',
    'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    'seconds',
  );
  let gen = labelSets();
  while (w.bytes < target * 0.5) {
    const labels = gen.next().value as string;
    let count = 0;
    for (const le of DURATION_BUCKETS) {
      count += Math.floor(random() * 50);
      const ex =
        om && le === '0.1'
          ? ` # {trace_id="${Math.floor(random() * 1e12).toString(16)}"} 0.07`
          : '';
      w.line(`${durName}_bucket{${labels},le="${le}"} ${count}${ex}`);
    }
    w.line(`${durName}_sum{${labels}} ${(random() * 1000).toFixed(6)}`);
    w.line(`${durName}_count{${labels}} ${count}`);
    if (om) w.line(`${durName}_created{${labels}} ${created}.5`);
    w.series += DURATION_BUCKETS.length + 2 + (om ? 1 : 0);
    if (pending > 16384) yield* flush();
  }

  // 2. apiserver_request_total: counters with codes.
  const totalName = om ? 'apiserver_request' : 'apiserver_request_total';
  meta(
    totalName,
    'counter',
    'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  );
  gen = labelSets();
  while (w.bytes < target * 0.65) {
    const labels = gen.next().value as string;
    for (const code of CODES) {
      w.line(`apiserver_request_total{code="${code}",${labels}} ${Math.floor(random() * 1e6)}`);
      w.series++;
      if (om) {
        w.line(`apiserver_request_created{code="${code}",${labels}} ${created}`);
        w.series++;
      }
    }
    if (pending > 16384) yield* flush();
  }

  // 3. apiserver_response_sizes: another histogram, shorter label set.
  const sizeName = 'apiserver_response_sizes';
  meta(
    sizeName,
    'histogram',
    'Response size distribution in bytes for each group, version, verb, resource, subresource, scope and component.',
  );
  gen = labelSets();
  while (w.bytes < target * 0.85) {
    const labels = gen.next().value as string;
    let count = 0;
    for (const le of SIZE_BUCKETS) {
      count += Math.floor(random() * 20);
      w.line(`${sizeName}_bucket{${labels},le="${le}"} ${count}`);
    }
    w.line(`${sizeName}_sum{${labels}} ${Math.floor(random() * 1e9)}`);
    w.line(`${sizeName}_count{${labels}} ${count}`);
    w.series += SIZE_BUCKETS.length + 2;
    if (pending > 16384) yield* flush();
  }

  // 4. Gauges with escapes in label values and NaN values.
  meta(
    'workqueue_longest_running_processor_seconds',
    'gauge',
    'How many seconds has the longest running processor for workqueue been running. Escapes: C:\\\\dir \\n next line.',
    'seconds',
  );
  let n = 0;
  while (w.bytes < target * 0.92) {
    const value = n % 7 === 0 ? 'NaN' : (random() * 100).toExponential(4);
    w.line(
      `workqueue_longest_running_processor_seconds{name="queue-${n}",path="C:\\\\Program Files\\\\kube",note="say \\"hi\\"\\nthen leave"} ${value}`,
    );
    w.series++;
    n++;
    if (pending > 16384) yield* flush();
  }

  // 5. etcd request latencies (OpenMetrics: gaugehistogram? no; a plain histogram) and rest client.
  meta(
    'etcd_request_duration_seconds',
    'histogram',
    'Etcd request latency in seconds for each operation and object type.',
    'seconds',
  );
  n = 0;
  while (w.bytes < target * 0.97) {
    const labels = `operation="${['get', 'list', 'create', 'update', 'delete'][n % 5]!}",type="${RESOURCES[n % RESOURCES.length]!}.${n}"`;
    let count = 0;
    for (const le of DURATION_BUCKETS) {
      count += Math.floor(random() * 5);
      w.line(`etcd_request_duration_seconds_bucket{${labels},le="${le}"} ${count}`);
    }
    w.line(`etcd_request_duration_seconds_sum{${labels}} ${(random() * 10).toFixed(9)}`);
    w.line(`etcd_request_duration_seconds_count{${labels}} ${count}`);
    w.series += DURATION_BUCKETS.length + 2;
    n++;
    if (pending > 16384) yield* flush();
  }

  // 6. go_gc_duration_seconds summary, process gauges, a +Inf and a -Inf.
  meta(
    'go_gc_duration_seconds',
    'summary',
    'A summary of the pause duration of garbage collection cycles.',
    'seconds',
  );
  for (const q of ['0', '0.25', '0.5', '0.75', '1']) {
    w.line(`go_gc_duration_seconds{quantile="${q}"} ${(random() / 1000).toExponential(6)}`);
  }
  w.line(`go_gc_duration_seconds_sum ${random().toFixed(6)}`);
  w.line('go_gc_duration_seconds_count 12345');
  w.series += 7;
  const gauges: [string, string][] = [
    ['go_goroutines', 'Number of goroutines that currently exist.'],
    ['process_resident_memory_bytes', 'Resident memory size in bytes.'],
    ['process_start_time_seconds', 'Start time of the process since unix epoch in seconds.'],
  ];
  for (const [name, help] of gauges) {
    meta(name, 'gauge', help);
    w.line(`${name} ${Math.floor(random() * 1e9)}`);
    w.series++;
  }
  meta('apiserver_storage_size_ratio', 'gauge', 'Ratio, with special values.');
  w.line('apiserver_storage_size_ratio{cluster="a"} +Inf');
  w.line('apiserver_storage_size_ratio{cluster="b"} -Inf');
  w.line('apiserver_storage_size_ratio{cluster="c"} NaN');
  w.series += 3;
  n = 0;
  while (w.bytes < target) {
    // Pad with one more small family's series to land close to the target.
    if (n % 1000 === 0)
      meta(`scrape_check_padding_${n}`, 'gauge', 'Padding to reach the target size.');
    w.line(`scrape_check_padding_${n - (n % 1000)}{i="${n}"} ${n}`);
    w.series++;
    n++;
  }
  if (om) w.line('# EOF');
  yield* flush();
  return { bytes: w.bytes, series: w.series, families };
}

/** The whole corpus in memory. */
export function buildCorpus(options: CorpusOptions): CorpusStats & { text: string } {
  const gen = corpusChunks(options);
  const parts: string[] = [];
  for (;;) {
    const r = gen.next();
    if (r.done === true) return { ...r.value, text: parts.join('') };
    parts.push(r.value);
  }
}

/** Writes the corpus to `path`, streaming. */
export async function writeCorpus(path: string, options: CorpusOptions): Promise<CorpusStats> {
  const out = createWriteStream(path);
  const gen = corpusChunks(options);
  for (;;) {
    const r = gen.next();
    if (r.done === true) {
      out.end();
      await once(out, 'finish');
      return r.value;
    }
    if (!out.write(r.value)) await once(out, 'drain');
  }
}
