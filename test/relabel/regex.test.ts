/**
 * Relabel regexes: Go's RE2 semantics where JavaScript's RegExp would differ (discovery-notes
 * §2.4), Prometheus's anchoring per version, Go's error texts, and the fast paths, checked
 * against re2js on generated patterns.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { PromVersion } from '#lib/discovery/types.ts';
import { compileRegex, type RelabelRegex } from '#lib/relabel/index.ts';
import { compileRegexUncached } from '#lib/relabel/regex.ts';

function re(source: string, version: PromVersion = '3'): RelabelRegex {
  const compiled = compileRegex(source, version);
  if (!compiled.ok) assert.fail(compiled.message);
  return compiled.regex;
}

function errorOf(source: string, version: PromVersion): string {
  const compiled = compileRegex(source, version);
  if (compiled.ok) assert.fail(`${source} should not compile`);
  return compiled.message;
}

describe('Go RE2 semantics where JavaScript RegExp differs', () => {
  const MATCHES: [pattern: string, input: string, match: boolean, why: string][] = [
    ['\\s', ' ', true, '\\s is [\\t\\n\\f\\r ]'],
    ['\\s', '\t', true, '\\s is [\\t\\n\\f\\r ]'],
    ['\\s', '\v', false, 'Go \\s has no \\v'],
    ['\\s', '\u00a0', false, 'Go \\s is ASCII: no NBSP'],
    ['\\s', '\u2028', false, 'Go \\s is ASCII: no line separator'],
    ['\\s', '\ufeff', false, 'Go \\s is ASCII: no BOM'],
    ['\\d', '٣', false, 'Go \\d is ASCII'],
    ['\\w', 'é', false, 'Go \\w is ASCII'],
    ['(?i)k', '\u212a', true, '(?i) uses Unicode simple folding: Kelvin sign'],
    ['(?i)s', 'ſ', true, '(?i): long s folds to s'],
    ['(?i)straße', 'STRASSE', false, 'simple folding: ß is not SS'],
    ['a(?i)b', 'aB', true, 'a flag group anywhere'],
    ['(?i:a)b', 'Ab', true, 'scoped flags'],
    ['(?P<n>x)', 'x', true, 'Python-style named group'],
    ['a\\z', 'a', true, '\\z is end of text'],
    ['\\Aa', 'a', true, '\\A is start of text'],
    ['\\Q.*\\E', '.*', true, '\\Q…\\E is literal'],
    ['\\Q.*\\E', 'abc', false, '\\Q…\\E is literal'],
    ['[[:alpha:]]+', 'abc', true, 'POSIX class'],
    ['[[:alpha:]]', ':', false, 'POSIX class, not a set of [:alph] characters'],
    ['[[:^space:]]', ' ', false, 'negated POSIX class'],
    ['\\pL+', 'héllo', true, 'Unicode class without braces'],
    ['\\p{Greek}', 'α', true, 'Unicode script'],
    ['\\p{Greek}', 'a', false, 'Unicode script'],
    ['.', '😀', true, '. is one code point, not one UTF-16 unit'],
    ['\\x{1F600}', '😀', true, '\\x{…} escapes'],
    ['\\141', 'a', true, '\\141 is octal, not a backreference'],
    ['\\_\\:\\@\\"', '_:@"', true, 'escaped punctuation is itself'],
    ['a{,5}', 'a{,5}', true, 'an invalid repeat is literal text'],
    ['x{1000}', 'x'.repeat(1000), true, '1000 repeats are allowed'],
    ['[^a]', '\n', true, 'negated classes match newline'],
    ['a', 'a\n', false, '$ is end of text, not before a final newline'],
    ['a$b', 'ab', false, 'an inner $ is end of text'],
    ['^metrics$', 'metrics', true, 'inner anchors are harmless'],
    ['\\ba\\b', 'a', true, 'ASCII word boundary'],
    ['f|o', 'foo', false, 'anchoring covers the whole alternation'],
  ];
  for (const [pattern, input, match, why] of MATCHES) {
    test(`${pattern} ${match ? 'matches' : 'does not match'} ${JSON.stringify(input)}: ${why}`, () => {
      assert.equal(re(pattern).matches(input), match);
      assert.equal(re(pattern, '2').matches(input), match);
    });
  }

  test('"." and newlines: 2.x ^(?:…)$ excludes \\n, 3.x ^(?s:…)$ includes it (#14505)', () => {
    assert.equal(re('a.b', '2').matches('a\nb'), false);
    assert.equal(re('a.b', '3').matches('a\nb'), true);
    assert.equal(re('(?s:a.b)', '2').matches('a\nb'), true);
    assert.equal(re('(?-s:a.b)', '3').matches('a\nb'), false);
    for (const v of ['2', '3'] as const) {
      assert.equal(re('a.b', v).matches('a\rb'), true, '. matches \\r (JS does not)');
      assert.equal(re('a.b', v).matches('a\u2028b'), true, '. matches U+2028 (JS does not)');
    }
  });

  test('leftmost-first submatches, as Go picks them', () => {
    assert.deepEqual(re('(a|ab)(c|bcd)(d*)').findSubmatch('abcd'), ['abcd', 'a', 'bcd', '']);
    assert.deepEqual(re('(a|b)*').findSubmatch('ab'), ['ab', 'b']);
    assert.deepEqual(re('(?U)(a+)(a*)').findSubmatch('aaa'), ['aaa', 'a', 'aa']);
    assert.deepEqual(re('(a)|b').findSubmatch('b'), ['b', undefined]);
  });

  test('a group in a loop keeps its last value (JavaScript resets it to undefined)', () => {
    assert.deepEqual(re('(?:(a)|b)+').findSubmatch('ab'), ['ab', 'a']);
  });

  test('the source is kept as written (Prometheus strips its anchoring from String())', () => {
    assert.equal(re('  (.*) ').source, '  (.*) ');
  });
});

describe("Go's error messages", () => {
  const BOTH: [pattern: string, message: string][] = [
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['a{2,1}', 'invalid repeat count: `{2,1}`'],
    ['((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})', 'invalid repeat count: `{2}`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a++', 'invalid nested repetition operator: `++`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['[a', 'missing closing ]: `[a)$`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
    ['(?P<>a)', 'invalid named capture: `(?P<>`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(?#c)', 'invalid or unsupported Perl syntax: `(?#`'],
  ];
  for (const [pattern, message] of BOTH) {
    test(`${pattern}: ${message}`, () => {
      assert.equal(errorOf(pattern, '2'), `error parsing regexp: ${message}`);
      assert.equal(errorOf(pattern, '3'), `error parsing regexp: ${message}`);
    });
  }

  test('a repeated group name loads, as Go loads it, and $n takes the first group that matched', () => {
    for (const version of ['2', '3'] as const) {
      const r = re('(?P<n>a):80|(?P<n>b):80', version);
      assert.deepEqual(r.groupNames, ['', 'n', 'n']);
      assert.equal(r.replaceAll('a:80', '$n'), 'a');
      assert.equal(r.replaceAll('b:80', '${n}'), 'b');
    }
  });

  test('messages that name the whole anchored expression show each version’s anchoring', () => {
    assert.equal(errorOf('a)', '2'), 'error parsing regexp: unexpected ): `^(?:a))$`');
    assert.equal(errorOf('a)', '3'), 'error parsing regexp: unexpected ): `^(?s:a))$`');
    assert.equal(errorOf('(a', '3'), 'error parsing regexp: missing closing ): `^(?s:(a)$`');
  });

  test('(?<name>…) exists from Go 1.22 (3.x) only; 2.42 stops at the first (?<', () => {
    assert.deepEqual(re('(?<n>a)', '3').groupNames, ['', 'n']);
    const angle = 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`';
    assert.equal(errorOf('(?<n>a)', '2'), angle);
    assert.equal(errorOf('(?<=a)b', '2'), angle);
    assert.equal(errorOf('x(?<n>a)(', '2'), angle, 'the (?< comes before the missing )');
    assert.equal(errorOf('(x(?<n>a)', '2'), angle);
    assert.equal(
      errorOf('a**(?<n>a)', '2'),
      'error parsing regexp: invalid nested repetition operator: `**`',
    );
    assert.equal(re('[(?<]\\Q(?<\\E\\(?<', '2').matches('?(?<(<'), true, 'not group openers');
    assert.equal(
      errorOf('(?<=a)b', '3'),
      'error parsing regexp: invalid named capture: `(?<=a)b)$`',
    );
  });

  test('nesting and size limits name the expression; 2.42 called "too large" internal', () => {
    const deep = '('.repeat(1001) + ')'.repeat(1001);
    assert.equal(
      errorOf(deep, '3'),
      `error parsing regexp: expression nests too deeply: \`^(?s:${deep})$\``,
    );
    const large = '(' + '(xx?)'.repeat(1000) + '){1000}';
    assert.equal(
      errorOf(large, '3'),
      `error parsing regexp: expression too large: \`^(?s:${large})$\``,
    );
    assert.equal(
      errorOf(large, '2'),
      `error parsing regexp: regexp/syntax: internal error: \`^(?:${large})$\``,
    );
  });
});

describe('fast paths', () => {
  const STRATEGIES: [pattern: string, strategy: string][] = [
    ['(.*)', 'affix'],
    ['', 'literals'],
    ['true', 'literals'],
    ['Failed|Succeeded', 'literals'],
    ['^metrics$', 'literals'],
    ['\\.foo\\-', 'literals'],
    ['Pod;(.*)', 'affix'],
    ['__meta_kubernetes_pod_label_(.+)', 'affix'],
    ['(kps);true', 'affix'],
    ['(Failed|Succeeded)', 'affix'],
    ['.*_total$', 'affix'],
    ['(?:a|b)c', 'affix'],
    ['(.+);(.+)', 're2'],
    ['(?i)true', 're2'],
    ['a.b', 're2'],
    ['a{2}', 're2'],
    ['(?P<n>.*)', 're2'],
    ['\\d+', 're2'],
  ];
  for (const [pattern, strategy] of STRATEGIES) {
    test(`${pattern} → ${strategy}`, () => {
      assert.equal(re(pattern).strategy, strategy);
    });
  }

  /** Patterns from the fast grammar's pieces, plus pieces it must refuse. */
  const piece = fc.constantFrom(
    'a',
    'b',
    ';',
    '\\.',
    '\\-',
    'é',
    '😀',
    '\n',
    '.',
    '*',
    '+',
    '?',
    '|',
    '(',
    ')',
    '(?:',
    '^',
    '$',
    '(.*)',
    '(.+)',
    '.*',
    '.+',
    '(a|ab|)',
    '(?:b|)',
    '[ab]',
    '{2}',
    '\\d',
  );
  const text = fc.array(fc.constantFrom('a', 'b', ';', '.', '-', 'é', '😀', '\n', ''), {
    maxLength: 6,
  });

  test('a fast plan answers exactly as re2js does (generated patterns and inputs)', () => {
    let planned = 0;
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }),
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<PromVersion>('2', '3'),
        (pieces, inputs, version) => {
          const source = pieces.join('');
          const fast = compileRegexUncached(source, version);
          const slow = compileRegexUncached(source, version, { fastPath: false });
          assert.equal(fast.ok, slow.ok);
          if (!fast.ok || !slow.ok || fast.regex.strategy === 're2') return;
          planned++;
          for (const parts of inputs) {
            const s = parts.join('');
            const why = `${JSON.stringify(source)} on ${JSON.stringify(s)} (${version})`;
            assert.equal(fast.regex.matches(s), slow.regex.matches(s), why);
            assert.deepEqual(fast.regex.findSubmatch(s), slow.regex.findSubmatch(s), why);
          }
        },
      ),
      { numRuns: 4000 },
    );
    assert.ok(planned > 300, `only ${planned} patterns took a fast path`);
  });
});
