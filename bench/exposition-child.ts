/**
 * Streams one file through the parser and prints one JSON line: what `parse.bench.ts` runs in a
 * fresh process, so that its wall time and peak RSS are the parser's alone. The file is read into
 * one reused buffer (64 KiB, as `scrape-check parse` reads, or `--chunk KiB`), as the parser
 * allows: it keeps no view of a chunk.
 *
 * usage: node bench/exposition-child.ts FILE prometheus|openmetrics [--lint] [--collect] [--read-only] [--chunk KiB]
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ExpositionStream } from '#lib/exposition/index.ts';

const [file, format, ...flags] = process.argv.slice(2);
if (file === undefined || (format !== 'prometheus' && format !== 'openmetrics')) {
  console.error(
    'usage: node bench/exposition-child.ts FILE prometheus|openmetrics [--lint] [--collect] [--read-only] [--chunk KiB]',
  );
  process.exit(2);
}

/**
 * Peak RSS of this process image: VmHWM, which execve resets. getrusage's ru_maxrss survives
 * execve, so a child spawned by a large parent would report the parent's size.
 */
function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const chunkAt = flags.indexOf('--chunk');
const CHUNK = (chunkAt >= 0 ? Number(flags[chunkAt + 1]) : 64) * 1024;

async function* chunks(path: string): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

const start = performance.now();
if (flags.includes('--read-only')) {
  // The baseline: the same process reading the same file, parsing nothing.
  let bytes = 0;
  for await (const chunk of chunks(file)) bytes += chunk.length;
  const ms = performance.now() - start;
  const maxRssBytes = peakRss();
  console.log(JSON.stringify({ ms, bytes, series: 0, error: null, maxRssBytes }));
  process.exit(0);
}
const stream = new ExpositionStream({
  format,
  lint: flags.includes('--lint'),
  collect: flags.includes('--collect') ? 'families' : 'none',
});
for await (const chunk of chunks(file)) if (!stream.write(chunk)) break;
const result = stream.end();
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    ms,
    bytes: result.bytes,
    series: result.series,
    error: result.error,
    maxRssBytes: peakRss(),
    heapUsed: process.memoryUsage().heapUsed,
  }),
);
process.exit(result.error === null ? 0 : 1);
