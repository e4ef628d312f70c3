/**
 * file_sd against Prometheus's expectations (`discovery/file/file_test.go` and its fixtures, the
 * same at v2.42.0 and HEAD), on real files in a temporary directory; then what a first refresh
 * does with broken files, and the config checks of `SDConfig.UnmarshalYAML`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  discoverFiles,
  validateFileSdConfig,
  type FileDiscoveryOutcome,
  type FileSdConfig,
} from '#lib/discovery/file.ts';
import type { TargetGroup } from '#lib/discovery/types.ts';

// discovery/file/fixtures, verbatim.
const FIXTURES = {
  'valid.json': `[
	{
		"targets": ["localhost:9090", "example.org:443"],
		"labels": {
			"foo": "bar"
		}
	},
	{
		"targets": ["my.domain"]
	}
]
`,
  'valid.yml': `- targets: ['localhost:9090', 'example.org:443']
  labels:
    foo: bar

- targets: ['my.domain']
`,
  'valid2.yml': `- targets: ['my.domain']
- targets: ['localhost:9090']
  labels:
    foo: bar
    fred: baz
- targets: ['example.org:443']
  labels:
    scheme: https
`,
  'valid3.yml': `# the YAML structure is identical to valid.yml but the raw data is different.
- targets: ["localhost:9090", "example.org:443"]
  labels:
    foo: bar

- targets: ["my.domain"]
`,
  'invalid_nil.json': `[
    {
        "targets": ["localhost:9090", "example.org:443"],
        "labels": {
            "foo": "bar"
        }
    },
    null
]
`,
  'invalid_nil.yml': `- targets: ['localhost:9090', 'example.org:443']
  labels:
    foo: bar

- null
`,
};

// file_test.go validTg / valid2Tg.
const validTg = (file: string): TargetGroup[] => [
  {
    source: `${file}:0`,
    targets: [{ __address__: 'localhost:9090' }, { __address__: 'example.org:443' }],
    labels: { foo: 'bar', __meta_filepath: file },
  },
  {
    source: `${file}:1`,
    targets: [{ __address__: 'my.domain' }],
    labels: { __meta_filepath: file },
  },
];
const valid2Tg = (file: string): TargetGroup[] => [
  {
    source: `${file}:0`,
    targets: [{ __address__: 'my.domain' }],
    labels: { __meta_filepath: file },
  },
  {
    source: `${file}:1`,
    targets: [{ __address__: 'localhost:9090' }],
    labels: { foo: 'bar', fred: 'baz', __meta_filepath: file },
  },
  {
    source: `${file}:2`,
    targets: [{ __address__: 'example.org:443' }],
    labels: { scheme: 'https', __meta_filepath: file },
  },
];

let root: string;
let n = 0;
/** A fresh directory holding `files`. */
async function dir(files: Record<string, string>): Promise<string> {
  const d = join(root, `case-${n++}`);
  await mkdir(d);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(d, name, '..'), { recursive: true });
    await writeFile(join(d, name), content);
  }
  return d;
}

const config = (...files: string[]): FileSdConfig => ({ files, refreshIntervalMs: 300_000 });

