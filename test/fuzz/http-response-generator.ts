/**
 * Raw HTTP/1.x responses for the differential fuzzer (http-differential.test.ts): a healthy
 * response to begin with, then one or more quirks applied to it, each a way real servers (or the
 * proxies in front of them) bend HTTP/1.1 or the exposition: bare LF line endings, folded headers,
 * headers past undici's 16 KiB, `Transfer-Encoding` beside `Content-Length`, repeated or odd
 * `Content-Length`, `Content-Type` and `Content-Encoding`, gzip bodies with trailing bytes, chunked
 * bodies with extensions and trailers, bodies shorter than they say, odd status lines.
 *
 * `catalogue()` gives every quirk alone once; `generate(seed, n)` gives `n` random mixes of up to
 * three. Both are pure functions of their arguments, so a finding is reproduced from its seed.
 */
import { gzipSync } from 'node:zlib';
import { Rng } from './rng.ts';

/** What the server does once it has written the response. */
export type After = 'close' | 'linger';

interface ChunkStyle {
  /** The chunk-size as written. */
  size: (n: number) => string;
  ext: string;
  /** After a chunk-size line, the last-chunk and each trailer. */
  lineEnd: string;
  /** After each chunk's data. */
  dataEnd: string;
  pieces: number;
  /** The last-chunk line, or null to leave it out. */
  last: string | null;
  trailers: string[];
  /** What ends the chunked body after the trailers. */
  end: string;
}

/** A response before it is written: every quirk edits one of these. */
export interface Draft {
  statusLine: string;
  /** Whole 1xx responses sent before the final one. */
  interim: string[];
  contentType: string[];
  contentEncoding: string[];
  /** Header lines right after the status line, as written (no terminator). */
  lead: string[];
  /** Other header lines, as written (no terminator). */
  headers: string[];
  /** The exposition, as latin1 (so any byte can be written). */
  text: string;
  gzip: boolean;
  gzipTail: Buffer;
  gzipCut: number;
  gzipBadCrc: boolean;
  gzipMembers: number;
  /** How the body is delimited on the wire. */
  framing: 'length' | 'chunked' | 'close';
  /** Content-Length values, each made from the body's real length. */
  lengths: ((n: number) => string)[];
  transferEncoding: string[];
  chunk: ChunkStyle;
  /** Bytes written after the delimited body. */
  trailing: Buffer;
  /** Bytes cut off the end of the body as written. */
  cut: number;
  eol: 'crlf' | 'lf' | 'mixed';
  /** Written in this many pieces, a few milliseconds apart. */
  pieces: number;
  after: After;
}

export interface ResponseCase {
  id: string;
  quirks: string[];
  bytes: Buffer;
  /** Offsets at which the bytes are split into separate writes. */
  splits: number[];
  after: After;
}

const TEXT = 'text/plain; version=0.0.4';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const BODY = '# HELP m A gauge.\n# TYPE m gauge\nm 1\nn{a="b"} 2\n';
const OM_BODY = '# TYPE m gauge\nm 1\nn{a="b"} 2\n# EOF\n';

function base(): Draft {
  return {
    statusLine: 'HTTP/1.1 200 OK',
    interim: [],
    contentType: [TEXT],
    contentEncoding: [],
    lead: [],
    headers: ['Date: Mon, 01 Jan 2024 00:00:00 GMT'],
    text: BODY,
    gzip: false,
    gzipTail: Buffer.alloc(0),
    gzipCut: 0,
    gzipBadCrc: false,
    gzipMembers: 1,
    framing: 'length',
    lengths: [(n) => String(n)],
    transferEncoding: [],
    chunk: {
      size: (n) => n.toString(16),
      ext: '',
      lineEnd: '\r\n',
      dataEnd: '\r\n',
      pieces: 2,
      last: '0',
      trailers: [],
      end: '\r\n',
    },
    trailing: Buffer.alloc(0),
    cut: 0,
    eol: 'crlf',
    pieces: 1,
    after: 'close',
  };
}

interface Quirk {
  name: string;
  /** At most one quirk of a group in a case: they edit the same thing. */
  group: string;
  apply(d: Draft, rng: Rng): void;
  /** Left out of random mixes (too costly to repeat: the 11 MiB head). */
  catalogueOnly?: true;
}

