/**
 * `mode: 'scrape'`: the parser takes what Prometheus's scrape path takes. Each tolerated case
 * parses with its warning and the series Prometheus 2.42 counted (`scrape_samples_scraped`, as
 * measured by test/peers/parser-verdict.test.ts), and still fails in validate mode with today's
 * message; each case Prometheus refuses still fails. The results must not depend on chunking.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExposition } from '#lib/exposition/index.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
} from '#lib/exposition/index.ts';
import { caseBytes, ERROR_CASES } from './error-cases.ts';
import { bytes, fixture, outcome, parseChunked } from './helpers.ts';

const P = 'prometheus';
const O = 'openmetrics';
const PROMTOOL = 'the format forbids it (promtool check metrics fails)';
const OM = 'OpenMetrics 1.0 forbids it';

interface Tolerated {
  format: ExpositionFormat;
  /** Latin-1, so that NULs and other bytes are written as they are. */
  input: string;
  /** Prometheus 2.42's scrape_samples_scraped for it. */
  series: number;
  warning: string;
  /** Today's validate-mode outcome, `line:column: message`. */
  validate: string;
  /** Only Prometheus 3 reads it: with prometheusVersion '2' it fails. */
  v3only?: true;
}

// One case per line, so that it reads as the table it is.
// prettier-ignore
const TOLERATED: Tolerated[] = [
  // ---------------------------------------------------------------- label values
  { format: P, input: 'a{b="x\\ty"} 1\n', series: 1, warning: `line 1: the label value of "b" has "\\\\t", an escape the format does not define; Prometheus keeps it as written, but ${PROMTOOL}`, validate: '1:7: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\t"' },
  { format: O, input: 'a{b="\\q"} 1\na{b="\\t"} 2\n# EOF\n', series: 2, warning: `line 1: the label value of "b" has "\\\\q", an escape the format does not define; Prometheus keeps it as written, but ${OM} (and 1 more line like it)`, validate: '1:6: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\q"' },
  { format: P, input: 'a{b="x\ny"} 1\nc 2\n', series: 2, warning: `line 1: the label value of "b" holds a raw line feed (the sample goes on to line 2); Prometheus reads it as part of the label value, but ${PROMTOOL}`, validate: '1:7: expected a closing quote for the label value, got end of line' },
  { format: P, input: 'a{b="x\n# TYPE a counter\n", c = "\n"} 1 5\nc 2\n', series: 2, warning: `line 1: the label value of "b" holds a raw line feed (the sample goes on to line 2); Prometheus reads it as part of the label value, but ${PROMTOOL} (and 2 more lines like it)`, validate: '1:7: expected a closing quote for the label value, got end of line' },
  { format: P, input: 'a{b="x"\u0000\u0000, c="y"} 1\n', series: 1, warning: `line 1: a NUL byte follows the closing quote of the label value of "b"; Prometheus accepts it, but keeps that quote (and any NULs but the last) in the value, and ${PROMTOOL}`, validate: '1:8: expected a label name or "}", got "\\x00\\x00"' },
  { format: O, input: 'a{b="x"\u0000} 1\n# EOF\n', series: 1, warning: `line 1: a NUL byte follows the closing quote of the label value of "b"; Prometheus accepts it, but keeps that quote (and any NULs but the last) in the value, and ${OM}`, validate: '1:8: expected "," or "}", got "\\x00"' },
  // ---------------------------------------------------------------- label names
  { format: P, input: 'a{b="",b="1"} 1\n', series: 1, warning: `line 1: the label "b" appears more than once in one sample, once with an empty value; Prometheus accepts it because it drops every "b" of a sample where one is empty (so the sample is stored without "b"), but ${PROMTOOL}`, validate: '1:8: expected unique label names, got "b" again' },
  { format: O, input: 'a{b="1",b="2",b=""} 1\n# EOF\n', series: 1, warning: `line 1: the label "b" appears more than once in one sample, once with an empty value; Prometheus accepts it because it drops every "b" of a sample where one is empty (so the sample is stored without "b"), but ${OM}`, validate: '1:9: expected unique label names, got "b" again' },
  { format: O, input: '# TYPE a counter\na_total 1 # {t="1",t="2"} 1\n# EOF\n', series: 1, warning: `line 2: the exemplar's labels break the format (expected unique label names, got "t" again); Prometheus keeps the sample and at most drops the exemplar, but ${OM}`, validate: '2:20: expected unique label names, got "t" again' },
  // ---------------------------------------------------------------- text 0.0.4 metadata
  { format: P, input: '# TYPE m counter\n# TYPE m gauge\nm 1\n', series: 1, warning: `line 2: a second # TYPE for "m"; Prometheus accepts it, but ${PROMTOOL}`, validate: '2:8: expected one # TYPE line for "m", got a second' },
  { format: P, input: '# HELP m a\n# HELP m b\nm 1\n# HELP m c\n', series: 1, warning: `line 2: a second # HELP for "m"; Prometheus accepts it, but ${PROMTOOL} (and 1 more line like it)`, validate: '2:8: expected one # HELP line for "m", got a second' },
  { format: P, input: 'm 1\n# TYPE m counter\nn 2\n', series: 2, warning: `line 2: # TYPE for "m" comes after its samples; Prometheus accepts it, but ${PROMTOOL}`, validate: '2:8: expected # TYPE before the first sample of "m", got it after' },
  { format: P, input: '# TYPE a{counter\na 1\n', series: 1, warning: `line 1: # TYPE "a" is followed by "{", not a space; Prometheus drops that character and reads the rest as the type, but ${PROMTOOL}`, validate: '1:9: expected a space after the metric name, got "{"' },
  { format: P, input: '# HELP a{ some help\na 1\n', series: 1, warning: `line 1: # HELP "a" is followed by "{", not a space; Prometheus drops that character and reads the rest as the help text, but ${PROMTOOL}`, validate: '1:9: expected a space after the metric name, got "{"' },
  // ---------------------------------------------------------------- NUL: Prometheus stops reading
  { format: P, input: 'm 1\n\u0000n 2\nq 3\n', series: 1, warning: `line 2: a NUL byte starts the line; Prometheus stops reading the body there and keeps the 1 sample before it, and ${PROMTOOL}`, validate: '2:1: expected a metric name or "#", got "\\x00n"' },
  { format: P, input: 'm 1\nn 2\n \t\u0000{{{ not even "valid\n', series: 2, warning: `line 3: a NUL byte starts the line; Prometheus stops reading the body there and keeps the 2 samples before it, and ${PROMTOOL}`, validate: '3:3: expected a metric name or "#", got "\\x00"' },
  // ---------------------------------------------------------------- OpenMetrics families
  { format: O, input: '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n# EOF\n', series: 3, warning: 'line 5: the samples of family "a" go on after family "b"; Prometheus accepts it, but OpenMetrics 1.0 forbids interleaved families', validate: '5:1: expected the samples of family "a" together (OpenMetrics families must not be interleaved), got "a" after family "b"' },
  { format: O, input: '# HELP a x\nb 1\n# TYPE a gauge\na 1\n# EOF\n', series: 2, warning: 'line 3: # TYPE for "a" comes after family "b"; Prometheus accepts it, but OpenMetrics 1.0 keeps a family\'s metadata and samples together', validate: '3:8: expected the metadata and samples of family "a" together (OpenMetrics families must not be interleaved), got # TYPE after family "b"' },
  { format: O, input: 'a 1\n# TYPE a gauge\n# HELP a h\n# EOF\n', series: 1, warning: 'line 2: # TYPE for "a" comes after its samples; Prometheus accepts it, but OpenMetrics 1.0 puts a family\'s metadata first (and 1 more line like it)', validate: '2:8: expected # TYPE before the samples of "a", got it after them' },
  { format: O, input: '# TYPE a gauge\n# TYPE a counter\na 1\n# EOF\n', series: 1, warning: `line 2: a second # TYPE for "a"; Prometheus accepts it, but ${OM}`, validate: '2:8: expected one # TYPE line for "a", got a second' },
  { format: O, input: '# HELP a x\n# HELP a y\na 1\n# EOF\n', series: 1, warning: `line 2: a second # HELP for "a"; Prometheus accepts it, but ${OM}`, validate: '2:8: expected one # HELP line for "a", got a second' },
  { format: O, input: '# UNIT a_s s\n# UNIT a_s s\na_s 1\n# EOF\n', series: 1, warning: `line 2: a second # UNIT for "a_s"; Prometheus accepts it, but ${OM}`, validate: '2:8: expected one # UNIT line for "a_s", got a second' },
  // ---------------------------------------------------------------- Prometheus 3 only (from source)
  { format: O, input: 'a{b="1",} 1\n# EOF\n', series: 1, warning: `line 1: a trailing comma ends a label set; Prometheus 3 reads it, but Prometheus 2 refuses the whole scrape, and ${OM}`, validate: '1:9: expected a label name, got "}"', v3only: true },
];

