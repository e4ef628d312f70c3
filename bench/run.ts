/**
 * `npm run bench [-- --quick] [-- NAME]`: runs every bench/*.bench.ts in its own Node process, one
 * after another (the machine has two cores: benchmarks side by side would measure each other).
 * `--quick` runs them on small inputs, as CI does, so a benchmark that no longer runs fails the build.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}${quick ? ' (quick)' : ''}\n`);
  const child = spawnSync(process.execPath, [join(dir, file), ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit',
  });
  if (child.status !== 0) {
    failed++;
    process.stdout.write(`!! ${file} failed (exit ${String(child.status ?? child.signal)})\n`);
  }
}
process.stdout.write(`\n${files.length - failed} benchmarks ran, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
