/**
 * The targets and the prometheus.yml of the sample-rules differential (sample-rules-verdict.test.ts):
 * one plain and one TLS server on 127.0.0.1 serving expositions designed so that each job's verdict
 * turns on one detail of `metric_relabel_configs`, `honor_labels`, the label and sample limits, the
 * scrape timeout or the scrape URL. Each job scrapes `/<body>/<job>`, so the request log says which
 * job a request was for and both scrapers' requests can be compared per job.
 */
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { TEXT } from '../helpers/servers.ts';

/** Ten samples: two counters, three info series, four go_* and one process_* sample. */
const APP = `# HELP app_requests_total Requests.
# TYPE app_requests_total counter
app_requests_total{code="200"} 10
app_requests_total{code="500"} 1
# TYPE app_debug_info gauge
app_debug_info{level="debug",id="1"} 1
app_debug_info{level="debug",id="2"} 1
app_debug_info{level="info",id="3"} 1
# TYPE go_goroutines gauge
go_goroutines 12
# TYPE go_threads gauge
go_threads 8
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 0.1
go_gc_duration_seconds{quantile="1"} 0.2
process_cpu_seconds_total 3
`;

/** Exposed labels that clash with the target's `job`, `instance` and static `env`. */
const CLASH = `clash_a{job="exposed-job",instance="exposed-inst",env="exposed-env"} 1
clash_b{job="j",exported_job="ej"} 1
clash_c{env="e",exported_env="ee",exported_exported_env="eee"} 1
clash_d{instance=""} 1
`;

/**
 * The bodies, by the first segment of the path. `slow*` answer after that many milliseconds;
 * `ts` carries timestamps from 1970 and from an hour ahead, which Prometheus ingests as out of
 * bounds when it honours them.
 */
const BODIES: Record<string, () => string> = {
  app: () => APP,
  short: () => 's{a="1"} 1\n',
  clash: () => CLASH,
  'empty-instance': () => 'e{instance="",a="1"} 1\n',
  ts: () => `ts_old 1 1000\nts_future 1 ${Date.now() + 3_600_000}\nts_plain 1\n`,
  slow1000: () => APP,
  slow2000: () => APP,
};

/** One request as the target saw it. */
export interface Seen {
  /** The first path segment after the body: the job, for every job of the config below. */
  job: string;
  /** The request target, byte for byte (`/app/path-query%3Fx=1`). */
  url: string;
  client: 'prometheus' | 'scrape-check' | 'other';
  /** X-Prometheus-Scrape-Timeout-Seconds, the timeout the scraper scrapes with. */
  timeout: string;
}

export interface Targets {
  /** `127.0.0.1:port` of the plain server. */
  http: string;
  /** `127.0.0.1:port` of the TLS server (its certificate names 127.0.0.1). */
  https: string;
  seen: Seen[];
  close(): Promise<void>;
}

function clientOf(req: IncomingMessage): Seen['client'] {
  const agent = req.headers['user-agent'] ?? '';
  if (agent.startsWith('Prometheus/')) return 'prometheus';
  if (agent.startsWith('scrape-check/')) return 'scrape-check';
  return 'other';
}