function groupsOf(outcome: FileDiscoveryOutcome): TargetGroup[] {
  if (!outcome.ok) assert.fail(outcome.failure.message);
  return outcome.groups;
}
function warningsOf(outcome: FileDiscoveryOutcome): string[] {
  if (!outcome.ok) assert.fail(outcome.failure.message);
  return outcome.warnings;
}
function failureOf(outcome: FileDiscoveryOutcome): string {
  if (outcome.ok) assert.fail(`expected a failure, got ${JSON.stringify(outcome.groups)}`);
  return outcome.failure.message;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'scrape-check-file-sd-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("file_sd (expectations from Prometheus's discovery/file/file_test.go at v2.42.0 and HEAD)", () => {
  for (const fixture of ['valid.yml', 'valid.json']) {
    test(`TestInitialUpdate: ${fixture}`, async () => {
      const d = await dir({ [fixture]: FIXTURES[fixture as keyof typeof FIXTURES] });
      const ext = fixture.slice(fixture.lastIndexOf('.'));
      const outcome = await discoverFiles(config(`*${ext}`), { baseDir: d, version: '2' });
      assert.deepEqual(groupsOf(outcome), validTg(join(d, fixture)));
      assert.deepEqual(warningsOf(outcome), []);
    });
  }

  for (const fixture of ['invalid_nil.yml', 'invalid_nil.json']) {
    test(`TestInvalidFile: ${fixture} gives nothing`, async () => {
      const d = await dir({ [fixture]: FIXTURES[fixture as keyof typeof FIXTURES] });
      const ext = fixture.slice(fixture.lastIndexOf('.'));
      const outcome = await discoverFiles(config(`*${ext}`), { baseDir: d, version: '3' });
      const where = fixture.endsWith('.json') ? '8:5' : '5:3';
      assert.equal(failureOf(outcome), `${join(d, fixture)}:${where}: nil target group item found`);
    });
  }

  test('TestNoopFileUpdate / TestFileUpdate: valid3.yml reads as valid.yml, valid2.yml as valid2Tg', async () => {
    const d = await dir({ 'a.yml': FIXTURES['valid3.yml'], 'b.yml': FIXTURES['valid2.yml'] });
    const outcome = await discoverFiles(config('*.yml'), { baseDir: d, version: '2' });
    assert.deepEqual(groupsOf(outcome), [
      ...validTg(join(d, 'a.yml')),
      ...valid2Tg(join(d, 'b.yml')),
    ]);
  });

  test('TestInvalidFileUpdate / TestUpdateFileWithPartialWrites: gibberish and a partial write are errors', async () => {
    const d = await dir({ 'g.yml': ']gibberish\n][', 'p.yml': '- targets' });
    const outcome = await discoverFiles(config('*.yml'), { baseDir: d, version: '2' });
    // Both fail, so the discovery as a whole does (no file could be read).
    assert.deepEqual(
      outcome.files.map((f) => f.file),
      [join(d, 'g.yml'), join(d, 'p.yml')],
    );
    assert.match(outcome.files[0]!.problem!.message, /^yaml: /);
    // yaml.v2: `- targets` is a string where a group belongs.
    assert.equal(
      outcome.files[1]!.problem!.message,
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `targets` into struct { Targets []string "yaml:\\"targets\\""; Labels model.LabelSet "yaml:\\"labels\\"" }',
    );
  });
});

