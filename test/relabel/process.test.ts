/**
 * Applying rules: the behaviour that changed between 2.42 and 3.x, Go's case mapping, hashmod,
 * the Builder's Range order for labelmap, and Prometheus 3.8's relabel steps.
 */
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { relabel, relabelSteps } from '#lib/relabel/index.ts';
import { rules } from './helpers.ts';

function run(input: LabelSet, raw: unknown[], version: PromVersion): LabelSet | null {
  return relabel(input, rules(raw, version), version).labels;
}

describe('replace, per version', () => {
  const blank = [{ source_labels: ['a'], regex: '(f).*', target_label: '$1', replacement: '$2' }];
  test('an empty result deletes the expanded target in 3.x, the unexpanded one in 2.42', () => {
    assert.deepEqual(run({ a: 'foo', f: 'baz' }, blank, '3'), { a: 'foo' });
    assert.deepEqual(run({ a: 'foo', f: 'baz' }, blank, '2'), { a: 'foo', f: 'baz' });
  });
  test('copying a missing label deletes the target (Set with "" is Del)', () => {
    const copy = [{ source_labels: ['missing'], target_label: 'env' }];
    for (const v of ['2', '3'] as const)
      assert.deepEqual(run({ env: 'x', a: '1' }, copy, v), { a: '1' });
  });
  test('3.x fast path for the omitted regex: a constant label is set, "" deletes it', () => {
    const set = [{ target_label: 'env', replacement: 'dev' }];
    const unset = [{ target_label: 'env', replacement: '' }];
    for (const v of ['2', '3'] as const) {
      assert.deepEqual(run({ a: '1' }, set, v), { a: '1', env: 'dev' });
      assert.deepEqual(run({ a: '1', env: 'x' }, unset, v), { a: '1' });
    }
  });
  test('an expanded target that is not a valid name changes nothing', () => {
    const raw = [{ source_labels: ['a'], regex: '(.*)', target_label: '${1}', replacement: 'v' }];
    assert.deepEqual(run({ a: 'a.b' }, raw, '3'), { a: 'a.b', 'a.b': 'v' }, 'UTF-8 names in 3.x');
    assert.deepEqual(run({ a: 'a.b' }, raw, '2'), { a: 'a.b' });
    assert.deepEqual(relabel({ a: 'a.b' }, rules(raw, '3', 'legacy'), '3').labels, { a: 'a.b' });
    assert.deepEqual(run({ a: '' }, raw, '3'), {}, 'an empty expanded target is never valid');
  });
  test('source values are joined with the separator; missing labels are ""', () => {
    const raw = [{ source_labels: ['a', 'missing', 'b'], separator: '|', target_label: 'j' }];
    assert.deepEqual(run({ a: '1', b: '2' }, raw, '3'), { a: '1', b: '2', j: '1||2' });
  });
});

describe("lowercase / uppercase use Go's per-rune simple case mapping", () => {
  const CASES: [action: string, input: string, expected: string, why: string][] = [
    ['uppercase', 'straße', 'STRAßE', 'ß has no simple uppercase (JS: SS)'],
    ['uppercase', 'ﬁx', 'ﬁX', 'the ﬁ ligature has none either (JS: FI)'],
    ['uppercase', 'ŉ', 'ŉ', 'JS: ʼN'],
    ['uppercase', 'ᾳ', 'ᾼ', 'simple uppercase is the titlecase form (JS: ΑΙ)'],
    ['uppercase', 'ǆ', 'Ǆ', 'digraphs'],
    ['uppercase', 'ı', 'I', 'dotless i'],
    ['lowercase', 'İSTANBUL', 'istanbul', 'İ lowercases to i (JS: i̇, two code points)'],
    ['lowercase', 'ΟΔΟΣ', 'οδοσ', 'no final-sigma rule (JS: οδος)'],
    ['lowercase', 'ǅ', 'ǆ', 'titlecase digraph'],
    ['lowercase', '\u212a', 'k', 'Kelvin sign'],
    ['lowercase', 'ÀÉ😀', 'àé😀', 'astral characters pass through'],
  ];
  for (const [action, input, expected, why] of CASES) {
    test(`${action} ${input} → ${expected}: ${why}`, () => {
      const raw = [{ source_labels: ['v'], action, target_label: 'out' }];
      for (const v of ['2', '3'] as const) assert.equal(run({ v: input }, raw, v)!.out, expected);
    });
  }
  test('an empty value deletes the target', () => {
    const raw = [{ source_labels: ['missing'], action: 'lowercase', target_label: 'out' }];
    assert.deepEqual(run({ out: 'x' }, raw, '3'), {});
  });
});

describe('hashmod', () => {
  test('bytes 8..15 of the MD5, big-endian, modulo the modulus (any uint64)', () => {
    const max = 2n ** 64n - 1n;
    const raw = [{ source_labels: ['c'], action: 'hashmod', modulus: max, target_label: 'h' }];
    const expected = hash('md5', 'baz', 'buffer').readBigUInt64BE(8) % max;
    assert.equal(run({ c: 'baz' }, raw, '3')!.h, expected.toString());
    const small = [{ source_labels: ['c'], action: 'hashmod', modulus: 1000, target_label: 'h' }];
    assert.equal(run({ c: 'baz' }, small, '2')!.h, '976');
  });
});

