/**
 * `TestRelabel` from prometheus/prometheus `model/relabel/relabel_test.go`, every case, as YAML
 * would give them (Go's unset struct fields are omitted keys: the test loop fills the same
 * defaults). Cases present in v2.42.0 are in `COMMON`; HEAD added the others
 * (`prometheus-cases-head.ts`), and changed "invalid target_labels" (`INVALID_TARGETS_*`).
 */
import type { LabelSet } from '#lib/discovery/types.ts';

/** One table row: input, rules, and the output or a drop. */
export interface RelabelCase {
  name: string;
  input: LabelSet;
  relabel: Record<string, unknown>[];
  output?: LabelSet;
  drop?: true;
}

const abc = { a: 'foo', b: 'bar', c: 'baz' };
const ports = { __tmp_port: '1234', __port1: '1234', __port2: '5678' };

/** Cases 1–10 of both versions. */
const FIRST: RelabelCase[] = [
  {
    name: 'replace with ${1} twice',
    input: abc,
    relabel: [
      {
        source_labels: ['a'],
        regex: 'f(.*)',
        target_label: 'd',
        separator: ';',
        replacement: 'ch${1}-ch${1}',
        action: 'replace',
      },
    ],
    output: { ...abc, d: 'choo-choo' },
  },
  {
    name: 'two replaces reading each other',
    input: abc,
    relabel: [
      {
        source_labels: ['a', 'b'],
        regex: 'f(.*);(.*)r',
        target_label: 'a',
        separator: ';',
        replacement: 'b${1}${2}m',
        action: 'replace',
      },
      {
        source_labels: ['c', 'a'],
        regex: '(b).*b(.*)ba(.*)',
        target_label: 'd',
        separator: ';',
        replacement: '$1$2$2$3',
        action: 'replace',
      },
    ],
    output: { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' },
  },
  {
    name: 'drop before replace',
    input: { a: 'foo' },
    relabel: [
      { source_labels: ['a'], regex: '.*o.*', action: 'drop' },
      {
        source_labels: ['a'],
        regex: 'f(.*)',
        target_label: 'd',
        separator: ';',
        replacement: 'ch$1-ch$1',
        action: 'replace',
      },
    ],
    drop: true,
  },
  {
    name: 'drop on match',
    input: { a: 'foo', b: 'bar' },
    relabel: [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }],
    drop: true,
  },
  {
    name: 'group from the middle',
    input: { a: 'abc' },
    relabel: [
      {
        source_labels: ['a'],
        regex: '.*(b).*',
        target_label: 'd',
        separator: ';',
        replacement: '$1',
        action: 'replace',
      },
    ],
    output: { a: 'abc', d: 'b' },
  },
  {
    name: 'drop without match',
    input: { a: 'foo' },
    relabel: [{ source_labels: ['a'], regex: 'no-match', action: 'drop' }],
    output: { a: 'foo' },
  },
  {
    name: 'drop f|o is anchored',
    input: { a: 'foo' },
    relabel: [{ source_labels: ['a'], regex: 'f|o', action: 'drop' }],
    output: { a: 'foo' },
  },
  {
    name: 'keep without match',
    input: { a: 'foo' },
    relabel: [{ source_labels: ['a'], regex: 'no-match', action: 'keep' }],
    drop: true,
  },
  {
    name: 'keep on match',
    input: { a: 'foo' },
    relabel: [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }],
    output: { a: 'foo' },
  },
  {
    name: 'no replacement without a match',
    input: { a: 'boo' },
    relabel: [
      {
        source_labels: ['a'],
        regex: 'f',
        target_label: 'b',
        replacement: 'bar',
        action: 'replace',
      },
    ],
    output: { a: 'boo' },
  },
];

