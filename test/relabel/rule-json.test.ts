/**
 * What a compiled rule holds: decoded values (go-yaml's null and scalar rules, the default regex
 * being the default only when omitted) and the JSON Prometheus 3.8 shows for a rule.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rules } from './helpers.ts';

describe('decoded values and the rule JSON (Prometheus 3.8 relabel_steps shape)', () => {
  test('defaults filled in, Go field order, empty fields omitted', () => {
    const [r] = rules([{ source_labels: ['a'], target_label: 'b' }], '3');
    assert.deepEqual(Object.entries(r!.config), [
      ['source_labels', ['a']],
      ['separator', ';'],
      ['regex', '(.*)'],
      ['target_label', 'b'],
      ['replacement', '$1'],
      ['action', 'replace'],
    ]);
    assert.equal(r!.regexIsDefault, true);
  });
  test("the drop rule from docs/querying/api.md's example", () => {
    const [r] = rules(
      [{ action: 'drop', source_labels: ['__address__'], regex: 'localhost:.*' }],
      '3',
    );
    assert.deepEqual(r!.config, {
      source_labels: ['__address__'],
      separator: ';',
      regex: 'localhost:.*',
      replacement: '$1',
      action: 'drop',
    });
  });
  test('modulus shown when set; source_labels: [] omitted; action lowercased', () => {
    const [r] = rules(
      [{ action: 'HashMod', source_labels: [], modulus: 8, target_label: 'h' }],
      '3',
    );
    assert.deepEqual(r!.config, {
      separator: ';',
      regex: '(.*)',
      modulus: 8,
      target_label: 'h',
      replacement: '$1',
      action: 'hashmod',
    });
    assert.equal(r!.modulus, 8n);
  });
  test('regex: null is the regex "" (matches only ""), not the default', () => {
    const [r] = rules([{ action: 'keep', source_labels: ['a'], regex: null }], '3');
    assert.equal(r!.config.regex, '');
    assert.equal(r!.regexIsDefault, false);
    assert.equal(r!.regex.matches(''), true);
    assert.equal(r!.regex.matches('x'), false);
  });
  test('scalars fill string fields with their text; null leaves ""', () => {
    const [r] = rules([{ target_label: 'x', replacement: 1, separator: null }], '3');
    assert.equal(r!.replacement, '1');
    assert.equal(r!.separator, '');
  });
  test('an explicit `regex: (.*)` is not the default one', () => {
    assert.equal(rules([{ target_label: 'x', regex: '(.*)' }], '3')[0]!.regexIsDefault, false);
  });
});