describe('labelmap, labeldrop, labelkeep', () => {
  test('labelmap iterates a snapshot: labels it adds are not mapped again', () => {
    const raw = [{ action: 'labelmap', regex: '(.*)', replacement: 'x_$1' }];
    assert.deepEqual(run({ a: '1' }, raw, '3'), { a: '1', x_a: '1' });
  });
  test('two names mapped to one: the later in Range order wins (sorted base first)', () => {
    const raw = [{ action: 'labelmap', regex: '.*_(x)', replacement: '$1' }];
    for (const v of ['2', '3'] as const) {
      assert.deepEqual(run({ b_x: '2', a_x: '1' }, raw, v), { a_x: '1', b_x: '2', x: '2' });
    }
  });
  test('3.x Range visits labels set by earlier rules last; 2.42 re-sorts every rule', () => {
    const raw = [
      { target_label: 'a_x', replacement: 'A' },
      { action: 'labelmap', regex: '.*_(x)', replacement: '$1' },
    ];
    assert.equal(run({ a_x: '1', b_x: '2' }, raw, '3')!.x, 'A');
    assert.equal(run({ a_x: '1', b_x: '2' }, raw, '2')!.x, '2');
  });
  test('2.42: a first-rule labelmap sees empty input values, and mapping one deletes', () => {
    const raw = [{ action: 'labelmap', regex: '__meta_(.*)', replacement: '$1' }];
    assert.deepEqual(run({ __meta_x: '', x: 'keep' }, raw, '2'), {});
    assert.deepEqual(run({ __meta_x: '', x: 'keep' }, raw, '3'), { x: 'keep' });
  });
  test('labeldrop and labelkeep match names, anchored', () => {
    const input = { __meta_a: '1', __address__: 'h:1', job: 'j' };
    assert.deepEqual(run(input, [{ action: 'labeldrop', regex: '__meta_.*' }], '3'), {
      __address__: 'h:1',
      job: 'j',
    });
    assert.deepEqual(run(input, [{ action: 'labelkeep', regex: 'job|__meta' }], '3'), { job: 'j' });
  });
});

describe('keep, drop and the result', () => {
  test('droppedBy names the rule; keepequal/dropequal compare with ""', () => {
    const raw = [
      { action: 'keepequal', source_labels: ['missing'], target_label: 'also_missing' },
      { action: 'dropequal', source_labels: ['a'], target_label: 'b' },
    ];
    assert.deepEqual(relabel({ a: '1', b: '1' }, rules(raw, '3'), '3'), {
      labels: null,
      droppedBy: 1,
    });
  });
  test('the input is untouched; the output is new, sorted, and has no empty values', () => {
    const input = { z: '1', a: '', m: '2' };
    const out = relabel(input, [], '3').labels!;
    assert.deepEqual(input, { z: '1', a: '', m: '2' });
    assert.deepEqual(Object.keys(out), ['m', 'z']);
  });
  test('names sort in code-point order, as Go sorts UTF-8 bytes', () => {
    const out = relabel({ 'a😀': '1', 'a\uffff': '2', b: '3' }, [], '3').labels!;
    assert.deepEqual(Object.keys(out), ['a\uffff', 'a😀', 'b']);
  });
  test('a label named __proto__ is an ordinary label', () => {
    const input = JSON.parse('{"__proto__":"x","a":"1"}') as LabelSet;
    const out = relabel(
      input,
      rules([{ source_labels: ['__proto__'], target_label: 'copy' }], '3'),
      '3',
    ).labels!;
    assert.deepEqual(Object.entries(out), [
      ['__proto__', 'x'],
      ['a', '1'],
      ['copy', 'x'],
    ]);
  });
});

describe("relabelSteps (Prometheus 3.8's /api/v1/targets/relabel_steps)", () => {
  test("docs/querying/api.md's example", () => {
    const raw = [
      { target_label: 'env', replacement: 'development' },
      { action: 'drop', source_labels: ['__address__'], regex: 'localhost:.*' },
    ];
    const input = { __address__: 'localhost:9090', job: 'prometheus' };
    assert.deepEqual(relabelSteps(input, rules(raw, '3'), '3'), {
      steps: [
        {
          keep: true,
          output: { __address__: 'localhost:9090', env: 'development', job: 'prometheus' },
          rule: {
            action: 'replace',
            regex: '(.*)',
            replacement: 'development',
            separator: ';',
            target_label: 'env',
          },
        },
        {
          keep: false,
          output: {},
          rule: {
            action: 'drop',
            regex: 'localhost:.*',
            replacement: '$1',
            separator: ';',
            source_labels: ['__address__'],
          },
        },
      ],
      labels: null,
    });
  });
  test('rules after a drop still appear, with {} and keep: false', () => {
    const raw = [
      { action: 'drop', regex: '' },
      { target_label: 'a', replacement: 'b' },
    ];
    const { steps } = relabelSteps({ x: '1' }, rules(raw, '3'), '3');
    assert.deepEqual(
      steps.map((s) => [s.keep, s.output]),
      [
        [false, {}],
        [false, {}],
      ],
    );
  });
  test('the final labels are what relabel returns', () => {
    const raw = [
      { source_labels: ['a'], target_label: 'b' },
      { action: 'labeldrop', regex: 'a' },
    ];
    const r = rules(raw, '2');
    assert.deepEqual(relabelSteps({ a: '1' }, r, '2').labels, relabel({ a: '1' }, r, '2').labels);
  });
});