const HASHMOD_TO_UPPER: RelabelCase[] = [
  {
    name: 'hashmod',
    input: abc,
    relabel: [
      { source_labels: ['c'], target_label: 'd', separator: ';', action: 'hashmod', modulus: 1000 },
    ],
    output: { ...abc, d: '976' },
  },
  {
    name: 'hashmod of a value with a newline',
    input: { a: 'foo\nbar' },
    relabel: [
      { source_labels: ['a'], target_label: 'b', separator: ';', action: 'hashmod', modulus: 1000 },
    ],
    output: { a: 'foo\nbar', b: '734' },
  },
  {
    name: 'labelmap with a prefix',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    relabel: [{ regex: '(b.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    output: { a: 'foo', b1: 'bar', b2: 'baz', bar_b1: 'bar', bar_b2: 'baz' },
  },
  {
    name: 'labelmap of __meta_ labels',
    input: { a: 'foo', __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc' },
    relabel: [{ regex: '__meta_(my.*)', replacement: '${1}', action: 'labelmap' }],
    output: {
      a: 'foo',
      __meta_my_bar: 'aaa',
      __meta_my_baz: 'bbb',
      __meta_other: 'ccc',
      my_bar: 'aaa',
      my_baz: 'bbb',
    },
  },
  {
    name: 'valid case: templated target',
    input: { a: 'some-name-value' },
    relabel: [
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        action: 'replace',
        replacement: '${2}',
        target_label: '${1}',
      },
    ],
    output: { a: 'some-name-value', name: 'value' },
  },
  {
    name: 'invalid replacement ""',
    input: { a: 'some-name-value' },
    relabel: [
      {
        source_labels: ['a'],
        regex: 'some-([^-]+)-([^,]+)',
        action: 'replace',
        replacement: '${3}',
        target_label: '${1}',
      },
    ],
    output: { a: 'some-name-value' },
  },
];

const REAL_LIFE: RelabelCase = {
  name: 'more complex real-life like usecase',
  input: { __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar' },
  relabel: [
    {
      source_labels: ['__meta_sd_tags'],
      regex: '(?:.+,|^)path:(/[^,]+).*',
      action: 'replace',
      replacement: '${1}',
      target_label: '__metrics_path__',
    },
    {
      source_labels: ['__meta_sd_tags'],
      regex: '(?:.+,|^)job:([^,]+).*',
      action: 'replace',
      replacement: '${1}',
      target_label: 'job',
    },
    {
      source_labels: ['__meta_sd_tags'],
      regex: '(?:.+,|^)label:([^=]+)=([^,]+).*',
      action: 'replace',
      replacement: '${2}',
      target_label: '${1}',
    },
  ],
  output: {
    __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar',
    __metrics_path__: '/secret',
    job: 'some-job',
    foo: 'bar',
  },
};

const KEEP_DROP_CASE: RelabelCase[] = [
  {
    name: 'labelkeep',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    relabel: [{ regex: '(b.*)', action: 'labelkeep' }],
    output: { b1: 'bar', b2: 'baz' },
  },
  {
    name: 'labeldrop',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    relabel: [{ regex: '(b.*)', action: 'labeldrop' }],
    output: { a: 'foo' },
  },
  {
    name: 'uppercase and lowercase',
    input: { foo: 'bAr123Foo' },
    relabel: [
      { source_labels: ['foo'], action: 'uppercase', target_label: 'foo_uppercase' },
      { source_labels: ['foo'], action: 'lowercase', target_label: 'foo_lowercase' },
    ],
    output: { foo: 'bAr123Foo', foo_lowercase: 'bar123foo', foo_uppercase: 'BAR123FOO' },
  },
  {
    name: 'keepequal, equal',
    input: ports,
    relabel: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port1' }],
    output: ports,
  },
  {
    name: 'dropequal, equal',
    input: ports,
    relabel: [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port1' }],
    drop: true,
  },
  {
    name: 'dropequal, not equal',
    input: ports,
    relabel: [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port2' }],
    output: ports,
  },
  {
    name: 'keepequal, not equal',
    input: ports,
    relabel: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port2' }],
    drop: true,
  },
];

/** The 24 cases both versions share (the 25th, "invalid target_labels", differs). */
export const COMMON: RelabelCase[] = [...FIRST, ...HASHMOD_TO_UPPER, REAL_LIFE, ...KEEP_DROP_CASE];

/** v2.42.0's "invalid target_labels": targets that 2.42's own validation would refuse. */
export const INVALID_TARGETS_V2: RelabelCase = {
  name: 'invalid target_labels',
  input: { a: 'some-name-value' },
  relabel: ['${3}', '0${3}', '-${3}'].map((target) => ({
    source_labels: ['a'],
    regex: 'some-([^-]+)-([^,]+)',
    action: 'replace',
    replacement: '${1}',
    target_label: target,
  })),
  output: { a: 'some-name-value' },
};

/** HEAD's "invalid target_labels". */
export const INVALID_TARGETS_V3: RelabelCase = {
  name: 'invalid target_labels',
  input: { a: 'some-name-0' },
  relabel: ['some-([^-]+)-([^,]+)', 'some-([^-]+)-([^,]+)', 'some-([^-]+)(-[^,]+)'].map(
    (regex) => ({
      source_labels: ['a'],
      regex,
      action: 'replace',
      replacement: '${1}',
      target_label: '${3}',
    }),
  ),
  output: { a: 'some-name-0' },
};
