/**
 * `npm ci`, the README's first command, prints no warning whatever Node runs npm: npm checks every
 * package's `engines` against the Node that runs npm itself (npm-install-checks, in arborist's
 * `buildIdealTree`), not the Node 24 the project brings, so an older system Node used to draw
 * `EBADENGINE` lines. The Nodes npm may run on here are the ones `devEngines.runtime` names; every
 * package in the lockfile must accept all of them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devEngines: { runtime: { name: string; version: string } };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean }>;
};
const runtime = manifest.devEngines.runtime;

test('every package in the lockfile accepts every Node devEngines lets npm run on', () => {
  assert.equal(runtime.name, 'node');
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (path === '' || entry.optional === true || range === undefined) continue;
    if (!semver.subset(runtime.version, range, { includePrerelease: false })) {
      refused.push(`${path.replace(/^.*node_modules\//, '')} wants node ${range}`);
    }
  }
  assert.deepEqual(refused, [], `devEngines.runtime.version is ${runtime.version}`);
});

/** PATH without this project's node_modules/.bin, where the project's own Node 24 is. */
function systemPath(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
}

/** The version of the Node that `npm` on `path` runs on, or null when there is no npm there. */
function npmNode(path: string): string | null {
  const r = spawnSync('npm', ['version', '--json'], {
    encoding: 'utf8',
    env: { PATH: path, HOME: process.env.HOME },
    cwd: tmpdir(),
  });
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout) as { node: string }).node;
}

const nodes: [string, string][] = [
  ['the machine', systemPath()],
  ['the project (node_modules/.bin)', process.env.PATH ?? ''],
];

for (const [whose, path] of nodes) {
  test(`npm ci (dry run) prints no warning under ${whose}'s Node`, (t) => {
    const version = npmNode(path);
    if (version === null) {
      const why = `no npm on ${whose}'s PATH`;
      if (process.env.CI === 'true') throw new Error(`CI=true and ${why}`);
      t.skip(why);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'scrape-check-npm-'));
    try {
      for (const f of ['package.json', 'package-lock.json'])
        copyFileSync(join(root, f), join(dir, f));
      const r = spawnSync(
        'npm',
        ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'],
        { cwd: dir, encoding: 'utf8', env: { PATH: path, HOME: process.env.HOME } },
      );
      const out = `${r.stdout}${r.stderr}`;
      assert.equal(r.status, 0, `npm ci under Node ${version}:\n${out}`);
      assert.doesNotMatch(out, /npm warn|EBADENGINE/i, `npm ci under Node ${version}`);
      assert.ok(existsSync(join(dir, 'package-lock.json')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
