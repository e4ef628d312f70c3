/**
 * Rule decoding and validation messages: every check of `UnmarshalYAML` (2.42) and `Validate`
 * (3.x), go-yaml's type errors and unknown keys, and `config/config.go`'s null rule, each with its
 * path; then the decoded values and the JSON a rule is shown as.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PromVersion } from '#lib/discovery/types.ts';
import { compileRelabelConfigs } from '#lib/relabel/index.ts';
import { errorsOf } from './helpers.ts';

interface Row {
  name: string;
  raw: unknown;
  /** Expected errors per version ([] = valid); one entry applies to both. */
  v2: { path: (string | number)[]; message: string }[];
  v3?: { path: (string | number)[]; message: string }[];
}

const TARGET_REQUIRED = "relabel configuration for replace action requires 'target_label' value";
const ROWS: Row[] = [
  {
    name: 'null rule',
    raw: [null],
    v2: [{ path: [0], message: 'empty or null target relabeling rule in scrape config' }],
  },
  { name: 'empty rule', raw: [{}], v2: [{ path: [0, 'target_label'], message: TARGET_REQUIRED }] },
  {
    name: 'target_label: null',
    raw: [{ target_label: null }],
    v2: [{ path: [0, 'target_label'], message: TARGET_REQUIRED }],
  },
  { name: 'null list', raw: null, v2: [] },
  {
    name: 'not a list',
    raw: { a: 1 },
    v2: [{ path: [], message: 'cannot unmarshal !!map into []*relabel.Config' }],
  },
  {
    name: 'scalar rule',
    raw: ['abcdefghijk'],
    v2: [{ path: [0], message: 'cannot unmarshal !!str `abcdefg...` into relabel.plain' }],
  },
  {
    name: 'list rule',
    raw: [['keep']],
    v2: [{ path: [0], message: 'cannot unmarshal !!seq into relabel.plain' }],
  },
  {
    name: 'unknown keys and type errors are all collected',
    raw: [{ target_label: ['x'], foo: 1, modulus: -1, source_labels: 'a', separator: {} }],
    v2: [
      { path: [0, 'target_label'], message: 'cannot unmarshal !!seq into string' },
      { path: [0, 'foo'], message: 'field foo not found in type relabel.plain' },
      { path: [0, 'modulus'], message: 'cannot unmarshal !!int `-1` into uint64' },
      { path: [0, 'source_labels'], message: 'cannot unmarshal !!str `a` into model.LabelNames' },
      { path: [0, 'separator'], message: 'cannot unmarshal !!map into string' },
    ],
  },
  {
    name: 'modulus as a string',
    raw: [{ target_label: 'x', modulus: '8' }],
    v2: [{ path: [0, 'modulus'], message: 'cannot unmarshal !!str `8` into uint64' }],
  },
  {
    name: 'source label item a list',
    raw: [{ target_label: 'x', source_labels: [['a']] }],
    v2: [{ path: [0, 'source_labels', 0], message: 'cannot unmarshal !!seq into string' }],
  },
  {
    name: 'a parser error stops the rule and hides collected ones',
    raw: [{ foo: 1, regex: '(', bar: 2 }],
    v2: [{ path: [0, 'regex'], message: 'error parsing regexp: missing closing ): `^(?:()$`' }],
    v3: [{ path: [0, 'regex'], message: 'error parsing regexp: missing closing ): `^(?s:()$`' }],
  },
  {
    name: 'lookahead',
    raw: [{ action: 'keep', regex: 'a(?=b)' }],
    v2: [
      {
        path: [0, 'regex'],
        message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      },
    ],
  },
  {
    name: 'negative lookahead',
    raw: [{ action: 'drop', regex: '(?!a)' }],
    v2: [
      {
        path: [0, 'regex'],
        message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`',
      },
    ],
  },
  {
    name: 'lookbehind',
    raw: [{ action: 'drop', regex: '(?<=a)b' }],
    v2: [
      {
        path: [0, 'regex'],
        message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`',
      },
    ],
    v3: [
      { path: [0, 'regex'], message: 'error parsing regexp: invalid named capture: `(?<=a)b)$`' },
    ],
  },
  {
    name: 'backreference',
    raw: [{ action: 'drop', regex: '(a)\\1' }],
    v2: [{ path: [0, 'regex'], message: 'error parsing regexp: invalid escape sequence: `\\1`' }],
  },
  {
    name: 'repeat over 1000',
    raw: [{ action: 'drop', regex: 'a{1001}' }],
    v2: [{ path: [0, 'regex'], message: 'error parsing regexp: invalid repeat count: `{1001}`' }],
  },
  {
    name: 'unknown action',
    raw: [{ action: 'Foo' }],
    v2: [{ path: [0, 'action'], message: 'unknown relabel action "Foo"' }],
  },
  {
    name: "names in messages are quoted as Go's %q does",
    raw: [{ action: 'Keep\t\u00a0"\\é' }],
    v2: [{ path: [0, 'action'], message: 'unknown relabel action "Keep\\t\\u00a0\\"\\\\é"' }],
  },
  {
    name: 'empty action string',
    raw: [{ action: '' }],
    v2: [{ path: [0, 'action'], message: 'unknown relabel action ""' }],
  },
  {
    name: 'action: null',
    raw: [{ action: null }],
    v2: [{ path: [0, 'action'], message: 'relabel action cannot be empty' }],
  },
  {
    name: 'action names are lowercased (Go ToLower, Kelvin sign K too)',
    raw: [{ action: 'LabelMap' }, { action: '\u212Aeep' }],
    v2: [],
  },
  {
    name: 'source label names: legacy in 2.42, UTF-8 in 3.x',
    raw: [{ source_labels: ['a', 'app.kubernetes.io/name'], target_label: 'x' }],
    v2: [
      {
        path: [0, 'source_labels', 1],
        message: '"app.kubernetes.io/name" is not a valid label name',
      },
    ],
    v3: [],
  },
  {
    name: 'a null source label is the name "" (unchecked)',
    raw: [{ source_labels: [null], target_label: 'x' }],
    v2: [],
  },
  {
    name: 'hashmod without modulus',
    raw: [{ action: 'hashmod', source_labels: ['a'], target_label: 'x' }],
    v2: [
      {
        path: [0, 'modulus'],
        message: 'relabel configuration for hashmod requires non-zero modulus',
      },
    ],
  },
  {
    name: 'hashmod with a templated target',
    raw: [{ action: 'hashmod', modulus: 2, target_label: '${1}' }],
    v2: [
      {
        path: [0, 'target_label'],
        message: `"\${1}" is invalid 'target_label' for hashmod action`,
      },
    ],
    v3: [],
  },
  {
    name: 'replace target with a dash',
    raw: [{ target_label: 'a-b' }],
    v2: [
      { path: [0, 'target_label'], message: `"a-b" is invalid 'target_label' for replace action` },
    ],
    v3: [],
  },
  {
    name: 'lowercase with a replacement',
    raw: [{ action: 'lowercase', target_label: 'x', replacement: 'y' }],
    v2: [
      { path: [0, 'replacement'], message: "'replacement' can not be set for lowercase action" },
    ],
  },
  {
    name: 'labelmap replacement with a dash',
    raw: [{ action: 'labelmap', regex: '(.+)', replacement: 'x-$1' }],
    v2: [
      { path: [0, 'replacement'], message: `"x-$1" is invalid 'replacement' for labelmap action` },
    ],
    v3: [],
  },
  {
    name: 'keepequal with an explicit default regex',
    raw: [{ action: 'keepequal', source_labels: ['a'], target_label: 'b', regex: '(.*)' }],
    v2: [
      {
        path: [0],
        message:
          "keepequal action requires only 'source_labels' and `target_label`, and no other fields",
      },
    ],
  },
  {
    name: 'dropequal with an explicit default separator and replacement',
    raw: [
      {
        action: 'dropequal',
        source_labels: ['a'],
        target_label: 'b',
        separator: ';',
        replacement: '$1',
      },
    ],
    v2: [],
  },
  {
    name: 'labeldrop with source_labels: [] (not nil)',
    raw: [{ action: 'labeldrop', regex: 'a', source_labels: [] }],
    v2: [{ path: [0], message: "labeldrop action requires only 'regex', and no other fields" }],
  },
  {
    name: 'labelkeep with source_labels: null',
    raw: [{ action: 'labelkeep', regex: 'a', source_labels: null }],
    v2: [],
  },
  {
    name: 'labelkeep with a separator',
    raw: [{ action: 'labelkeep', regex: 'a', separator: ',' }],
    v2: [{ path: [0], message: "labelkeep action requires only 'regex', and no other fields" }],
  },
  {
    name: 'every rule is reported',
    raw: [{ target_label: 'ok' }, null, { action: 'nope' }],
    v2: [
      { path: [1], message: 'empty or null target relabeling rule in scrape config' },
      { path: [2, 'action'], message: 'unknown relabel action "nope"' },
    ],
  },
];

describe('decoding and validation messages, per version', () => {
  for (const row of ROWS) {
    for (const version of ['2', '3'] as PromVersion[]) {
      test(`${version}: ${row.name}`, () => {
        const expected = version === '3' ? (row.v3 ?? row.v2) : row.v2;
        assert.deepEqual(errorsOf(row.raw, version), expected);
      });
    }
  }
  test('3.x with metric_name_validation_scheme: legacy', () => {
    assert.deepEqual(
      errorsOf([{ target_label: 'a-b' }, { target_label: 'x_${1}-y' }], '3', 'legacy'),
      [
        {
          path: [0, 'target_label'],
          message: `"a-b" is invalid 'target_label' for replace action`,
        },
        {
          path: [1, 'target_label'],
          message: `"x_\${1}-y" is invalid 'target_label' for replace action`,
        },
      ],
    );
  });
  test('the null-rule message for metric_relabel_configs', () => {
    const r = compileRelabelConfigs([null], '3', { kind: 'metric' });
    assert.deepEqual(r, {
      ok: false,
      errors: [{ path: [0], message: 'empty or null metric relabeling rule in scrape config' }],
    });
  });
});
