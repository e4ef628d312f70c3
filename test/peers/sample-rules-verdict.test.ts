/**
 * What Prometheus does to each scraped sample before its limits, differentially: one prometheus.yml
 * (sample-rules-cases.ts) run by Debian's Prometheus 2.42 and by `scrape-check run
 * --prometheus-version 2`, with `metric_relabel_configs`, `honor_labels`, target labels from
 * `relabel_configs`, the sample and label limits, the scrape timeout as Prometheus resolves it, and
 * the scrape URL. Per job: `ok` is `up`, `series` is scrape_samples_scraped, `limits.samples` is
 * scrape_samples_post_metric_relabeling, the reason matches lastError, both scrapers request the
 * same URL with the same timeout, and the labels Prometheus stored are the ones scrape-check's
 * sample mutator builds. Then the timeouts Prometheus refuses at load, against promtool.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { loadConfigFile } from '#lib/config/index.ts';
import { ExpositionStream } from '#lib/exposition/index.ts';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { sampleMutator, type SampleFate } from '#lib/scrape/sample-labels.ts';
import type { SampleRules } from '#lib/scrape/types.ts';
import { compiledRules } from '#lib/targets/job-targets.ts';
import type { RunReport } from '#lib/result/types.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import { captureIo } from '../helpers/io.ts';
import {
  BINARIES,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import { closedPort, tempFiles } from '../helpers/servers.ts';
import { runBesidePrometheus, type Pair } from './differential.ts';
import { EXPECT, rulesConfig, startTargets, type Targets } from './sample-rules-cases.ts';

const missing = peerMissing(BINARIES.prometheus) ?? peerMissing(BINARIES.promtool);

/** A report series of Prometheus's (scrape_samples_post_metric_relabeling, say), per job. */
async function reportValues(
  prometheus: RunningPrometheus,
  name: string,
): Promise<Map<string, number>> {
  const rows = await prometheus.query(name);
  return new Map(rows.map((r) => [r.metric.job!, Number(r.value[1])]));
}

function describePair(pair: Pair, post: number | undefined): string {
  const { result, target } = pair;
  return `scrape-check: ok=${result.ok} ${result.reason} series=${result.series} samples=${result.limits.samples} (${result.diagnosis}); Prometheus: ${target.health} scraped=${pair.scrapedSamples} post=${post} (${target.lastError})`;
}