describe('file_sd: what one refresh reads', () => {
  test('a broken file is a warning with file, line and column; the other files still give targets', async () => {
    const d = await dir({
      'good.json': '[{"targets": ["a:1"]}]',
      'bad.json': '[{"targets": ["b:1"],}]\n',
    });
    const outcome = await discoverFiles(config('*.json'), { baseDir: d, version: '2' });
    if (!outcome.ok) assert.fail(outcome.failure.message);
    assert.deepEqual(
      outcome.groups.map((g) => g.source),
      [`${join(d, 'good.json')}:0`],
    );
    assert.equal(outcome.warnings.length, 1);
    assert.match(
      outcome.warnings[0]!,
      new RegExp(
        `^${join(d, 'bad.json').replaceAll('.', '\\.')}:1:22: invalid character '}' looking for beginning of object key string \\(Prometheus skips`,
      ),
    );
    assert.deepEqual(outcome.files[0]!.problem, {
      file: join(d, 'bad.json'),
      line: 1,
      column: 22,
      message: "invalid character '}' looking for beginning of object key string",
    });
  });

  test('a pattern matching nothing: no targets, no error, a warning', async () => {
    const d = await dir({});
    const outcome = await discoverFiles(config('targets/*.json', 'missing.yml'), {
      baseDir: d,
      version: '3',
    });
    assert.deepEqual(groupsOf(outcome), []);
    assert.deepEqual(warningsOf(outcome), [
      `"${join(d, 'targets/*.json')}" matches no file: Prometheus finds no targets here and reports no error`,
      `"${join(d, 'missing.yml')}" matches no file: Prometheus finds no targets here and reports no error`,
    ]);
  });

  test("Go's glob: dotfiles match *, braces and [!x] are literal, [^x] negates; sorted by name", async () => {
    const d = await dir({
      '.hidden.json': '[]',
      'b1.json': '[{"targets":["b1"]}]',
      'a2.json': '[{"targets":["a2"]}]',
      '{x,y}.json': '[{"targets":["braces"]}]',
      '!.json': '[{"targets":["bang"]}]',
    });
    const files = async (pattern: string): Promise<string[]> =>
      (await discoverFiles(config(pattern), { baseDir: d, version: '3' })).files.map((f) =>
        f.file.slice(d.length + 1),
      );
    assert.deepEqual(await files('*.json'), [
      '!.json',
      '.hidden.json',
      'a2.json',
      'b1.json',
      '{x,y}.json',
    ]);
    assert.deepEqual(await files('{x,y}.json'), ['{x,y}.json']);
    assert.deepEqual(await files('[!b]*.json'), ['!.json', 'b1.json']);
    assert.deepEqual(await files('[^b.]*.json'), ['!.json', 'a2.json', '{x,y}.json']);
    assert.deepEqual(await files('?[0-9].json'), ['a2.json', 'b1.json']);
  });

  test('a malformed pattern: Prometheus logs "Error expanding glob" and reads nothing', async () => {
    const d = await dir({ 'a.json': '[]' });
    const outcome = await discoverFiles(config('[.json'), { baseDir: d, version: '3' });
    assert.match(failureOf(outcome), /syntax error in pattern/);
  });

  test('relative patterns are joined with the config directory and cleaned; absolute ones kept', async () => {
    const d = await dir({ 'sub/t.json': '[{"targets":["x"]}]' });
    const rel = await discoverFiles(config('./sub/../sub/t.json'), { baseDir: d, version: '3' });
    assert.equal(groupsOf(rel)[0]!.labels.__meta_filepath, join(d, 'sub/t.json'));
    const abs = await discoverFiles(config(`${d}/sub/./t.json`), {
      baseDir: '/elsewhere',
      version: '3',
    });
    assert.equal(groupsOf(abs)[0]!.labels.__meta_filepath, `${d}/sub/./t.json`);
  });

  test("a broken symlink and a directory fail with Go's words", async () => {
    const d = await dir({});
    await symlink(join(d, 'nowhere.json'), join(d, 'link.json'));
    await mkdir(join(d, 'dir.json'));
    const outcome = await discoverFiles(config('*.json'), { baseDir: d, version: '3' });
    assert.deepEqual(
      outcome.files.map((f) => f.problem?.message),
      [
        `read ${join(d, 'dir.json')}: is a directory`,
        `open ${join(d, 'link.json')}: no such file or directory`,
      ],
    );
  });

  test('a file two patterns match is read once', async () => {
    const d = await dir({ 't.json': '[{"targets":["x"]}]' });
    const outcome = await discoverFiles(config('*.json', 't.json'), { baseDir: d, version: '3' });
    assert.equal(groupsOf(outcome).length, 1);
  });

  test('__meta_filepath in a file is overwritten; label values may be empty', async () => {
    const d = await dir({
      't.yml': '- targets: [x]\n  labels: {__meta_filepath: mine, e: "", n: ~}\n',
    });
    const outcome = await discoverFiles(config('t.yml'), { baseDir: d, version: '2' });
    assert.deepEqual(groupsOf(outcome)[0]!.labels, {
      __meta_filepath: join(d, 't.yml'),
      e: '',
      n: '',
    });
  });
});

