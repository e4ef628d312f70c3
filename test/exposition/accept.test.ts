/**
 * The accept lane (lib/exposition/accept) stands in for `ExpositionStream` with lint, the parser
 * `scrape-check parse` runs: whatever the lane accepts, the parser must read as valid, without a
 * warning, with the same series and families, however the input is cut into chunks. Checked on
 * generated expositions (well-formed ones, and the same with a line or a byte changed), on real
 * ones (Debian's node_exporter, the benchmark's kube-apiserver corpus), and on each thing the
 * parser refuses or warns about, which the lane must give back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  AcceptLane,
  compileCore,
  CRASHED,
  describeGivenBack,
  GIVE_BACK_REASONS,
  type CoreModule,
} from '#lib/exposition/accept/lane.ts';
import { parseExposition } from '#lib/exposition/index.ts';
import { SUFFIXES } from '#lib/exposition/metric-types.ts';
import { buildCorpus } from '../../bench/exposition-corpus.ts';
import { compileAcceptCore, compileAssemblyScript } from '../../scripts/build-cli.ts';
import { BINARIES, peerMissing, startPlainNodeExporter, type Peer } from '../helpers/peers.ts';

const core: CoreModule = compileCore(await compileAcceptCore());
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The lane over `input` cut at `cuts`: the counts when it accepts, null when it gives back. */
function lane(input: Uint8Array, cuts: readonly number[] = []) {
  const l = new AcceptLane(core);
  let prev = 0;
  for (const cut of [...cuts, input.length]) {
    // A fresh copy per piece, scribbled over afterwards: the lane must keep what it needs.
    const piece = input.slice(prev, cut);
    const open = l.write(piece);
    piece.fill(0x21);
    prev = cut;
    if (!open) break;
  }
  return { accepted: l.end(), givenBack: l.givenBack };
}

/** What the parser makes of `input`, as `scrape-check parse` runs it. */
const parser = (input: Uint8Array) => parseExposition(input, { format: 'prometheus', lint: true });

/**
 * The property: when the lane accepts, the parser agrees, with the same counts. Returns whether
 * the lane accepted, so that a test can check it is not vacuous.
 */
function agrees(input: Uint8Array, cuts: readonly number[] = []): boolean {
  const { accepted, givenBack } = lane(input, cuts);
  if (accepted === null) {
    assert.notEqual(givenBack, null, 'a lane that gives back says why');
    return false;
  }
  const parsed = parser(input);
  const text = new TextDecoder().decode(input);
  assert.equal(parsed.error, null, `the lane accepted what the parser refuses:\n${text}`);
  assert.deepEqual(parsed.warnings, [], `the lane accepted what the parser warns about:\n${text}`);
  assert.deepEqual(
    accepted,
    { bytes: input.length, series: parsed.series, familyCount: parsed.familyCount },
    text,
  );
  return true;
}

// ---- Generated expositions ----------------------------------------------------------------------

/** Names that are each other's plus a suffix, so that samples meet the family rules. */
const NAMES = ['a', 'a_total', 'a_bucket', 'a_count', 'a_sum', 'a_created', 'b', 'b_total', 'c'];
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;
const LABEL_VALUES = ['', 'x', 'y', 'GET', 'a b', 'a\\\\b', 'say \\"hi\\"', 'a\\nb', '0.5', '1'];
const VALUES = ['0', '1', '7', '12.5', '-3', '1e3', '2.5e-3', '+Inf', '-Inf', 'NaN', '.5', '5.'];
const BOUNDS = ['0.005', '0.1', '0.25', '1', '2.5', '10', '1e+07'];

interface FamilySpec {
  name: string;
  type: (typeof TYPES)[number];
  help: boolean;
  series: { labels: [string, string][]; value: string }[];
  buckets: number;
}

