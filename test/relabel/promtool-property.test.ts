/**
 * Property: relabeling and target population are Prometheus 2.42's, against the real
 * `promtool check service-discovery` (Debian's 2.42, cmd/promtool/sd.go). A fixed seed generates
 * random rule chains and one file_sd file (rule-generator.ts); every chain is a job reading that
 * file, run once by promtool and once in-process by the product's planner (`planScrapeJobs`).
 * For every discovered target promtool's `labels` must be our `internal` (active) or `{}`
 * (dropped, failed), and its `discoveredLabels` our `discovered`.
 *
 * promtool prints 2.42's `PopulateLabels` results raw, with three quirks this test models rather
 * than ignores (each is checked exactly, so a modelling mistake fails too):
 *
 * 1. No scrape-pool deduplication: a target the planner folds into an identical one (`folded`) is
 *    an entry of its own. Its discovered labels come from a twin job that drops everything at its
 *    first rule; its labels from the planner's own `populateLabels`, counted against `folded`.
 * 2. Per target group (`Source`), promtool drops an entry `reflect.DeepEqual` to an earlier one;
 *    a failed target is `{discoveredLabels: {}, labels: {}, error: {}}` (a github.com/pkg/errors
 *    value has no exported field), so failures with the same message in one group print once.
 * 3. `discoveredLabels` is the pre-relabel slice, which 2.42's `relabel.Process` overwrites in
 *    place: each rule's `lb.Labels(lset)` writes its result into the array of its input
 *    (model/labels/labels.go v2.42.0 `Builder.Labels`, "res can be the same as b.base") until a
 *    result outgrows the array's capacity. `aliasedView` replays that with Go's append growth, so
 *    promtool's view is predicted exactly (the toolchain notes saw the same in /api/v1/targets).
 *
 * promtool hides failure messages there; `promtool check config` with the job alone names the
 * first target `TargetsFromGroup` refuses (`instance 3 in group : "a/b:80" is not a valid
 * hostname`), which must be the planner's first failure. check config reads the file itself,
 * without `__meta_filepath`, so our side runs the chain behind a rule that drops that label.
 *
 * The scenario is drawn once with `fc.sample` (not `fc.assert`: promtool runs per job, two at a
 * time, and a fast-check run per target would cost a process each), so shrinking is done here.
 *
 * `PROPERTY_RUNS` sets the number of chains (default 40, × 50 label sets); `PROPERTY_SEED` another
 * seed. Under CI=true a missing promtool fails (test/helpers/peers.ts); elsewhere the test skips.
 * On a difference the test shrinks it (fewer targets, rules, labels, settings) against promtool
 * and prints the smallest config and targets that still differ.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseConfig, type Config } from '#lib/config/index.ts';
import type { LabelSet } from '#lib/discovery/types.ts';
import { relabel, relabelSteps, type RelabelRule, type RelabelStep } from '#lib/relabel/index.ts';
import type { JobTargets } from '#lib/targets/job-targets.ts';
import { populateLabels } from '#lib/targets/populate.ts';
import { planScrapeJobs } from '#lib/targets/scrape-jobs.ts';
import { BINARIES, peerMissing } from '../helpers/peers.ts';
import {
  generateScenario,
  renderConfig,
  renderTargets,
  type GroupSpec,
  type JobSpec,
} from './rule-generator.ts';

const run = promisify(execFile);

const SEED = Number(process.env.PROPERTY_SEED ?? 0x2042);
const CHAINS = Number(process.env.PROPERTY_RUNS ?? 40);
const LABEL_SETS = 50;
/** file_sd sends its groups at once; promtool prints when the timeout ends. */
const SD_TIMEOUT = '300ms';
const PARALLEL = 2;

const missing = peerMissing(BINARIES.promtool);

// ---------------------------------------------------------------------------------------------
// Label helpers

type Pairs = [string, string][];

