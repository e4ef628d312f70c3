/** `scrape-check parse`, run in-process with fake streams. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseCommand } from '#lib/cli/parse-command.ts';
import { fixture } from './helpers.ts';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin: (Uint8Array | string)[] = []): Promise<Run> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await parseCommand(args, { stdout, stderr, stdin: Readable.from(stdin) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let dir = '';
const path = (name: string): string => join(dir, name);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scrape-check-parse-'));
  await writeFile(path('valid.prom'), fixture('prometheus.txt'));
  await writeFile(path('valid.om'), fixture('openmetrics.txt'));
  await writeFile(path('valid.om.gz'), gzipSync(fixture('openmetrics.txt')));
  await writeFile(path('invalid.prom'), '# HELP a A.\n# TYPE a gauge\na{b="c} 1\n');
  await writeFile(path('small.prom'), '# HELP up Whether up.\n# TYPE up gauge\nup{job="x"} 1\n');
  await writeFile(path('corrupt.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a valid file: exit 0 and a summary for people', async () => {
  const r = await run([path('valid.prom')]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /valid Prometheus text 0\.0\.4 exposition/);
  assert.match(r.stdout, /^ {2}format: {3}prometheus$/m);
  assert.match(r.stdout, /^ {2}families: 17$/m);
  assert.match(r.stdout, /^ {2}series: {3}36$/m);
  assert.match(r.stdout, new RegExp(`^  bytes:    ${fixture('prometheus.txt').length}$`, 'm'));
  assert.match(r.stdout, /^ {2}warnings: \d+$/m);
  assert.match(r.stdout, /^ {4}line 8: "msdos_file_access_time_seconds" has no HELP$/m);
});

test('auto takes OpenMetrics when the file ends in # EOF', async () => {
  const r = await run([path('valid.om')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid OpenMetrics 1\.0 exposition/);
  assert.match(r.stdout, /series: {3}27/);
});

test('an invalid file: exit 1 and FILE:LINE:COLUMN: message on stderr', async () => {
  const r = await run([path('invalid.prom')]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    `${path('invalid.prom')}:3:10: expected a closing quote for the label value, got end of line\n`,
  );
});

test('--format forces the format', async () => {
  const r = await run([path('valid.om'), '--format', 'prometheus']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /valid\.om:10:28: expected the end of the line after the timestamp/);
});

test('--json prints the contract document', async () => {
  const r = await run(['--json', path('small.prom')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepStrictEqual(doc, {
    format: 'prometheus',
    series: 1,
    warnings: [],
    families: [
      {
        name: 'up',
        type: 'gauge',
        help: 'Whether up.',
        unit: '',
        samples: [{ name: 'up', labels: { job: 'x' }, value: 1, timestampMs: null }],
      },
    ],
  });
});

test('--json: special values are strings, exemplars and timestamps in milliseconds', async () => {
  const r = await run(['--json', path('valid.om')]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    format: string;
    families: {
      name: string;
      samples: { value: unknown; timestampMs: unknown; exemplar?: unknown }[];
    }[];
  };
  assert.equal(doc.format, 'openmetrics');
  const byName = new Map(doc.families.map((f) => [f.name, f]));
  assert.equal(byName.get('nan_values')?.samples[0]?.value, 'NaN');
  assert.equal(byName.get('go_goroutines')?.samples[0]?.timestampMs, 1520879607789);
  assert.deepStrictEqual(byName.get('foo')?.samples[3]?.exemplar, {
    labels: { trace_id: 'KOO5S4vxi0o' },
    value: 0.67,
    timestampMs: 1500000000000,
  });
});

test('gzip files are decoded', async () => {
  const r = await run([path('valid.om.gz')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid OpenMetrics 1\.0 exposition/);
});

test('corrupt gzip is an invalid input', async () => {
  const r = await run([path('corrupt.gz')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^.*corrupt\.gz: .+\n$/);
});

test('stdin, with - or no FILE, in pieces, plain or gzip', async () => {
  const text = fixture('prometheus.txt');
  const pieces = [text.subarray(0, 100), text.subarray(100, 101), text.subarray(101)];
  for (const args of [['-'], []]) {
    const r = await run(args, pieces);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<stdin>: valid Prometheus text 0\.0\.4 exposition$/m);
    assert.match(r.stdout, /series: {3}36/);
  }
  const om = gzipSync(fixture('openmetrics.txt'));
  const r = await run(['-'], [om.subarray(0, 5), om.subarray(5)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid OpenMetrics 1\.0 exposition/);
});

test('a pipe named as FILE (parse <(curl …)): read once, in order, plain or gzip', async () => {
  for (const [name, body] of [
    ['plain.fifo', fixture('openmetrics.txt')],
    ['gzip.fifo', gzipSync(fixture('openmetrics.txt'))],
  ] as const) {
    assert.equal(spawnSync('mkfifo', [path(name)]).status, 0);
    const parsed = run([path(name)]);
    createWriteStream(path(name)).end(body);
    const r = await parsed;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid OpenMetrics 1\.0 exposition/, name);
  }
});

test('stdin that is invalid reports <stdin>:LINE:COLUMN', async () => {
  const r = await run(['-'], ['a 1\n', 'b{', '} x\n']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '<stdin>:2:5: expected a number, got "x"\n');
});

test('empty stdin is a valid, empty exposition', async () => {
  const r = await run(['-'], []);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /series: {3}0/);
});

test('bad usage exits 2 with one message and nothing on stdout', async () => {
  // docs/reference.md: "scrape-check: <what is wrong>", then for a bad command line (not a bad
  // file) "Try 'scrape-check parse --help'.".
  const cases: [string[], RegExp, boolean][] = [
    [[path('missing.prom')], /missing\.prom: no such file/, false],
    [[dir], /is a directory, not a file/, false],
    [['--bogus'], /unknown option --bogus for parse/, true],
    [
      ['--format', 'xml', path('small.prom')],
      /--format must be auto, prometheus or openmetrics, got "xml"/,
      true,
    ],
    [[path('small.prom'), path('valid.om')], /parse takes at most 1 argument .*, got 2/, true],
  ];
  for (const [args, message, usage] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^scrape-check: /);
    assert.match(lines[0]!, message);
    assert.deepStrictEqual(lines.slice(1), usage ? ["Try 'scrape-check parse --help'."] : []);
  }
});

test('--help prints the usage', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: scrape-check parse \[FILE\|-\]/);
});
