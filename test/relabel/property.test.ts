/**
 * Properties over random rule chains and label sets: compiling never throws (a bad rule is an
 * error value); relabeling never throws, never modifies its input, is deterministic, returns
 * sorted keys without empty values, and agrees with relabelSteps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import {
  compileRelabelConfigs,
  RELABEL_ACTIONS,
  relabel,
  relabelSteps,
} from '#lib/relabel/index.ts';

const name = fc.constantFrom('a', 'b', '__address__', '__meta_x_y', 'job', 'a.b', 'x_1', '');
const value = fc.constantFrom('', 'foo', 'bar;baz', 'a\nb', 'ß', 'İ', '10.0.0.1:80', '😀', 'x');
const pattern = fc.constantFrom(
  '(.*)',
  '',
  '.+',
  'foo',
  'f(.*)',
  '(a|b)',
  '__meta_(.+)',
  '([^:]+):(\\d+)',
  '(?i)X',
  '.*;.*',
  '(',
  '(?=a)',
  '\\s*',
  '(?P<n>.)(.*)',
  'a{2}',
  '[[:alpha:]]+',
);
const template = fc.constantFrom(
  '$1',
  '${1}',
  '$1x',
  '$$',
  '$n',
  'x_$1',
  '',
  'lit',
  '${2}_$0',
  '$',
);

const rule = fc.record(
  {
    action: fc.constantFrom(...RELABEL_ACTIONS, 'Replace', 'bogus', null),
    source_labels: fc.oneof(fc.array(name, { maxLength: 3 }), fc.constant(null)),
    separator: fc.constantFrom(';', '', '|'),
    regex: fc.oneof(pattern, fc.constant(null)),
    modulus: fc.constantFrom(0, 1, 7, 1000),
    target_label: fc.oneof(name, template),
    replacement: template,
  },
  { requiredKeys: [] },
);

const labels: fc.Arbitrary<LabelSet> = fc
  .dictionary(name, value, { maxKeys: 6 })
  .map((d) => ({ ...d }));

test('relabel never throws and is deterministic for random rule chains', () => {
  let compiledChains = 0;
  fc.assert(
    fc.property(
      fc.array(rule, { maxLength: 6 }),
      labels,
      fc.constantFrom<PromVersion>('2', '3'),
      (raw, input, version) => {
        const compiled = compileRelabelConfigs(raw, version);
        if (!compiled.ok) {
          assert.ok(compiled.errors.length > 0);
          return;
        }
        compiledChains++;
        const before = { ...input };
        const first = relabel(input, compiled.rules, version);
        const second = relabel(input, compiled.rules, version);
        assert.deepEqual(input, before);
        assert.deepEqual(second, first);
        assert.equal(first.labels === null, first.droppedBy !== null);
        if (first.labels !== null) {
          const keys = Object.keys(first.labels);
          assert.deepEqual(keys, [...keys].sort());
          assert.ok(Object.values(first.labels).every((v) => v !== ''));
        }
        const steps = relabelSteps(input, compiled.rules, version);
        assert.deepEqual(steps.labels, first.labels);
        assert.equal(steps.steps.length, compiled.rules.length);
        if (first.droppedBy !== null) assert.equal(steps.steps[first.droppedBy]!.keep, false);
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(compiledChains > 300, `only ${compiledChains} chains compiled`);
});
