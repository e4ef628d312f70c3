/**
 * Differential checks against Debian's Prometheus 2.42, the real peer for version '2':
 *
 * - `promtool check service-discovery` runs a file_sd job (and an http_sd one) with no relabel
 *   rules and prints each target's `discoveredLabels` and `labels`; discoverFiles/discoverHttp +
 *   targetsFromGroup with identity relabeling must give the same sets, and fail as many;
 * - a running Prometheus shows each target's `scrapeUrl`: targetUrl must print the same bytes, for
 *   paths and params that need escaping, IPv6 and `__param_*` from the file.
 *
 * Under CI=true a missing binary fails loudly (test/helpers/peers.ts); elsewhere it skips.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { discoverFiles } from '#lib/discovery/file.ts';
import { discoverHttp } from '#lib/discovery/http.ts';
import type { DiscoveryOutcome, LabelSet, TargetGroup } from '#lib/discovery/types.ts';
import {
  targetsFromGroup,
  type PopulateOptions,
  type Relabel,
  type ScrapeDefaults,
} from '#lib/targets/populate.ts';
import {
  BINARIES,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import { startHttp, type Running } from '../helpers/servers.ts';

const run = promisify(execFile);
const identity: Relabel = (labels) => ({ labels, droppedBy: null });

// Targets that exercise PopulateLabels: no port, IPv6 with and without brackets, a zone, "/" in
// the address, an empty address and port, labels that preset what the job would default, params
// from the file, an interval and timeout Prometheus refuses, non-ASCII, duplicates.
const TARGETS_JSON = JSON.stringify([
  {
    targets: ['h1', 'h2:9', '[::1]', '::1', '[fe80::1%eth0]', 'a/b', '', 'h3:'],
    labels: { e: '', __param_x: 'fromfile', __meta_custom: 'm' },
  },
  { targets: ['h4'], labels: { __scheme__: 'http', __metrics_path__: 'm', instance: 'i' } },
  { targets: ['h5'], labels: { __scheme__: 'ftp' } },
  {
    targets: ['h6'],
    labels: { __scheme__: 'https', __scrape_interval__: '30s', __scrape_timeout__: '1m' },
  },
  { targets: ['h7'], labels: { __scrape_interval__: '1h30m', job: 'other', __param_module: 'm9' } },
  { targets: ['h1'] },
  { targets: ['é.example:1'], labels: { u: '☺ x' } },
  { targets: ['h8'], labels: { __meta_filepath: 'mine', __address__: 'group-addr' } },
  { targets: ['h9:1'], labels: { __scrape_interval__: '5x' } },
]);
const TARGETS_YAML = `- targets: [5, yes, 'h10:1', ~]
  labels: {n: 1.50, b: true}
`;

const JOB: ScrapeDefaults = {
  jobName: 'tricky',
  scheme: 'https',
  metricsPath: '/metrics',
  scrapeInterval: 90_000,
  scrapeTimeout: 20_000,
  params: { module: ['m1', 'm2'], x: ['y'] },
};
const JOB_YAML = `    scheme: https
    scrape_interval: 90s
    scrape_timeout: 20s
    params:
      module: [m1, m2]
      x: [y]
`;

interface SdResult {
  discoveredLabels: LabelSet;
  labels: LabelSet;
  error?: unknown;
}

const canonical = (r: SdResult): string =>
  JSON.stringify([
    Object.entries(r.discoveredLabels).sort(),
    Object.entries(r.labels).sort(),
    r.error === undefined ? null : 'error',
  ]);

/**
 * What promtool prints, from our side: one entry per distinct (discovered, labels), and the
 * failures. promtool prints a failure as `"error": {}` and folds equal entries with
 * reflect.DeepEqual, which sees two `no address` errors from different files as different (their
 * github.com/pkg/errors stacks differ): its count lies between the distinct messages and the
 * failed targets.
 */
function ours(
  groups: TargetGroup[],
  options: PopulateOptions = {},
): { results: string[]; errors: string[]; failed: number } {
  const results = new Set<string>();
  const errors = new Set<string>();
  let failed = 0;
  for (const group of groups) {
    for (const t of targetsFromGroup(group, JOB, identity, '2', options)) {
      if (t.kind === 'failed') {
        errors.add(t.error);
        failed++;
      } else if (t.kind === 'active') {
        results.add(canonical({ discoveredLabels: t.discovered, labels: t.internal }));
      }
    }
  }
  return { results: [...results].sort(), errors: [...errors].sort(), failed };
}

function sameFailures(mine: { errors: string[]; failed: number }, errorCount: number): void {
  assert.ok(
    errorCount >= mine.errors.length && errorCount <= mine.failed,
    `promtool reports ${errorCount} failures; we have ${mine.errors.length} distinct in ${mine.failed}`,
  );
}

