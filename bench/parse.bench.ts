/**
 * The exposition parser against the alternatives, on the same generated kube-apiserver-like input
 * in the same run: parse-prometheus-text-format (npm) and `promtool check metrics` (Debian's
 * Prometheus 2.42), plus a 64 MiB streaming parse in a child limited to a 128 MB heap.
 *
 * usage: node bench/parse.bench.ts [--quick]
 *   --quick  ~1 MB inputs, for CI: exercises every path in seconds. Exits non-zero on any error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpositionStream } from '#lib/exposition/index.ts';
import type { ExpositionOptions } from '#lib/exposition/index.ts';
import { writeCorpus } from './exposition-corpus.ts';

const quick = process.argv.includes('--quick');
const MB = 1e6;
const MiB = 1024 * 1024;
const INPUT_BYTES = quick ? 1 * MB : 30 * MB;
const STREAM_BYTES = quick ? 1 * MiB : 64 * MiB;
const RUNS = quick ? 2 : 5;
const CHUNK = 64 * 1024;
const CHILD = new URL('exposition-child.ts', import.meta.url).pathname;

const require = createRequire(import.meta.url);
const ppft = require('parse-prometheus-text-format') as (text: string) => unknown[];

function fail(message: string): void {
  process.exitCode = 1;
  console.error(`ERROR: ${message}`);
}

interface Row {
  what: string;
  ms: number | null;
  bytes: number;
  series: number | null;
  rss: number | null;
  note: string;
}
const rows: Row[] = [];

/** The best of `runs` timings of `fn`, after one warm-up. */
function best(runs: number, fn: () => void): number {
  fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function parseInChunks(input: Buffer, options: ExpositionOptions): number {
  const stream = new ExpositionStream(options);
  for (let i = 0; i < input.length; i += CHUNK) stream.write(input.subarray(i, i + CHUNK));
  const r = stream.end();
  if (r.error !== null) throw new Error(`parse failed: ${JSON.stringify(r.error)}`);
  return r.series;
}

interface ChildResult {
  ms: number;
  bytes: number;
  series: number;
  error: unknown;
  maxRssBytes: number;
}

function runChild(
  file: string,
  extraNodeArgs: string[],
  flags: string[],
): { wallMs: number; out: ChildResult | null; stderr: string; status: number | null } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...extraNodeArgs, CHILD, file, 'prometheus', ...flags], {
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  const wallMs = performance.now() - t;
  let out: ChildResult | null = null;
  try {
    out = JSON.parse(r.stdout) as ChildResult;
  } catch {
    out = null;
  }
  return { wallMs, out, stderr: r.stderr, status: r.status };
}