/** Starts both servers; `tls` is the TLS server's certificate and key. */
export async function startTargets(tls: { cert: string; key: string }): Promise<Targets> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const [, body = '', job = ''] = url.split('?')[0]!.split('/');
    seen.push({
      job: decodeURIComponent(job).split('?')[0]!,
      url,
      client: clientOf(req),
      timeout: String(req.headers['x-prometheus-scrape-timeout-seconds'] ?? ''),
    });
    const make = BODIES[body];
    if (!make) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const delay = body.startsWith('slow') ? Number(body.slice(4)) : 0;
    const send = (): void => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': TEXT }).end(make());
    };
    if (delay > 0) setTimeout(send, delay);
    else send();
  };
  const servers = [createHttp(handler), createHttps({ cert: tls.cert, key: tls.key }, handler)];
  const sockets = new Set<Socket>();
  const addresses: string[] = [];
  for (const server of servers) {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    addresses.push(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    http: addresses[0]!,
    https: addresses[1]!,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/**
 * Prometheus's side of each job, pinned from 2.42 (so a change in either peer shows), and the
 * reason scrape-check must give. `scraped` and `post` are scrape_samples_scraped and
 * scrape_samples_post_metric_relabeling (null: not asserted, for a scrape that never got a body).
 */
export interface Expected {
  up: boolean;
  reason: string;
  lastError: RegExp;
  scraped: number | null;
  post: number | null;
}

const OK = { up: true, reason: 'ok', lastError: /^$/ } as const;

/** Every job of `rulesConfig`, what Prometheus 2.42 does with it, and why it is there. */
export const EXPECT: Record<string, Expected> = {
  // metric_relabel_configs before sample_limit.
  'drop-name-passes-limit': { ...OK, scraped: 10, post: 5 },
  'drop-name-still-over-limit': {
    up: false,
    reason: 'sample_limit_exceeded',
    lastError: /^sample limit exceeded$/,
    scraped: 10,
    post: 6,
  },
  'drop-label-passes-limit': { ...OK, scraped: 10, post: 7 },
  'drop-label-still-over-limit': {
    up: false,
    reason: 'sample_limit_exceeded',
    lastError: /^sample limit exceeded$/,
    scraped: 10,
    post: 8,
  },
  'keep-nothing': { ...OK, scraped: 10, post: 0 },
  // label_limit on the final labels: scraped counts up to the sample that failed.
  'label-limit-plain': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError:
      /^label_limit exceeded \(metric: app_requests_total, number of labels: 4, limit: 3\)$/,
    scraped: 1,
    post: 0,
  },
  'labeldrop-passes-label-limit': { ...OK, scraped: 10, post: 10 },
  'labelmap-over-label-limit': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError:
      /^label_limit exceeded \(metric: app_requests_total, number of labels: 5, limit: 4\)$/,
    scraped: 1,
    post: 0,
  },
  labelmap: { ...OK, scraped: 10, post: 10 },
  // The error names the metric as the rules left it.
  'renamed-over-label-limit': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError:
      /^label_limit exceeded \(metric: renamed_requests_total, number of labels: 4, limit: 3\)$/,
    scraped: 1,
    post: 0,
  },
  'name-emptied': {
    up: false,
    reason: 'config_invalid',
    lastError: /^missing metric name \(__name__ label\)$/,
    scraped: 7,
    post: 6,
  },
  'name-invalid': {
    up: false,
    reason: 'config_invalid',
    lastError:
      /^invalid metric name or label names: \{__name__="go-threads", instance="127\.0\.0\.1:\d+", job="name-invalid"\}$/,
    scraped: 7,
    post: 6,
  },
  'labelmap-empty-name': {
    up: false,
    reason: 'config_invalid',
    lastError:
      /^invalid metric name or label names: \{="debug", __name__="app_debug_info", id="1", instance="127\.0\.0\.1:\d+", job="labelmap-empty-name", level="debug"\}$/,
    scraped: 3,
    post: 2,
  },
  // A target label relabel_configs named "" (labelmap with an empty $1): Prometheus checks only
  // target label values, so the target is created and every sample is refused.
  'target-label-empty-name': {
    up: false,
    reason: 'config_invalid',
    lastError:
      /^invalid metric name or label names: \{="target-label-empty-name", __name__="s", a="1", instance="127\.0\.0\.1:\d+", job="target-label-empty-name"\}$/,
    scraped: 1,
    post: 0,
  },
  // Target labels count: job, instance, a static label, and what relabel_configs added.
  'value-length-instance': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError:
      /^label_value_length_limit exceeded \(metric: s, label name: instance, value: "127\.0\.0\.1:\d+", length: \d+, limit: 14\)$/,
    scraped: 1,
    post: 0,
  },
  'relabel-label-over-limit': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError: /^label_limit exceeded \(metric: s, number of labels: 6, limit: 5\)$/,
    scraped: 1,
    post: 0,
  },
  'relabel-label-at-limit': { ...OK, scraped: 1, post: 1 },
  // honor_labels: false renames clashing exposed labels exported_<name>, exported_exported_<name>…
  'honor-false-at-limit': { ...OK, scraped: 4, post: 4 },
  'honor-false-over-limit': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError: /^label_limit exceeded \(metric: clash_a, number of labels: 7, limit: 6\)$/,
    scraped: 1,
    post: 0,
  },
  'honor-false-name-length': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError:
      /^label_name_length_limit exceeded \(metric: clash_c, label name: exported_exported_exported_env, length: 30, limit: 29\)$/,
    scraped: 3,
    post: 2,
  },
  'honor-false-labeldrop-exported': { ...OK, scraped: 4, post: 4 },
  'honor-true-at-limit': { ...OK, scraped: 4, post: 4 },
  'honor-true-over-limit': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError: /^label_limit exceeded \(metric: clash_c, number of labels: 6, limit: 5\)$/,
    scraped: 3,
    post: 2,
  },
  // An exposed `instance=""` is present to honor_labels: the target's instance is not added.
  'honor-true-empty-instance': { ...OK, scraped: 1, post: 1 },
  'honor-false-empty-instance': {
    up: false,
    reason: 'label_limit_exceeded',
    lastError: /^label_limit exceeded \(metric: e, number of labels: 5, limit: 4\)$/,
    scraped: 1,
    post: 0,
  },
  // honor_timestamps decides which timestamps are stored, never up.
  'honor-timestamps-true': { ...OK, scraped: 3, post: 3 },
  'honor-timestamps-false': { ...OK, scraped: 3, post: 3 },
  // The scrape timeout.
  'timeout-relabelled': {
    up: false,
    reason: 'scrape_timeout',
    lastError: /context deadline exceeded/,
    scraped: 0,
    post: 0,
  },
  'timeout-not-relabelled': { ...OK, scraped: 10, post: 10 },
  'timeout-from-global': {
    up: false,
    reason: 'scrape_timeout',
    lastError: /context deadline exceeded/,
    scraped: 0,
    post: 0,
  },
  'timeout-zero': { ...OK, scraped: 10, post: 10 },
  // The scrape URL.
  'path-no-slash': { ...OK, scraped: 10, post: 10 },
  'path-query': { ...OK, scraped: 10, post: 10 },
  'params-several': { ...OK, scraped: 10, post: 10 },
  'scheme-upper': { ...OK, scraped: 10, post: 10 },
  'scheme-ftp': {
    up: false,
    reason: 'config_invalid',
    lastError:
      /^Get "ftp:\/\/127\.0\.0\.1:\d+\/app\/scheme-ftp": unsupported protocol scheme "ftp"$/,
    scraped: 0,
    post: 0,
  },
};

