/**
 * The command line's start-up, whole process (spawn to exit), beside `node -e 0` in the same run:
 *
 *   node bench/cli.bench.ts [--quick]
 *
 * Builds the CLI as `npm ci` does (scripts/build-cli.ts) in a snapshot of the project (lib/, bin/,
 * the build's inputs; node_modules linked), so that an edit made in the checkout during the run
 * cannot turn the build stale and have the bench time the sources instead. Then times,
 * interleaved so that a busy machine slows every row alike:
 *   - `node -e 0`: the floor, Node starting and exiting;
 *   - `scrape-check --version` and `--help` as users run them (bin/scrape-check.js: its freshness
 *     check, then the build);
 *   - `--version` from the TypeScript sources (what a start costs when the build is stale or
 *     missing), for comparison.
 *
 * Target: `scrape-check --version` within 20 ms of `node -e 0` (medians). `--quick` (CI) takes 3
 * runs of each instead of 21.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildCli, copyForBuild } from '../scripts/build-cli.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 21;
const checkout = resolve(import.meta.dirname, '..');
const root = await copyForBuild(checkout, 'scrape-check-cli-bench-');
await buildCli({ root });
const bin = join(root, 'bin', 'scrape-check.js');
const sources = `const { main } = await import(${JSON.stringify(join(root, 'lib/cli/main.ts'))});
process.exitCode = await main(process.argv.slice(1), process.env, process);`;

interface Case {
  name: string;
  args: string[];
  /** What stdout must start with, so the bench never times an error. */
  expect: string;
}

const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], expect: '' },
  { name: 'scrape-check --version', args: [bin, '--version'], expect: 'scrape-check/' },
  { name: 'scrape-check --help', args: [bin, '--help'], expect: 'scrape-check' },
  {
    name: '--version from sources',
    args: ['--input-type=module', '-e', sources, '--', '--version'],
    expect: 'scrape-check/',
  },
];

function once(c: Case): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, c.args, { encoding: 'utf8', cwd: root });
  const ms = performance.now() - start;
  if (child.status !== 0 || !child.stdout.startsWith(c.expect)) {
    throw new Error(`${c.name} failed (${String(child.status)}): ${child.stderr}`);
  }
  return ms;
}

/** The value a `share` of the runs came in under (0.5: the median; 0: the fastest). */
function quantile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * share)]!;
}
const median = (values: number[]): number => quantile(values, 0.5);

const samples = new Map<Case, number[]>(cases.map((c) => [c, []]));
for (const c of cases) once(c); // warm the file cache: the first run of each reads from disk
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c)!.push(once(c));

await rm(root, { recursive: true, force: true });

const floor = median(samples.get(cases[0]!)!);
const fastest = quantile(samples.get(cases[0]!)!, 0);
const lines = [
  `start-up, whole process, Node ${process.versions.node}, ${runs} runs (median, and fastest: the floor a busy machine hides):`,
];
for (const c of cases) {
  const ms = median(samples.get(c)!);
  const min = quantile(samples.get(c)!, 0);
  const over = c === cases[0] ? '' : `  +${(ms - floor).toFixed(1)} ms`;
  const overMin = c === cases[0] ? '' : ` +${(min - fastest).toFixed(1)} ms`;
  lines.push(
    `  ${c.name.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms${over.padEnd(13)} fastest ${min.toFixed(1).padStart(6)} ms${overMin}`,
  );
}
const delta = median(samples.get(cases[1]!)!) - floor;
lines.push(
  `  --version - node -e 0: ${delta.toFixed(1)} ms  ${delta <= 20 ? 'ok' : 'OVER TARGET'} (target <= 20 ms)`,
);
process.stdout.write(`${lines.join('\n')}\n`);