/** Valid for `parse`, but not what Prometheus reads, or not what promtool accepts. */
// prettier-ignore
const ALSO: { format: ExpositionFormat; input: string; series: number; validateSeries: number; warning: string }[] = [
  // promlex.l: `#` alone runs consumeComment, which ends the input at any NUL; after `#` and
  // blanks, a NUL as the first character does the same. The format allows both.
  { format: P, input: 'm 1\n#x\u0000y\nq 3\n', series: 1, validateSeries: 2, warning: 'line 2: a NUL byte in a comment; the format allows it, but Prometheus stops reading the body there and keeps the 1 sample before it' },
  { format: P, input: 'm 1\n# \u0000y\nq 3\n', series: 1, validateSeries: 2, warning: 'line 2: a NUL byte in a comment; the format allows it, but Prometheus stops reading the body there and keeps the 1 sample before it' },
  // Deeper into a `# ` comment, promlex.l's `next()` skips NULs: nothing stops.
  { format: P, input: 'm 1\n# x\u0000y\nq 3\n', series: 2, validateSeries: 2, warning: '' },
  // expfmt (promtool) refuses these; promparse.go takes them, and `parse` does too.
  { format: P, input: 'a{b="1" c="2"} 1\n', series: 1, validateSeries: 1, warning: `line 1: no comma before the label at column 9; Prometheus reads the labels without it, but ${PROMTOOL}` },
  { format: P, input: '# HELP a x\\ty\na 1\n', series: 1, validateSeries: 1, warning: `line 1: the # HELP text of "a" has a backslash that is not an escape (\\\\ or \\n); Prometheus keeps it as written, but ${PROMTOOL}` },
];

