#!/usr/bin/env node
// The entry point: refuses an old Node with a clear message, then hands over to the command line,
// built (dist/cli, by `npm ci` or `node scripts/build-cli.ts`) when the build is fresh, from the
// TypeScript sources otherwise.
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `scrape-check needs Node 24 or later (this is ${process.version}); ` +
      'run it through npm (npx scrape-check, npm start), which uses the Node the project installs.\n',
  );
  process.exit(2);
}

// V8's compiled code, kept on disk (in the system's temporary folder) and reused by the next run:
// a command that loads the scraper (~2 MB of code) starts some 30% sooner from its second run.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; a cache that cannot be written is silently skipped.
// (The default import: a named one would fail to link under an old Node, before the check above.)
module.enableCompileCache();

const built = new URL('../dist/cli/', import.meta.url);

/**
 * Whether the build still matches the sources: every project file it was built from has the
 * modification time and size the build recorded (inputs.txt, written by scripts/build-cli.ts),
 * 2 to 3 ms for some 240 files. When one differs (lib/ edited since the build, a dependency
 * upgraded, a branch switched) or the build is missing, the sources run instead: the code the
 * build would hold, at the sources' start-up cost (~0.1 s more), with no message, since nothing is
 * wrong. Rebuilding here instead would write into the checkout from every run, racing the runs
 * beside it, and take longer than running the sources once.
 */
function buildIsFresh() {
  // node:fs through getBuiltinModule: an ESM import of it builds its whole namespace, which loads
  // fs.promises and the fs streams (some 5 ms of every start) for two functions.
  const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
  // Plain paths (`dist/cli/../../lib/…`, resolved by the system), not URLs: a URL per file costs
  // more than the stat itself.
  const dir = fileURLToPath(built);
  let record;
  try {
    record = readFileSync(`${dir}inputs.txt`, 'utf8');
  } catch {
    return false;
  }
  for (const line of record.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    const next = line.indexOf(' ', space + 1);
    const stats = statSync(dir + line.slice(next + 1), { throwIfNoEntry: false });
    if (
      stats?.mtimeMs !== Number(line.slice(0, space)) ||
      stats.size !== Number(line.slice(space + 1, next))
    ) {
      return false;
    }
  }
  return true;
}

// Typed as the sources' module: the build's entry exports the same `main` (test/cli/build.test.ts).
let load = () => import('../lib/cli/main.ts');
if (buildIsFresh()) load = () => import(new URL('main.js', built).href);
const { main } = await load();
try {
  process.exitCode = await main(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    // Only `parse` reads stdin: opening it costs a start some milliseconds.
    get stdin() {
      return process.stdin;
    },
  });
} catch (error) {
  // A crash is scrape-check's bug, not a failed check (1) nor bad usage (2): say so, exit 70
  // (EX_SOFTWARE), so scripts and alarms can tell the three apart.
  process.stderr.write(
    `scrape-check: internal error (a bug in scrape-check; please report it with this message):\n${
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    }\n`,
  );
  process.exitCode = 70;
}
