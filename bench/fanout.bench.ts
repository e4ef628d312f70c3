/**
 * Fan-out inside one run: 1,000 loopback targets that each answer after 50 ms, checked at
 * concurrency 100 through the real runner. The ideal is 1,000 / 100 × 50 ms = 0.5 s; the bench
 * prints the wall time against it and the memory the run took.
 *
 *   node bench/fanout.bench.ts [--quick]
 *
 * `--quick` (CI) checks 200 targets at concurrency 20 (the same 0.5 s ideal).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseConfig } from '#lib/config/index.ts';
import { runChecks } from '#lib/runner/index.ts';

const quick = process.argv.includes('--quick');
const targets = quick ? 200 : 1000;
const concurrency = quick ? 20 : 100;
const delayMs = 50;
const idealMs = (targets / concurrency) * delayMs;

// The targets answer from another process: what is measured is scrape-check's own work.
const child = spawn(
  process.execPath,
  [new URL('fanout-targets.ts', import.meta.url).pathname, String(targets), String(delayMs)],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const [firstLine] = (await once(child.stdout, 'data')) as [Buffer];
const ports = JSON.parse(firstLine.toString()) as number[];
const list = ports.map((port) => `"127.0.0.1:${port}"`).join(', ');
const parsed = await parseConfig(
  `global: { scrape_timeout: 10s }\nscrape_configs:\n  - job_name: fanout\n    static_configs: [{ targets: [${list}] }]\n`,
  'fanout.bench',
);
if (!parsed.ok) throw new Error(parsed.message);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 5);
// A warm process, as in a Lambda invocation after the first: module loading and JIT warm-up are
// the cold-start bench's subject (bench/functions.bench.ts), not this one's.
const warmup = await parseConfig(
  `scrape_configs:\n  - job_name: warmup\n    static_configs: [{ targets: [${list.split(', ').slice(0, 50).join(', ')}] }]\n`,
  'fanout-warmup.bench',
);
if (warmup.ok) await runChecks(warmup.config, { concurrency });
global.gc?.();
const rssBefore = process.memoryUsage.rss();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const report = await runChecks(parsed.config, { concurrency });
const wallMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const heapAfter = process.memoryUsage().heapUsed;
child.stdin.end();

const MB = 1024 * 1024;
const lines = [
  `fan-out: ${targets} loopback targets (another process) answering after ${delayMs} ms, concurrency ${concurrency}`,
  `  verdicts     ${report.summary.ok} ok, ${report.summary.failed} failed`,
  `  wall time    ${(wallMs / 1000).toFixed(2)} s (ideal ${(idealMs / 1000).toFixed(2)} s, ${(wallMs / idealMs).toFixed(2)}x)`,
  `  memory       rss ${(rssBefore / MB).toFixed(0)} MB before, ${(peakRss / MB).toFixed(0)} MB peak (+${((peakRss - rssBefore) / MB).toFixed(0)} MB); heap +${((heapAfter - heapBefore) / MB).toFixed(1)} MB after`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (report.summary.failed > 0) {
  const first = report.results.find((r) => !r.ok);
  process.stderr.write(
    `unexpected failures, e.g. ${first?.reason ?? ''}: ${first?.diagnosis ?? ''}\n`,
  );
  process.exitCode = 1;
}