const family: fc.Arbitrary<FamilySpec> = fc.record({
  name: fc.constantFrom(...NAMES),
  type: fc.constantFrom(...TYPES),
  help: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  series: fc.array(
    fc.record({
      labels: fc.array(
        fc.tuple(fc.constantFrom('code', 'verb', 'path', 'x'), fc.constantFrom(...LABEL_VALUES)),
        { maxLength: 3 },
      ),
      value: fc.constantFrom(...VALUES),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  buckets: fc.integer({ min: 1, max: BOUNDS.length }),
});

/** Unique label names per series, as a well-formed exposition has them. */
function pairs(labels: [string, string][]): string {
  const seen = new Set<string>();
  const kept = labels.filter(([name]) => !seen.has(name) && seen.add(name));
  return kept.map(([n, v]) => `${n}="${v}"`).join(',');
}

/** The lines of one family, well-formed (lint may still warn: a name without `_total`, …). */
function familyLines(f: FamilySpec): string[] {
  const out: string[] = [];
  if (f.help) out.push(`# HELP ${f.name} Help for ${f.name}, with \\\\ and \\n escapes.`);
  out.push(`# TYPE ${f.name} ${f.type}`);
  f.series.forEach((s, i) => {
    const base = pairs([...s.labels, ['series', String(i)]]);
    if (f.type === 'histogram') {
      let count = 0;
      for (const le of [...BOUNDS.slice(0, f.buckets), '+Inf']) {
        count += i + 1;
        out.push(`${f.name}_bucket{${base},le="${le}"} ${count}`);
      }
      out.push(`${f.name}_sum{${base}} ${s.value}`, `${f.name}_count{${base}} ${count}`);
    } else if (f.type === 'summary') {
      out.push(`${f.name}{${base},quantile="0.5"} ${s.value}`);
      out.push(`${f.name}_sum{${base}} 1.5`, `${f.name}_count{${base}} 3 1700000000000`);
    } else {
      out.push(`${f.name}{${base}} ${s.value}`);
    }
  });
  return out;
}

const body: fc.Arbitrary<string[]> = fc
  .uniqueArray(family, { minLength: 1, maxLength: 4, selector: (f) => f.name })
  .map((families) => families.flatMap(familyLines));

/** A line the subset may or may not hold, and the parser may or may not take. */
const ODD_LINES = [
  '',
  '# a comment',
  '#',
  '# HELP a',
  '# HELP a  two spaces',
  '# HELP a bad \\t escape',
  '# TYPE a gauge',
  '# TYPE a counter',
  '# TYPE a histogram ',
  '# TYPE a untyped ',
  '# TYPE a countery',
  '# TYPE a nonsense',
  'a 1',
  'a  1',
  'a\t1',
  'a 1 ',
  'a{} 1',
  'a{x="1",} 1',
  'a{x="1"y="2"} 1',
  'a{x="1",x="2"} 1',
  'a{__name__="b"} 1',
  'a{x="é"} 1',
  'a{x="\\t"} 1',
  'a 0x10',
  'a 1_000',
  'a .',
  'a -',
  'a e5',
  'a Inf',
  'a 1e400',
  'a 123456789012345678901',
  'a 1 -5',
  'a 1 99999999999999999999',
  'a_bucket{le="1"} 2',
  'a_bucket{le="0.5"} 3',
  'a_bucket{le="+Inf"} 1',
  'a_bucket{le="x"} 1',
  'a_bucket 1',
  'a_total 1',
  'b_total{x="1"} 1',
  'c 1\r',
  '{"a"} 1',
];

/** A body with one change: a line inserted, dropped, repeated, or swapped with the next. */
const changedBody = fc
  .tuple(
    body,
    fc.nat(),
    fc.constantFrom('insert', 'drop', 'repeat', 'swap'),
    fc.constantFrom(...ODD_LINES),
  )
  .map(([lines, at, how, odd]) => {
    const out = [...lines];
    const i = at % (out.length + 1);
    if (how === 'insert') out.splice(i, 0, odd);
    else if (how === 'drop') out.splice(i, 1);
    else if (how === 'repeat' && i < out.length) out.splice(i, 0, out[i]!);
    else if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
    return out;
  });

const render = (lines: string[], lastLf: boolean): Uint8Array =>
  encode(lines.join('\n') + (lastLf ? '\n' : ''));

/** Bytes a byte-level change writes: separators, escapes, digits, a non-ASCII letter, NUL, CR. */
const BYTES = [...Buffer.from(' \t\\"{},=\n_aeE09.+-#\r\0\xc3\xa9', 'latin1')];

describe('the accept lane accepts only what the parser accepts alike', () => {
  test('well-formed expositions, whole and in chunks', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (lines, lf, at) => {
        const input = render(lines, lf);
        const cuts = [...new Set(at.map((n) => n % (input.length + 1)))].sort((x, y) => x - y);
        const whole = agrees(input);
        assert.equal(agrees(input, cuts), whole, 'the same answer in chunks');
        if (whole) accepted++;
      }),
      { numRuns: 400 },
    );
    // Not vacuous: most well-formed expositions are the lane's (the rest draw lint warnings).
    assert.ok(accepted > 120, `the lane accepted ${accepted} of 400`);
  });

  test('expositions with a line inserted, dropped, repeated or swapped', () => {
    let accepted = 0;
    fc.assert(
      fc.property(changedBody, (lines) => {
        if (agrees(render(lines, true))) accepted++;
      }),
      { numRuns: 600 },
    );
    assert.ok(accepted > 60, `the lane accepted ${accepted} of 600`);
  });

  test('expositions with a byte changed', () => {
    fc.assert(
      fc.property(body, fc.nat(), fc.constantFrom(...BYTES), (lines, at, byte) => {
        const input = render(lines, true);
        input[at % input.length] = byte;
        agrees(input);
      }),
      { numRuns: 800 },
    );
  });
});