describe(
  'metric_relabel_configs, honor_labels, limits, timeouts and URLs as Prometheus 2.42 has them',
  { skip: missing ?? false },
  () => {
    let targets: Targets;
    let prometheus: RunningPrometheus;

    before(async () => {
      const ca = await makeCa({ commonName: 'sample-rules-ca' });
      const leaf = await makeLeaf(ca, { commonName: 'target', ips: ['127.0.0.1'] });
      targets = await startTargets({ cert: leaf.certPem, key: leaf.keyPem });
      prometheus = await startPrometheus(rulesConfig(targets), { 'ca.pem': ca.certPem });
      // Every target scraped, and the 3s jobs once more.
      await prometheus.waitForScrapes(Object.keys(EXPECT).length, 3500);
    });

    after(async () => {
      await Promise.all([prometheus.stop(), targets.close()]);
    });

    test('per job: up, scraped and post-relabeling counts, reason and error', async (t) => {
      const { pairs } = await runBesidePrometheus(prometheus);
      const post = await reportValues(prometheus, 'scrape_samples_post_metric_relabeling');
      assert.deepEqual(pairs.map((p) => p.result.job).sort(), Object.keys(EXPECT).sort());
      for (const pair of pairs) {
        const { result, target, up, scrapedSamples } = pair;
        const expected = EXPECT[result.job]!;
        await t.test(result.job, () => {
          const context = describePair(pair, post.get(result.job));
          // Prometheus's side, pinned: a case that stops testing what it says fails here.
          assert.equal(up, expected.up, `Prometheus up: ${context}`);
          assert.match(target.lastError, expected.lastError, `Prometheus error: ${context}`);
          if (expected.scraped !== null)
            assert.equal(scrapedSamples, expected.scraped, `Prometheus scraped: ${context}`);
          if (expected.post !== null)
            assert.equal(post.get(result.job), expected.post, `Prometheus post: ${context}`);
          // scrape-check's side.
          assert.equal(result.ok, up, context);
          assert.equal(result.reason, expected.reason, context);
          assert.equal(result.series, scrapedSamples, `series: ${context}`);
          assert.equal(result.limits.samples, post.get(result.job), `limits.samples: ${context}`);
          if (!up && target.lastError !== '' && !/deadline/.test(target.lastError)) {
            assert.ok(
              result.diagnosis.startsWith(target.lastError),
              `the diagnosis starts with Prometheus's error: ${context}`,
            );
          }
        });
      }
    });

    test('per job: the same request URL and timeout header', async (t) => {
      const jobs = new Set(targets.seen.map((s) => s.job));
      for (const job of Object.keys(EXPECT)) {
        await t.test(job, () => {
          const of = (client: string): string[] => [
            ...new Set(
              targets.seen
                .filter((s) => s.job === job && s.client === client)
                .map((s) => `${s.url} timeout=${s.timeout}`),
            ),
          ];
          if (!jobs.has(job)) {
            assert.equal(job, 'scheme-ftp', 'only the ftp job requests nothing');
            return;
          }
          assert.deepEqual(of('scrape-check'), of('prometheus'));
        });
      }
    });

    test('the labels Prometheus stored are the ones the sample mutator builds', async () => {
      const loaded = await loadConfigFile(`${prometheus.dir}/prometheus.yml`, {
        prometheusVersion: '2',
      });
      assert.ok(loaded.ok);
      const plan = await planScrapeJobs(loaded.config, loaded.config.scrape_configs, {
        version: '2',
      });
      const up = new Set(
        (await prometheus.targets()).filter((t) => t.health === 'up').map((t) => t.scrapePool),
      );
      const ours = new Set<string>();
      for (const req of plan.requests) {
        const body = req.url.pathname.split('/')[1]!;
        if (!up.has(req.job) || body === 'ts') continue;
        const text = await (await fetch(`http://${targets.http}/${body}/labels`)).text();
        const mutate = sampleMutator(req.sampleRules!, req.targetLabels);
        const stream = new ExpositionStream({
          format: 'prometheus',
          mode: 'scrape',
          prometheusVersion: '2',
          onSample: (s) => {
            const fate = mutate(s);
            assert.ok(!('error' in fate), `${req.job}: ${JSON.stringify(fate)}`);
            if ('labels' in fate) ours.add(JSON.stringify(fate.labels));
          },
        });
        stream.write(new TextEncoder().encode(text));
        stream.end();
      }
      const stored = new Set(
        (await prometheus.query('{__name__=~".+"}'))
          .filter((r) => !/^(up|scrape_.*|ts_.*)$/.test(r.metric.__name__!))
          .map((r) =>
            JSON.stringify(Object.entries(r.metric).sort(([a], [b]) => (a < b ? -1 : 1))),
          ),
      );
      const missing = [...stored].filter((l) => !ours.has(l));
      const extra = [...ours].filter((l) => !stored.has(l));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      assert.ok(ours.size > 50, `${ours.size} series compared`);
    });
  },
);

/** A timeout Prometheus refuses at load is refused by scrape-check (exit 2) for the same reason. */
describe(
  'scrape_timeout refused at load, as promtool 2.42 refuses it',
  { skip: missing ?? false },
  () => {
    const cases: { name: string; yaml: string; error: string | null }[] = [
      {
        name: 'job timeout above the job interval',
        yaml: 'scrape_configs:\n  - job_name: slow\n    scrape_interval: 1s\n    scrape_timeout: 2s\n    static_configs: [{targets: ["127.0.0.1:PORT"]}]\n',
        error: 'scrape timeout greater than scrape interval for scrape config with job name "slow"',
      },
      {
        name: 'job timeout above the global interval it inherits',
        yaml: 'global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: slow\n    scrape_timeout: 2s\n    static_configs: [{targets: ["127.0.0.1:PORT"]}]\n',
        error: 'scrape timeout greater than scrape interval for scrape config with job name "slow"',
      },
      {
        name: 'global timeout above the global interval',
        yaml: 'global: {scrape_interval: 1s, scrape_timeout: 2s}\nscrape_configs:\n  - job_name: a\n    static_configs: [{targets: ["127.0.0.1:PORT"]}]\n',
        error: 'global scrape timeout greater than scrape interval',
      },
      {
        name: 'a global timeout above a job interval is capped, not refused',
        yaml: 'global: {scrape_interval: 1m, scrape_timeout: 30s}\nscrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    static_configs: [{targets: ["127.0.0.1:PORT"]}]\n',
        error: null,
      },
      {
        name: 'scrape_timeout: 0s and scrape_interval: 0s mean unset',
        yaml: 'global: {scrape_interval: 0s, scrape_timeout: 0s}\nscrape_configs:\n  - job_name: a\n    scrape_interval: 0s\n    scrape_timeout: 0s\n    static_configs: [{targets: ["127.0.0.1:PORT"]}]\n',
        error: null,
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const port = String(await closedPort());
        const files = await tempFiles({ 'prometheus.yml': c.yaml.replaceAll('PORT', port) });
        try {
          const checked = spawnSync(
            BINARIES.promtool,
            ['check', 'config', files.path('prometheus.yml')],
            { encoding: 'utf8' },
          );
          const promtool = { code: checked.status, text: checked.stdout + checked.stderr };
          const io = captureIo();
          const code = await main(
            [
              'run',
              '--config',
              files.path('prometheus.yml'),
              '--prometheus-version',
              '2',
              '--json',
            ],
            {},
            io,
          );
          if (c.error === null) {
            assert.equal(promtool.code, 0, promtool.text);
            // Loaded, and the target scraped (nothing listens there): no config verdict.
            assert.equal(code, 1, io.err());
            const report = JSON.parse(io.out()) as RunReport;
            assert.deepEqual(
              report.results.map((r) => r.reason),
              ['connect_refused'],
              report.results.map((r) => r.diagnosis).join('\n'),
            );
          } else {
            assert.equal(promtool.code, 1, promtool.text);
            assert.ok(promtool.text.includes(c.error), promtool.text);
            assert.equal(code, 2, io.err());
            assert.ok(io.err().includes(c.error), io.err());
            assert.equal(io.out(), '');
          }
        } finally {
          await files.cleanup();
        }
      });
    }
  },
);

