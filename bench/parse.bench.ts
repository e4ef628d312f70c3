/**
 * `scrape-check parse` against the alternatives on the same generated kube-apiserver-like input,
 * in the same run: parse-prometheus-text-format (npm) and `promtool check metrics` (Debian's
 * Prometheus 2.42).
 *
 * 1. Whole processes, as a user runs them, interleaved round by round so that a busy machine slows
 *    all alike; the ratios compare medians. `scrape-check parse` runs with its default lint (as
 *    promtool does), through the built CLI (`dist/cli`, scripts/build-cli.ts, built afresh into a
 *    temporary folder: its accept lane, in WebAssembly, reads the input; and again with the lane off,
 *    the JavaScript parser alone, as for an input the lane gives back), from the TypeScript sources
 *    (what bin/scrape-check.js runs while the build is stale: the parser alone), and through
 *    bin/scrape-check.js itself.
 * 2. The parser alone: its first parse in a fresh process (cold: the JIT still warming), and the
 *    best of several in this one (warm), with lint, counting series only, and collecting families.
 * 3. 64 MiB streamed with lint, in a child whose V8 heap is capped at 128 MB, and the CLI so capped.
 *
 * usage: node bench/parse.bench.ts [--quick]
 *   --quick  ~1 MB inputs and fewer rounds, for CI: exercises every path in seconds. Exits non-zero
 *            on any error.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExpositionStream } from '#lib/exposition/index.ts';
import type { ExpositionOptions } from '#lib/exposition/index.ts';
import { writeCorpus } from './exposition-corpus.ts';

const quick = process.argv.includes('--quick');
const MB = 1e6;
const MiB = 1024 * 1024;
const INPUT_BYTES = quick ? 1 * MB : 30 * MB;
const STREAM_BYTES = quick ? 1 * MiB : 64 * MiB;
const ROUNDS = quick ? 1 : 5;
const WARM_RUNS = quick ? 2 : 5;
const CHUNK = 64 * 1024;
const ROOT = new URL('..', import.meta.url).pathname;
const CHILD = new URL('exposition-child.ts', import.meta.url).pathname;
const BIN = new URL('../bin/scrape-check.js', import.meta.url).pathname;
const SOURCES_MAIN = new URL('../lib/cli/main.ts', import.meta.url).href;
const BUILD_SCRIPT = new URL('../scripts/build-cli.ts', import.meta.url).pathname;

function fail(message: string): void {
  process.exitCode = 1;
  console.error(`ERROR: ${message}`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

/** One whole-process contender: a command line, and what its exit status must be. */
interface Contender {
  name: string;
  argv: string[];
  /** The file goes to stdin (promtool) rather than as an argument. */
  stdin: boolean;
  /** Added to the environment. */
  env?: Record<string, string>;
  ok: (status: number | null) => boolean;
  note: string;
  times: number[];
  /** User plus system CPU time of each run, all threads (what a busy machine distorts least). */
  cpu: number[];
  rss: number[];
}

/** Runs `argv` once under /usr/bin/time when there is one; wall ms and peak RSS bytes. */
function runOnce(
  c: Contender,
  file: string,
): { ms: number; cpu: number | null; rss: number | null; status: number | null; stderr: string } {
  const timed = hasTime ? ['/usr/bin/time', '-f', 'maxrss=%M cpu=%U+%S', ...c.argv] : c.argv;
  const fd = c.stdin ? openSync(file, 'r') : null;
  const t = performance.now();
  const r = spawnSync(timed[0]!, timed.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
    stdio: [fd ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...c.env },
  });
  const ms = performance.now() - t;
  if (fd !== null) closeSync(fd);
  const kb = /maxrss=(\d+)/.exec(r.stderr)?.[1];
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return {
    ms,
    cpu: cpu === null ? null : (Number(cpu[1]) + Number(cpu[2])) * 1000,
    rss: kb === undefined ? null : Number(kb) * 1024,
    status: r.status,
    stderr: r.stderr,
  };
}

const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

/** A `node -e` program that imports `entry` and runs `main(argv)` as bin/scrape-check.js does. */
function cliViaEntry(entry: string, args: string[], nodeArgs: string[] = []): string[] {
  const program =
    `const { main } = await import(${JSON.stringify(entry)});` +
    `process.exitCode = await main(${JSON.stringify(args)}, process.env, ` +
    '{ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });';
  return [process.execPath, ...nodeArgs, '--input-type=module', '-e', program];
}