describe('file_sd: JSON decoded as Go decodes it', () => {
  const cases: [string, string, string][] = [
    ['unknown field', '[{"targets": ["a"], "foo": 1}]', '1:21: json: unknown field "foo"'],
    ['case-insensitive field names', '[{"TARGETS": ["a"], "Labels": {"x": "1"}}]', ''],
    [
      'targets not a list',
      '[{"targets": "a:1"}]',
      '1:14: json: cannot unmarshal string into Go struct field .targets of type []string',
    ],
    [
      'a number as a target',
      '[{"targets": [1]}]',
      '1:15: json: cannot unmarshal number into Go struct field .targets of type string',
    ],
    [
      'a number as a label value',
      '[{"targets": [], "labels": {"a": 1}}]',
      '1:34: json: cannot unmarshal number into Go struct field .labels of type model.LabelValue',
    ],
    [
      'labels not an object',
      '[{"labels": []}]',
      '1:13: json: cannot unmarshal array into Go struct field .labels of type map[model.LabelName]model.LabelValue',
    ],
    [
      'a group that is a string',
      '["a:1"]',
      '1:2: json: cannot unmarshal string into Go value of type struct { Targets []string "json:\\"targets\\""; Labels model.LabelSet "json:\\"labels\\"" }',
    ],
    [
      'an object instead of a list',
      '{"targets": []}',
      '1:1: json: cannot unmarshal object into Go value of type []*targetgroup.Group',
    ],
    [
      'the label name error wins over an earlier saved one',
      '[{"foo": 1, "labels": {"a-b": "x"}}]',
      '1:24: "a-b" is not a valid label name',
    ],
    [
      'a type error before a nil group wins',
      '[null, {"targets": 5}]',
      '1:20: json: cannot unmarshal number into Go struct field .targets of type []string',
    ],
    ['empty file', '', '1:1: unexpected end of JSON input'],
    [
      'trailing comma in a list',
      '[{"targets":[]},]',
      "1:17: invalid character ']' looking for beginning of value",
    ],
    ['truncated literal', '[tru', "1:5: invalid character ' ' in literal true (expecting 'e')"],
    ['a BOM', '\ufeff[]', "1:1: invalid character 'ï' looking for beginning of value"],
    ['a leading zero', '[01]', "1:3: invalid character '1' after array element"],
    ['bad escape', '[{"targets": ["\\x"]}]', "1:17: invalid character 'x' in string escape code"],
    ['text after the list', '[] []', "1:4: invalid character '[' after top-level value"],
    ['null is no groups', 'null', ''],
  ];
  for (const [name, body, want] of cases) {
    test(name, async () => {
      const d = await dir({ 't.json': body });
      const outcome = await discoverFiles(config('t.json'), { baseDir: d, version: '2' });
      const got = outcome.files[0]!.problem;
      if (want === '') assert.equal(got, null);
      else assert.equal(got && `${got.line}:${got.column}: ${got.message}`, want);
    });
  }

  test('label names: 2.42 takes [a-zA-Z_][a-zA-Z0-9_]*, 3.x any UTF-8', async () => {
    const d = await dir({
      't.json': '[{"targets": ["a"], "labels": {"app.kubernetes.io/name": "x"}}]',
    });
    const v2 = await discoverFiles(config('t.json'), { baseDir: d, version: '2' });
    assert.equal(
      v2.files[0]!.problem?.message,
      '"app.kubernetes.io/name" is not a valid label name',
    );
    const v3 = await discoverFiles(config('t.json'), { baseDir: d, version: '3' });
    assert.deepEqual(groupsOf(v3)[0]!.labels['app.kubernetes.io/name'], 'x');
  });

  test('escapes: surrogate pairs join, a lone one is U+FFFD', async () => {
    const d = await dir({ 't.json': '[{"targets": ["\\ud83d\\ude00", "\\ud800x", "a\\/b\\n"]}]' });
    const outcome = await discoverFiles(config('t.json'), { baseDir: d, version: '2' });
    assert.deepEqual(groupsOf(outcome)[0]!.targets, [
      { __address__: '😀' },
      { __address__: '\ufffdx' },
      { __address__: 'a/b\n' },
    ]);
  });
});

describe('file_sd: YAML decoded as yaml.v2 UnmarshalStrict decodes it', () => {
  const G =
    'struct { Targets []string "yaml:\\"targets\\""; Labels model.LabelSet "yaml:\\"labels\\"" }';
  const cases: [string, string, string][] = [
    [
      'unknown field',
      '- targets: [a]\n  foo: 1\n',
      `2:3: yaml: unmarshal errors:\n  line 2: field foo not found in type ${G}`,
    ],
    [
      'every error, together',
      '- targets: a\n- labels: [x]\n',
      '1:12: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `a` into []string\n  line 2: cannot unmarshal !!seq into model.LabelSet',
    ],
    [
      'a duplicate field',
      '- targets: [a]\n  targets: [b]\n',
      `2:3: yaml: unmarshal errors:\n  line 2: field targets already set in type ${G}`,
    ],
    [
      'a duplicate label',
      '- labels: {a: x, a: y}\n',
      '1:21: yaml: unmarshal errors:\n  line 1: key "a" already set in map',
    ],
    [
      'a map as a target',
      '- targets: [{a: b}]\n',
      '1:13: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into string',
    ],
    [
      'a long scalar is cut',
      '- targets: 12345678901\n',
      '1:12: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `1234567...` into []string',
    ],
    [
      'an invalid label name stops at once',
      '- targets: [a]\n  labels: {a-b: x}\n',
      '2:12: "a-b" is not a valid label name',
    ],
    [
      'a mapping instead of a list',
      'targets: [a]\n',
      '1:1: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []*targetgroup.Group',
    ],
    ['~ is a nil group', '- ~\n', '1:3: nil target group item found'],
    ['NULL is an empty group (yaml.v2 only short-cuts null, ~ and empty)', '- NULL\n', ''],
    ['an empty file is no groups', '# nothing\n', ''],
    ['only the first document counts', '- targets: [a]\n---\n: : [\n', ''],
  ];
  for (const [name, body, want] of cases) {
    test(name, async () => {
      const d = await dir({ 't.yml': body });
      const outcome = await discoverFiles(config('t.yml'), { baseDir: d, version: '2' });
      const got = outcome.files[0]!.problem;
      if (want === '') assert.equal(got, null, JSON.stringify(got));
      else assert.equal(got && `${got.line}:${got.column}: ${got.message}`, want);
    });
  }

  test('scalars read as written; null is ""; anchors and merges work', async () => {
    const d = await dir({
      't.yml': ['common: &common {team: a, tier: "1"}', '- targets: [5, yes, 0x10, ~, "q"]'].join(
        '\n',
      ),
      'u.yml': [
        '- targets: [a]',
        '  labels: &l {team: a, n: 1.50}',
        '- targets: [b]',
        '  labels: {<<: *l, extra: x}',
      ].join('\n'),
    });
    const bad = await discoverFiles(config('t.yml'), { baseDir: d, version: '2' });
    assert.equal(bad.ok, false, 'a mapping then a sequence is a syntax error');
    const outcome = await discoverFiles(config('u.yml'), { baseDir: d, version: '2' });
    assert.deepEqual(groupsOf(outcome)[1]!.labels, {
      team: 'a',
      n: '1.50',
      extra: 'x',
      __meta_filepath: join(d, 'u.yml'),
    });
    const e = await dir({ 't.yml': '- targets: [5, yes, 0x10, ~, "q", 1.0]\n' });
    const scalars = await discoverFiles(config('t.yml'), { baseDir: e, version: '2' });
    assert.deepEqual(
      groupsOf(scalars)[0]!.targets.map((t) => t.__address__),
      ['5', 'yes', '0x10', '', 'q', '1.0'],
    );
  });

  test('a syntax error names its line and column', async () => {
    const d = await dir({ 't.yml': '- targets: [a\n- b\n' });
    const outcome = await discoverFiles(config('t.yml'), { baseDir: d, version: '2' });
    const p = outcome.files[0]!.problem!;
    assert.equal(typeof p.line, 'number');
    assert.match(p.message, /^yaml: /);
  });
});

