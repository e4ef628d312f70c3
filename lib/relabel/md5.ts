/**
 * The part of MD5 that `hashmod` uses: bytes 8..15 of `md5(value)` as a big-endian uint64
 * (`model/relabel/relabel.go`: `binary.BigEndian.Uint64(hash[8:])`; 2.42's `sum64` loop gives the
 * same number, as shifts of 64 bits or more are 0 in Go).
 *
 * Written out (RFC 1321) because a relabel chain hashes every target and `node:crypto`'s
 * per-call cost (about 1.5 µs for a short string) is several times the hashing itself. The tests
 * compare it with `node:crypto` on random strings.
 */

/** RFC 1321 §3.4: floor(abs(sin(i + 1)) × 2^32). */
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

/** Per-round left rotations. */
const S = new Uint8Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
  20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6,
  10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
]);

/** Message buffer, reused: one relabel call at a time (JavaScript is single-threaded). */
let bytes = new Uint8Array(256);
const words = new Int32Array(16);
const state = new Int32Array(4);

/** UTF-8 encodes `s` into `bytes` (a lone surrogate becomes U+FFFD, as in Node); returns length. */
function encode(s: string): number {
  const need = s.length * 3 + 72;
  if (bytes.length < need) bytes = new Uint8Array(need * 2);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      bytes[n++] = c;
      continue;
    }
    if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        bytes[n++] = 0xf0 | (c >> 18);
        bytes[n++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    bytes[n++] = 0xe0 | (c >> 12);
    bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
    bytes[n++] = 0x80 | (c & 0x3f);
  }
  return n;
}

function block(offset: number): void {
  for (let j = 0; j < 16; j++) {
    const o = offset + j * 4;
    words[j] = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const x = (a + f + K[i]! + words[g]!) | 0;
    const s = S[i]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

/** Reads a little-endian state word as the big-endian bytes it is written as. */
function byteSwap(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** Bytes 8..15 of MD5(UTF-8 of `s`), big-endian. */
export function md5Low64(s: string): bigint {
  const length = encode(s);
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a little-endian uint64.
  let end = length + 1;
  bytes[length] = 0x80;
  const total = (((length + 8) >> 6) + 1) << 6;
  bytes.fill(0, end, total);
  const bits = length * 8;
  end = total - 8;
  bytes[end] = bits & 0xff;
  bytes[end + 1] = (bits >>> 8) & 0xff;
  bytes[end + 2] = (bits >>> 16) & 0xff;
  bytes[end + 3] = (bits >>> 24) & 0xff;
  bytes[end + 4] = Math.floor(bits / 2 ** 32) & 0xff;
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  for (let offset = 0; offset < total; offset += 64) block(offset);
  return (BigInt(byteSwap(state[2])) << 32n) | BigInt(byteSwap(state[3]));
}
