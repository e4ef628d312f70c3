/**
 * Builds the command line into `dist/cli/` (git-ignored), so `scrape-check` starts from plain
 * JavaScript instead of stripping types from every module it loads (~0.1 s of each start).
 *
 *   node scripts/build-cli.ts          (npm's `prepare` runs it, so `npm ci` builds the CLI)
 *
 * One ESM entry (`dist/cli/main.js`, lib/cli/main.ts) and code-split chunks: each `import()` in the
 * sources becomes a chunk that loads when a command first needs it, so `--version` and `--help`
 * load a few kilobytes and `parse` never loads the scraper or the AWS SDK.
 *
 * The accept lane's core (lib/exposition/accept/core.as.ts, AssemblyScript) is compiled to
 * WebAssembly and embedded in the bundle; `parse` reads plain files through it first.
 *
 * Beside the build, `inputs.txt` records the modification time and size of every project file the
 * build read; bin/scrape-check.js runs the build only while they all still match, and the
 * TypeScript sources otherwise, so an edit in lib/ is never hidden behind an older build.
 *
 * Runs under the Node 24 that npm puts first on PATH (node_modules/.bin, from the `node` package),
 * whatever Node runs npm itself.
 */
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** Where to build from and to. */
export interface BuildCliOptions {
  /** The project's root (where package.json is). Default: this script's project. */
  root?: string;
  /** The output folder, replaced whole. Default: `<root>/dist/cli`. */
  outdir?: string;
}

/** What a build produced. */
export interface BuiltCli {
  /** The entry to import: exports `main(argv, env, io)`, as lib/cli/main.ts does. */
  entry: string;
  /** Project files the build read (node_modules apart), relative to the root. */
  inputs: string[];
  /** The output files' total size, in bytes. */
  bytes: number;
}

/** The name of the freshness record bin/scrape-check.js reads, beside `main.js`. */
export const INPUTS_FILE = 'inputs.txt';

/** The core of the accept lane (lib/exposition/accept/lane.ts), in AssemblyScript. */
const ACCEPT_CORE = 'lib/exposition/accept/core.as.ts';

/**
 * Files that change the build without being bundled: the settings esbuild reads (tsconfig.json),
 * this script, the lock file (a dependency upgraded by `npm install <pkg>`, which does not run
 * `prepare`, must not leave the old copy bundled and running), and the accept lane's core, which
 * is compiled on its own and embedded.
 */
const EXTRA_INPUTS = ['tsconfig.json', 'package-lock.json', 'scripts/build-cli.ts', ACCEPT_CORE];

/** What this script uses of AssemblyScript's compiler API (`assemblyscript/asc`). */
interface Asc {
  compileString(
    sources: Record<string, string>,
    options: Record<string, unknown>,
  ): Promise<{ error: Error | null; stderr: { toString(): string }; binary: Uint8Array | null }>;
}

/**
 * Its module, imported by a name TypeScript does not follow: the compiler's own typings declare
 * global `Array` and `String` members that would change the types of the whole project.
 */
const ASC_MODULE: string = 'assemblyscript/asc';

/**
 * Compiles the accept lane's core to WebAssembly (about 9 KB; 1 to 2 s): optimized for speed, with
 * AssemblyScript's stub runtime (its tables only grow, so it needs no garbage collector).
 */
export async function compileAcceptCore(
  root = join(import.meta.dirname, '..'),
): Promise<Uint8Array> {
  return compileAssemblyScript(await readFile(join(root, ACCEPT_CORE), 'utf8'), ACCEPT_CORE);
}

/** Compiles one AssemblyScript module as the accept lane's core is compiled; `name` for errors. */
export async function compileAssemblyScript(source: string, name: string): Promise<Uint8Array> {
  const asc = ((await import(ASC_MODULE)) as { default: Asc }).default;
  const { error, stderr, binary } = await asc.compileString(
    { 'core.ts': source },
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub' },
  );
  if (error !== null || binary === null) {
    throw new Error(`${name} does not compile: ${stderr.toString()}`);
  }
  return binary;
}