describe('the accept lane gives back what the parser refuses or warns about', () => {
  const HEAD = '# HELP h Latency.\n# TYPE h histogram\n';
  const cases: [string, string][] = [
    ['a duplicate series', '# HELP a A.\n# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
    [
      'a duplicate series, labels in another order',
      '# HELP a A.\na{x="1",y="2"} 1\na{y="2",x="1"} 2\n',
    ],
    [
      'a duplicate series after thousands of others (the tables have grown)',
      `# HELP a A.\n${Array.from({ length: 5000 }, (_, i) => `a{i="${i}"} 1\n`).join('')}a{i="7"} 2\n`,
    ],
    [
      'a duplicate bucket group after thousands of others',
      `# HELP h H.\n# TYPE h histogram\n${Array.from({ length: 3000 }, (_, i) => `h_bucket{i="${i}",le="+Inf"} 1\n`).join('')}h_bucket{i="7",le="+Inf"} 2\n`,
    ],
    ['a duplicate label', '# HELP a A.\na{x="1",x="2"} 1\n'],
    ['a family without HELP', '# TYPE a gauge\na 1\n'],
    ['a sample of no family', 'a 1\n'],
    ['a counter without _total', '# HELP a A.\n# TYPE a counter\na 1\n'],
    ['a second HELP', '# HELP a A.\n# HELP a B.\na 1\n'],
    ['a second TYPE', '# HELP a A.\n# TYPE a gauge\n# TYPE a gauge\na 1\n'],
    ['TYPE after the samples', '# HELP a A.\na 1\n# TYPE a gauge\n'],
    ['HELP with an escape text 0.0.4 lacks', '# HELP a A \\t tab.\na 1\n'],
    ['buckets that are not cumulative', `${HEAD}h_bucket{le="1"} 5\nh_bucket{le="+Inf"} 4\n`],
    ['a histogram without le="+Inf"', `${HEAD}h_bucket{le="1"} 5\n`],
    ['a bucket without le', `${HEAD}h_bucket 5\n`],
    ['a bucket whose le is no number', `${HEAD}h_bucket{le="x"} 5\nh_bucket{le="+Inf"} 5\n`],
    // Read as "gauge" and then a line "a 1", and so on, these would pass.
    ...['counter', 'gauge', 'histogram', 'summary', 'untyped'].map((word): [string, string] => [
      `a TYPE word run on: ${word}`,
      `# HELP a_total A.\n# TYPE a_total ${word}a_total 1\n`,
    ]),
    ['a TYPE word and more', '# HELP a A.\n# TYPE a untyped x\na 1\n'],
    ['a value that is no number', '# HELP a A.\na one\n'],
    ['a value out of range', '# HELP a A.\na 1e400\n'],
    ['a value of a sign alone', '# HELP a A.\na -\n'],
    ['a value of a dot alone', '# HELP a A.\na .\n'],
    ['a value of an exponent alone', '# HELP a A.\na e5\n'],
    [
      'a summary sample named _bucket (its own family, without HELP)',
      '# HELP s S.\n# TYPE s summary\ns_bucket{le="+Inf"} 1\n',
    ],
    [
      'a counter sample named _sum (its own family, without HELP)',
      '# HELP c_total C.\n# TYPE c_total counter\nc_total_sum 1\n',
    ],
    ['a negative timestamp', '# HELP a A.\na 1 -5\n'],
    ['a timestamp beyond int64', '# HELP a A.\na 1 99999999999999999999\n'],
    ['a missing value', '# HELP a A.\na{x="1"}\n'],
    ['an unclosed label set', '# HELP a A.\na{x="1" 1\n'],
    ['a non-UTF-8 label value', '# HELP a A.\na{x="\xff"} 1\n'],
  ];
  for (const [what, text] of cases) {
    test(what, () => {
      const input = new Uint8Array(Buffer.from(text, 'latin1'));
      const parsed = parser(input);
      assert.ok(
        parsed.error !== null || parsed.warnings.length > 0,
        `the parser takes it without a word: ${JSON.stringify(parsed)}`,
      );
      const { accepted, givenBack } = lane(input);
      assert.equal(accepted, null);
      assert.notEqual(givenBack, null);
    });
  }
});

describe('the accept lane places samples in families as the parser does', () => {
  test('a sample joins the current family before a family of its own exact name', () => {
    // h_count belongs to the histogram h being read, not to the family h_count made by its HELP,
    // which may then take its TYPE: it has no samples.
    const text =
      '# HELP h_count C.\n# HELP h H.\n# TYPE h histogram\nh_count 1\n# TYPE h_count gauge\n';
    assert.ok(agrees(encode(text)), JSON.stringify(lane(encode(text)).givenBack));
  });

  test('a family comes back after another (text 0.0.4 allows it)', () => {
    const text = '# HELP a A.\n# HELP b B.\na{x="1"} 1\nb 2\na{x="2"} 3\n';
    assert.ok(agrees(encode(text)), JSON.stringify(lane(encode(text)).givenBack));
  });
});

describe('the accept lane takes real expositions', () => {
  test("the benchmark's kube-apiserver-like corpus (histograms, escapes, special values)", () => {
    const { text } = buildCorpus({ targetBytes: 400_000, seed: 5 });
    const input = encode(text);
    assert.ok(agrees(input), JSON.stringify(lane(input).givenBack));
    assert.ok(agrees(input, [1, 65_536, 65_537, 200_000]), 'in chunks');
  });

  let exporter: Peer | null = null;
  const missing = peerMissing(BINARIES.nodeExporter);
  before(async () => {
    if (missing === null) exporter = await startPlainNodeExporter();
  });
  after(async () => {
    await exporter?.stop();
  });

  test("Debian's node_exporter, scraped", { skip: missing ?? false }, async () => {
    const response = await fetch(`http://127.0.0.1:${exporter!.port}/metrics`);
    const input = new Uint8Array(await response.arrayBuffer());
    assert.ok(agrees(input), JSON.stringify(lane(input).givenBack));
    assert.ok(lane(input).accepted!.series > 50);
  });
});

test("the core's metric name suffixes are metric-types.ts's, in the same order", () => {
  const source = readFileSync(
    new URL('../../lib/exposition/accept/core.as.ts', import.meta.url),
    'utf8',
  );
  const list = /const SUFFIXES = new Words\(\[([^\]]*)\]\)/.exec(source)?.[1] ?? '';
  assert.deepEqual(
    [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]),
    SUFFIXES,
  );
});