const chunked = (d: Draft): void => {
  d.framing = 'chunked';
  d.transferEncoding = ['chunked'];
  d.lengths = [];
};
const gzipped = (d: Draft): void => {
  d.gzip = true;
  d.contentEncoding = ['gzip'];
};
const pad = (bytes: number, rng: Rng): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  while (s.length < bytes) s += alphabet[rng.int(alphabet.length)]!;
  return s;
};

// prettier-ignore
const QUIRKS: Quirk[] = [
  // ---------------------------------------------------------------- the status line
  { name: 'status:http/1.0', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.0 200 OK'; } },
  { name: 'status:no-reason', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1 200'; } },
  { name: 'status:empty-reason', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1 200 '; } },
  { name: 'status:odd-reason', group: 'status', apply: (d, rng) => { d.statusLine = `HTTP/1.1 200 ${rng.pick(['Okay then', '\tOK', '\u00d6K', 'OK\u0001', '200 OK', 'OK \u00ff'])}`; } },
  { name: 'status:double-space', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1  200 OK'; } },
  { name: 'status:http/2.0', group: 'status', apply: (d) => { d.statusLine = 'HTTP/2.0 200 OK'; } },
  { name: 'status:http/1.2', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.2 200 OK'; } },
  { name: 'status:http/0.9', group: 'status', apply: (d) => { d.statusLine = 'HTTP/0.9 200 OK'; } },
  { name: 'status:lowercase-version', group: 'status', apply: (d) => { d.statusLine = 'http/1.1 200 OK'; } },
  { name: 'status:two-digit-code', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1 20 OK'; } },
  { name: 'status:four-digit-code', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1 0200 OK'; } },
  { name: 'status:tab-separated', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1\t200 OK'; } },
  { name: 'status:leading-space', group: 'status', apply: (d) => { d.statusLine = ' HTTP/1.1 200 OK'; } },
  { name: 'status:not-200', group: 'status', apply: (d, rng) => { d.statusLine = rng.pick(['HTTP/1.1 203 Non-Authoritative Information', 'HTTP/1.1 500 Internal Server Error', 'HTTP/1.1 299 Odd', 'HTTP/1.1 204 No Content']); } },
  { name: 'status:101', group: 'status', apply: (d) => { d.statusLine = 'HTTP/1.1 101 Switching Protocols'; d.headers.push('Upgrade: foo', 'Connection: Upgrade'); } },
  { name: 'interim:100', group: 'interim', apply: (d) => { d.interim = ['HTTP/1.1 100 Continue\r\n\r\n']; } },
  { name: 'interim:103', group: 'interim', apply: (d) => { d.interim = ['HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n']; } },
  { name: 'interim:six', group: 'interim', apply: (d) => { d.interim = Array.from({ length: 6 }, () => 'HTTP/1.1 100 Continue\r\n\r\n'); } },
  // ---------------------------------------------------------------- line endings and header lines
  { name: 'eol:bare-lf', group: 'eol', apply: (d) => { d.eol = 'lf'; } },
  { name: 'eol:mixed', group: 'eol', apply: (d) => { d.eol = 'mixed'; } },
  { name: 'header:bare-cr-in-value', group: 'header', apply: (d) => { d.headers.push('X-Odd: a\rb'); } },
  { name: 'header:obs-fold', group: 'header', apply: (d, rng) => { d.headers.push(`X-Folded: first\r\n${rng.pick([' ', '\t', '   '])}second`); } },
  { name: 'header:obs-fold-content-type', group: 'header', apply: (d) => { d.contentType = ['text/plain;\r\n version=0.0.4']; } },
  { name: 'header:fold-first-line', group: 'header', apply: (d) => { d.lead.push(' X-Leading: space'); } },
  { name: 'header:no-colon', group: 'header', apply: (d) => { d.headers.push('X-No-Colon'); } },
  { name: 'header:space-before-colon', group: 'header', apply: (d) => { d.headers.push('X-Space : v'); } },
  { name: 'header:empty-name', group: 'header', apply: (d) => { d.headers.push(': nameless'); } },
  { name: 'header:odd-name', group: 'header', apply: (d, rng) => { d.headers.push(`${rng.pick(['X(y)', 'X y', 'X\u00e9', 'X@y', 'X"y'])}: v`); } },
  { name: 'header:control-in-value', group: 'header', apply: (d, rng) => { d.headers.push(`X-Ctl: a${rng.pick(['\u0001', '\u007f', '\u0000', '\u001b'])}b`); } },
  { name: 'header:high-bytes-in-value', group: 'header', apply: (d) => { d.headers.push('X-Latin: caf\u00e9 \u00ff'); } },
  { name: 'header:trailing-space-value', group: 'header', apply: (d) => { d.contentType = [`${TEXT}  `]; } },
  { name: 'header:big', group: 'size', apply: (d, rng) => { const total = rng.pick([20, 100, 1024]) * 1024; for (let n = 0; n < total; n += 4096) d.headers.push(`X-Pad-${n}: ${pad(4080, rng)}`); } },
  { name: 'header:long-line', group: 'size', apply: (d, rng) => { d.headers.push(`X-Long: ${pad(rng.pick([17, 70, 300]) * 1024, rng)}`); } },
  { name: 'header:many', group: 'size', apply: (d) => { for (let i = 0; i < 2000; i++) d.headers.push(`X-H${i}: ${i}`); } },
  { name: 'header:past-go-limit', group: 'size', catalogueOnly: true, apply: (d, rng) => { const line = `X-Pad: ${pad(65536, rng)}`; for (let n = 0; n < 11 << 20; n += line.length) d.headers.push(line); } },
  { name: 'header:connection', group: 'connection', apply: (d, rng) => { d.headers.push(`Connection: ${rng.pick(['close', 'keep-alive', 'Close', 'foo'])}`); } },
  // ---------------------------------------------------------------- Content-Type
  { name: 'ct:none', group: 'ct', apply: (d) => { d.contentType = []; } },
  { name: 'ct:empty', group: 'ct', apply: (d) => { d.contentType = ['']; } },
  { name: 'ct:odd', group: 'ct', apply: (d, rng) => { d.contentType = [rng.pick(['text/plain', 'TEXT/PLAIN; VERSION=0.0.4', 'text/plain;;', 'text/html', ' application/json', 'text/plain; charset=utf-8; version=0.0.4'])]; } },
  { name: 'ct:openmetrics', group: 'ct', apply: (d) => { d.contentType = [OPENMETRICS]; d.text = OM_BODY; } },
  { name: 'ct:openmetrics-upper', group: 'ct', apply: (d) => { d.contentType = ['Application/OpenMetrics-Text; version=1.0.0']; d.text = OM_BODY; } },
  { name: 'ct:openmetrics-no-eof', group: 'ct', apply: (d) => { d.contentType = [OPENMETRICS]; } },
  { name: 'ct:repeated-openmetrics-first', group: 'ct', apply: (d) => { d.contentType = [OPENMETRICS, TEXT]; } },
  { name: 'ct:repeated-text-first', group: 'ct', apply: (d) => { d.contentType = [TEXT, OPENMETRICS]; } },
  { name: 'ct:repeated-om-body', group: 'ct', apply: (d) => { d.contentType = [OPENMETRICS, TEXT]; d.text = OM_BODY; } },
  { name: 'ct:list-in-one', group: 'ct', apply: (d) => { d.contentType = [`${OPENMETRICS}, ${TEXT}`]; d.text = OM_BODY; } },
  { name: 'ct:protobuf', group: 'ct', apply: (d) => { d.contentType = ['application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited']; } },
  // ---------------------------------------------------------------- Content-Encoding and gzip
  { name: 'ce:gzip', group: 'ce', apply: gzipped },
  { name: 'ce:gzip-upper', group: 'ce', apply: (d, rng) => { gzipped(d); d.contentEncoding = [rng.pick(['GZIP', 'Gzip'])]; } },
  { name: 'ce:gzip-padded', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = [' gzip ']; } },
  { name: 'ce:x-gzip', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = ['x-gzip']; } },
  { name: 'ce:repeated-gzip-first', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = ['gzip', 'identity']; } },
  { name: 'ce:repeated-identity-first', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = ['identity', 'gzip']; } },
  { name: 'ce:list-in-one', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = ['gzip, identity']; } },
  { name: 'ce:gzip-undeclared', group: 'ce', apply: (d) => { gzipped(d); d.contentEncoding = []; } },
  { name: 'ce:gzip-but-plain', group: 'ce', apply: (d) => { d.contentEncoding = ['gzip']; } },
  { name: 'ce:other', group: 'ce', apply: (d, rng) => { d.contentEncoding = [rng.pick(['identity', 'deflate', 'br', ''])]; } },
  { name: 'gzip:trailing-bytes', group: 'gzip', apply: (d, rng) => { gzipped(d); d.gzipTail = Buffer.from(rng.pick(['\n', '\r\n', '\0\0\0\0', '\0'.repeat(16), 'garbage after the stream', 'x'])); } },
  { name: 'gzip:two-members', group: 'gzip', apply: (d) => { gzipped(d); d.gzipMembers = 2; } },
  { name: 'gzip:empty-member-after', group: 'gzip', apply: (d) => { gzipped(d); d.gzipTail = gzipSync(Buffer.alloc(0)); } },
  { name: 'gzip:truncated', group: 'gzip', apply: (d, rng) => { gzipped(d); d.gzipCut = rng.pick([1, 4, 8, 12]); } },
  { name: 'gzip:bad-checksum', group: 'gzip', apply: (d) => { gzipped(d); d.gzipBadCrc = true; } },
  // ---------------------------------------------------------------- Content-Length
  { name: 'cl:none', group: 'framing', apply: (d) => { d.framing = 'close'; d.lengths = []; } },
  { name: 'cl:short-body', group: 'framing', apply: (d, rng) => { const more = rng.pick([1, 10, 1000]); d.lengths = [(n) => String(n + more)]; } },
  { name: 'cl:long-body', group: 'framing', apply: (d, rng) => { d.trailing = Buffer.from(rng.pick(['x 3\n', 'HTTP/1.1 200 OK\r\n\r\n', '\r\n'])); } },
  { name: 'cl:short-count', group: 'framing', apply: (d, rng) => { const less = rng.pick([1, 3]); d.lengths = [(n) => String(n - less)]; } },
  { name: 'cl:repeated-same', group: 'framing', apply: (d) => { d.lengths = [(n) => String(n), (n) => String(n)]; } },
  { name: 'cl:repeated-differ', group: 'framing', apply: (d) => { d.lengths = [(n) => String(n), (n) => String(n + 1)]; } },
  { name: 'cl:repeated-padded', group: 'framing', apply: (d) => { d.lengths = [(n) => String(n), (n) => ` ${n}`]; } },
  { name: 'cl:list-in-one', group: 'framing', apply: (d) => { d.lengths = [(n) => `${n}, ${n}`]; } },
  { name: 'cl:odd', group: 'framing', apply: (d, rng) => { const f = rng.pick<(n: number) => string>([(n) => `+${n}`, (n) => `00${n}`, (n) => ` ${n} `, (n) => `0x${n.toString(16)}`, () => '-1', () => '', () => '99999999999999999999', (n) => `${n}x`]); d.lengths = [f]; } },
  { name: 'cl:zero', group: 'framing', apply: (d) => { d.lengths = [() => '0']; } },
  // ---------------------------------------------------------------- Transfer-Encoding
  { name: 'te:chunked', group: 'framing', apply: chunked },
  { name: 'te:odd-case', group: 'framing', apply: (d, rng) => { chunked(d); d.transferEncoding = [rng.pick(['Chunked', 'CHUNKED', ' chunked '])]; } },
  { name: 'te:with-content-length', group: 'framing', apply: (d, rng) => { chunked(d); d.lengths = [rng.pick<(n: number) => string>([(n) => String(n), () => '3', () => '100000'])]; } },
  { name: 'te:with-content-length-after', group: 'framing', apply: (d) => { chunked(d); d.headers.push('Content-Length: 5'); } },
  { name: 'te:gzip-chunked', group: 'framing', apply: (d) => { chunked(d); d.transferEncoding = ['gzip, chunked']; } },
  { name: 'te:chunked-twice', group: 'framing', apply: (d, rng) => { chunked(d); d.transferEncoding = rng.chance(0.5) ? ['chunked', 'chunked'] : ['chunked, chunked']; } },
  { name: 'te:refused', group: 'framing', apply: (d, rng) => { d.framing = 'close'; d.lengths = []; d.transferEncoding = [rng.pick(['identity', 'gzip', 'foo', ''])]; } },
  { name: 'te:refused-with-length', group: 'framing', apply: (d, rng) => { d.transferEncoding = [rng.pick(['identity', 'gzip'])]; } },
  { name: 'te:http/1.0', group: 'framing', apply: (d) => { chunked(d); d.statusLine = 'HTTP/1.0 200 OK'; } },
  // ---------------------------------------------------------------- chunked bodies
  { name: 'chunk:extensions', group: 'chunk', apply: (d, rng) => { chunked(d); d.chunk.ext = rng.pick([';a=b', ';a', ';', ' ;a=b', ';a="b c"', ';a=b;c=d', ';\u00ff']); } },
  { name: 'chunk:upper-hex', group: 'chunk', apply: (d) => { chunked(d); d.chunk.size = (n) => n.toString(16).toUpperCase(); } },
  { name: 'chunk:leading-zeros', group: 'chunk', apply: (d) => { chunked(d); d.chunk.size = (n) => `000${n.toString(16)}`; } },
  { name: 'chunk:size-padding', group: 'chunk', apply: (d, rng) => { chunked(d); const p = rng.pick(['  ', '\t', ' x']); d.chunk.size = rng.chance(0.5) ? (n) => `${n.toString(16)}${p}` : (n) => `${p}${n.toString(16)}`; } },
  { name: 'chunk:bad-size', group: 'chunk', apply: (d, rng) => { chunked(d); d.chunk.size = rng.pick<(n: number) => string>([() => '1g', () => 'ffffffffffffffffff', (n) => `0x${n.toString(16)}`, () => '']); } },
  { name: 'chunk:bare-lf-lines', group: 'chunk', apply: (d) => { chunked(d); d.chunk.lineEnd = '\n'; d.chunk.end = '\n'; } },
  { name: 'chunk:bare-lf-after-data', group: 'chunk', apply: (d) => { chunked(d); d.chunk.dataEnd = '\n'; } },
  { name: 'chunk:trailers', group: 'chunk', apply: (d, rng) => { chunked(d); d.chunk.trailers = rng.pick([['X-Trailer: v'], ['Expires: never', 'X-A: b'], ['Content-Type: text/html'], ['X-Fold: a', ' b']]); } },
  { name: 'chunk:one-byte-chunks', group: 'chunk', apply: (d) => { chunked(d); d.chunk.pieces = 1000; } },
  { name: 'chunk:no-last-chunk', group: 'chunk', apply: (d) => { chunked(d); d.chunk.last = null; d.chunk.end = ''; } },
  { name: 'chunk:no-final-crlf', group: 'chunk', apply: (d) => { chunked(d); d.chunk.end = ''; } },
  // ---------------------------------------------------------------- the exposition
  { name: 'body:indented', group: 'body', apply: (d, rng) => { d.text = rng.pick([' m 1\n\tn{a="b"} 2\n', '  m 1\n', '# TYPE m gauge\n\t m 1\n', ' # HELP m h\nm 1\n', '\n\n  \nm 1\n']); } },
  { name: 'body:crlf', group: 'body', apply: (d) => { d.text = 'm 1\r\nn 2\r\n'; } },
  { name: 'body:no-final-newline', group: 'body', apply: (d) => { d.text = 'm 1\nn 2'; } },
  { name: 'body:large', group: 'body', apply: (d) => { d.text = Array.from({ length: 8000 }, (_, i) => `m{i="${i}"} ${i}\n`).join(''); } },
  // ---------------------------------------------------------------- the connection
  { name: 'after:linger', group: 'after', apply: (d) => { d.after = 'linger'; } },
  { name: 'write:pieces', group: 'write', apply: (d, rng) => { d.pieces = rng.between(2, 6); } },
];

function joinHead(lines: string[], eol: Draft['eol'], rng: Rng): string {
  // A folded header carries its own CRLF inside; the chosen terminator replaces it too.
  const all = lines.flatMap((l) => l.split('\r\n'));
  let out = '';
  for (const line of [...all, '']) {
    const end = eol === 'crlf' ? '\r\n' : eol === 'lf' ? '\n' : rng.chance(0.5) ? '\n' : '\r\n';
    out += line + end;
  }
  return out;
}

function entity(d: Draft): Buffer {
  const plain = Buffer.from(d.text, 'latin1');
  if (!d.gzip) return plain;
  let member = gzipSync(plain);
  if (d.gzipBadCrc) {
    member = Buffer.from(member);
    member[member.length - 8]! ^= 0xff;
  }
  const members = Array.from({ length: d.gzipMembers }, () => member);
  const whole = Buffer.concat([...members, d.gzipTail]);
  return whole.subarray(0, whole.length - d.gzipCut);
}

function chunkBody(body: Buffer, c: ChunkStyle): Buffer {
  const parts: Buffer[] = [];
  const size = Math.max(1, Math.ceil(body.length / c.pieces));
  for (let at = 0; at < body.length; at += size) {
    const data = body.subarray(at, at + size);
    parts.push(Buffer.from(`${c.size(data.length)}${c.ext}${c.lineEnd}`, 'latin1'), data);
    parts.push(Buffer.from(c.dataEnd, 'latin1'));
  }
  let tail = '';
  if (c.last !== null) tail += `${c.last}${c.ext}${c.lineEnd}`;
  for (const t of c.trailers) tail += `${t}${c.lineEnd}`;
  parts.push(Buffer.from(tail + c.end, 'latin1'));
  return Buffer.concat(parts);
}

function render(id: string, quirks: string[], d: Draft, rng: Rng): ResponseCase {
  const payload = entity(d);
  const body = d.framing === 'chunked' ? chunkBody(payload, d.chunk) : payload;
  const lines = [
    d.statusLine,
    ...d.lead,
    ...d.contentType.map((v) => `Content-Type: ${v}`),
    ...d.contentEncoding.map((v) => `Content-Encoding: ${v}`),
    ...d.lengths.map((f) => `Content-Length: ${f(payload.length)}`),
    ...d.transferEncoding.map((v) => `Transfer-Encoding: ${v}`),
    ...d.headers,
  ];
  const head = Buffer.from(d.interim.join('') + joinHead(lines, d.eol, rng), 'latin1');
  const whole = Buffer.concat([head, body, d.trailing]);
  const bytes = whole.subarray(0, whole.length - d.cut);
  const splits: number[] = [];
  for (let i = 1; i < d.pieces; i++) splits.push(rng.int(bytes.length));
  return { id, quirks, bytes, splits: splits.sort((a, b) => a - b), after: d.after };
}

/** Every quirk alone, once, on the healthy response (random choices inside a quirk from `seed`). */
export function catalogue(seed: number): ResponseCase[] {
  const rng = new Rng(seed);
  return QUIRKS.map((q, i) => {
    const d = base();
    q.apply(d, rng);
    return render(`q${i}`, [q.name], d, rng);
  });
}

/** `count` random mixes of one to three quirks from different groups. */
export function generate(seed: number, count: number): ResponseCase[] {
  const rng = new Rng(seed);
  const pool = QUIRKS.filter((q) => q.catalogueOnly !== true);
  const cases: ResponseCase[] = [];
  for (let i = 0; i < count; i++) {
    const k = rng.pick([1, 2, 2, 3, 3]);
    const chosen: Quirk[] = [];
    while (chosen.length < k) {
      const q = rng.pick(pool);
      if (!chosen.some((c) => c.group === q.group)) chosen.push(q);
    }
    const d = base();
    for (const q of chosen) q.apply(d, rng);
    cases.push(
      render(
        `r${i}`,
        chosen.map((q) => q.name),
        d,
        rng,
      ),
    );
  }
  return cases;
}