/**
 * Builds the CLI. The output folder is written beside the old one and swapped in with a rename,
 * so a `scrape-check` started meanwhile sees the old build, no build (and runs the sources), or
 * the new one, never half of one.
 *
 * @example
 * const { entry } = await buildCli({ outdir: '/tmp/cli' });
 * const { main } = await import(entry);
 */
export async function buildCli(options: BuildCliOptions = {}): Promise<BuiltCli> {
  const root = resolve(options.root ?? join(import.meta.dirname, '..'));
  const outdir = resolve(options.outdir ?? join(root, 'dist', 'cli'));
  const staging = `${outdir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const started = Date.now();
  const core = await compileAcceptCore(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: join(root, 'lib/cli/main.ts') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // ES modules first, as the functions' bundles take them (serverless.yml): the AWS SDK's
    // CommonJS builds, imported with `import()`, lose their named exports in a bundle
    // (`STSClient is not a constructor`).
    mainFields: ['module', 'main'],
    chunkNames: 'chunks/[name]-[hash]',
    // Not minified: a crash (exit 70) prints a stack whose names and lines a reader can follow.
    keepNames: true,
    // Kubeconfig clusters need @kubernetes/client-node (16 MB bundled, and 2 s more per build):
    // it loads from node_modules when a kubeconfig cluster is checked, as it would unbundled.
    external: ['@kubernetes/client-node'],
    banner: {
      // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
      js: "import { createRequire as __scrapeCheckCreateRequire } from 'node:module'; const require = __scrapeCheckCreateRequire(import.meta.url);",
    },
    // The accept lane's core travels inside the build, as base64 (lane.ts decodes it).
    define: { SCRAPE_CHECK_ACCEPT_CORE: JSON.stringify(Buffer.from(core).toString('base64')) },
    metafile: true,
    logLevel: 'error',
  });
  const inputs = [
    ...new Set([
      ...Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/')),
      ...EXTRA_INPUTS,
    ]),
  ].sort();
  // One line per file, `<mtimeMs> <size> <path>`, the path relative to the output folder (so a
  // checkout can move without making its build stale): read by bin/scrape-check.js with plain
  // string operations, on every start. A file written while esbuild read it may be bundled in its
  // older state: recorded as matching nothing, so the build is stale from the start.
  let record = '';
  for (const input of inputs) {
    const stats = await stat(join(root, input)).catch(() => null);
    if (stats === null) continue;
    const [mtimeMs, size] = stats.mtimeMs >= started ? [-1, -1] : [stats.mtimeMs, stats.size];
    record += `${String(mtimeMs)} ${String(size)} ${relative(outdir, join(root, input))}\n`;
  }
  await writeFile(join(staging, INPUTS_FILE), record);
  const old = `${outdir}.old-${process.pid}`;
  await rename(outdir, old).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
  await rename(staging, outdir);
  await rm(old, { recursive: true, force: true });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { entry: join(outdir, 'main.js'), inputs, bytes };
}

if (import.meta.main) {
  const started = performance.now();
  const { entry, bytes } = await buildCli();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `scrape-check: built ${relative(process.cwd(), entry)} (${(bytes / 1024 / 1024).toFixed(1)} MB, ${ms} ms)\n`,
  );
}

/**
 * A copy of what the build reads (lib, bin, scripts, the package files), with the checkout's
 * node_modules linked in, in a new temporary folder: for a test or benchmark that builds and runs
 * the CLI without touching the checkout's own dist/.
 */
export async function copyForBuild(checkout: string, prefix: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  for (const path of [
    'lib',
    'bin',
    'scripts',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
  ])
    await cp(join(checkout, path), join(root, path), { recursive: true });
  await symlink(join(checkout, 'node_modules'), join(root, 'node_modules'));
  return root;
}
