/**
 * Prometheus's own validation tables: `TestRelabelValidate` (HEAD) and the target-label validity
 * tables (`TestTargetLabelLegacyValidity` at HEAD, `TestTargetLabelValidity` at v2.42.0).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { isLegacyTemplatedName } from '#lib/relabel/label-names.ts';
import { errorsOf } from './helpers.ts';

describe("TestRelabelValidate (expectations from Prometheus's relabel_test.go at HEAD)", () => {
  const SOME = { source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', action: 'replace' };
  const cases: { rule: Record<string, unknown>; scheme: 'utf8' | 'legacy'; expected: string }[] = [
    { rule: { action: null }, scheme: 'utf8', expected: 'relabel action cannot be empty' },
    {
      rule: { action: 'replace' },
      scheme: 'utf8',
      expected: "relabel configuration for replace action requires 'target_label' value",
    },
    {
      rule: { action: 'lowercase' },
      scheme: 'utf8',
      expected: "relabel configuration for lowercase action requires 'target_label' value",
    },
    {
      rule: { action: 'lowercase', replacement: '$1', target_label: '${3}' },
      scheme: 'utf8',
      expected: '',
    },
    {
      rule: { action: 'lowercase', replacement: '$1', target_label: '${3}' },
      scheme: 'legacy',
      expected: `"\${3}" is invalid 'target_label' for lowercase action`,
    },
    { rule: { ...SOME, replacement: '${1}', target_label: '${3}' }, scheme: 'utf8', expected: '' },
    { rule: { ...SOME, replacement: '${1}', target_label: '0${3}' }, scheme: 'utf8', expected: '' },
    { rule: { ...SOME, replacement: '${1}', target_label: '-${3}' }, scheme: 'utf8', expected: '' },
    {
      rule: {
        regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)',
        action: 'labelmap',
        replacement: '$1',
      },
      scheme: 'legacy',
      expected: '',
    },
    {
      rule: { regex: '__meta_(.+)', action: 'labelmap', replacement: '${1}' },
      scheme: 'legacy',
      expected: '',
    },
  ];
  for (const [i, c] of cases.entries()) {
    test(`${i}: ${c.expected === '' ? 'valid' : c.expected}`, () => {
      const messages = errorsOf([c.rule], '3', c.scheme).map((e) => e.message);
      assert.deepEqual(messages, c.expected === '' ? [] : [c.expected]);
    });
  }
});

describe("TestTargetLabelLegacyValidity / TestTargetLabelValidity (expectations from Prometheus's relabel_test.go)", () => {
  const table: [string, boolean][] = [
    ['-label', false],
    ['label', true],
    ['label${1}', true],
    ['${1}label', true],
    ['${1}', true],
    ['${1}label', true],
    ['${', false],
    ['$', false],
    ['${}', false],
    ['foo${', false],
    ['$1', true],
    ['asd$2asd', true],
    ['-foo${1}bar-', false],
    ['bar.foo${1}bar', false], // HEAD only; the same regex in 2.42
    ['_${1}_', true],
    ['foo${bar}foo', true],
  ];
  for (const [name, valid] of table) {
    test(`${JSON.stringify(name)} is ${valid ? 'valid' : 'invalid'}`, () => {
      assert.equal(isLegacyTemplatedName(name), valid);
    });
  }
  test('the linear rewrite accepts exactly what the original regex accepts', () => {
    const original = RE2JS.compile('^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$');
    const piece = fc.constantFrom('a', 'Z', '_', '0', '9', '$', '{', '}', '-', '.', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        assert.equal(isLegacyTemplatedName(s), original.testExact(s), JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
  });
});