const dir = mkdtempSync(join(tmpdir(), 'scrape-check-bench-'));
try {
  const file = join(dir, 'apiserver.prom');
  const corpus = await writeCorpus(file, { targetBytes: INPUT_BYTES, seed: 42 });
  const input = readFileSync(file);
  console.log(
    `input: ${file}: ${(input.length / MB).toFixed(1)} MB, ${corpus.series} series, ` +
      `${corpus.families} families (kube-apiserver-like, text 0.0.4)\n`,
  );

  // 1. This parser, in memory, fed in 64 KiB chunks as a response body would be.
  let series = 0;
  const counted = best(RUNS, () => (series = parseInChunks(input, { format: 'prometheus' })));
  if (series !== corpus.series) fail(`series ${series}, expected ${corpus.series}`);
  rows.push({
    what: 'scrape-check (series only)',
    ms: counted,
    bytes: input.length,
    series,
    rss: null,
    note: 'in memory, 64 KiB chunks',
  });
  const collected = best(RUNS, () =>
    parseInChunks(input, { format: 'prometheus', collect: 'families' }),
  );
  rows.push({
    what: 'scrape-check (collect families)',
    ms: collected,
    bytes: input.length,
    series,
    rss: null,
    note: 'every sample as an object',
  });
  const linted = best(Math.min(RUNS, 3), () =>
    parseInChunks(input, { format: 'prometheus', lint: true }),
  );
  rows.push({
    what: 'scrape-check (lint)',
    ms: linted,
    bytes: input.length,
    series,
    rss: null,
    note: 'promtool-like warnings',
  });

  // 2. parse-prometheus-text-format: it takes a string, so decoding the bytes is part of its cost;
  // its time from a ready string is in the note.
  let families = 0;
  const text = input.toString('utf8');
  const npmNoDecode = best(Math.min(RUNS, 3), () => (families = ppft(text).length));
  if (families !== corpus.families) {
    fail(`parse-prometheus-text-format: ${families} families, expected ${corpus.families}`);
  }
  const npm = best(Math.min(RUNS, 3), () => ppft(input.toString('utf8')));
  rows.push({
    what: 'parse-prometheus-text-format',
    ms: npm,
    bytes: input.length,
    series: null,
    rss: null,
    note: `incl. UTF-8 decode; ${npmNoDecode.toFixed(0)} ms from a string`,
  });

  // 3. End to end, each in a fresh process: this parser streaming the file, and promtool.
  const ours = runChild(file, [], []);
  if (ours.status !== 0 || ours.out === null) fail(`child parse failed: ${ours.stderr}`);
  else
    rows.push({
      what: 'scrape-check end to end',
      ms: ours.wallMs,
      bytes: input.length,
      series: ours.out.series,
      rss: ours.out.maxRssBytes,
      note: `fresh node, 64 KiB reads; parse ${ours.out.ms.toFixed(0)} ms`,
    });
  const oursLint = runChild(file, [], ['--lint']);
  if (oursLint.status !== 0 || oursLint.out === null)
    fail(`child lint parse failed: ${oursLint.stderr}`);
  else
    rows.push({
      what: 'scrape-check end to end (lint)',
      ms: oursLint.wallMs,
      bytes: input.length,
      series: oursLint.out.series,
      rss: oursLint.out.maxRssBytes,
      note: 'as promtool, which lints too',
    });

  let promtoolMs: number | null = null;
  const hasTime =
    spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    rows.push({
      what: 'promtool check metrics',
      ms: null,
      bytes: input.length,
      series: null,
      rss: null,
      note: 'promtool not installed: not measured',
    });
  } else {
    const version = /version (\S+)/.exec(probe.stdout + probe.stderr)?.[1] ?? '?';
    const cmd = hasTime
      ? ['/usr/bin/time', '-f', 'maxrss=%M', 'promtool', 'check', 'metrics']
      : ['promtool', 'check', 'metrics'];
    const t = performance.now();
    const r = spawnSync(cmd[0]!, cmd.slice(1), { input, encoding: 'utf8', maxBuffer: 64 * MiB });
    promtoolMs = performance.now() - t;
    const rss = /maxrss=(\d+)/.exec(r.stderr)?.[1];
    if (r.status !== 0 && r.status !== 3)
      fail(`promtool exited ${String(r.status)}: ${r.stderr.slice(0, 500)}`);
    rows.push({
      what: `promtool check metrics (${version})`,
      ms: promtoolMs,
      bytes: input.length,
      series: null,
      rss: rss === undefined ? null : Number(rss) * 1024,
      note: `stdin, exit ${String(r.status)}`,
    });
  }

  // 4. 64 MiB streamed in a child whose V8 heap is capped at 128 MB.
  const big = join(dir, 'apiserver-64mib.prom');
  const bigCorpus = await writeCorpus(big, { targetBytes: STREAM_BYTES, seed: 7 });
  // Peak RSS moves with GC timing: run it three times and report the highest.
  const runs = [1, 2, 3].map(() => runChild(big, ['--max-old-space-size=128'], []));
  const ok = runs.every(
    (r) => r.status === 0 && r.out !== null && r.out.series === bigCorpus.series,
  );
  if (!ok) {
    const bad = runs.find((r) => r.status !== 0) ?? runs[0]!;
    fail(`64 MiB streaming parse failed (exit ${String(bad.status)}): ${bad.stderr.slice(0, 500)}`);
  }
  const rssOf = (r: (typeof runs)[number]): number => r.out?.maxRssBytes ?? 0;
  const capped = runs.reduce((a, b) => (rssOf(b) > rssOf(a) ? b : a));
  const rssList = runs.map((r) => (rssOf(r) / MB).toFixed(0)).join('/');
  rows.push({
    what: `${(STREAM_BYTES / MiB).toFixed(0)} MiB streamed, --max-old-space-size=128`,
    ms: capped.wallMs,
    bytes: statSync(big).size,
    series: capped.out?.series ?? null,
    rss: capped.out?.maxRssBytes ?? null,
    note: ok ? `succeeded 3 of 3; peak RSS of each run ${rssList} MB` : 'FAILED',
  });
  const baseline = runChild(big, ['--max-old-space-size=128'], ['--read-only']);
  if (baseline.status !== 0 || baseline.out === null) fail(`baseline failed: ${baseline.stderr}`);
  rows.push({
    what: `${(STREAM_BYTES / MiB).toFixed(0)} MiB read only, same child (baseline)`,
    ms: baseline.wallMs,
    bytes: statSync(big).size,
    series: null,
    rss: baseline.out?.maxRssBytes ?? null,
    note: 'node + type stripping + reads, no parsing',
  });

  // The table.
  const head = ['', 'time ms', 'MB/s', 'series/s', 'peak RSS MB', 'note'];
  const body = rows.map((r) => [
    r.what,
    r.ms === null ? '-' : r.ms.toFixed(0),
    r.ms === null ? '-' : (r.bytes / MB / (r.ms / 1000)).toFixed(1),
    r.ms === null || r.series === null ? '-' : `${(r.series / (r.ms / 1000) / 1e6).toFixed(2)} M`,
    r.rss === null ? '-' : (r.rss / MB).toFixed(0),
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));

  const oursMBs = input.length / MB / (counted / 1000);
  const npmMBs = input.length / MB / (npm / 1000);
  console.log(
    `\nours / parse-prometheus-text-format: ${(oursMBs / npmMBs).toFixed(1)}x throughput (target ≥ 5x)`,
  );
  if (promtoolMs !== null && ours.out !== null) {
    console.log(
      `promtool / ours, end to end: ${(promtoolMs / ours.wallMs).toFixed(1)}x (lint on both: ${(promtoolMs / oursLint.wallMs).toFixed(1)}x; target > 1x)`,
    );
  } else {
    console.log('promtool / ours: not measured (promtool not installed)');
  }
  console.log(
    `${(STREAM_BYTES / MiB).toFixed(0)} MiB in a 128 MB heap: ${ok ? 'yes' : 'no'}, peak RSS ${capped.out === null ? '?' : (capped.out.maxRssBytes / MB).toFixed(0)} MB`,
  );
} catch (error) {
  fail(String(error instanceof Error ? (error.stack ?? error.message) : error));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit();