/** Go's string order: bytes of the UTF-8 encoding. */
function goOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function pairs(labels: LabelSet): Pairs {
  return Object.entries(labels).sort(([a], [b]) => goOrder(a, b));
}

/** `labels.Labels.Map()`: a later duplicate name wins. */
function mapOf(view: Pairs): LabelSet {
  const out: LabelSet = {};
  for (const [name, value] of view) out[name] = value;
  return out;
}

const samePairs = (a: Pairs, b: Pairs): boolean => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------
// Quirk 3: the pre-relabel slice that 2.42's relabel.Process overwrites

/** Go 1.19's malloc size classes up to 4 KiB (runtime/sizeclasses.go); a Label is 32 bytes. */
const SIZE_CLASSES = [
  32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
  448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688,
  3072, 3200, 3456, 4096,
];
const LABEL_BYTES = 32;

/** The capacity `append` leaves a []Label of capacity `cap` that must hold `needed` (growslice). */
function grow(cap: number, needed: number): number {
  if (needed <= cap) return cap;
  const want = needed > 2 * cap ? needed : 2 * cap;
  const bytes = SIZE_CLASSES.find((c) => c >= want * LABEL_BYTES) ?? want * LABEL_BYTES;
  return Math.floor(bytes / LABEL_BYTES);
}

const DEFAULT_NAMES = [
  'job',
  '__scrape_interval__',
  '__scrape_timeout__',
  '__metrics_path__',
  '__scheme__',
];

/**
 * The capacity of `preRelabelLabels` in 2.42's `PopulateLabels`: `lb.Labels(EmptyLabels())` over a
 * builder on the raw target labels (promtool's `labels.New`, capacity = length), after the job's
 * defaults and params were set: the raw slice itself when nothing was set or deleted; otherwise
 * a new one grown by appending the kept labels one by one, then the added ones at once.
 */
function preRelabelCapacity(raw: LabelSet, job: JobSpec): number {
  const names = Object.keys(raw);
  const del = new Set(names.filter((name) => raw[name] === ''));
  const add = new Set<string>();
  for (const name of DEFAULT_NAMES) if ((raw[name] ?? '') === '') add.add(name);
  for (const [key, values] of Object.entries(job.params ?? {})) {
    const name = `__param_${key}`;
    if (values.length === 0) continue;
    if (values[0] !== '') add.add(name);
    else {
      add.delete(name);
      del.add(name);
    }
  }
  if (del.size === 0 && add.size === 0) return names.length;
  const kept = names.filter((name) => !del.has(name) && !add.has(name)).length;
  let cap = 0;
  for (let len = 1; len <= kept; len++) cap = grow(cap, len);
  return grow(cap, kept + add.size);
}

/**
 * What promtool shows as `discoveredLabels` for a target that was not refused: the pre-relabel
 * slice (length fixed) after every rule before the one that dropped it wrote its result into
 * the shared array. A result longer than the capacity moves to a new array, after the labels its
 * builder kept were written into the old one; the rules after that write elsewhere.
 */
function aliasedView(
  discovered: LabelSet,
  capacity: number,
  rules: readonly RelabelRule[],
  steps: readonly RelabelStep[],
): Pairs {
  const view = pairs(discovered);
  const write = (from: Pairs): void => {
    for (let i = 0; i < from.length && i < view.length; i++) view[i] = from[i]!;
  };
  let current = view.slice();
  for (const [i, step] of steps.entries()) {
    if (!step.keep) break;
    const out = pairs(step.output);
    if (samePairs(out, current)) continue;
    if (out.length <= capacity) {
      write(out);
      current = out;
      continue;
    }
    // Only `labelmap` can both grow the set and set names it already had: every other rule
    // that grows it sets one new name, so it keeps (rewrites in place) all of its input.
    const rule = rules[i]!;
    if (rule.action === 'labelmap') {
      const set = new Set(
        current
          .filter(([name]) => rule.regex.matches(name))
          .map(([name]) => rule.regex.replaceAll(name, rule.replacement)),
      );
      write(current.filter(([name]) => !set.has(name)));
    }
    break;
  }
  return view;
}

