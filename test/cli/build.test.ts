/**
 * The built command line (scripts/build-cli.ts, run by `npm ci`) is the sources, compiled: the same
 * output and exit code for the same commands; and bin/scrape-check.js runs the build only while it
 * is fresh, the sources once a file the build was made from has changed.
 *
 * Everything happens in a snapshot of the project (lib/, bin/, the build's inputs; node_modules
 * linked) in a temporary folder, so the test can edit sources and never touches the checkout's
 * dist/ that other runs use.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckResult } from '#lib/result/types.ts';
import { buildCli, copyForBuild } from '../../scripts/build-cli.ts';
import { METRICS, startHttp, TEXT } from '../helpers/servers.ts';

const checkout = resolve(import.meta.dirname, '../..');
let root: string;

interface Outcome {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: string[], env: Record<string, string> = {}): Outcome {
  const child = spawnSync(process.execPath, [join(root, 'bin/scrape-check.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: child.status, out: child.stdout, err: child.stderr };
}

/** As {@link cli}, without blocking the event loop (for a server in this process). */
function cliAsync(args: string[]): Promise<Outcome> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(root, 'bin/scrape-check.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      ok({ code, out, err });
    });
  });
}

// A marker the test adds to the build's entry: seen on stderr only when the build ran.
const MARKER = 'ran-the-build';

