/**
 * The functions' packages, as `serverless package` ships them, and the cold start of the
 * `scheduled` function (module load, then its first invocation, in a fresh Node 24 process) beside
 * a minimal handler's, built with the same esbuild options, in the same run.
 *
 *   node bench/functions.bench.ts [--quick]
 *
 * Each function is built as serverless-esbuild builds it: serverless.yml's `custom.esbuild` options
 * and plugins, one build per function. With code splitting a package is an entry file and chunks;
 * per function the bench reports
 *   - entry: the entry file alone;
 *   - loads: the entry and the chunks it imports statically, which a cold start loads before the
 *     handler runs (the rest load on first `import()`, if ever);
 *   - package: every chunk in the function's zip (JavaScript, source maps apart), and the count;
 *   - zipped: the zip's size, computed as serverless-esbuild's zip makes it (archiver: deflate at
 *     zlib's best speed, a data descriptor per entry), source maps and package.json included.
 *
 * The scheduled function's cold start is measured twice: checking a plain-HTTP target, and an
 * HTTPS one without `ca_file`, verified against the system trust store as Go reads it (the
 * machine's own bundle with the bench's CA appended, through SSL_CERT_FILE; the machine's
 * certificate directories as they are). Beside wall time, each row gives the process's CPU time,
 * steadier than wall time on a shared machine.
 *
 * Targets: what a cold start loads under 1 MB per function; the scheduled function's cold start
 * within 100 ms of the minimal handler's. `--quick` (CI) takes 2 cold starts per bundle instead of 7.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { LAB_METRICS } from '#lib/lab/exposition.ts';
import { GO_CERT_FILES } from '#lib/trust/index.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 7;
const root = resolve(import.meta.dirname, '..');
const KB = 1024;
const MB = 1024 * 1024;

interface Serverless {
  provider: { environment?: Record<string, unknown> };
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, { handler: string }>;
}

const serverless = parse(await readFile(join(root, 'serverless.yml'), 'utf8')) as Serverless;
const fromYaml = serverless.custom.esbuild;
// serverless-esbuild's own keys, which it takes out before passing the rest to esbuild
// (serverless-esbuild `dist/bundle.js`); `plugins` is a path, loaded below.
const pluginOnlyKeys = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'plugins',
];
const options: BuildOptions = Object.fromEntries(
  Object.entries(fromYaml).filter(([key]) => !pluginOnlyKeys.includes(key)),
);
options.external = [
  ...((fromYaml.external as string[] | undefined) ?? []),
  ...(fromYaml.exclude as string[]),
];
const extension = (fromYaml.outputFileExtension as string | undefined) ?? '.js';
if (extension !== '.js') options.outExtension = { '.js': extension };
// serverless-esbuild takes `plugins` as a path to a module that exports them.
const pluginsUrl = pathToFileURL(join(root, fromYaml.plugins as string)).href;
const plugins = ((await import(pluginsUrl)) as { default: Plugin[] }).default;

const dir = await mkdtemp(join(tmpdir(), 'scrape-check-bench-'));
await writeFile(join(dir, 'minimal.ts'), 'export const handler = async () => ({ ok: true });\n');

interface Built {
  name: string;
  /** The entry file, which the harness imports. */
  path: string;
  entryBytes: number;
  /** The entry and the chunks it imports statically: what a cold start loads. */
  loadBytes: number;
  loadFiles: number;
  /** Every JavaScript file of the package. */
  packageBytes: number;
  packageFiles: number;
  zippedBytes: number;
  heaviest: string;
}

/** The packages (or lib/ folders) that weigh most in the given outputs. */
function heaviest(metafile: Metafile, outputs: Iterable<string>, count: number): string {
  const weights = new Map<string, number>();
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output]!.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const key = pkg ?? input.split('/').slice(0, 2).join('/');
      weights.set(key, (weights.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...weights]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, bytes]) => `${key} ${Math.round(bytes / KB)} KB`)
    .join(', ');
}

/** The output files an output imports statically, itself included, transitively. */
function staticClosure(metafile: Metafile, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]!.imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(start);
  return seen;
}

/**
 * The size of the zip serverless-esbuild writes for these files under `functions/` (archiver, whose
 * zip engine compress-commons deflates at zlib's best speed, level 1, unless told otherwise:
 * `zip-archive-output-stream.js`, `ZLIB_BEST_SPEED`): per entry a local header (30 bytes and the
 * name), the deflated data, a data descriptor (16) and a central directory record (46 and the
 * name), then the end record (22). This matched `serverless package`'s zips to the byte.
 */
