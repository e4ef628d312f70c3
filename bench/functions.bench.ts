/**
 * The functions' bundles: size per function, and the cold start of the `scheduled` bundle (module
 * load, then its first invocation, in a fresh Node 24 process) beside a minimal handler's, built
 * with the same esbuild options, in the same run.
 *
 *   node bench/functions.bench.ts [--quick]
 *
 * Targets: each bundle under 1 MB; the scheduled bundle's cold start within 100 ms of the minimal
 * handler's. The options come from serverless.yml's `custom.esbuild`, so the bench measures what
 * `serverless package` ships. `--quick` (CI) takes 2 cold starts per bundle instead of 7.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { parse } from 'yaml';
import { LAB_METRICS } from '#lib/lab/exposition.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 7;
const root = resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;

interface Serverless {
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, { handler: string }>;
}

const serverless = parse(await readFile(join(root, 'serverless.yml'), 'utf8')) as Serverless;
const fromYaml = serverless.custom.esbuild;
// The keys esbuild itself takes; the rest are serverless-esbuild's own.
const esbuildKeys = [
  'bundle',
  'minify',
  'sourcemap',
  'sourcesContent',
  'keepNames',
  'target',
  'platform',
  'format',
  'mainFields',
  'banner',
];
const options: BuildOptions = Object.fromEntries(
  Object.entries(fromYaml).filter(([key]) => esbuildKeys.includes(key)),
);
options.external = fromYaml.exclude as string[];

const dir = await mkdtemp(join(tmpdir(), 'scrape-check-bench-'));
await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
await writeFile(join(dir, 'minimal.ts'), 'export const handler = async () => ({ ok: true });\n');

/** The packages (or lib/ folders) that weigh most in a bundle. */
function heaviest(metafile: Metafile, count: number): string {
  const weights = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const key = pkg ?? input.split('/').slice(0, 2).join('/');
      weights.set(key, (weights.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...weights]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, bytes]) => `${key} ${Math.round(bytes / 1024)} KB`)
    .join(', ');
}

async function bundle(
  name: string,
  entry: string,
): Promise<{ path: string; bytes: number; heaviest: string }> {
  const outfile = join(dir, `${name}.js`);
  const result = await build({
    ...options,
    entryPoints: [entry],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return {
    path: outfile,
    bytes: (await stat(outfile)).size,
    heaviest: heaviest(result.metafile, 6),
  };
}

const sizes: { name: string; bytes: number; heaviest: string }[] = [];
const paths = new Map<string, string>();
for (const [name, fn] of Object.entries(serverless.functions)) {
  const entry = join(root, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
  const built = await bundle(name, entry);
  sizes.push({ name, bytes: built.bytes, heaviest: built.heaviest });
  paths.set(name, built.path);
}
const minimal = await bundle('minimal', join(dir, 'minimal.ts'));

// A loopback target for the scheduled function's first run, and a config that checks it.
const target = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(LAB_METRICS);
});
await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
const port = (target.address() as AddressInfo).port;
const configPath = join(dir, 'scrape-check.yaml');
await writeFile(
  configPath,
  `scrape_configs:\n  - job_name: bench\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n`,
);

const harness = join(dir, 'harness.mjs');
await writeFile(
  harness,
  `const start = performance.now();
const mod = await import(process.argv[2]);
const loaded = performance.now();
await mod.handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, {});
const invoked = performance.now();
process.stderr.write('BENCH ' + JSON.stringify({ boot: start, load: loaded - start, invoke: invoked - loaded, total: invoked }) + '\\n');
`,
);

interface ColdStart {
  boot: number;
  load: number;
  invoke: number;
  total: number;
}

function coldStart(bundlePath: string): Promise<ColdStart> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [harness, bundlePath], {
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', SCRAPE_CHECK_CONFIG: configPath },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line)
        fail(new Error(`cold start of ${bundlePath} failed (${String(code)}): ${stderr}`));
      else ok(JSON.parse(line.slice(6)) as ColdStart);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(bundlePath: string): Promise<ColdStart> {
  const samples: ColdStart[] = [];
  for (let i = 0; i < runs; i++) samples.push(await coldStart(bundlePath));
  return {
    boot: median(samples.map((s) => s.boot)),
    load: median(samples.map((s) => s.load)),
    invoke: median(samples.map((s) => s.invoke)),
    total: median(samples.map((s) => s.total)),
  };
}

const base = await measure(minimal.path);
const scheduled = await measure(paths.get('scheduled')!);
target.close();
await rm(dir, { recursive: true, force: true });

const lines = ['bundle sizes (minified ESM, source map apart; target < 1 MB):'];
for (const { name, bytes, heaviest: top } of sizes) {
  lines.push(
    `  ${name.padEnd(10)} ${(bytes / MB).toFixed(2).padStart(5)} MB  ${bytes < MB ? 'ok' : 'OVER TARGET'}  (${top})`,
  );
}
lines.push(`  ${'minimal'.padEnd(10)} ${(minimal.bytes / 1024).toFixed(1).padStart(5)} KB`);
const fmt = (c: ColdStart): string =>
  `load ${c.load.toFixed(1)} ms, first invocation ${c.invoke.toFixed(1)} ms, process start to done ${c.total.toFixed(1)} ms`;
const delta = scheduled.load + scheduled.invoke - (base.load + base.invoke);
lines.push(
  `cold start, Node ${process.versions.node}, median of ${runs}:`,
  `  minimal    ${fmt(base)}`,
  `  scheduled  ${fmt(scheduled)}`,
  `  scheduled - minimal (load + first invocation): ${delta.toFixed(1)} ms  ${delta <= 100 ? 'ok' : 'OVER TARGET'} (target <= 100 ms)`,
);
process.stdout.write(`${lines.join('\n')}\n`);