/** The fate of each sample of `body` under `rules`, for a target labelled `target`. */
function fates(body: string, rules: SampleRules, target: Record<string, string>): SampleFate[] {
  const mutate = sampleMutator(rules, target);
  const out: SampleFate[] = [];
  const stream = new ExpositionStream({
    format: 'prometheus',
    mode: 'scrape',
    prometheusVersion: rules.version,
    onSample: (s) => out.push(mutate(s)),
  });
  stream.write(new TextEncoder().encode(body));
  stream.end();
  return out;
}

/**
 * Where Prometheus 3 (HEAD scrape/scrape.go, model/labels) differs from 2.42, which the
 * differential above cannot reach: read from the source, not from a running peer.
 */
describe('sample labels: what 3.x does differently', () => {
  const target = { instance: 'h:1', job: 'j' };
  const plain = (version: '2' | '3'): SampleRules => ({
    honorLabels: false,
    metricRelabel: [],
    version,
  });

  test('an exposed empty exported_job takes the name in 2.42, not in 3.x', () => {
    const body = 'm{job="x",exported_job=""} 1\n';
    const names = (version: '2' | '3'): string[] => {
      const [fate] = fates(body, plain(version), target);
      assert.ok(fate && 'labels' in fate);
      return fate.labels.map(([name]) => name);
    };
    assert.deepEqual(names('2'), ['__name__', 'exported_exported_job', 'instance', 'job']);
    assert.deepEqual(names('3'), ['__name__', 'exported_job', 'instance', 'job']);
  });

  test('a metric name Prometheus 2.42 refuses is a UTF-8 name to 3.x', async () => {
    const rename = async (version: '2' | '3'): Promise<SampleRules> => ({
      ...plain(version),
      metricRelabel: await compiledRules(
        [{ source_labels: ['__name__'], target_label: '__name__', replacement: 'go.threads' }],
        version,
        'metric',
        version === '2' ? 'legacy' : 'utf8',
      ),
    });
    assert.deepEqual(fates('m 1\n', await rename('2'), target), [
      {
        error:
          'invalid metric name or label names: {__name__="go.threads", instance="h:1", job="j"}',
      },
    ]);
    const [fate] = fates('m 1\n', await rename('3'), target);
    assert.ok(fate && 'labels' in fate && fate.name === 'go.threads', JSON.stringify(fate));
    // Prometheus 3 with metric_name_validation_scheme: legacy refuses it as 2.42 does
    // (scrape.go `lset.IsValid(sl.validationScheme)`, Prometheus's source).
    const legacy = { ...(await rename('3')), nameValidation: 'legacy' as const };
    assert.deepEqual(fates('m 1\n', legacy, target), [
      {
        error:
          'invalid metric name or label names: {__name__="go.threads", instance="h:1", job="j"}',
      },
    ]);
  });

  test('3.x quotes a label name that is not a legacy one when it prints a label set', async () => {
    const map: SampleRules = {
      ...plain('3'),
      metricRelabel: await compiledRules(
        [{ action: 'labelmap', regex: 'a(.*)', replacement: '$1' }],
        '3',
        'metric',
        'utf8',
      ),
    };
    assert.deepEqual(fates('m{a="v"} 1\n', map, target), [
      {
        error:
          'invalid metric name or label names: {""="v", __name__="m", a="v", instance="h:1", job="j"}',
      },
    ]);
  });
});
