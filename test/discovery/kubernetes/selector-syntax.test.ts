/**
 * The selector syntax checks against kubernetes/apimachinery's own tests (`pkg/labels/
 * selector_test.go` TestSelectorParse and TestParseOperator, `pkg/fields/selector_test.go`), with
 * the messages its parser builds (read from `pkg/labels/selector.go`, `pkg/fields/selector.go`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldSelectorError, labelSelectorError } from '#lib/discovery/kubernetes/index.ts';

const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('label selector syntax', () => {
  // TestSelectorParse's testGoodStrings.
  for (const good of [
    'x=a,y=b,z=c',
    '',
    'x!=a,y=b',
    'x=',
    'x= ',
    'x=,z= ',
    'x= ,z= ',
    '!x',
    'x>1',
    'x>1,z<5',
    'foo in (bar,baz)',
    'x in (foo,,baz),y,z notin ()',
    'notin=in',
    'app.kubernetes.io/name in (a, b)',
  ]) {
    it(`accepts ${JSON.stringify(good)} (apimachinery selector_test.go)`, () => {
      assert.equal(labelSelectorError(good, '3'), null);
      assert.equal(labelSelectorError(good, '2'), null);
    });
  }

  // TestSelectorParse's testBadStrings, with the message each makes.
  const bad: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_RULE}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [
      'x<a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['x (a)', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
  ];
  for (const [selector, message] of bad) {
    it(`refuses ${JSON.stringify(selector)} with apimachinery's message`, () => {
      assert.equal(labelSelectorError(selector, '3'), message);
    });
  }

  it('words key errors as each apimachinery version does', () => {
    assert.equal(
      labelSelectorError('a/b/c=d', '2'),
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    );
    assert.equal(
      labelSelectorError('a/b/c=d', '3'),
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    );
    const long = 'k'.repeat(64);
    assert.match(
      labelSelectorError(long, '2') ?? '',
      /name part must be no more than 63 characters$/,
    );
    assert.match(labelSelectorError(long, '3') ?? '', /name part must be no more than 63 bytes$/);
  });
});

describe('field selector syntax', () => {
  it('accepts the terms of apimachinery fields/selector_test.go', () => {
    for (const good of [
      'a=value',
      'b==value',
      'c!=value',
      'k=\\,',
      'k=\\=',
      '함=수',
      '',
      'spec.nodeName=n1,status.phase!=Failed',
    ]) {
      assert.equal(fieldSelectorError(good), null, good);
    }
  });

  it('refuses what ParseSelector refuses, with its messages', () => {
    assert.equal(
      fieldSelectorError('metadata.status-Running'),
      "invalid selector: 'metadata.status-Running'; can't understand 'metadata.status-Running'",
    );
    // The terms are sorted before they are read: "a" comes before "b=1".
    assert.equal(fieldSelectorError('b=1,a'), "invalid selector: 'b=1,a'; can't understand 'a'");
    assert.equal(
      fieldSelectorError('k=\\a'),
      'invalid field selector: invalid escape sequence: \\a',
    );
    assert.equal(
      fieldSelectorError('k=v\\'),
      'invalid field selector: invalid escape sequence: \\',
    );
    assert.equal(
      fieldSelectorError('k=a=b'),
      'invalid field selector: unescaped character in value: 61',
    );
  });
});