async function promtoolSd(
  config: string,
  dir: string,
  extra: string[] = [],
): Promise<{ results: string[]; errorCount: number }> {
  const file = join(dir, `prometheus-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, config);
  const { stdout } = await run(BINARIES.promtool, [
    'check',
    'service-discovery',
    '--timeout=2s',
    ...extra,
    file,
    'tricky',
  ]);
  const parsed = JSON.parse(stdout) as SdResult[];
  const results = parsed.filter((r) => r.error === undefined).map(canonical);
  return { results: results.sort(), errorCount: parsed.length - results.length };
}

const missing = peerMissing(BINARIES.promtool);

describe(
  'promtool check service-discovery (Prometheus 2.42) agrees with discovery + populateLabels',
  { skip: missing ?? false },
  () => {
    let dir: string;
    let sd: Running;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'scrape-check-promtool-'));
      await writeFile(join(dir, 'targets.json'), TARGETS_JSON);
      await writeFile(join(dir, 'targets.yml'), TARGETS_YAML);
      sd = await startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(TARGETS_JSON);
      });
    });
    after(async () => {
      await sd.close();
      await rm(dir, { recursive: true, force: true });
    });

    const fileJob = (): string =>
      `scrape_configs:\n  - job_name: tricky\n${JOB_YAML}    file_sd_configs:\n      - files: ['targets.*']\n`;
    const fileGroups = async (): Promise<TargetGroup[]> => {
      const outcome = await discoverFiles(
        { files: ['targets.json', 'targets.yml'], refreshIntervalMs: 300_000 },
        { baseDir: dir, version: '2' },
      );
      if (!outcome.ok) assert.fail(outcome.failure.message);
      return outcome.groups;
    };

    test('file_sd: the same discovered labels and labels, and as many failures', async () => {
      // promtool's `targets.*` would also match what this test writes; its config names the files.
      const config = fileJob().replace("['targets.*']", '[targets.json, targets.yml]');
      const theirs = await promtoolSd(config, dir);
      const mine = ours(await fileGroups());
      assert.deepEqual(mine.results, theirs.results);
      // "no address", "a/b:443" not a valid hostname, invalid scheme, timeout > interval, "5x".
      assert.deepEqual(mine.errors, [
        '"a/b:443" is not a valid hostname',
        'error parsing scrape interval: not a valid duration string: "5x"',
        'invalid scheme: "https"',
        'no address',
        'scrape timeout cannot be greater than scrape interval ("1m" > "30s")',
      ]);
      sameFailures(mine, theirs.errorCount);
    });

    test('file_sd with --enable-feature=no-default-scrape-port', async () => {
      const config = fileJob().replace("['targets.*']", '[targets.json, targets.yml]');
      const theirs = await promtoolSd(config, dir, ['--enable-feature=no-default-scrape-port']);
      const mine = ours(await fileGroups(), { noDefaultScrapePort: true });
      assert.deepEqual(mine.results, theirs.results);
      sameFailures(mine, theirs.errorCount);
    });

    test('http_sd: the same, with __meta_url', async () => {
      const url = `http://${sd.address}/targets`;
      const config = `scrape_configs:\n  - job_name: tricky\n${JOB_YAML}    http_sd_configs:\n      - url: ${url}\n`;
      const theirs = await promtoolSd(config, dir);
      const outcome: DiscoveryOutcome = await discoverHttp(
        { url, refreshIntervalMs: 60_000 },
        { version: '2' },
      );
      if (!outcome.ok) assert.fail(outcome.failure.message);
      const mine = ours(outcome.groups);
      assert.deepEqual(mine.results, theirs.results);
      assert.equal(theirs.errorCount, mine.errors.length);
    });
  },
);

describe(
  'scrapeUrl as a running Prometheus 2.42 shows it',
  { skip: peerMissing(BINARIES.prometheus) ?? false },
  () => {
    let prometheus: RunningPrometheus;
    const job: ScrapeDefaults = {
      jobName: 'urls',
      scheme: 'http',
      metricsPath: '/a b/100%/é!*()?',
      scrapeInterval: 3_600_000,
      scrapeTimeout: 1000,
      params: { 'q q': ['a b', 'c&d'], target: ['x'], plus: ['1+1=2'] },
    };
    const files = {
      'u.json': JSON.stringify([
        { targets: ['127.0.0.1:1', '[::1]:1', 'localhost'] },
        {
          targets: ['127.0.0.2:1'],
          labels: {
            __metrics_path__: 'rel/path',
            __param_target: 'https://a b/?x=1',
            __param_new: 'ü',
            __scheme__: 'https',
          },
        },
      ]),
    };
    const config = `scrape_configs:
  - job_name: urls
    scheme: http
    metrics_path: '/a b/100%/é!*()?'
    scrape_interval: 1h
    scrape_timeout: 1s
    params:
      'q q': ['a b', 'c&d']
      target: [x]
      plus: ['1+1=2']
    file_sd_configs:
      - files: [u.json]
`;
    before(async () => {
      prometheus = await startPrometheus(config, files);
    });
    after(async () => {
      await prometheus.stop();
    });

    test('every active target: the same scrapeUrl and labels', async () => {
      let active: { labels: LabelSet; scrapeUrl: string }[] = [];
      const deadline = Date.now() + 20_000;
      while (active.length < 4 && Date.now() < deadline) {
        active = (await prometheus.targets()) as unknown as {
          labels: LabelSet;
          scrapeUrl: string;
        }[];
        if (active.length < 4) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const outcome = await discoverFiles(
        { files: ['u.json'], refreshIntervalMs: 300_000 },
        { baseDir: prometheus.dir, version: '2' },
      );
      if (!outcome.ok) assert.fail(outcome.failure.message);
      const mine = outcome.groups.flatMap((g) =>
        targetsFromGroup(g, job, identity, '2').flatMap((t) =>
          t.kind === 'active'
            ? [JSON.stringify([t.url?.href, Object.entries(t.labels).sort()])]
            : [],
        ),
      );
      const theirs = active.map((t) =>
        JSON.stringify([t.scrapeUrl, Object.entries(t.labels).sort()]),
      );
      assert.deepEqual(mine.sort(), theirs.sort());
    });
  },
);
