/**
 * Prometheus's own `TestRelabel` tables, run through the TypeScript engine: HEAD's for version
 * '3' and v2.42.0's for version '2'. HEAD validates every rule (`cfg.Validate(UTF8Validation)`),
 * so '3' goes through `compileRelabelConfigs`; 2.42's test never validated, so its one case with
 * targets 2.42 would refuse runs on unchecked rules (and the refusal is checked separately).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PromVersion } from '#lib/discovery/types.ts';
import { relabel } from '#lib/relabel/index.ts';
import { compileRelabelRuleUnchecked } from '#lib/relabel/rules.ts';
import { errorsOf, rules, sorted } from './helpers.ts';
import { HEAD_ONLY, HEAD_TAIL } from './prometheus-cases-head.ts';
import {
  COMMON,
  INVALID_TARGETS_V2,
  INVALID_TARGETS_V3,
  type RelabelCase,
} from './prometheus-cases.ts';

/** HEAD's table, in HEAD's order. */
function headTable(): RelabelCase[] {
  const table: RelabelCase[] = [];
  for (const c of COMMON) {
    table.push(c);
    if (c.name === 'invalid replacement ""') table.push(INVALID_TARGETS_V3);
    for (const extra of HEAD_ONLY) if (extra.after === c.name) table.push(extra.case);
  }
  return [...table, ...HEAD_TAIL];
}

/** v2.42.0's table, in its order. */
function v242Table(): RelabelCase[] {
  return COMMON.flatMap((c) =>
    c.name === 'invalid replacement ""' ? [c, INVALID_TARGETS_V2] : [c],
  );
}

function check(c: RelabelCase, version: PromVersion, checked: boolean): void {
  const compiled = checked
    ? rules(c.relabel, version)
    : c.relabel.map((raw) => compileRelabelRuleUnchecked(raw, version));
  const input = { ...c.input };
  const result = relabel(input, compiled, version);
  assert.deepEqual(input, c.input, 'the input is not modified');
  if (c.drop === true) {
    assert.equal(result.labels, null);
    assert.equal(typeof result.droppedBy, 'number');
  } else {
    assert.equal(result.droppedBy, null);
    // deepStrictEqual ignores key order: check Go's sorted order separately.
    assert.deepEqual(result.labels, sorted(c.output!));
    assert.deepEqual(Object.keys(result.labels), Object.keys(sorted(c.output!)));
  }
}

describe("TestRelabel, Prometheus 3 (expectations from Prometheus's relabel_test.go at HEAD)", () => {
  const table = headTable();
  test('has all 34 cases', () => {
    assert.equal(table.length, 34);
  });
  for (const [i, c] of table.entries()) {
    test(`${i}: ${c.name}`, () => {
      check(c, '3', true);
    });
  }
});

describe("TestRelabel, Prometheus 2.42 (expectations from Prometheus's relabel_test.go at v2.42.0)", () => {
  const table = v242Table();
  test('has all 25 cases', () => {
    assert.equal(table.length, 25);
  });
  for (const [i, c] of table.entries()) {
    const checked = c !== INVALID_TARGETS_V2;
    test(`${i}: ${c.name}${checked ? '' : ' (unchecked rules, as the Go test builds them)'}`, () => {
      check(c, '2', checked);
    });
  }
  test('2.42 refuses the "invalid target_labels" rules it runs unchecked in its test', () => {
    assert.deepEqual(errorsOf(INVALID_TARGETS_V2.relabel, '2'), [
      {
        path: [1, 'target_label'],
        message: `"0\${3}" is invalid 'target_label' for replace action`,
      },
      {
        path: [2, 'target_label'],
        message: `"-\${3}" is invalid 'target_label' for replace action`,
      },
    ]);
  });
});

describe('the HEAD-only cases, run under 2.42 semantics', () => {
  test('blank replacement: 2.42 deletes the unexpanded "$1", so "f" stays', () => {
    const blank = HEAD_ONLY[0]!.case;
    const result = relabel(blank.input, rules(blank.relabel, '2'), '2');
    assert.deepEqual(result.labels, { a: 'foo', f: 'baz' });
  });
  test('2.42 does not let "." match a newline: line1.*line2 leaves "d" unset', () => {
    const c = HEAD_TAIL[0]!;
    assert.deepEqual(relabel(c.input, rules(c.relabel, '2'), '2').labels, sorted(c.input));
  });
  test('2.42 refuses UTF-8 source and target names, and (?<name>) groups', () => {
    assert.deepEqual(errorsOf(HEAD_TAIL[1]!.relabel, '2'), [
      { path: [0, 'source_labels', 0], message: '"utf-8.label" is not a valid label name' },
    ]);
    assert.deepEqual(errorsOf(HEAD_TAIL[2]!.relabel, '2'), [
      {
        path: [0, 'target_label'],
        message: `"utf-8.label" is invalid 'target_label' for replace action`,
      },
    ]);
    assert.deepEqual(
      errorsOf(HEAD_TAIL[4]!.relabel, '2').map((e) => e.message),
      [
        'error parsing regexp: invalid or unsupported Perl syntax: `(?<`',
        'error parsing regexp: invalid or unsupported Perl syntax: `(?<`',
      ],
    );
  });
});