// ---------------------------------------------------------------------------------------------
// Our side: every discovered target's outcome, folded ones included (quirk 1)

interface Outcome {
  /** The target's address in the file: unique, so it names the target. */
  address: string;
  kind: 'active' | 'dropped' | 'failed';
  discovered: LabelSet;
  internal: LabelSet;
  error: string | null;
}

interface Side {
  targets: JobTargets;
  /** Every target's discovered labels, from a job with the same settings that drops all. */
  twin: () => Promise<LabelSet[]>;
}

async function outcomes(side: Side): Promise<Outcome[]> {
  const t = side.targets;
  const out: Outcome[] = [];
  const add = (kind: Outcome['kind'], discovered: LabelSet, internal: LabelSet, error = null) => {
    out.push({ address: discovered.__address__ ?? '', kind, discovered, internal, error });
  };
  for (const a of t.active) add('active', a.discovered, a.internal);
  for (const d of t.dropped) add('dropped', d.discovered, {});
  for (const f of t.failed) {
    out.push({
      address: f.discovered.__address__ ?? '',
      kind: 'failed',
      discovered: f.discovered,
      internal: {},
      error: f.error,
    });
  }
  const folded = t.active.reduce((n, a) => n + a.folded, 0);
  if (folded === 0) return out;

  // The folded targets: the twin's discovered labels the lists above do not have.
  const seen = new Set(out.map((o) => o.address));
  const job = t.job;
  // A discovered label set already holds every default and param (asserted below), so
  // populateLabels adds none of these: they only fill the type.
  const defaults = {
    jobName: job.job_name,
    scheme: job.scheme,
    metricsPath: job.metrics_path,
    scrapeInterval: 0,
    scrapeTimeout: 0,
    params: job.params,
  };
  const counts = new Map<string, number>();
  for (const discovered of await side.twin()) {
    if (seen.has(discovered.__address__ ?? '')) continue;
    for (const name of DEFAULT_NAMES)
      assert.ok(discovered[name], `${name} in ${JSON.stringify(discovered)}`);
    const result = populateLabels(discovered, defaults, (l) => relabel(l, t.rules, '2'), '2');
    if (result.kind !== 'active')
      assert.fail(`a folded target is active: ${JSON.stringify(result)}`);
    const key = JSON.stringify(pairs(result.internal));
    counts.set(key, (counts.get(key) ?? 0) + 1);
    add('active', discovered, result.internal);
  }
  for (const a of t.active) {
    assert.equal(
      counts.get(JSON.stringify(pairs(a.internal))) ?? 0,
      a.folded,
      `${job.job_name}: folded count of ${JSON.stringify(a.internal)}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What promtool must print, from our outcomes (quirks 2 and 3)

interface SdResult {
  discoveredLabels: LabelSet;
  labels: LabelSet;
  error?: unknown;
}

interface Expected {
  outcome: Outcome;
  view: Pairs;
  key: string;
}

const resultKey = (discovered: LabelSet, labels: LabelSet, failed: boolean): string =>
  JSON.stringify([pairs(discovered), pairs(labels), failed]);

/** The raw labels promtool builds per target: the group's, its `__address__`, `__meta_filepath`. */
function rawTargets(
  groups: readonly GroupSpec[],
  file: string,
): Map<string, { group: number; raw: LabelSet }> {
  const index = new Map<string, { group: number; raw: LabelSet }>();
  groups.forEach((g, group) => {
    for (const address of g.targets) {
      index.set(address, {
        group,
        raw: { ...g.labels, __address__: address, __meta_filepath: file },
      });
    }
  });
  return index;
}

interface JobStats {
  targets: number;
  active: number;
  dropped: number;
  failed: number;
  folded: number;
  /** Targets whose promtool `discoveredLabels` differ from the true ones (quirk 3). */
  aliased: number;
  /** Entries promtool folded within a group (quirk 2). */
  promtoolFolded: number;
}

function expectedEntries(
  job: JobSpec,
  rules: readonly RelabelRule[],
  all: readonly Outcome[],
  index: ReturnType<typeof rawTargets>,
): { entries: Expected[]; stats: JobStats } {
  const stats: JobStats = {
    targets: all.length,
    active: 0,
    dropped: 0,
    failed: 0,
    folded: 0,
    aliased: 0,
    promtoolFolded: 0,
  };
  const byGroup = new Map<number, Map<string, Expected>>();
  for (const outcome of all) {
    const target = index.get(outcome.address);
    assert.ok(target, `${job.job_name}: ${outcome.address} is not in the file`);
    stats[outcome.kind]++;
    let view: Pairs = [];
    if (outcome.kind !== 'failed') {
      const steps = relabelSteps(outcome.discovered, rules, '2').steps;
      view = aliasedView(outcome.discovered, preRelabelCapacity(target.raw, job), rules, steps);
      if (!samePairs(pairs(mapOf(view)), pairs(outcome.discovered))) stats.aliased++;
    }
    const group = byGroup.get(target.group) ?? new Map<string, Expected>();
    byGroup.set(target.group, group);
    const identity = JSON.stringify([view, pairs(outcome.internal), outcome.error]);
    if (group.has(identity)) {
      stats.promtoolFolded++;
      continue;
    }
    const key = resultKey(mapOf(view), outcome.internal, outcome.kind === 'failed');
    group.set(identity, { outcome, view, key });
  }
  return { entries: [...byGroup.values()].flatMap((g) => [...g.values()]), stats };
}

interface Mismatch {
  job: string;
  /** What we predict and promtool did not print. */
  missing: Expected[];
  /** What promtool printed and we did not predict. */
  unexpected: SdResult[];
  /** `promtool check config`'s first failure, when it is not ours. */
  firstFailure: FirstFailure | null;
}

/** The first target the job cannot create, in Prometheus's words (null: none). */
interface FirstFailure {
  ours: string | null;
  theirs: string | null;
}

/** Compares promtool's entries with ours as multisets (promtool's order is map order). */
function compare(
  job: string,
  entries: Expected[],
  theirs: SdResult[],
  first: FirstFailure,
): Mismatch | null {
  const pool = new Map<string, SdResult[]>();
  for (const r of theirs) {
    const key = resultKey(r.discoveredLabels, r.labels, r.error !== undefined);
    pool.set(key, [...(pool.get(key) ?? []), r]);
  }
  const missingEntries: Expected[] = [];
  for (const e of entries) {
    const left = pool.get(e.key);
    if (left && left.length > 0) left.pop();
    else missingEntries.push(e);
  }
  const unexpected = [...pool.values()].flat();
  const firstFailure = first.ours === first.theirs ? null : first;
  return missingEntries.length + unexpected.length === 0 && firstFailure === null
    ? null
    : { job, missing: missingEntries, unexpected, firstFailure };
}

// ---------------------------------------------------------------------------------------------
// Running both sides

/**
 * `promtool check service-discovery` for one job. file_sd hands over all of a file's groups in
 * one message, so an empty answer for a file with targets can only mean the machine was too
 * slow for the timeout: asked once more with a long one.
 */
async function promtool(config: string, job: string): Promise<SdResult[]> {
  for (const timeout of [SD_TIMEOUT, '5s']) {
    const { stdout } = await run(
      BINARIES.promtool,
      ['check', 'service-discovery', `--timeout=${timeout}`, config, job],
      { maxBuffer: 64 << 20, timeout: 60_000 },
    );
    const results = JSON.parse(stdout) as SdResult[];
    if (results.length > 0) return results;
  }
  return [];
}

/**
 * `promtool check config` with one job: it reads the file_sd file itself (no `__meta_filepath`)
 * and fails on the first target `TargetsFromGroup` refuses, with its message, which `check
 * service-discovery` hides (`"error": {}`).
 */
async function promtoolFirstFailure(config: string): Promise<string | null> {
  try {
    await run(BINARIES.promtool, ['check', 'config', config], { timeout: 60_000 });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const failed = /^ {2}FAILED: (.*)$/m.exec(stderr);
    if (!failed) throw error;
    return failed[1]!;
  }
}

/** Our first failed target as `check config` words it (checkSDFile sets no group source). */
function firstFailureOf(targets: JobTargets, groups: readonly GroupSpec[]): string | null {
  const failed = targets.failed[0];
  if (!failed) return null;
  const address = failed.discovered.__address__ ?? '';
  const index = groups.find((g) => g.targets.includes(address))?.targets.indexOf(address) ?? -1;
  return `instance ${index} in group : ${failed.error}`;
}

async function eachLimited<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

async function parse(text: string, dir: string): Promise<Config> {
  const parsed = await parseConfig(text, join(dir, 'prometheus.yml'), dir, {
    prometheusVersion: '2',
  });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.config;
}

/** The same job, dropping every target at its first rule: its dropped list is every target. */
async function twinDiscovered(job: JobSpec, file: string, dir: string): Promise<LabelSet[]> {
  const twin: JobSpec = { ...job, relabel_configs: [{ action: 'drop', regex: '.*' }] };
  const config = await parse(renderConfig([twin], file), dir);
  const plan = await planScrapeJobs(config, config.scrape_configs, { version: '2' });
  const targets = plan.targets[0]!;
  assert.equal(targets.active.length + targets.failed.length, 0);
  return targets.dropped.map((d) => d.discovered);
}

interface JobResult {
  mismatch: Mismatch | null;
  stats: JobStats;
  theirs: SdResult[];
  ours: Outcome[];
}

async function checkJob(
  spec: JobSpec,
  side: Side,
  theirs: SdResult[],
  groups: readonly GroupSpec[],
  file: string,
  first: FirstFailure,
): Promise<JobResult> {
  const ours = await outcomes(side);
  const fileTargets = groups.reduce((n, g) => n + g.targets.length, 0);
  assert.equal(ours.length, fileTargets, `${spec.job_name}: every target has one outcome`);
  const index = rawTargets(groups, file);
  const { entries, stats } = expectedEntries(spec, side.targets.rules, ours, index);
  stats.folded = side.targets.active.reduce((n, a) => n + a.folded, 0);
  return { mismatch: compare(spec.job_name, entries, theirs, first), stats, theirs, ours };
}

/**
 * What `check config` relabels: the file's labels without `__meta_filepath` (promtool's
 * checkSDFile adds none). The same jobs, with a first rule that drops it, give exactly those.
 */
async function withoutFilepath(
  jobs: readonly JobSpec[],
  file: string,
  dir: string,
): Promise<JobTargets[]> {
  const unlabelled = jobs.map((job) => ({
    ...job,
    relabel_configs: [{ action: 'labeldrop', regex: '__meta_filepath' }, ...job.relabel_configs],
  }));
  const config = await parse(renderConfig(unlabelled, file), dir);
  return (await planScrapeJobs(config, config.scrape_configs, { version: '2' })).targets;
}

/** One job alone in a fresh folder: both sides, compared. For shrinking. */
async function checkAlone(
  spec: JobSpec,
  groups: readonly GroupSpec[],
): Promise<JobResult & { config: string; targets: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'scrape-check-promtool-shrink-'));
  try {
    const file = join(dir, 'targets.json');
    const targets = renderTargets(groups);
    const configText = renderConfig([spec], file);
    await writeFile(file, targets);
    await writeFile(join(dir, 'prometheus.yml'), configText);
    const config = await parse(configText, dir);
    const plan = await planScrapeJobs(config, config.scrape_configs, { version: '2' });
    const theirs = await promtool(join(dir, 'prometheus.yml'), spec.job_name);
    const side: Side = {
      targets: plan.targets[0]!,
      twin: () => twinDiscovered(spec, file, dir),
    };
    const first = {
      ours: firstFailureOf(await withoutFilepath([spec], file, dir).then((t) => t[0]!), groups),
      theirs: await promtoolFirstFailure(join(dir, 'prometheus.yml')),
    };
    return {
      ...(await checkJob(spec, side, theirs, groups, file, first)),
      config: configText,
      targets,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Shrinking a difference to a small reproduction

/** Greedily removes targets, rules, group labels and settings while the difference stays. */
async function shrink(
  spec: JobSpec,
  groups: readonly GroupSpec[],
  first: Mismatch,
): Promise<string> {
  let budget = 60;
  const fails = async (s: JobSpec, g: readonly GroupSpec[]): Promise<boolean> => {
    if (budget-- <= 0) return false;
    return (await checkAlone(s, g).catch(() => null))?.mismatch != null;
  };
  let job = spec;
  let current: GroupSpec[] = groups.map((g) => ({
    targets: [...g.targets],
    labels: { ...g.labels },
  }));

  // The target the difference is about, alone in its group; else its group alone.
  const address =
    first.missing[0]?.outcome.address ?? first.unexpected[0]?.discoveredLabels.__address__;
  const home = current.find((g) => address !== undefined && g.targets.includes(address));
  if (home && address !== undefined) {
    const alone = [{ targets: [address], labels: home.labels }];
    if (await fails(job, alone)) current = alone;
    else if (await fails(job, [home])) current = [home];
  }
  for (let i = job.relabel_configs.length - 1; i >= 0; i--) {
    const fewer = { ...job, relabel_configs: job.relabel_configs.filter((_, j) => j !== i) };
    if (await fails(fewer, current)) job = fewer;
  }
  for (const [gi, g] of current.entries()) {
    for (const name of Object.keys(g.labels)) {
      const labels = Object.fromEntries(Object.entries(g.labels).filter(([n]) => n !== name));
      const next = current.map((x, j) => (j === gi ? { ...x, labels } : x));
      if (await fails(job, next)) current = next;
    }
  }
  for (const key of ['params', 'scheme', 'metrics_path', 'honor_labels'] as const) {
    if (job[key] === undefined) continue;
    const simpler = Object.fromEntries(
      Object.entries(job).filter(([k]) => k !== key),
    ) as unknown as JobSpec;
    if (await fails(simpler, current)) job = simpler;
  }
  const last = await checkAlone(job, current);
  return [
    `--- prometheus.yml`,
    last.config.trimEnd(),
    `--- targets.json`,
    last.targets.trimEnd(),
    `--- promtool check service-discovery`,
    JSON.stringify(last.theirs),
    `--- scrape-check (outcome per target)`,
    JSON.stringify(last.ours),
    `--- first failure (check config): ${JSON.stringify(last.mismatch?.firstFailure ?? null)}`,
    `--- predicted but not printed`,
    JSON.stringify(last.mismatch?.missing.map((m) => ({ view: mapOf(m.view), ...m.outcome }))),
    `--- printed but not predicted`,
    JSON.stringify(last.mismatch?.unexpected),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

test(
  `relabeling and target population (${CHAINS} random chains × ${LABEL_SETS} label sets, seed ${SEED}) against promtool check service-discovery 2.42`,
  { skip: missing ?? false },
  async (t) => {
    const started = Date.now();
    const scenario = generateScenario(SEED, { chains: CHAINS, targets: LABEL_SETS });
    const dir = await mkdtemp(join(tmpdir(), 'scrape-check-promtool-property-'));
    try {
      const file = join(dir, 'targets.json');
      const configFile = join(dir, 'prometheus.yml');
      const configText = renderConfig(scenario.jobs, file);
      await writeFile(file, renderTargets(scenario.groups));
      await writeFile(configFile, configText);

      const config = await parse(configText, dir);
      const plan = await planScrapeJobs(config, config.scrape_configs, { version: '2' });
      assert.equal(plan.targets.length, scenario.jobs.length);

      const inline = await withoutFilepath(scenario.jobs, file, dir);

      const theirs = new Map<string, { sd: SdResult[]; first: string | null }>();
      await eachLimited(scenario.jobs, PARALLEL, async (job) => {
        const alone = join(dir, `${job.job_name}.yml`);
        await writeFile(alone, renderConfig([job], file));
        theirs.set(job.job_name, {
          sd: await promtool(configFile, job.job_name),
          first: await promtoolFirstFailure(alone),
        });
      });

      const total: JobStats = {
        targets: 0,
        active: 0,
        dropped: 0,
        failed: 0,
        folded: 0,
        aliased: 0,
        promtoolFolded: 0,
      };
      const mismatches: { spec: JobSpec; mismatch: Mismatch }[] = [];
      let entries = 0;
      let messages = 0;
      const reasons = new Map<string, number>();
      for (const [i, spec] of scenario.jobs.entries()) {
        const side: Side = {
          targets: plan.targets[i]!,
          twin: () => twinDiscovered(spec, file, dir),
        };
        assert.equal(side.targets.job.job_name, spec.job_name);
        const printed = theirs.get(spec.job_name)!;
        entries += printed.sd.length;
        const first = { ours: firstFailureOf(inline[i]!, scenario.groups), theirs: printed.first };
        if (first.theirs !== null) messages++;
        const result = await checkJob(spec, side, printed.sd, scenario.groups, file, first);
        for (const f of side.targets.failed) {
          const reason = f.error.replace(/"[^"]*"/g, '"…"');
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        for (const key of Object.keys(total) as (keyof JobStats)[]) total[key] += result.stats[key];
        if (result.mismatch) mismatches.push({ spec, mismatch: result.mismatch });
      }

      t.diagnostic(
        `seed ${SEED}: ${scenario.jobs.length} jobs, ${total.targets} target evaluations ` +
          `(${total.active} active incl. ${total.folded} folded, ${total.dropped} dropped, ` +
          `${total.failed} failed); promtool printed ${entries} entries, folded ${total.promtoolFolded} ` +
          `within groups; check config named ${messages} first failures; ` +
          `${total.aliased} with discoveredLabels overwritten by relabeling; ` +
          `${mismatches.length} jobs differ; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      t.diagnostic(`failures: ${JSON.stringify(Object.fromEntries(reasons))}`);
      // Make sure the scenario exercises every outcome and every quirk it models.
      assert.ok(total.active > 0 && total.dropped > 0 && total.failed > 0, JSON.stringify(total));

      if (mismatches.length > 0) {
        const reports: string[] = [];
        for (const { spec, mismatch } of mismatches.slice(0, 3)) {
          reports.push(`job ${spec.job_name}:\n${await shrink(spec, scenario.groups, mismatch)}`);
        }
        assert.fail(
          `${mismatches.length} of ${scenario.jobs.length} jobs differ from promtool ` +
            `(${mismatches.map((m) => m.mismatch.job).join(', ')}); the first, shrunk:\n\n` +
            reports.join('\n\n'),
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

// The one construct the generator leaves out although 2.42 loads it (rule-generator.ts,
// `oneOfEachName`): Go 1.19's regexp/syntax does not check group names for repeats, and `$n`
// expands the first group of that name that took part (regexp.go `expand`).
test(
  'a regex that repeats a group name, as promtool check service-discovery 2.42 loads and applies it',
  { skip: missing ?? false },
  async () => {
    const job: JobSpec = {
      job_name: 'repeated_name',
      relabel_configs: [
        {
          action: 'replace',
          source_labels: ['__address__'],
          regex: '(?P<n>a):80|(?P<n>b):80',
          target_label: 'picked',
          replacement: '$n',
        },
      ],
    };
    const result = await checkAlone(job, [{ targets: ['a:80', 'b:80'], labels: {} }]);
    assert.equal(result.mismatch, null, JSON.stringify(result.mismatch));
  },
);