async function zippedSize(outdir: string, files: string[]): Promise<number> {
  let bytes = 22;
  for (const file of files) {
    const name = Buffer.byteLength(`functions/${file}`);
    const content = await readFile(join(outdir, file));
    const compressed = content.length === 0 ? 0 : deflateRawSync(content, { level: 1 }).length;
    bytes += 30 + name + compressed + 16 + 46 + name;
  }
  return bytes;
}

async function pack(name: string, entry: string): Promise<Built> {
  // serverless-esbuild's layout: the entry's folder under the build folder (functions/).
  const outdir = join(dir, name, 'functions');
  const result = await build({
    ...options,
    plugins,
    absWorkingDir: root,
    entryPoints: [entry],
    outdir,
    metafile: true,
    logLevel: 'error',
  });
  const { metafile } = result;
  const js = Object.keys(metafile.outputs).filter((output) => output.endsWith(extension));
  // Output paths are relative to absWorkingDir. Dynamic import() targets are entry points too.
  const entryPath = join(outdir, `${name}${extension}`);
  const entryOutput = js.find((output) => resolve(root, output) === entryPath)!;
  const loaded = staticClosure(metafile, entryOutput);
  const bytes = (outputs: Iterable<string>): number =>
    [...outputs].reduce((sum, output) => sum + metafile.outputs[output]!.bytes, 0);
  // serverless-esbuild puts in a function's zip only the files named after its bundle (and
  // package.json); a chunk named otherwise would go into every function's zip.
  const files = await readdir(outdir);
  const strays = files.filter((file) => !file.startsWith(`${name}.`) && file !== 'package.json');
  if (strays.length > 0) {
    throw new Error(`${name}: files not named after the function: ${strays.join(', ')}`);
  }
  return {
    name,
    path: entryPath,
    entryBytes: (await stat(entryPath)).size,
    loadBytes: bytes(loaded),
    loadFiles: loaded.size,
    packageBytes: bytes(js),
    packageFiles: js.length,
    zippedBytes: await zippedSize(outdir, files),
    heaviest: heaviest(metafile, loaded, 6),
  };
}

const packages: Built[] = [];
for (const [name, fn] of Object.entries(serverless.functions)) {
  const entry = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
  packages.push(await pack(name, entry));
}
const minimal = await pack('minimal', join(dir, 'minimal.ts'));

// Loopback targets for the scheduled function's first run, and a config that checks each.
const serve: Parameters<typeof createServer>[1] = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(LAB_METRICS);
};
const ca = await makeCa({ commonName: 'scrape-check bench CA' });
const leaf = await makeLeaf(ca, { commonName: 'bench', ips: ['127.0.0.1'] });
const targets = {
  http: createServer(serve),
  https: createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, serve),
};
const configPaths: Record<string, string> = {};
for (const [scheme, server] of Object.entries(targets)) {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  configPaths[scheme] = join(dir, `${scheme}.yaml`);
  await writeFile(
    configPaths[scheme],
    `scrape_configs:\n  - job_name: bench\n    scheme: ${scheme}\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n`,
  );
}
// The system trust store Go would read, with the bench's CA installed in its bundle.
let systemBundle = '';
for (const file of GO_CERT_FILES) {
  systemBundle = await readFile(file, 'latin1').catch(() => '');
  if (systemBundle !== '') break;
}
const bundlePath = join(dir, 'ca-bundle.crt');
await writeFile(bundlePath, `${systemBundle}\n${ca.certPem}`);

// The first invocation must be a real check that passed, or the bench measures an error path.
const harness = join(dir, 'harness.mjs');
await writeFile(
  harness,
  `const start = performance.now();
const mod = await import(process.argv[2]);
const loaded = performance.now();
const out = await mod.handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, {});
const invoked = performance.now();
if (process.argv[3] === 'one-check' && (out.ok !== 1 || out.failed !== 0))
  throw new Error('the check did not pass: ' + JSON.stringify(out));
const cpu = process.cpuUsage();
process.stderr.write('BENCH ' + JSON.stringify({ boot: start, load: loaded - start, invoke: invoked - loaded, total: invoked, cpu: (cpu.user + cpu.system) / 1000 }) + '\\n');
`,
);

