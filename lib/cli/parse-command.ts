/**
 * `scrape-check parse [FILE|-] [--json] [--format auto|prometheus|openmetrics]`: parses an
 * exposition from a file (gzip or not) or stdin, streamed, and prints a summary or, with `--json`,
 * every family and sample (the contract's `parse` section).
 *
 * Exit codes: 0 valid, 1 invalid (`FILE:LINE:COLUMN: message` on stderr), 2 bad usage.
 */
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { acceptCore, AcceptLane, describeGivenBack } from '#lib/exposition/accept/lane.ts';
import { detectFormat, ExpositionStream } from '#lib/exposition/index.ts';
import type { ExpositionFormat, ExpositionResult } from '#lib/exposition/index.ts';
import { PARSE } from './commands.ts';
import { reportUsageError, UsageError, type Io } from './io.ts';
import { helpText, parseCommandArgs } from './options.ts';

const CHUNK = 64 * 1024;
/**
 * A plain file is read 1 MiB at a time: with 64 KiB the main thread waited on some 460 reads of a
 * 30 MB exposition, about 0.3 s of the run (bench/parse.bench.ts); the parser takes any size.
 */
const FILE_CHUNK = 1024 * 1024;
const FORMATS = ['auto', 'prometheus', 'openmetrics'] as const;
type FormatChoice = (typeof FORMATS)[number];

function isFormatChoice(s: string): s is FormatChoice {
  return (FORMATS as readonly string[]).includes(s);
}

interface Source {
  /** The name errors are reported under. */
  display: string;
  chunks: AsyncIterable<Uint8Array>;
  /** A plain file's chunks again, from its start; null for what is read once (stdin, a pipe, gzip). */
  reread: (() => AsyncIterable<Uint8Array>) | null;
  /** The format, when it could be settled before reading (forced, or a plain file's tail). */
  format: ExpositionFormat | null;
  close(): Promise<void>;
}

/**
 * Runs `scrape-check parse` and returns its exit code; writes only to `io`. `env`:
 * `SCRAPE_CHECK_ACCEPT=off` parses without the accept lane, `=why` says on stderr what it did.
 *
 * @example
 * const code = await parseCommand(['metrics.txt', '--json'], { stdout, stderr, stdin });
 */
export async function parseCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  let source: Source;
  let json: boolean;
  try {
    const parsed = parseOptions(args);
    if (parsed === 'help') {
      io.stdout.write(`${helpText(PARSE)}\n`);
      return 0;
    }
    json = parsed.json;
    source = await openSource(parsed.file, parsed.format, io);
  } catch (error) {
    // Handled here as well as in main(): tests and callers run this command on its own.
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError(io, error);
  }

  let result: ExpositionResult;
  try {
    const lane =
      env['SCRAPE_CHECK_ACCEPT'] === 'off'
        ? null
        : { io, why: env['SCRAPE_CHECK_ACCEPT'] === 'why' };
    result = await parseSource(source, json, lane);
  } catch (error) {
    // A read error or corrupt gzip data: the input is not a readable exposition.
    io.stderr.write(`${source.display}: ${describeReadError(error)}\n`);
    return 1;
  } finally {
    await source.close();
  }

  const failure = result.error;
  if (failure !== null) {
    io.stderr.write(`${source.display}:${failure.line}:${failure.column}: ${failure.message}\n`);
    return 1;
  }
  if (json) await writeJson(io.stdout, result);
  else io.stdout.write(summary(source.display, result));
  return 0;
}

function parseOptions(
  args: string[],
): 'help' | { file: string; json: boolean; format: FormatChoice } {
  const parsed = parseCommandArgs(PARSE, args);
  if (parsed.flag('help')) return 'help';
  const format = parsed.text('format') ?? 'auto';
  if (!isFormatChoice(format)) {
    throw new UsageError(
      `--format must be auto, prometheus or openmetrics, got ${JSON.stringify(format)}`,
      'parse',
    );
  }
  return { file: parsed.positionals[0] ?? '-', json: parsed.flag('json'), format };
}

