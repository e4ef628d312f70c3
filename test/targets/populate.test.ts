/**
 * PopulateLabels and TargetsFromGroup against Prometheus's own expectations: every case of
 * TestPopulateLabels at v2.42.0 (`scrape/manager_test.go`) and at HEAD, TestTargetsFromGroup
 * (`scrape/target_test.go`), then the version deltas and the edges those tests leave out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import {
  dedupeTargets,
  populateLabels,
  targetsFromGroup,
  type PopulateOptions,
  type Relabel,
  type ScrapeDefaults,
} from '#lib/targets/populate.ts';

const identity: Relabel = (labels) => ({ labels, droppedBy: null });
// The one rule the Go tests use: source `custom`, regex `(.*)`, replacement `${1}`, target
// `__address__`.
const customToAddress: Relabel = (labels) => ({
  labels: labels.custom === undefined ? labels : { ...labels, __address__: labels.custom },
  droppedBy: null,
});

const cfg: ScrapeDefaults = {
  scheme: 'https',
  metricsPath: '/metrics',
  jobName: 'job',
  scrapeInterval: 1000,
  scrapeTimeout: 1000,
  params: {},
};
const HISTOGRAM_DEFAULTS = {
  __convert_classic_histograms_to_nhcb__: 'false',
  __always_scrape_classic_histograms__: 'false',
  __scrape_native_histograms__: 'false',
};
const base = {
  __scheme__: 'https',
  __metrics_path__: '/metrics',
  job: 'job',
  __scrape_interval__: '1s',
  __scrape_timeout__: '1s',
};

interface Case {
  name: string;
  in: LabelSet;
  cfg?: Partial<ScrapeDefaults>;
  relabel?: Relabel;
  options?: PopulateOptions;
  res?: LabelSet;
  resOrig?: LabelSet;
  err?: string;
}

function check(version: PromVersion, c: Case): void {
  const input = structuredClone(c.in);
  const got = populateLabels(c.in, { ...cfg, ...c.cfg }, c.relabel ?? identity, version, c.options);
  assert.deepEqual(c.in, input, 'the input is not altered');
  if (c.err !== undefined) {
    assert.deepEqual(got.kind === 'failed' ? got.error : got, c.err);
    return;
  }
  if (got.kind !== 'active') assert.fail(JSON.stringify(got));
  assert.deepEqual(got.internal, c.res);
  assert.deepEqual(got.discovered, c.resOrig);
  // Go's labels.Labels are sorted; so are ours.
  assert.deepEqual(Object.keys(got.internal), Object.keys(c.res!).sort());
}

// The Go tests write "\xbd", a byte JavaScript strings cannot hold; a lone surrogate is the
// nearest invalid UTF-8 (its WTF-8 bytes are ED B2 BD), quoted the way Go quotes those bytes.
const INVALID = '\udcbd';
const INVALID_QUOTED = '"\\xed\\xb2\\xbd"';

const v2Cases: Case[] = [
  {
    name: 'regular population of scrape config options',
    in: { __address__: '1.2.3.4:1000', custom: 'value' },
    res: { ...base, __address__: '1.2.3.4:1000', instance: '1.2.3.4:1000', custom: 'value' },
    resOrig: { ...base, __address__: '1.2.3.4:1000', custom: 'value' },
  },
  {
    name: 'pre-defined scrape config labels; port defaulted from the scheme',
    in: {
      __address__: '1.2.3.4',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
    res: {
      __address__: '1.2.3.4:80',
      instance: '1.2.3.4:80',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
    resOrig: {
      __address__: '1.2.3.4',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
  },
  {
    name: 'instance given; HTTPS port default for IPv6',
    in: { __address__: '[::1]', instance: 'custom-instance' },
    res: { ...base, __address__: '[::1]:443', instance: 'custom-instance' },
    resOrig: { ...base, __address__: '[::1]', instance: 'custom-instance' },
  },
  { name: 'address label missing', in: { custom: 'value' }, err: 'no address' },
  {
    name: 'address label missing, but added in relabelling',
    in: { custom: 'host:1234' },
    relabel: customToAddress,
    res: { ...base, __address__: 'host:1234', instance: 'host:1234', custom: 'host:1234' },
    resOrig: { ...base, custom: 'host:1234' },
  },
  {
    name: 'invalid UTF-8 in label',
    in: { __address__: '1.2.3.4:1000', custom: INVALID },
    err: `invalid label value for "custom": ${INVALID_QUOTED}`,
  },
  {
    name: 'invalid duration in interval label',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '2notseconds' },
    err: 'error parsing scrape interval: not a valid duration string: "2notseconds"',
  },
  {
    name: 'invalid duration in timeout label',
    in: { __address__: '1.2.3.4:1000', __scrape_timeout__: '2notseconds' },
    err: 'error parsing scrape timeout: not a valid duration string: "2notseconds"',
  },
  {
    name: '0 interval',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '0s' },
    err: 'scrape interval cannot be 0',
  },
  {
    name: '0 timeout',
    in: { __address__: '1.2.3.4:1000', __scrape_timeout__: '0s' },
    err: 'scrape timeout cannot be 0',
  },
  {
    name: 'timeout greater than interval',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '1s', __scrape_timeout__: '2s' },
    err: 'scrape timeout cannot be greater than scrape interval ("2s" > "1s")',
  },
  {
    name: "no-default-scrape-port: don't attach default port",
    in: { __address__: '1.2.3.4' },
    options: { noDefaultScrapePort: true },
    res: { ...base, __address__: '1.2.3.4', instance: '1.2.3.4' },
    resOrig: { ...base, __address__: '1.2.3.4' },
  },
  {
    name: 'no-default-scrape-port: remove default port (http)',
    in: { __address__: '1.2.3.4:80' },
    cfg: { scheme: 'http' },
    options: { noDefaultScrapePort: true },
    res: { ...base, __scheme__: 'http', __address__: '1.2.3.4', instance: '1.2.3.4:80' },
    resOrig: { ...base, __scheme__: 'http', __address__: '1.2.3.4:80' },
  },
  {
    name: 'no-default-scrape-port: remove default port (https)',
    in: { __address__: '1.2.3.4:443' },
    options: { noDefaultScrapePort: true },
    res: { ...base, __address__: '1.2.3.4', instance: '1.2.3.4:443' },
    resOrig: { ...base, __address__: '1.2.3.4:443' },
  },
];

const h = HISTOGRAM_DEFAULTS;
const v3Cases: Case[] = [
  {
    name: 'regular population of scrape config options',
    in: { __address__: '1.2.3.4:1000', custom: 'value' },
    res: { ...base, ...h, __address__: '1.2.3.4:1000', instance: '1.2.3.4:1000', custom: 'value' },
    resOrig: { ...base, ...h, __address__: '1.2.3.4:1000', custom: 'value' },
  },
  {
    name: 'pre-defined scrape config labels; no port added',
    in: {
      __address__: '1.2.3.4',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
    res: {
      ...h,
      __address__: '1.2.3.4',
      instance: '1.2.3.4',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
    resOrig: {
      ...h,
      __address__: '1.2.3.4',
      __scheme__: 'http',
      __metrics_path__: '/custom',
      job: 'custom-job',
      __scrape_interval__: '2s',
      __scrape_timeout__: '2s',
    },
  },
  {
    name: 'instance given; IPv6 without a port stays so',
    in: { __address__: '[::1]', instance: 'custom-instance' },
    res: { ...base, ...h, __address__: '[::1]', instance: 'custom-instance' },
    resOrig: { ...base, ...h, __address__: '[::1]', instance: 'custom-instance' },
  },
  { name: 'address label missing', in: { custom: 'value' }, err: 'no address' },
  {
    name: 'address label missing, but added in relabelling',
    in: { custom: 'host:1234' },
    relabel: customToAddress,
    res: { ...base, ...h, __address__: 'host:1234', instance: 'host:1234', custom: 'host:1234' },
    resOrig: { ...base, ...h, custom: 'host:1234' },
  },
  {
    name: 'invalid UTF-8 in label',
    in: { __address__: '1.2.3.4:1000', custom: INVALID },
    err: `invalid label value for "custom": ${INVALID_QUOTED}`,
  },
  {
    name: 'invalid duration in interval label',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '2notseconds' },
    err: 'error parsing scrape interval: unknown unit "notseconds" in duration "2notseconds"',
  },
  {
    name: 'invalid duration in timeout label',
    in: { __address__: '1.2.3.4:1000', __scrape_timeout__: '2notseconds' },
    err: 'error parsing scrape timeout: unknown unit "notseconds" in duration "2notseconds"',
  },
  {
    name: '0 interval',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '0s' },
    err: 'scrape interval cannot be 0',
  },
  {
    name: '0 timeout',
    in: { __address__: '1.2.3.4:1000', __scrape_timeout__: '0s' },
    err: 'scrape timeout cannot be 0',
  },
  {
    name: 'timeout greater than interval',
    in: { __address__: '1.2.3.4:1000', __scrape_interval__: '1s', __scrape_timeout__: '2s' },
    err: 'scrape timeout cannot be greater than scrape interval ("2s" > "1s")',
  },
  {
    name: "don't attach default port",
    in: { __address__: '1.2.3.4' },
    res: { ...base, ...h, __address__: '1.2.3.4', instance: '1.2.3.4' },
    resOrig: { ...base, ...h, __address__: '1.2.3.4' },
  },
  {
    name: 'the default port is not removed (http)',
    in: { __address__: '1.2.3.4:80' },
    cfg: { scheme: 'http' },
    res: { ...base, ...h, __scheme__: 'http', __address__: '1.2.3.4:80', instance: '1.2.3.4:80' },
    resOrig: { ...base, ...h, __scheme__: 'http', __address__: '1.2.3.4:80' },
  },
  {
    name: 'the default port is not removed (https)',
    in: { __address__: '1.2.3.4:443' },
    res: { ...base, ...h, __address__: '1.2.3.4:443', instance: '1.2.3.4:443' },
    resOrig: { ...base, ...h, __address__: '1.2.3.4:443' },
  },
  {
    name: 'convert_classic_histograms_to_nhcb seeded from the config default',
    in: { __address__: '1.2.3.4:1000' },
    cfg: { convertClassicHistogramsToNhcb: true },
    res: {
      ...base,
      ...h,
      __convert_classic_histograms_to_nhcb__: 'true',
      __address__: '1.2.3.4:1000',
      instance: '1.2.3.4:1000',
    },
    resOrig: {
      ...base,
      ...h,
      __convert_classic_histograms_to_nhcb__: 'true',
      __address__: '1.2.3.4:1000',
    },
  },
  {
    name: 'convert_classic_histograms_to_nhcb overridden via relabeling',
    in: { __address__: '1.2.3.4:1000' },
    relabel: (labels) => ({
      labels:
        labels.__convert_classic_histograms_to_nhcb__ === 'false'
          ? { ...labels, __convert_classic_histograms_to_nhcb__: 'true' }
          : labels,
      droppedBy: null,
    }),
    res: {
      ...base,
      ...h,
      __convert_classic_histograms_to_nhcb__: 'true',
      __address__: '1.2.3.4:1000',
      instance: '1.2.3.4:1000',
    },
    resOrig: { ...base, ...h, __address__: '1.2.3.4:1000' },
  },
  {
    name: 'invalid boolean in convert_classic_histograms_to_nhcb label',
    in: { __address__: '1.2.3.4:1000', __convert_classic_histograms_to_nhcb__: 'maybe' },
    err: 'error parsing convert classic histograms to nhcb: strconv.ParseBool: parsing "maybe": invalid syntax',
  },
];

describe("TestPopulateLabels (expectations from Prometheus's scrape/manager_test.go at v2.42.0)", () => {
  for (const c of v2Cases) {
    test(c.name, () => {
      check('2', c);
    });
  }
});

describe("TestPopulateLabels (expectations from Prometheus's scrape/manager_test.go at HEAD)", () => {
  for (const c of v3Cases) {
    test(c.name, () => {
      check('3', c);
    });
  }
});

describe("TestTargetsFromGroup (expectations from Prometheus's scrape/target_test.go at v2.42.0 and HEAD)", () => {
  for (const version of ['2', '3'] as const) {
    test(`version ${version}: one failure, "instance 0 in group : no address"`, () => {
      const defaults = {
        ...cfg,
        scheme: '',
        metricsPath: '',
        jobName: '',
        scrapeInterval: 60_000,
        scrapeTimeout: 10_000,
      };
      const group = { source: '', labels: {}, targets: [{}, { __address__: 'localhost:9090' }] };
      const got = targetsFromGroup(group, defaults, identity, version);
      assert.equal(got.filter((t) => t.kind === 'active').length, 1);
      const failed = got.filter((t) => t.kind === 'failed');
      assert.equal(failed.length, 1);
      assert.equal(`${failed[0]!.where}: ${failed[0]!.error}`, 'instance 0 in group : no address');
      // An empty job name, scheme and path are no labels at all (Builder.Set with "" deletes).
      const active = got.find((t) => t.kind === 'active')!;
      assert.equal(active.internal.job, undefined);
      assert.equal(active.url?.href, '//localhost:9090');
    });
  }

  test('labelkeep / labeldrop that remove __address__ fail the target with "no address" (TestTargetsFromGroupWithLabelKeepDrop, HEAD)', () => {
    const dropAddress: Relabel = (labels) => {
      const rest = { ...labels };
      delete rest.__address__;
      return { labels: rest, droppedBy: null };
    };
    const got = targetsFromGroup(
      { source: '', labels: {}, targets: [{ __address__: 'localhost:9090' }] },
      cfg,
      dropAddress,
      '3',
    );
    assert.equal(got.length, 1);
    assert.equal(
      got[0]!.kind === 'failed' && `${got[0]!.where}: ${got[0]!.error}`,
      'instance 0 in group : no address',
    );
  });
});

describe('PopulateLabels: version deltas and edges', () => {
  test('__param_* from discovery: 2.x overwrites it with the job params, 3.x keeps it (#11029)', () => {
    const input = { __address__: 'h:1', __param_module: 'from-sd' };
    const params = { params: { module: ['from-config', 'second'], empty: [] } };
    const v2 = populateLabels(input, { ...cfg, ...params }, identity, '2');
    const v3 = populateLabels(input, { ...cfg, ...params }, identity, '3');
    assert.equal(v2.discovered.__param_module, 'from-config');
    assert.equal(v3.discovered.__param_module, 'from-sd');
    assert.equal(v2.discovered.__param_empty, undefined);
  });

  test('2.x: a job param whose first value is "" deletes the label discovery set', () => {
    const got = populateLabels(
      { __address__: 'h:1', __param_x: 'sd' },
      { ...cfg, params: { x: [''] } },
      identity,
      '2',
    );
    assert.equal(got.discovered.__param_x, undefined);
    const v3 = populateLabels(
      { __address__: 'h:1', __param_x: 'sd' },
      { ...cfg, params: { x: [''] } },
      identity,
      '3',
    );
    assert.equal(v3.discovered.__param_x, 'sd');
  });

  test('2.x: another scheme and no port is "invalid scheme", quoting the job scheme', () => {
    const got = populateLabels(
      { __address__: 'h', __scheme__: 'ftp' },
      { ...cfg, scheme: 'https' },
      identity,
      '2',
    );
    assert.deepEqual(got.kind === 'failed' && got.error, 'invalid scheme: "https"');
    // With a port, or in 3.x, nothing complains here.
    assert.equal(
      populateLabels({ __address__: 'h:21', __scheme__: 'ftp' }, cfg, identity, '2').kind,
      'active',
    );
    assert.equal(
      populateLabels({ __address__: 'h', __scheme__: 'ftp' }, cfg, identity, '3').kind,
      'active',
    );
  });

  test('2.x port defaulting follows Go net.SplitHostPort', () => {
    const addr = (a: string): string | undefined => {
      const got = populateLabels({ __address__: a }, { ...cfg, scheme: 'http' }, identity, '2');
      return got.kind === 'active'
        ? got.internal.__address__
        : `failed: ${got.kind === 'failed' ? got.error : ''}`;
    };
    assert.equal(addr('h'), 'h:80');
    assert.equal(addr('h:'), 'h:'); // an empty port is a port
    assert.equal(addr('::1'), '::1'); // adding a port cannot make it valid
    assert.equal(addr('[::1]'), '[::1]:80');
    assert.equal(addr('[fe80::1%eth0]'), '[fe80::1%eth0]:80');
    assert.equal(addr('a/b'), 'failed: "a/b:80" is not a valid hostname');
  });

  test('"/" in the address fails in 3.x with the address as given', () => {
    const got = populateLabels({ __address__: 'a/b' }, cfg, identity, '3');
    assert.equal(got.kind === 'failed' && got.error, '"a/b" is not a valid hostname');
  });

  test('empty values are absent: defaults fill them, and they never reach the labels', () => {
    const got = populateLabels({ __address__: 'h:1', job: '', extra: '' }, cfg, identity, '3');
    assert.equal(got.discovered.job, 'job');
    assert.equal('extra' in got.discovered, false);
  });

  test('__meta_* are removed after relabeling; other __ labels stay internal', () => {
    const got = populateLabels(
      { __address__: 'h:1', __meta_x: 'm', __tmp_y: 't', a: 'b' },
      cfg,
      identity,
      '3',
    );
    if (got.kind !== 'active') assert.fail(got.kind);
    assert.equal(got.discovered.__meta_x, 'm');
    assert.equal(got.internal.__meta_x, undefined);
    assert.equal(got.internal.__tmp_y, 't');
    assert.deepEqual(got.labels, { a: 'b', instance: 'h:1', job: 'job' });
  });

  test('a drop keeps the discovered labels and the rule that dropped', () => {
    const got = populateLabels(
      { __address__: 'h:1' },
      cfg,
      () => ({ labels: null, droppedBy: 2 }),
      '2',
    );
    assert.deepEqual(got, {
      kind: 'dropped',
      droppedBy: 2,
      discovered: { ...base, __address__: 'h:1' },
    });
  });

  test('durations print as model.Duration does (years and weeks only when exact)', () => {
    const interval = (ms: number): string | undefined =>
      populateLabels(
        { __address__: 'h:1' },
        { ...cfg, scrapeInterval: ms, scrapeTimeout: 1000 },
        identity,
        '3',
      ).discovered.__scrape_interval__;
    assert.equal(interval(60_000), '1m');
    assert.equal(interval(90_000), '1m30s');
    assert.equal(interval(1500), '1s500ms');
    assert.equal(interval(7 * 86_400_000), '1w');
    assert.equal(interval(8 * 86_400_000), '8d');
    assert.equal(interval(90 * 86_400_000), '90d');
    assert.equal(interval(365 * 86_400_000), '1y');
  });

  test('duration parse errors per version', () => {
    const err = (v: PromVersion, s: string): string | false => {
      const got = populateLabels({ __address__: 'h:1', __scrape_interval__: s }, cfg, identity, v);
      return got.kind === 'failed' && got.error;
    };
    assert.equal(
      err('2', '1d1m1h'),
      'error parsing scrape interval: not a valid duration string: "1d1m1h"',
    );
    assert.equal(
      err('3', '1d1m1h'),
      'error parsing scrape interval: not a valid duration string: "1d1m1h"',
    );
    assert.equal(
      err('3', '5x'),
      'error parsing scrape interval: unknown unit "x" in duration "5x"',
    );
    assert.equal(err('2', '300y'), 'error parsing scrape interval: duration out of range');
    assert.equal(err('3', '300y'), 'error parsing scrape interval: duration out of range');
  });

  test("targetsFromGroup: the target's own labels win, even an empty one", () => {
    const t = targetsFromGroup(
      {
        source: 'f.json:0',
        labels: { a: 'group', b: 'group', __address__: 'g:1' },
        targets: [{ __address__: 'h:1', a: 'own', b: '' }],
      },
      cfg,
      identity,
      '3',
    )[0]!;
    if (t.kind !== 'active') assert.fail(t.kind);
    assert.equal(t.internal.a, 'own');
    assert.equal(t.internal.b, undefined);
    assert.equal(t.url?.href, 'https://h:1/metrics');
  });

  test('dedupeTargets keeps the first and names what each duplicate repeats', () => {
    const group = {
      source: 's',
      labels: {},
      targets: [{ __address__: 'h:1' }, { __address__: 'h:2' }, { __address__: 'h:1' }],
    };
    const active = targetsFromGroup(group, cfg, identity, '3').flatMap((t) =>
      t.kind === 'active' && t.url ? [{ ...t, url: t.url }] : [],
    );
    const { unique, duplicates } = dedupeTargets(active);
    assert.deepEqual(
      unique.map((t) => t.where),
      ['instance 0 in group s', 'instance 1 in group s'],
    );
    assert.equal(duplicates.length, 1);
    assert.equal(duplicates[0]!.target.where, 'instance 2 in group s');
    assert.equal(duplicates[0]!.duplicateOf.where, 'instance 0 in group s');
  });
});