test('every give-back code of the core is described in words, and nothing else', () => {
  const source = readFileSync(
    new URL('../../lib/exposition/accept/core.as.ts', import.meta.url),
    'utf8',
  );
  const section = source.slice(
    source.indexOf('Why an input is given back'),
    source.indexOf('---- The exposition'),
  );
  const codes = [...section.matchAll(/^const [A-Z_]+ = (\d+);/gm)].map((m) => Number(m[1]));
  assert.ok(codes.length > 20);
  assert.deepEqual(
    [...GIVE_BACK_REASONS.keys()].sort((a, b) => a - b),
    codes.sort((a, b) => a - b),
  );
  assert.equal(describeGivenBack({ reason: 1, line: 3 }), 'line 3: a comment line');
  assert.equal(
    describeGivenBack({ reason: 30, line: 0 }),
    'at the end: a histogram without le="+Inf"',
  );
});

test('a core that traps (a bug in it) gives the input back, saying so', async () => {
  // A stand-in for core.as.ts with its exports, whose `feed` fails as a broken core would.
  const broken = compileCore(
    await compileAssemblyScript(
      `export let why: i32 = 0;
      export let whyLine: i32 = 0;
      export let series: i32 = 0;
      export function begin(): void {}
      export function inputAt(n: i32): usize { return heap.alloc(<usize>n); }
      export function feed(n: i32): bool { unreachable(); return true; }
      export function finish(): bool { return true; }
      export function familyCount(): i32 { return 0; }`,
      'a trapping core',
    ),
  );
  const l = new AcceptLane(broken);
  assert.equal(l.write(encode('# HELP a A.\na 1\n')), false);
  assert.equal(l.end(), null);
  const given = l.givenBack!;
  assert.equal(given.reason, CRASHED);
  assert.match(describeGivenBack(given), /^the lane failed, a bug in scrape-check: unreachable/);
});