async function openSource(file: string, choice: FormatChoice, io: Io): Promise<Source> {
  const forced = choice === 'auto' ? null : choice;
  if (file === '-') {
    if ((io.stdin as { isTTY?: boolean }).isTTY === true) {
      throw new UsageError(
        'no FILE given and stdin is a terminal (use - with a pipe, or name a file)',
        'parse',
      );
    }
    return {
      display: '<stdin>',
      chunks: await gunzipIfNeeded(io.stdin as AsyncIterable<Uint8Array | string>),
      reread: null,
      format: forced,
      close: () => Promise.resolve(),
    };
  }
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (error) {
    throw new UsageError(`${file}: ${describeOpenError(error)}`);
  }
  try {
    const stat = await fh.stat();
    if (stat.isDirectory()) throw new UsageError(`${file}: is a directory, not a file`);
    if (!stat.isFile()) {
      // A pipe or a device (`parse <(curl …)` names /dev/fd/63): read once, in order, as stdin is.
      const stream = fh.createReadStream({ highWaterMark: CHUNK, autoClose: false });
      const chunks = await gunzipIfNeeded(stream as AsyncIterable<Uint8Array>);
      return { display: file, chunks, reread: null, format: forced, close: () => fh.close() };
    }
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    const gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    let format = forced;
    if (format === null && !gzip) {
      // A plain file's last bytes settle the format before reading it (`# EOF` at the end).
      const n = Math.min(stat.size, 8);
      const tail = new Uint8Array(n);
      await fh.read(tail, 0, n, stat.size - n);
      format = detectFormat(tail);
    }
    const chunks = gzip
      ? await gunzip(fh.createReadStream({ highWaterMark: CHUNK, autoClose: false }))
      : readInto(fh, FILE_CHUNK);
    const reread = gzip ? null : () => readInto(fh, FILE_CHUNK);
    return { display: file, chunks, reread, format, close: () => fh.close() };
  } catch (error) {
    await fh.close();
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * A plain file read into two reused buffers in turn, the next read under way (on libuv's thread
 * pool) while the parser reads the last: the parser keeps no view of a chunk (it copies the cut
 * line it carries over), so nothing is allocated per chunk.
 */
async function* readInto(fh: FileHandle, size: number): AsyncGenerator<Uint8Array> {
  const bufs = [new Uint8Array(size), new Uint8Array(size)];
  let position = 0;
  const readAt = (buf: Uint8Array) => fh.read(buf, 0, buf.length, position);
  let next = readAt(bufs[0]!);
  try {
    for (let k = 0; ; k ^= 1) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      position += bytesRead;
      next = readAt(bufs[k ^ 1]!);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // A parse that stops early leaves a read under way: let it end before the file is closed.
    await next.catch(() => undefined);
  }
}

/** A read or gzip error in scrape-check's words, zlib's own kept in brackets for searching. */
function describeReadError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'Z_BUF_ERROR') return `the gzip data ends early: the file is cut short (${message})`;
  if (code?.startsWith('Z_')) return `the gzip data is corrupt (${message})`;
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be read (${code ?? message})`;
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return (error as Error).message;
}

/** zlib and streams load only for gzip input: a plain file's parse starts some 5 ms sooner. */
async function gunzip(raw: Readable): Promise<AsyncIterable<Uint8Array>> {
  const [{ createGunzip }, { pipeline }] = await Promise.all([
    import('node:zlib'),
    import('node:stream'),
  ]);
  const unzip = createGunzip({ chunkSize: CHUNK });
  pipeline(raw, unzip, () => {
    // Errors surface through the iteration of `unzip`.
  });
  return unzip;
}

/** Stdin cannot be peeked twice: look at its first chunk for the gzip magic. */
async function gunzipIfNeeded(
  input: AsyncIterable<Uint8Array | string>,
): Promise<AsyncIterable<Uint8Array>> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return (async function* () {})();
  const head = toBytes(first.value);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield toBytes(r.value);
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const { Readable } = await import('node:stream');
    return gunzip(Readable.from(all()));
  }
  return all();
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/**
 * Feeds the chunks to the parser. When the format is not settled (auto, on stdin or gzip), both
 * parsers read the input side by side and the last bytes pick the result: one pass, bounded memory.
 * A plain text 0.0.4 file without `--json` goes through the accept lane first, and to the parser
 * only when the lane gives it back.
 */
async function parseSource(
  source: Source,
  json: boolean,
  lane: LaneSettings | null,
): Promise<ExpositionResult> {
  const options = { lint: true, collect: json ? ('families' as const) : ('none' as const) };
  let chunks = source.chunks;
  if (lane !== null && !json && source.format === 'prometheus' && source.reread !== null) {
    const accepted = await accept(chunks, lane);
    if (accepted !== null) return accepted;
    chunks = source.reread();
  }
  if (source.format !== null) {
    const stream = new ExpositionStream({ ...options, format: source.format });
    for await (const chunk of chunks) if (!stream.write(chunk)) break;
    return stream.end();
  }
  const prom = new ExpositionStream({ ...options, format: 'prometheus' });
  const om = new ExpositionStream({ ...options, format: 'openmetrics' });
  let promOk = true;
  let omOk = true;
  const tail = new Uint8Array(8);
  let tailLen = 0;
  for await (const chunk of chunks) {
    if (promOk) promOk = prom.write(chunk);
    if (omOk) omOk = om.write(chunk);
    tailLen = keepTail(tail, tailLen, chunk);
  }
  const format = detectFormat(tail.subarray(0, tailLen));
  const promResult = prom.end();
  const omResult = om.end();
  return format === 'openmetrics' ? omResult : promResult;
}

/** Whether the accept lane may run, and whether it says on stderr what it did (`=why`). */
interface LaneSettings {
  io: Io;
  why: boolean;
}

/**
 * The accept lane over `chunks`: the result the parser would give (valid, no warning), or null when
 * the lane gives the input back or there is no lane (the TypeScript sources).
 */
async function accept(
  chunks: AsyncIterable<Uint8Array>,
  settings: LaneSettings,
): Promise<ExpositionResult | null> {
  const say = (what: string): void => {
    if (settings.why) settings.io.stderr.write(`scrape-check: accept lane: ${what}\n`);
  };
  const core = acceptCore();
  if (core === null) {
    say('not in this build (the TypeScript sources run); the parser reads the input');
    return null;
  }
  const lane = new AcceptLane(core);
  for await (const chunk of chunks) if (!lane.write(chunk)) break;
  const accepted = lane.end();
  if (accepted === null) {
    say(`gave the input back (${describeGivenBack(lane.givenBack!)}); the parser reads it`);
    return null;
  }
  say('accepted: valid, no warnings');
  return {
    format: 'prometheus',
    bytes: accepted.bytes,
    series: accepted.series,
    familyCount: accepted.familyCount,
    error: null,
    warnings: [],
    families: null,
  };
}

function keepTail(tail: Uint8Array, len: number, chunk: Uint8Array): number {
  if (chunk.length >= tail.length) {
    tail.set(chunk.subarray(chunk.length - tail.length));
    return tail.length;
  }
  const keep = Math.min(len, tail.length - chunk.length);
  tail.copyWithin(0, len - keep, len);
  tail.set(chunk, keep);
  return keep + chunk.length;
}

function summary(display: string, r: ExpositionResult): string {
  const format = r.format === 'openmetrics' ? 'OpenMetrics 1.0' : 'Prometheus text 0.0.4';
  const lines = [
    `${display}: valid ${format} exposition`,
    `  format:   ${r.format}`,
    `  families: ${r.familyCount}`,
    `  series:   ${r.series}`,
    `  bytes:    ${r.bytes}`,
    `  warnings: ${r.warnings.length}`,
    ...r.warnings.map((w) => `    ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The contract's `parse --json` document, written family by family so it is never one string. */
async function writeJson(out: NodeJS.WritableStream, r: ExpositionResult): Promise<void> {
  const head = `{"format":${JSON.stringify(r.format)},"series":${r.series},"warnings":${JSON.stringify(r.warnings)},"families":[`;
  await write(out, head);
  const families = r.families ?? [];
  for (let i = 0; i < families.length; i++) {
    await write(out, (i === 0 ? '' : ',') + JSON.stringify(families[i]));
  }
  await write(out, ']}\n');
}

async function write(out: NodeJS.WritableStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}