/** What Prometheus 2.42 refuses (its lastError in the comment), and scrape mode's failure. */
// prettier-ignore
const REFUSED: { format: ExpositionFormat; input: string; error: string; v2only?: true }[] = [
  { format: P, input: '# TYPE a{ counter\na 1\n', error: '1:10: expected a metric type (counter, gauge, histogram, summary or untyped), got " counter"' }, // invalid metric type " counter"
  { format: P, input: 'm{__name__="x"} 1\n', error: '1:3: expected the metric name before "{", not as a label, got "__name__"' }, // label name "__name__" is not unique
  { format: P, input: 'm{a="1",a="2"} 1\n', error: '1:9: expected unique label names, got "a" again' }, // label name "a" is not unique
  { format: O, input: 'a{b="1",b="2"} 1\n# EOF\n', error: '1:9: expected unique label names, got "b" again' },
  { format: P, input: 'm abc\n', error: '1:3: expected a number, got "abc"' }, // strconv.ParseFloat: parsing "abc"
  { format: P, input: 'm{a="\u00ff\u00fe"} 1\n', error: '1:6: expected a label value in UTF-8, got byte 0xff' }, // invalid UTF-8 label value
  { format: P, input: 'm\u0000x 1\n', error: '1:2: expected a number, got "\\x00x"' }, // expected value after metric
  { format: P, input: 'a{b="x\\\ny"} 1\n', error: '1:7: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\"' }, // expected label value
  { format: P, input: 'm{a="x\nn 2\n', error: '2:4: expected a closing quote for the label value, got end of input' }, // expected label value
  { format: P, input: '# HELP m\u0000text\nm 1\n', error: '1:9: expected a space after the metric name, got "\\x00text"' }, // linebreak expected after metadata
  { format: O, input: 'a 1\n', error: '2:1: expected "# EOF" as the last line, got end of input' }, // data does not end with # EOF
  { format: O, input: 'a 1\n# EOF\nb 2\n', error: '3:1: expected the end of the input after "# EOF", got more bytes' }, // unexpected data after # EOF
  { format: O, input: 'a{b="x\ny"} 1\n# EOF\n', error: '1:7: expected a closing quote for the label value, got end of line' }, // expected label value
  { format: O, input: 'a 1\n\u0000b 2\n# EOF\n', error: '2:1: expected a metric name or "# ", got "\\x00b"' }, // is not a valid start token
  { format: O, input: '# TYPE a counter\na_total 1 # {t="\u0000"} 1\n# EOF\n', error: '2:17: expected an exemplar label value without NUL bytes, got byte 0x00' }, // expected label value
  { format: P, input: '{"m"} 1\n', error: '1:2: expected an unquoted name (Prometheus 2 reads no quoted names), got "\\""', v2only: true }, // is not a valid start token
  { format: O, input: 'a{b="1",} 1\n# EOF\n', error: '1:9: expected a label name, got "}"', v2only: true }, // expected label name, got "BCLOSE"
];

const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const scrape = (format: ExpositionFormat, v: '2' | '3' = '2'): ExpositionOptions => ({
  format,
  mode: 'scrape',
  prometheusVersion: v,
});