/** Builds the CLI into `dir` with the project's own build script; null when there is none. */
async function buildCli(dir: string): Promise<string | null> {
  if (!existsSync(BUILD_SCRIPT)) return null;
  const mod = (await import(pathToFileURL(BUILD_SCRIPT).href)) as {
    buildCli?: (o: { outdir: string }) => Promise<{ entry: string }>;
  };
  if (mod.buildCli === undefined) return null;
  const { entry } = await mod.buildCli({ outdir: dir });
  return pathToFileURL(entry).href;
}

interface ChildResult {
  ms: number;
  bytes: number;
  series: number;
  error: unknown;
  maxRssBytes: number;
  heapUsed: number;
}

function runChild(file: string, nodeArgs: string[], flags: string[]): ChildResult | null {
  const r = spawnSync(process.execPath, [...nodeArgs, CHILD, file, 'prometheus', ...flags], {
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (r.status !== 0) {
    fail(`parser child ${flags.join(' ')} exited ${String(r.status)}: ${r.stderr.slice(0, 500)}`);
    return null;
  }
  return JSON.parse(r.stdout) as ChildResult;
}

function parseInChunks(input: Uint8Array, options: ExpositionOptions): number {
  const stream = new ExpositionStream(options);
  for (let i = 0; i < input.length; i += CHUNK) stream.write(input.subarray(i, i + CHUNK));
  const r = stream.end();
  if (r.error !== null) throw new Error(`parse failed: ${JSON.stringify(r.error)}`);
  return r.series;
}

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

interface Row {
  what: string;
  ms: number | null;
  bytes: number;
  rss: number | null;
  note: string;
}

function table(rows: Row[]): void {
  const head = ['', 'time ms', 'MB/s', 'peak RSS MB', 'note'];
  const body = rows.map((r) => [
    r.what,
    r.ms === null ? '-' : r.ms.toFixed(0),
    r.ms === null ? '-' : (r.bytes / MB / (r.ms / 1000)).toFixed(0),
    r.rss === null ? '-' : (r.rss / MB).toFixed(0),
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

const dir = mkdtempSync(join(tmpdir(), 'scrape-check-bench-'));
try {
  const file = join(dir, 'apiserver.prom');
  const corpus = await writeCorpus(file, { targetBytes: INPUT_BYTES, seed: 42 });
  const input = new Uint8Array(readFileSync(file));
  console.log(
    `input: ${(input.length / MB).toFixed(1)} MB, ${corpus.series} series, ${corpus.families} ` +
      `families (kube-apiserver-like, text 0.0.4); ${ROUNDS} interleaved rounds of whole processes\n`,
  );

  // 1. Whole processes.
  const builtEntry = await buildCli(join(dir, 'cli')).catch((error: unknown) => {
    console.log(`(the CLI could not be built: ${String(error)})`);
    return null;
  });
  const parseOk = (s: number | null): boolean => s === 0;
  const contenders: Contender[] = [];
  if (builtEntry !== null) {
    // The headline must measure the lane: it has to accept this input, not hand it to the parser.
    const probe = spawnSync(process.execPath, cliViaEntry(builtEntry, ['parse', file]).slice(1), {
      encoding: 'utf8',
      env: { ...process.env, SCRAPE_CHECK_ACCEPT: 'why' },
    });
    if (!probe.stderr.includes('accept lane: accepted'))
      fail(`the accept lane did not accept the corpus: ${probe.stderr.slice(0, 400)}`);
    contenders.push(
      {
        name: 'scrape-check parse (built CLI)',
        argv: cliViaEntry(builtEntry, ['parse', file]),
        stdin: false,
        ok: parseOk,
        note: 'dist/cli as scripts/build-cli.ts builds it; lint on; the accept lane reads it',
        times: [],
        cpu: [],
        rss: [],
      },
      {
        name: 'scrape-check parse (built CLI, parser alone)',
        argv: cliViaEntry(builtEntry, ['parse', file]),
        stdin: false,
        env: { SCRAPE_CHECK_ACCEPT: 'off' },
        ok: parseOk,
        note: 'SCRAPE_CHECK_ACCEPT=off: the JavaScript parser, as for an input the lane gives back',
        times: [],
        cpu: [],
        rss: [],
      },
    );
  }
  contenders.push(
    {
      name: 'scrape-check parse (TypeScript sources)',
      argv: cliViaEntry(SOURCES_MAIN, ['parse', file]),
      stdin: false,
      ok: parseOk,
      note: 'types stripped at start; lint on',
      times: [],
      cpu: [],
      rss: [],
    },
    {
      name: 'bin/scrape-check.js parse',
      argv: [process.execPath, BIN, 'parse', file],
      stdin: false,
      ok: parseOk,
      note: 'the bin as it is: dist/cli when fresh, else the sources',
      times: [],
      cpu: [],
      rss: [],
    },
    {
      name: 'parse-prometheus-text-format',
      argv: [
        process.execPath,
        '-e',
        "const t = require('fs').readFileSync(process.argv[1], 'utf8');" +
          "console.log(require('parse-prometheus-text-format')(t).length)",
        file,
      ],
      stdin: false,
      ok: parseOk,
      note: 'node: read the file as a string, parse it',
      times: [],
      cpu: [],
      rss: [],
    },
  );
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  const promtoolVersion = /version (\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? null;
  if (probe.error === undefined) {
    contenders.push({
      name: `promtool check metrics (${promtoolVersion ?? '?'})`,
      argv: ['promtool', 'check', 'metrics'],
      stdin: true,
      // 3: lint problems found; anything else but 0 is a failure to read the input.
      ok: (s) => s === 0 || s === 3,
      note: 'stdin; lints as it parses',
      times: [],
      cpu: [],
      rss: [],
    });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const r = runOnce(c, file);
      if (!c.ok(r.status)) fail(`${c.name} exited ${String(r.status)}: ${r.stderr.slice(0, 400)}`);
      c.times.push(r.ms);
      if (r.cpu !== null) c.cpu.push(r.cpu);
      if (r.rss !== null) c.rss.push(r.rss);
    }
  }
  const nodeE0: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    nodeE0.push(performance.now() - t);
  }
  const rows: Row[] = contenders.map((c) => ({
    what: c.name,
    ms: median(c.times),
    bytes: input.length,
    rss: c.rss.length === 0 ? null : Math.max(...c.rss),
    note: `${c.note}; runs ${c.times.map((t) => t.toFixed(0)).join('/')} ms; CPU ${c.cpu.length === 0 ? '?' : median(c.cpu).toFixed(0)} ms`,
  }));
  rows.push({
    what: 'node -e 0',
    ms: median(nodeE0),
    bytes: 0,
    rss: null,
    note: 'a Node process that does nothing',
  });

  // 2. The parser alone.
  // The same cold parse read in 1 MiB pieces: what the read size alone costs a whole process (each
  // read is a round trip to libuv's thread pool, and the process idles while it waits).
  for (const kib of [64, 1024]) {
    const cold = runChild(file, [], ['--lint', '--chunk', String(kib)]);
    if (cold === null) continue;
    if (cold.series !== corpus.series) fail(`cold child: ${cold.series} series`);
    rows.push({
      what: `parser, lint, first parse (cold), ${kib === 64 ? '64 KiB' : '1 MiB'} reads`,
      ms: cold.ms,
      bytes: input.length,
      rss: cold.maxRssBytes,
      note: kib === 64 ? 'fresh process, reads as `parse` does today' : 'fresh process',
    });
  }
  let series = 0;
  const warmLint = best(
    WARM_RUNS,
    () => (series = parseInChunks(input, { format: 'prometheus', lint: true })),
  );
  if (series !== corpus.series) fail(`series ${series}, expected ${corpus.series}`);
  const warm = best(WARM_RUNS, () => parseInChunks(input, { format: 'prometheus' }));
  const collected = best(Math.min(WARM_RUNS, 3), () =>
    parseInChunks(input, { format: 'prometheus', collect: 'families' }),
  );
  rows.push(
    {
      what: 'parser, lint (warm)',
      ms: warmLint,
      bytes: input.length,
      rss: null,
      note: `best of ${WARM_RUNS}, in memory`,
    },
    {
      what: 'parser, series only (warm)',
      ms: warm,
      bytes: input.length,
      rss: null,
      note: 'what a scrape pays',
    },
    {
      what: 'parser, collect families (warm)',
      ms: collected,
      bytes: input.length,
      rss: null,
      note: 'every sample as an object (--json)',
    },
  );

  // 3. 64 MiB in a 128 MB heap.
  const big = join(dir, 'apiserver-64mib.prom');
  const bigCorpus = await writeCorpus(big, { targetBytes: STREAM_BYTES, seed: 7 });
  const bigBytes = statSync(big).size;
  const capped = [1, 2, 3].map(() => runChild(big, ['--max-old-space-size=128'], ['--lint']));
  const cappedOk = capped.every((r) => r !== null && r.series === bigCorpus.series);
  if (!cappedOk) fail('64 MiB with lint in a 128 MB heap failed');
  const peak = Math.max(...capped.map((r) => r?.maxRssBytes ?? 0));
  const heap = Math.max(...capped.map((r) => r?.heapUsed ?? 0));
  rows.push({
    what: `parser, lint, ${(bigBytes / MiB).toFixed(0)} MiB, --max-old-space-size=128`,
    ms: capped[0]?.ms ?? null,
    bytes: bigBytes,
    rss: peak,
    note: `${cappedOk ? 'succeeded 3 of 3' : 'FAILED'}; heap used at the end ≤ ${(heap / MB).toFixed(0)} MB`,
  });
  // The CLI so capped, through the accept lane and with the parser alone.
  const cappedCli = (env: Record<string, string>) =>
    runOnce(
      {
        name: 'cli-capped',
        argv:
          builtEntry === null
            ? [process.execPath, '--max-old-space-size=128', BIN, 'parse', big]
            : cliViaEntry(builtEntry, ['parse', big], ['--max-old-space-size=128']),
        stdin: false,
        env,
        ok: parseOk,
        note: '',
        times: [],
        cpu: [],
        rss: [],
      },
      big,
    );
  const cliCapped = cappedCli({});
  const parserCapped = cappedCli({ SCRAPE_CHECK_ACCEPT: 'off' });
  for (const [what, run] of [
    ['', cliCapped],
    ['parser alone, ', parserCapped],
  ] as const) {
    if (run.status !== 0)
      fail(
        `CLI (${what}64 MiB in a 128 MB heap) exited ${String(run.status)}: ${run.stderr.slice(0, 400)}`,
      );
    rows.push({
      what: `scrape-check parse, ${what}${(bigBytes / MiB).toFixed(0)} MiB, --max-old-space-size=128`,
      ms: run.ms,
      bytes: bigBytes,
      rss: run.rss,
      note: run.status === 0 ? 'whole process, lint on: exit 0' : 'FAILED',
    });
  }

  table(rows);

  const wall = (c: Contender): number[] => c.times;
  const cpu = (c: Contender): number[] => c.cpu;
  // The headline (the built CLI, as `npm ci` installs it), then the parser alone.
  for (const ours of contenders.slice(0, builtEntry === null ? 1 : 2)) {
    const ratio = (name: string, of: (c: Contender) => number[]): string => {
      const peer = contenders.find((c) => c.name.startsWith(name));
      if (peer === undefined || of(peer).length === 0 || of(ours).length === 0)
        return 'not measured';
      return `${(median(of(peer)) / median(of(ours))).toFixed(1)}x`;
    };
    console.log(`\n${ours.name}, whole process, medians (wall time; CPU time):`);
    for (const [peer, target] of [
      ['parse-prometheus-text-format', 5],
      ['promtool', 3],
    ] as const) {
      console.log(
        `  vs ${peer}: ${ratio(peer, wall)} faster; CPU ${ratio(peer, cpu)} (target ≥ ${target}x)`,
      );
    }
  }
  console.log(
    `${(bigBytes / MiB).toFixed(0)} MiB with lint in a 128 MB heap: ${cappedOk && cliCapped.status === 0 ? 'yes' : 'no'}, peak RSS ${(peak / MB).toFixed(0)} MB (parser child), ${cliCapped.rss === null ? '?' : (cliCapped.rss / MB).toFixed(0)} MB (CLI)`,
  );
} catch (error) {
  fail(String(error instanceof Error ? (error.stack ?? error.message) : error));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit();