/**
 * The shared prometheus.yml. The global interval is 1s and the global timeout unset, so Prometheus
 * resolves it to 1s (the default 10s capped at the global interval).
 */
export function rulesConfig(t: Pick<Targets, 'http' | 'https'>): string {
  const job = (name: string, body: string, rest = '', address = t.http): string =>
    `  - job_name: ${name}
    metrics_path: /${body}/${name}
    static_configs: [{targets: ["${address}"]}]
${rest
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => `    ${l}`)
  .join('\n')}`;
  const jobs = [
    job(
      'drop-name-passes-limit',
      'app',
      `sample_limit: 5
metric_relabel_configs: [{source_labels: [__name__], regex: "go_.*|process_.*", action: drop}]`,
    ),
    job(
      'drop-name-still-over-limit',
      'app',
      `sample_limit: 5
metric_relabel_configs: [{source_labels: [__name__], regex: "go_.*", action: drop}]`,
    ),
    job(
      'drop-label-passes-limit',
      'app',
      `sample_limit: 7
metric_relabel_configs:
  - {source_labels: [level], regex: debug, action: drop}
  - {source_labels: [code], regex: "5..", action: drop}`,
    ),
    job(
      'drop-label-still-over-limit',
      'app',
      `sample_limit: 7
metric_relabel_configs: [{source_labels: [level], regex: debug, action: drop}]`,
    ),
    job(
      'keep-nothing',
      'app',
      `metric_relabel_configs: [{source_labels: [__name__], regex: "nothing_.*", action: keep}]`,
    ),
    job('label-limit-plain', 'app', 'label_limit: 3'),
    job(
      'labeldrop-passes-label-limit',
      'app',
      `label_limit: 3
metric_relabel_configs: [{regex: "code|level|id|quantile", action: labeldrop}]`,
    ),
    job(
      'labelmap-over-label-limit',
      'app',
      `label_limit: 4
metric_relabel_configs: [{regex: "(code|level)", replacement: "mapped_\${1}", action: labelmap}]`,
    ),
    job(
      'labelmap',
      'app',
      `metric_relabel_configs: [{regex: "(level|quantile)", replacement: "app_$1", action: labelmap}]`,
    ),
    job(
      'renamed-over-label-limit',
      'app',
      `label_limit: 3
metric_relabel_configs:
  - {source_labels: [__name__], regex: "app_(requests_total)", target_label: __name__, replacement: "renamed_$1"}`,
    ),
    job(
      'name-emptied',
      'app',
      `metric_relabel_configs:
  - {source_labels: [__name__], regex: go_threads, target_label: __name__, replacement: ""}`,
    ),
    job(
      'name-invalid',
      'app',
      `metric_relabel_configs:
  - {source_labels: [__name__], regex: go_threads, target_label: __name__, replacement: go-threads}
  - {regex: "code|level|id|quantile", action: labeldrop}`,
    ),
    job(
      'labelmap-empty-name',
      'app',
      `metric_relabel_configs: [{regex: "level(.*)", replacement: "$1", action: labelmap}]`,
    ),
    job(
      'target-label-empty-name',
      'short',
      'relabel_configs: [{regex: "job(.*)", replacement: "$1", action: labelmap}]',
    ),
    job('value-length-instance', 'short', 'label_value_length_limit: 14'),
    job(
      'relabel-label-over-limit',
      'short',
      `label_limit: 5
relabel_configs:
  - {target_label: team, replacement: platform}
  - {target_label: __tmp_ignored, replacement: never-counted}
  - {target_label: __meta_ignored, replacement: never-counted}`,
    ).replace('static_configs: [{targets: [', 'static_configs: [{labels: {env: lab}, targets: ['),
    job(
      'relabel-label-at-limit',
      'short',
      `label_limit: 6
relabel_configs:
  - {target_label: team, replacement: platform}
  - {target_label: __tmp_ignored, replacement: never-counted}`,
    ).replace('static_configs: [{targets: [', 'static_configs: [{labels: {env: lab}, targets: ['),
    ...(
      [
        ['honor-false-at-limit', 'clash', 'honor_labels: false\nlabel_limit: 7'],
        ['honor-false-over-limit', 'clash', 'label_limit: 6'],
        ['honor-false-name-length', 'clash', 'label_name_length_limit: 29'],
        [
          'honor-false-labeldrop-exported',
          'clash',
          'label_limit: 4\nmetric_relabel_configs: [{regex: "exported_.*", action: labeldrop}]',
        ],
        ['honor-true-at-limit', 'clash', 'honor_labels: true\nlabel_limit: 6'],
        ['honor-true-over-limit', 'clash', 'honor_labels: true\nlabel_limit: 5'],
        ['honor-true-empty-instance', 'empty-instance', 'honor_labels: true\nlabel_limit: 4'],
        ['honor-false-empty-instance', 'empty-instance', 'label_limit: 4'],
      ] as const
    ).map(([name, body, rest]) =>
      job(name, body, rest).replace(
        'static_configs: [{targets: [',
        'static_configs: [{labels: {env: lab}, targets: [',
      ),
    ),
    job('honor-timestamps-true', 'ts', 'honor_timestamps: true'),
    job('honor-timestamps-false', 'ts', 'honor_timestamps: false'),
    job(
      'timeout-relabelled',
      'slow1000',
      `scrape_interval: 3s
scrape_timeout: 2500ms
relabel_configs: [{target_label: __scrape_timeout__, replacement: 500ms}]`,
    ),
    job('timeout-not-relabelled', 'slow1000', 'scrape_interval: 3s\nscrape_timeout: 2500ms'),
    job('timeout-from-global', 'slow2000', 'scrape_interval: 3s'),
    job('timeout-zero', 'app', 'scrape_timeout: 0s'),
    job('path-no-slash', 'app').replace('metrics_path: /app/', 'metrics_path: app/'),
    job('path-query', 'app').replace(
      'metrics_path: /app/path-query',
      'metrics_path: "/app/path-query?x=1"',
    ),
    job('params-several', 'app', 'params: {a: ["1", "2"], b: ["x y"], c: []}'),
    job('scheme-upper', 'app', 'scheme: HTTPS\ntls_config: {ca_file: ca.pem}', t.https),
    job('scheme-ftp', 'app', 'scheme: ftp'),
  ];
  return `global:
  scrape_interval: 1s
scrape_configs:
${jobs.join('\n')}
`;
}