describe('the built CLI', () => {
  before(async () => {
    root = await copyForBuild(checkout, 'scrape-check-build-');
    await writeFile(
      join(root, 'metrics.txt'),
      '# HELP up Whether up.\n# TYPE up gauge\nup{job="a"} 1\nup{job="b"} 0\n',
    );
    await writeFile(join(root, 'broken.txt'), 'up{job="a" 1\n');
    // Valid, with a lint warning: the accept lane gives it back to the parser.
    await writeFile(join(root, 'warned.txt'), 'up{job="a"} 1\nup{job="a"} 2\n');
    // Targets are listed, never scraped: the addresses are not contacted.
    await writeFile(
      join(root, 'scrape-check.yaml'),
      'scrape_configs:\n  - job_name: node\n    static_configs: [{ targets: ["127.0.0.1:9100", "127.0.0.2:9100"], labels: { env: lab } }]\n    relabel_configs:\n      - { source_labels: [env], target_label: environment }\n',
    );
    await buildCli({ root });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('prints what the sources print, with the same exit codes', async () => {
    const commands = [
      ['--version'],
      ['--help'],
      ['parse', 'metrics.txt', '--json'],
      ['parse', 'metrics.txt'],
      ['parse', 'warned.txt'],
      ['parse', 'broken.txt'],
      ['targets', '--config', 'scrape-check.yaml'],
      ['targets', '--config', 'scrape-check.yaml', '--json'],
      ['no-such-command'],
    ];
    const built = commands.map((args) => cli(args));
    // Without a build, bin/scrape-check.js runs the sources.
    await rename(join(root, 'dist'), join(root, 'dist.off'));
    const sources = commands.map((args) => cli(args));
    await rename(join(root, 'dist.off'), join(root, 'dist'));
    for (const [i, args] of commands.entries()) {
      assert.deepEqual(built[i], sources[i], `scrape-check ${args.join(' ')}`);
    }
    // Not vacuous: each exit code the commands above should give.
    assert.deepEqual(
      built.map((o) => o.code),
      [0, 0, 0, 0, 0, 1, 0, 0, 2],
    );
    assert.match(built[0]!.out, /^scrape-check\/\d+\.\d+\.\d+\n$/);
  });

  test('parses through the accept lane, which only the build holds', async () => {
    const why = { SCRAPE_CHECK_ACCEPT: 'why' };
    const accepted = cli(['parse', 'metrics.txt'], why);
    assert.equal(accepted.code, 0);
    assert.equal(accepted.err, 'scrape-check: accept lane: accepted: valid, no warnings\n');
    assert.equal(accepted.out, cli(['parse', 'metrics.txt'], { SCRAPE_CHECK_ACCEPT: 'off' }).out);
    const givenBack = cli(['parse', 'warned.txt'], why);
    assert.match(
      givenBack.err,
      /accept lane: gave the input back \(line 1: .*\); the parser reads it/,
    );
    assert.match(givenBack.out, /warnings: 2/);
    await rename(join(root, 'dist'), join(root, 'dist.off'));
    const sources = cli(['parse', 'metrics.txt'], why);
    await rename(join(root, 'dist.off'), join(root, 'dist'));
    assert.match(sources.err, /accept lane: not in this build/);
    assert.equal(sources.out, accepted.out);
  });

  test('reads a pipe named as FILE (parse <(curl …)) once, in order, without the lane', async () => {
    const fifo = join(root, 'metrics.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const parsed = cliAsync(['parse', '--format', 'prometheus', fifo]);
    // A duplicate series: a lane would give it back and read the pipe again, finding it empty.
    createWriteStream(fifo).end('up{job="a"} 1\nup{job="a"} 2\n');
    const { code, out, err } = await parsed;
    assert.equal(code, 0, err);
    assert.match(out, /series: +2\n.*\n {2}warnings: 2/s);
  });

  test('scrapes with the bundled HTTP client as the sources do', async () => {
    const server = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(METRICS);
    });
    try {
      await writeFile(
        join(root, 'run.yaml'),
        `scrape_configs:\n  - job_name: node\n    static_configs: [{ targets: ["${server.address}"] }]\n`,
      );
      const verdicts = async (): Promise<unknown> => {
        const { code, out, err } = await cliAsync(['run', '--config', 'run.yaml', '--json']);
        assert.equal(code, 0, err);
        const doc = JSON.parse(out) as { results: CheckResult[] };
        // Everything but the timings.
        return doc.results.map((result) => {
          const copy: Partial<CheckResult> = { ...result, limits: { ...result.limits } };
          delete copy.durationMs;
          delete copy.phases;
          delete (copy.limits as Partial<CheckResult['limits']>).durationMs;
          return copy;
        });
      };
      const built = await verdicts();
      await rename(join(root, 'dist'), join(root, 'dist.off'));
      const sources = await verdicts().finally(() =>
        rename(join(root, 'dist.off'), join(root, 'dist')),
      );
      assert.deepEqual(built, sources);
    } finally {
      await server.close();
    }
  });

  test("under an older Node (the machine's own, outside npm), says which Node it needs", (t) => {
    const system = spawnSync('node', ['--version'], {
      encoding: 'utf8',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    });
    const major = Number(/^v(\d+)/.exec(system.stdout)?.[1] ?? NaN);
    if (!(major < 24)) {
      t.skip('no Node older than 24 on /usr/bin');
      return;
    }
    const old = spawnSync('node', [join(root, 'bin/scrape-check.js'), '--version'], {
      encoding: 'utf8',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    });
    assert.equal(old.status, 2);
    assert.equal(old.stdout, '');
    assert.match(old.stderr, /^scrape-check needs Node 24 or later \(this is v\d+/);
  });

  test('runs the build while it is fresh, the sources once a source changed', async () => {
    await appendFile(join(root, 'dist/cli/main.js'), `\nprocess.stderr.write('${MARKER}\\n');\n`);
    const fresh = cli(['--version']);
    assert.equal(fresh.err, `${MARKER}\n`);
    assert.equal(fresh.code, 0);

    // A developer edits lib/ without rebuilding: the sources run, silently.
    await appendFile(join(root, 'lib/scrape/user-agent.ts'), '// edited\n');
    const stale = cli(['--version']);
    assert.deepEqual(stale, { code: 0, out: fresh.out, err: '' });

    // A dependency upgraded without `prepare` (npm install <pkg>) makes it stale too.
    await buildCli({ root });
    await appendFile(join(root, 'dist/cli/main.js'), `\nprocess.stderr.write('${MARKER}\\n');\n`);
    assert.equal(cli(['--version']).err, `${MARKER}\n`);
    await appendFile(join(root, 'package-lock.json'), '\n');
    assert.equal(cli(['--version']).err, '');
  });
});