for (const c of TOLERATED) {
  test(`scrape mode takes ${c.format} ${JSON.stringify(c.input)}`, () => {
    const input = latin1(c.input);
    const r = parseExposition(input, scrape(c.format, '3'));
    assert.equal(outcome(r), 'ok');
    assert.equal(r.series, c.series);
    assert.deepStrictEqual(r.warnings, [c.warning]);
    const v2 = parseExposition(input, scrape(c.format, '2'));
    assert.equal(outcome(v2) === 'ok', c.v3only !== true, outcome(v2));
    assert.equal(outcome(parseExposition(input, { format: c.format })), c.validate);
    assert.equal(
      outcome(parseExposition(input, { format: c.format, mode: 'validate' })),
      c.validate,
    );
  });
}

for (const c of ALSO) {
  test(`scrape mode reads ${c.format} ${JSON.stringify(c.input)} as Prometheus does`, () => {
    const input = latin1(c.input);
    const r = parseExposition(input, scrape(c.format));
    assert.equal(outcome(r), 'ok');
    assert.equal(r.series, c.series);
    assert.deepStrictEqual(r.warnings, c.warning === '' ? [] : [c.warning]);
    const v = parseExposition(input, { format: c.format });
    assert.equal(outcome(v), 'ok');
    assert.equal(v.series, c.validateSeries);
  });
}

for (const c of REFUSED) {
  test(`scrape mode refuses ${c.format} ${JSON.stringify(c.input)}, as Prometheus does`, () => {
    const input = latin1(c.input);
    assert.equal(outcome(parseExposition(input, scrape(c.format, '2'))), c.error);
    if (c.v2only !== true) {
      assert.equal(outcome(parseExposition(input, scrape(c.format, '3'))), c.error);
    }
  });
}

test('label values are kept as Prometheus stores them (as its API shows them)', () => {
  // Unknown escapes as written, raw line feeds, and after NULs that follow a closing quote, the
  // quote and all NULs but the last.
  const r = parseExposition(latin1('a{b="x\\ty\\n",c="1\n2",d="\\\\",e="z"\u0000\u0000} 1\n'), {
    ...scrape(P),
    collect: 'families',
  });
  assert.deepStrictEqual(r.families?.[0]?.samples[0]?.labels, {
    b: 'x\\ty\n',
    c: '1\n2',
    d: '\\',
    e: 'z"\u0000',
  });
});

test('a NUL that stops the reading leaves the rest of the body unread, however it arrives', () => {
  const input = latin1(`m 1\n\u0000${'garbage "{\n'.repeat(1000)}`);
  const stream = parseChunked(input, [5, 6, 100, 5000], scrape(P));
  assert.equal(outcome(stream), 'ok');
  assert.equal(stream.series, 1);
  assert.equal(stream.bytes, input.length);
});

test('warnings of one kind are counted, not repeated', () => {
  const body = Array.from({ length: 1000 }, (_, i) => `a{b="\\q${i}", c="\\w"} ${i}\n`).join('');
  const r = parseExposition(body, scrape(P));
  assert.equal(r.series, 1000);
  assert.deepStrictEqual(r.warnings, [
    `line 1: the label value of "b" has "\\\\q", an escape the format does not define; Prometheus keeps it as written, but ${PROMTOOL} (and 999 more lines like it)`,
  ]);
});