describe("validateFileSdConfig (Prometheus's discovery/file/file.go UnmarshalYAML)", () => {
  const bad = (raw: unknown, version: '2' | '3' = '2'): unknown => {
    const got = validateFileSdConfig(raw, version);
    return got.ok ? null : got.errors[0];
  };
  test('valid: defaults the refresh interval to 5m', () => {
    assert.deepEqual(validateFileSdConfig({ files: ['a/*.json', 'b.YML'] }, '2'), {
      ok: true,
      config: { files: ['a/*.json', 'b.YML'], refreshIntervalMs: 300_000 },
    });
    assert.deepEqual(validateFileSdConfig({ files: ['x.yaml'], refresh_interval: '30s' }, '3'), {
      ok: true,
      config: { files: ['x.yaml'], refreshIntervalMs: 30_000 },
    });
  });
  test('no path', () => {
    const message = 'file service discovery config must contain at least one path name';
    assert.deepEqual(bad({}), { path: ['files'], message });
    assert.deepEqual(bad({ files: [] }), { path: ['files'], message });
  });
  test('a path Prometheus refuses', () => {
    for (const name of ['*/a.json', 'a.txt', 'a.Json', 'dir*/x.json', 'a.json.bak']) {
      assert.deepEqual(bad({ files: ['ok.json', name] }), {
        path: ['files', 1],
        message: `path name "${name}" is not valid for file discovery`,
      });
    }
    // `?` and `[...]` are allowed anywhere; `*` only in the last component.
    assert.equal(validateFileSdConfig({ files: ['d?r/[ab]/*x*.json'] }, '2').ok, true);
  });
  test('strict YAML: unknown keys and wrong kinds', () => {
    assert.deepEqual(bad({ files: ['a.json'], tls_config: {} }), {
      path: ['tls_config'],
      message: 'field tls_config not found in type file.plain',
    });
    assert.deepEqual(bad({ files: 'a.json' }), {
      path: ['files'],
      message: 'cannot unmarshal !!str `a.json` into []string',
    });
  });
  test('refresh_interval parsed per version', () => {
    assert.deepEqual(bad({ files: ['a.json'], refresh_interval: '5x' }, '2'), {
      path: ['refresh_interval'],
      message: 'not a valid duration string: "5x"',
    });
    assert.deepEqual(bad({ files: ['a.json'], refresh_interval: '5x' }, '3'), {
      path: ['refresh_interval'],
      message: 'unknown unit "x" in duration "5x"',
    });
  });
});