interface ColdStart {
  boot: number;
  load: number;
  invoke: number;
  total: number;
  /** The whole process's CPU time, user and system, when the first invocation returned. */
  cpu: number;
}

// Lambda runs the functions with the provider's NODE_OPTIONS (--enable-source-maps): so does the
// harness, for the minimal handler too.
const nodeOptions = serverless.provider.environment?.NODE_OPTIONS;
const env = (scheme: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-1',
  SCRAPE_CHECK_CONFIG: configPaths[scheme],
  SSL_CERT_FILE: bundlePath,
  ...(typeof nodeOptions === 'string' ? { NODE_OPTIONS: nodeOptions } : {}),
});

function coldStart(bundlePath: string, expect: string, scheme: string): Promise<ColdStart> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [harness, bundlePath, expect], {
      env: env(scheme),
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

function medians(samples: ColdStart[]): ColdStart {
  return {
    boot: median(samples.map((s) => s.boot)),
    load: median(samples.map((s) => s.load)),
    invoke: median(samples.map((s) => s.invoke)),
    total: median(samples.map((s) => s.total)),
    cpu: median(samples.map((s) => s.cpu)),
  };
}

const scheduledPath = packages.find((p) => p.name === 'scheduled')!.path;
const rows = [
  { name: 'minimal', path: minimal.path, expect: 'any', scheme: 'http' },
  { name: 'scheduled, http target', path: scheduledPath, expect: 'one-check', scheme: 'http' },
  { name: 'scheduled, https target', path: scheduledPath, expect: 'one-check', scheme: 'https' },
] as const;
// Interleaved, so that a busy machine slows every row alike.
const samples = rows.map(() => [] as ColdStart[]);
for (let i = 0; i < runs; i++) {
  for (const [j, row] of rows.entries()) {
    samples[j]!.push(await coldStart(row.path, row.expect, row.scheme));
  }
}
const [base, ...scheduled] = samples.map(medians) as [ColdStart, ColdStart, ColdStart];
for (const server of Object.values(targets)) server.close();
// KEEP_BENCH=1 keeps the bundles, to profile a cold start by hand (node --cpu-prof).
if (!process.env.KEEP_BENCH) await rm(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);

const mb = (bytes: number): string =>
  bytes < 100 * KB ? `${(bytes / KB).toFixed(1)} KB` : `${(bytes / MB).toFixed(2)} MB`;
const lines = [
  'function packages (minified ESM; "loads" = the entry and its static chunks, target < 1 MB):',
  `  ${'function'.padEnd(10)} ${'entry'.padStart(8)} ${'loads'.padStart(8)}         ${'package'.padStart(8)} ${'files'.padStart(5)} ${'zipped'.padStart(8)}`,
];
for (const p of [...packages, minimal]) {
  const verdict = p.loadBytes < MB ? 'ok  ' : 'OVER';
  lines.push(
    `  ${p.name.padEnd(10)} ${mb(p.entryBytes).padStart(8)} ${mb(p.loadBytes).padStart(8)} ${String(p.loadFiles).padStart(2)} ${verdict}  ${mb(p.packageBytes).padStart(8)} ${String(p.packageFiles).padStart(5)} ${mb(p.zippedBytes).padStart(8)}`,
  );
}
lines.push('what a cold start loads, heaviest first:');
for (const p of packages) lines.push(`  ${p.name.padEnd(10)} ${p.heaviest}`);
const fmt = (c: ColdStart): string =>
  `load ${c.load.toFixed(1).padStart(6)} ms, first invocation ${c.invoke.toFixed(1).padStart(6)} ms, start to done ${c.total.toFixed(1).padStart(6)} ms, CPU ${c.cpu.toFixed(1).padStart(6)} ms`;
lines.push(
  `cold start, Node ${process.versions.node}${typeof nodeOptions === 'string' ? ` ${nodeOptions}` : ''}, median of ${runs}, interleaved:`,
);
for (const [j, row] of rows.entries()) {
  lines.push(`  ${row.name.padEnd(24)} ${fmt(j === 0 ? base : scheduled[j - 1]!)}`);
}
for (const [j, c] of scheduled.entries()) {
  const delta = c.load + c.invoke - (base.load + base.invoke);
  lines.push(
    `  ${rows[j + 1]!.name} - minimal (load + first invocation): ${delta.toFixed(1)} ms  ${delta <= 100 ? 'ok' : 'OVER TARGET'} (target <= 100 ms)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