test('a sample over many lines is read once its value closes, and not again and again', () => {
  const lines = 200_000;
  const body = bytes(`a 1\nb{c="${'x\n'.repeat(lines)}"} 2\nd 3\n`);
  const cuts: number[] = [];
  for (let k = 7; k < body.length; k += 7) cuts.push(k);
  const started = performance.now();
  const r = parseChunked(body, cuts, { ...scrape(P), collect: 'families' });
  const ms = performance.now() - started;
  assert.equal(outcome(r), 'ok');
  assert.equal(r.series, 3);
  assert.equal(r.families?.[1]?.samples[0]?.labels.c?.length, 2 * lines);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms for ${cuts.length} chunks`);
  // The whole of such a sample counts against maxLineBytes.
  const capped = parseChunked(body, cuts, { ...scrape(P), maxLineBytes: 1000 });
  assert.match(outcome(capped), /^2:1: expected a sample of at most 1000 bytes \(maxLineBytes\)/);
  assert.equal(capped.series, 1);
});

/** The rows of error-cases.ts that scrape mode (for Prometheus 3) takes. */
const TOLERATED_ERROR_CASES = new Set([
  'a{b="\\x"} 1\n',
  'a{b="\\t"} 1\n# EOF\n',
  'a{"b\\q"="x"} 1\n',
  '\u0000a 1\n',
  '# TYPE a counter\n# TYPE a counter\n',
  '# TYPE a gauge\na 1\n# TYPE a gauge\n',
  'a 1\n# TYPE a gauge\n',
  '# HELP a x\n# HELP a y\n',
  'a{b="c",} 1\n# EOF\n',
  '# HELP a x\n# HELP a y\n# EOF\n',
  '# TYPE a gauge\n# TYPE a gauge\n# EOF\n',
  '# UNIT a_s s\n# UNIT a_s s\n# EOF\n',
  '# TYPE a counter\na_total 1\n# HELP a x\n# EOF\n',
  '# TYPE a counter\na_total 1\nb 1\na_total 2\n# EOF\n',
  'a 1\nb 1\na 2\n# EOF\n',
  '# HELP a x\nb 1\n# TYPE a gauge\n# EOF\n',
  'a 1 # {b="1",b="2"} 1\n# EOF\n',
]);

test('every error case either still fails in scrape mode or is one of the tolerated', () => {
  let taken = 0;
  for (const c of ERROR_CASES) {
    const options: ExpositionOptions = { ...scrape(c.format, '3') };
    if (c.maxLineBytes !== undefined) options.maxLineBytes = c.maxLineBytes;
    const r = parseExposition(caseBytes(c), options);
    if (TOLERATED_ERROR_CASES.has(c.input)) {
      taken++;
      assert.equal(r.error, null, `${c.input}: ${outcome(r)}`);
      assert.ok(r.warnings.length > 0, c.input);
    } else {
      assert.notEqual(r.error, null, `${c.input} should still fail`);
    }
  }
  assert.equal(taken, TOLERATED_ERROR_CASES.size);
});

const ALL = [...TOLERATED, ...ALSO, ...REFUSED];

test('scrape mode: splitting at every byte position gives the same result', () => {
  for (const c of ALL) {
    for (const v of ['2', '3'] as const) {
      const input = latin1(c.input);
      const options = { ...scrape(c.format, v), collect: 'families' as const };
      const whole = parseExposition(input, options);
      for (let k = 0; k <= input.length; k++) {
        assert.deepStrictEqual(parseChunked(input, [k], options), whole, `${c.input} at ${k}`);
      }
      const bytewise = Array.from({ length: input.length }, (_, i) => i);
      assert.deepStrictEqual(parseChunked(input, bytewise, options), whole, c.input);
    }
  }
});

/** Bytes that matter to scrape mode, to mutate inputs with: NULs, quotes, line feeds, escapes. */
const INTERESTING = Array.from('{}"=,\\\n\0 #:_ntq1', (ch) => ch.charCodeAt(0));

function mutate(
  input: Uint8Array,
  steps: { at: number; kind: number; byte: number }[],
): Uint8Array {
  const out = Array.from(input);
  for (const step of steps) {
    const at = step.at % (out.length + 1);
    if (step.kind === 0) out.splice(at, 0, step.byte);
    else if (step.kind === 1) out.splice(at, 1);
    else if (at < out.length) out[at] = step.byte;
  }
  return new Uint8Array(out);
}

function assertWellFormed(r: ExpositionResult): void {
  if (r.error === null) return;
  assert.ok(r.error.line >= 1 && r.error.column >= 1);
  assert.match(r.error.message, /^expected .+, got .+$/s);
}

for (const [name, format] of [
  ['prometheus.txt', P],
  ['openmetrics.txt', O],
] as const) {
  test(`${name}, mutated: scrape mode never throws and does not depend on chunking`, () => {
    const input = fixture(name);
    const step = fc.record({
      at: fc.nat(),
      kind: fc.integer({ min: 0, max: 2 }),
      byte: fc.constantFrom(...INTERESTING),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom('2' as const, '3' as const),
        (steps, rawCuts, v) => {
          const mutated = mutate(input, steps);
          const cuts = rawCuts.map((c) => c % (mutated.length + 1)).sort((a, b) => a - b);
          const options = { ...scrape(format, v), collect: 'families' as const };
          const whole = parseExposition(mutated, options);
          assertWellFormed(whole);
          assert.deepStrictEqual(parseChunked(mutated, cuts, options), whole);
        },
      ),
      { numRuns: 300 },
    );
  });
}

test('bad options are refused', () => {
  assert.throws(
    () => parseExposition('', { format: P, mode: 'lenient' as 'scrape' }),
    /mode must be validate or scrape/,
  );
  assert.throws(
    () => parseExposition('', { format: P, mode: 'scrape', prometheusVersion: '1' as '2' }),
    /prometheusVersion must be 2 or 3/,
  );
});
