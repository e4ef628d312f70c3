/**
 * Snappy block-format compression, as Prometheus remote_write 1.0 requires ("The request body MUST
 * be compressed using Google's Snappy block format", https://prometheus.io/docs/specs/prw/remote_write_spec/).
 * Not the framing format: remote_write uses the raw block (https://github.com/google/snappy/blob/main/format_description.txt).
 *
 * A port of the greedy matcher of golang/snappy `encode_other.go` (the encoder Prometheus itself
 * uses): input is cut into 64 KiB blocks, each matched against itself with a 16 K-entry hash
 * table, so every copy offset fits two bytes. Pure TypeScript, so Lambda bundles carry no native
 * addon.
 */

const MAX_BLOCK = 65536;
const TABLE_BITS = 14;
/** Go's inputMargin: the matcher stops this far from the end so 4-byte loads stay in bounds. */
const INPUT_MARGIN = 16 - 1;
const MIN_NON_LITERAL_BLOCK = 1 + 1 + INPUT_MARGIN;

class Output {
  bytes: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  push(byte: number): void {
    this.bytes[this.length++] = byte;
  }
}

function maxEncodedLength(n: number): number {
  // golang/snappy MaxEncodedLen: 32 + n + n/6.
  return 32 + n + Math.ceil(n / 6);
}

function load32(src: Uint8Array, i: number): number {
  return (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> 0;
}

function hash(u: number): number {
  return Math.imul(u, 0x1e35a7bd) >>> (32 - TABLE_BITS);
}

function emitLiteral(out: Output, src: Uint8Array, start: number, end: number): void {
  const n = end - start - 1;
  if (n < 60) {
    out.push(n << 2);
  } else if (n < 1 << 8) {
    out.push(60 << 2);
    out.push(n);
  } else if (n < 1 << 16) {
    out.push(61 << 2);
    out.push(n & 0xff);
    out.push(n >>> 8);
  } else {
    out.push(62 << 2);
    out.push(n & 0xff);
    out.push((n >>> 8) & 0xff);
    out.push(n >>> 16);
  }
  out.bytes.set(src.subarray(start, end), out.length);
  out.length += end - start;
}

function emitCopy(out: Output, offset: number, length: number): void {
  let remaining = length;
  // Copies are at most 64 bytes; leave at least 4 for the last one (golang/snappy emitCopy).
  while (remaining >= 68) {
    out.push((63 << 2) | 2);
    out.push(offset & 0xff);
    out.push(offset >>> 8);
    remaining -= 64;
  }
  if (remaining > 64) {
    out.push((59 << 2) | 2);
    out.push(offset & 0xff);
    out.push(offset >>> 8);
    remaining -= 60;
  }
  if (remaining >= 12 || offset >= 2048) {
    out.push(((remaining - 1) << 2) | 2);
    out.push(offset & 0xff);
    out.push(offset >>> 8);
    return;
  }
  out.push(((offset >>> 8) << 5) | ((remaining - 4) << 2) | 1);
  out.push(offset & 0xff);
}

function encodeBlock(out: Output, src: Uint8Array, table: Int32Array): void {
  const end = src.length;
  if (end < MIN_NON_LITERAL_BLOCK) {
    if (end > 0) emitLiteral(out, src, 0, end);
    return;
  }
  table.fill(0);
  const sLimit = end - INPUT_MARGIN;
  let nextEmit = 0;
  let s = 1;
  let nextHash = hash(load32(src, s));
  for (;;) {
    // Look for a 4-byte match, skipping faster through incompressible data.
    let skip = 32;
    let nextS = s;
    let candidate = 0;
    for (;;) {
      s = nextS;
      const bytesBetweenHashLookups = skip >>> 5;
      nextS = s + bytesBetweenHashLookups;
      skip += bytesBetweenHashLookups;
      if (nextS > sLimit) {
        if (nextEmit < end) emitLiteral(out, src, nextEmit, end);
        return;
      }
      candidate = table[nextHash]!;
      table[nextHash] = s;
      nextHash = hash(load32(src, nextS));
      if (load32(src, s) === load32(src, candidate)) break;
    }
    emitLiteral(out, src, nextEmit, s);
    // Emit copies for as long as the next bytes match again right away.
    for (;;) {
      const base = s;
      s += 4;
      let i = candidate + 4;
      while (s < end && src[i] === src[s]) {
        i++;
        s++;
      }
      emitCopy(out, base - candidate, s - base);
      nextEmit = s;
      if (s >= sLimit) {
        if (nextEmit < end) emitLiteral(out, src, nextEmit, end);
        return;
      }
      const prev = load32(src, s - 1);
      table[hash(prev)] = s - 1;
      const currHash = hash(load32(src, s));
      candidate = table[currHash]!;
      table[currHash] = s;
      if (load32(src, s) !== load32(src, candidate)) {
        s++;
        nextHash = hash(load32(src, s));
        break;
      }
    }
  }
}

/**
 * Compresses `input` into one Snappy block: a varint of the uncompressed length, then literals and
 * copies. The result is a fresh array.
 *
 * @example
 * const body = snappyCompress(encodeWriteRequest(series));
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Output(maxEncodedLength(input.length));
  let n = input.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  const table = new Int32Array(1 << TABLE_BITS);
  for (let start = 0; start < input.length; start += MAX_BLOCK) {
    encodeBlock(out, input.subarray(start, Math.min(start + MAX_BLOCK, input.length)), table);
  }
  return out.bytes.slice(0, out.length);
}
