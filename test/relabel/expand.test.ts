/**
 * Go's `regexp.Expand` rules (golang/go `src/regexp/regexp.go`, `expand`/`extract`), where
 * JavaScript's replacement patterns differ: `$1x`, `${1}`, `$01`, `$&`, `$<name>`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRegex, expandTemplate } from '#lib/relabel/index.ts';

const groups = ['foo bar', 'foo', 'bar'];
const names = new Map([['first', 1]]);

const TABLE: [template: string, expected: string, why: string][] = [
  ['plain', 'plain', 'no $ at all'],
  ['$1', 'foo', 'group 1'],
  ['$0', 'foo bar', 'group 0 is the whole match'],
  ['${1}', 'foo', 'braced number'],
  ['${1}x', 'foox', 'braces end the name'],
  ['$1x', '', '$1x is the group named "1x", which does not exist'],
  ['x$1y z', 'x z', 'a name takes every letter and digit after $'],
  ['$1-$2', 'foo-bar', '- ends a name'],
  ['$2$1', 'barfoo', 'adjacent references'],
  ['$$', '$', '$$ is a literal $'],
  ['$$1', '$1', '$$ then the text 1'],
  ['x$$$1', 'x$foo', '$$ then $1'],
  ['$', '$', 'a trailing $ is kept'],
  ['a$', 'a$', 'a trailing $ after text is kept'],
  ['$-', '$-', '$ before a non-name character is kept'],
  ['$ 1', '$ 1', '$ before a space is kept'],
  ['${', '${', 'an open brace without a name is kept'],
  ['${1', '${1', 'a missing closing brace keeps the $'],
  ['${}', '${}', 'an empty braced name is kept'],
  ['${a-b}', '${a-b}', 'a braced name must be only name characters'],
  ['${1}}', 'foo}', 'a second } is text'],
  ['$3', '', 'a number out of range is empty'],
  ['$10', '', '$10 is group 10, not group 1 then 0'],
  ['$01', '', 'a leading zero makes a name ("01")'],
  ['$100000000', '', 'a number ≥ 1e8 is out of range'],
  ['$1000000000', '', 'ten digits stop being a number: a name'],
  ['$first', 'foo', 'a named group'],
  ['${first}x', 'foox', 'a braced named group'],
  ['$firstx', '', 'the longest name wins: "firstx" does not exist'],
  ['$nope', '', 'an unknown name is empty'],
  ['$1ü', '', 'Unicode letters extend the name'],
  ['$١', '', 'a non-ASCII digit is part of a name, never a number'],
  ['$&', '$&', "JavaScript's $& means nothing to Go"],
  ['$<first>', '$<first>', "JavaScript's $<name> means nothing to Go"],
  ["$'$`", "$'$`", "JavaScript's $' and $` mean nothing to Go"],
];

describe('expandTemplate follows Go regexp.Expand', () => {
  for (const [template, expected, why] of TABLE) {
    test(`${JSON.stringify(template)} → ${JSON.stringify(expected)}: ${why}`, () => {
      assert.equal(expandTemplate(template, groups, names), expected);
    });
  }
  test('a group that took no part in the match is empty', () => {
    assert.equal(expandTemplate('[$1][$2]', ['b', undefined, 'b'], new Map()), '[][b]');
  });
});

describe('expansion through a compiled regex', () => {
  test('named groups, both syntaxes (3.x)', () => {
    const c = compileRegex('(?P<first>\\w+) (?<second>\\w+)', '3');
    assert.ok(c.ok);
    const m = c.regex.findSubmatch('hello world');
    assert.ok(m !== null);
    assert.equal(c.regex.expand('$second-${first}', m), 'world-hello');
    assert.deepEqual(c.regex.groupNames, ['', 'first', 'second']);
  });
  test('replaceAll of an anchored regex expands once, or returns the input unchanged', () => {
    const c = compileRegex('__meta_(.+)', '3');
    assert.ok(c.ok);
    assert.equal(c.regex.replaceAll('__meta_app', 'x_$1'), 'x_app');
    assert.equal(c.regex.replaceAll('other', 'x_$1'), 'other');
  });
});
