/**
 * The glob file_sd expands `files` with, against Go's own table: golang/go
 * `src/path/filepath/match_test.go` `matchTests` (Unix), every case; then Glob on a real directory.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BAD_PATTERN, goGlob, goMatch } from '#lib/discovery/go-glob.ts';

const BAD = 'bad';
// [pattern, name, match, error]
const MATCH_TESTS: [string, string, boolean, string | null][] = [
  ['abc', 'abc', true, null],
  ['*', 'abc', true, null],
  ['*c', 'abc', true, null],
  ['a*', 'a', true, null],
  ['a*', 'abc', true, null],
  ['a*', 'ab/c', false, null],
  ['a*/b', 'abc/b', true, null],
  ['a*/b', 'a/c/b', false, null],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true, null],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true, null],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false, null],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false, null],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true, null],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false, null],
  ['ab[c]', 'abc', true, null],
  ['ab[b-d]', 'abc', true, null],
  ['ab[e-g]', 'abc', false, null],
  ['ab[^c]', 'abc', false, null],
  ['ab[^b-d]', 'abc', false, null],
  ['ab[^e-g]', 'abc', true, null],
  ['a\\*b', 'a*b', true, null],
  ['a\\*b', 'ab', false, null],
  ['a?b', 'a☺b', true, null],
  ['a[^a]b', 'a☺b', true, null],
  ['a???b', 'a☺b', false, null],
  ['a[^a][^a][^a]b', 'a☺b', false, null],
  ['[a-ζ]*', 'α', true, null],
  ['*[a-ζ]', 'A', false, null],
  ['a?b', 'a/b', false, null],
  ['a*b', 'a/b', false, null],
  ['[\\]a]', ']', true, null],
  ['[\\-]', '-', true, null],
  ['[x\\-]', 'x', true, null],
  ['[x\\-]', '-', true, null],
  ['[x\\-]', 'z', false, null],
  ['[\\-x]', 'x', true, null],
  ['[\\-x]', '-', true, null],
  ['[\\-x]', 'a', false, null],
  ['[]a]', ']', false, BAD],
  ['[-]', '-', false, BAD],
  ['[x-]', 'x', false, BAD],
  ['[x-]', '-', false, BAD],
  ['[x-]', 'z', false, BAD],
  ['[-x]', 'x', false, BAD],
  ['[-x]', '-', false, BAD],
  ['[-x]', 'a', false, BAD],
  ['\\', 'a', false, BAD],
  ['[a-b-c]', 'a', false, BAD],
  ['[', 'a', false, BAD],
  ['[^', 'a', false, BAD],
  ['[^bc', 'a', false, BAD],
  ['a[', 'a', false, BAD],
  ['a[', 'ab', false, BAD],
  ['a[', 'x', false, BAD],
  ['a/b[', 'x', false, BAD],
  ['*x', 'xxx', true, null],
];

describe("filepath.Match (expectations from Go's path/filepath/match_test.go)", () => {
  for (const [pattern, name, match, err] of MATCH_TESTS) {
    test(`Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)})`, () => {
      if (err === null) assert.equal(goMatch(pattern, name), match);
      else assert.throws(() => goMatch(pattern, name), { message: BAD_PATTERN });
    });
  }
});

describe('filepath.Glob on a directory', () => {
  test('wildcards in any component; results sorted and cleaned; no wildcard: as given if it exists', async () => {
    const root = await mkdtemp(join(tmpdir(), 'scrape-check-glob-'));
    try {
      for (const d of ['d1', 'd2', 'x']) await mkdir(join(root, d));
      for (const f of ['d1/b.json', 'd1/a.json', 'd2/c.json', 'x/c.json', 'd1/.h.json']) {
        await writeFile(join(root, f), '[]');
      }
      await symlink(join(root, 'gone'), join(root, 'd2/broken.json'));
      assert.deepEqual(
        (await goGlob(`${root}/d?/*.json`)).map((p) => p.slice(root.length)),
        ['/d1/.h.json', '/d1/a.json', '/d1/b.json', '/d2/broken.json', '/d2/c.json'],
      );
      assert.deepEqual(await goGlob(`${root}//d1/./a.json`), [`${root}//d1/./a.json`]);
      assert.deepEqual(await goGlob(`${root}//d1/./[a].json`), [`${root}/d1/a.json`]);
      assert.deepEqual(await goGlob(`${root}/nothing/*.json`), []);
      assert.deepEqual(await goGlob(`${root}/d2/broken.json`), [`${root}/d2/broken.json`]);
      await assert.rejects(goGlob(`${root}/d1/[.json`), { message: BAD_PATTERN });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
