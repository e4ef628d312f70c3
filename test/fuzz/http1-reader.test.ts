/**
 * The HTTP/1.x response reader (lib/scrape/http1) on its own, without sockets: every refusal in
 * the catalogue from one table, each with the exact words Go 1.19 uses (as Prometheus 2.42 showed
 * them to the differential fuzzer); what Go takes, as Go reads it; and the property that the
 * outcome does not depend on how the connection cut the bytes into pieces (undici
 * `test/fuzzing/server/server-fuzz-split-data.js`), over the fuzzer's own catalogue of responses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HTTP1_ERROR, ResponseReader, type Http1ErrorCode } from '#lib/scrape/http1/index.ts';
import { catalogue, generate } from './http-response-generator.ts';
import { Rng } from './rng.ts';

interface Outcome {
  status: number | null;
  headers: Record<string, string[]>;
  body: string;
  ended: boolean;
  error: { code: Http1ErrorCode; goMessage: string; diagnosis: string } | null;
  notes: string[];
}

const NAMES = [
  'Content-Type',
  'Content-Length',
  'Content-Encoding',
  'Transfer-Encoding',
  'X-Folded',
  'X-Space ',
  'Location',
];

/** Reads `bytes` cut at `cuts` (ascending offsets), then the end of the connection. */
function read(bytes: Buffer, cuts: readonly number[] = []): Outcome {
  const out: Outcome = {
    status: null,
    headers: {},
    body: '',
    ended: false,
    error: null,
    notes: [],
  };
  const body: Buffer[] = [];
  const reader = new ResponseReader(
    {
      head: (head) => {
        out.status = head.statusCode;
        for (const name of NAMES) {
          const values = head.header.values(name);
          if (values) out.headers[name] = [...values];
        }
      },
      data: (b) => body.push(Buffer.from(b)),
      end: () => (out.ended = true),
    },
    { authority: 'target:9100', tls: false },
  );
  let at = 0;
  let error = null;
  for (const cut of [...cuts, bytes.length]) {
    error = reader.feed(bytes.subarray(at, cut));
    at = cut;
    if (error) break;
  }
  error ??= reader.end();
  if (error)
    out.error = {
      code: error.code,
      goMessage: error.goMessage,
      diagnosis: error.failure.diagnosis,
    };
  out.body = Buffer.concat(body).toString('latin1');
  out.notes = [...reader.notes];
  return out;
}

const OK = 'HTTP/1.1 200 OK\r\n';
const r = (text: string): Buffer => Buffer.from(text, 'latin1');

// prettier-ignore
const REFUSALS: [Http1ErrorCode, string, string][] = [
  [HTTP1_ERROR.noResponse, '', 'EOF'],
  [HTTP1_ERROR.headCutShort, `${OK}Content-Type: text/plain\r\n`, 'unexpected EOF'],
  [HTTP1_ERROR.headCutShort, 'HTTP/1.1 100 Continue\r\n\r\n', 'unexpected EOF'],
  [HTTP1_ERROR.statusLine, 'garbage\r\n\r\n', 'malformed HTTP response "garbage"'],
  [HTTP1_ERROR.statusLine, '\u0015\u0003\u0001\u0000\u0002\u0002\u0032', 'malformed HTTP response "\\x15\\x03\\x01\\x00\\x02\\x022"'],
  [HTTP1_ERROR.statusLine, 'HTTP/1.1 20 OK\r\n\r\n', 'malformed HTTP status code "20"'],
  [HTTP1_ERROR.statusLine, 'HTTP/1.1 -20 OK\r\n\r\n', 'malformed HTTP status code "-20"'],
  [HTTP1_ERROR.statusLine, 'HTTP/1.1\t200 OK\r\n\r\n', 'malformed HTTP status code "OK"'],
  [HTTP1_ERROR.statusLine, 'http/1.1 200 OK\r\n\r\n', 'malformed HTTP version "http/1.1"'],
  [HTTP1_ERROR.statusLine, 'HTTP/1.10 200 OK\r\n\r\n', 'malformed HTTP version "HTTP/1.10"'],
  [HTTP1_ERROR.headerLine, `${OK} X-Leading: space\r\n\r\n`, 'malformed MIME header initial line:  X-Leading: space'],
  [HTTP1_ERROR.headerLine, `${OK}X-No-Colon\r\n\r\n`, 'malformed MIME header: missing colon: "X-No-Colon"'],
  [HTTP1_ERROR.headerLine, `${OK}X: 1\r\n\r`, 'malformed MIME header: missing colon: "\\r"'],
  [HTTP1_ERROR.headTooLarge, `${OK}X-Pad: ${'a'.repeat(11 << 20)}\r\n\r\n`, 'net/http: server response headers exceeded 10485760 bytes; aborted'],
  [HTTP1_ERROR.tooMany1xx, `${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(6)}${OK}\r\n`, 'net/http: too many 1xx informational responses'],
  [HTTP1_ERROR.transferEncoding, `${OK}Transfer-Encoding: gzip, chunked\r\n\r\n`, 'unsupported transfer encoding: "gzip, chunked"'],
  [HTTP1_ERROR.transferEncoding, `${OK}Transfer-Encoding: identity\r\n\r\n`, 'unsupported transfer encoding: "identity"'],
  [HTTP1_ERROR.transferEncoding, `${OK}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`, 'too many transfer encodings: ["chunked" "chunked"]'],
  [HTTP1_ERROR.contentLength, `${OK}Content-Length: 4\r\nContent-Length: 5\r\n\r\nm 1\n`, 'http: message cannot contain multiple Content-Length headers; got ["4" "5"]'],
  [HTTP1_ERROR.contentLength, `${OK}Content-Length: 4, 4\r\n\r\nm 1\n`, 'bad Content-Length "4, 4"'],
  [HTTP1_ERROR.contentLength, `${OK}Content-Length: +4\r\n\r\nm 1\n`, 'bad Content-Length "+4"'],
  [HTTP1_ERROR.contentLength, `${OK}Content-Length: 99999999999999999999\r\n\r\n`, 'bad Content-Length "99999999999999999999"'],
  [HTTP1_ERROR.trailerKey, `${OK}Transfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n0\r\n\r\n`, 'bad trailer key "Content-Length"'],
  [HTTP1_ERROR.bodyCutShort, `${OK}Content-Length: 10\r\n\r\nm 1\n`, 'unexpected EOF'],
  [HTTP1_ERROR.bodyCutShort, `${OK}Transfer-Encoding: chunked\r\n\r\n4\r\nm 1\n\r\n`, 'unexpected EOF'],
  [HTTP1_ERROR.chunked, `${OK}Transfer-Encoding: chunked\r\n\r\n4 ;a=b\r\nm 1\n\r\n0\r\n\r\n`, 'invalid byte in chunk length'],
  [HTTP1_ERROR.chunked, `${OK}Transfer-Encoding: chunked\r\n\r\n11111111111111111\r\n`, 'http chunk length too large'],
  [HTTP1_ERROR.chunked, `${OK}Transfer-Encoding: chunked\r\n\r\n4\r\nm 1\n\n0\r\n\r\n`, 'malformed chunked encoding'],
  [HTTP1_ERROR.chunked, `${OK}Transfer-Encoding: chunked\r\n\r\n4;${'x'.repeat(4100)}\r\n`, 'header line too long'],
  [HTTP1_ERROR.trailer, `${OK}Transfer-Encoding: chunked\r\n\r\n4\r\nm 1\n\r\n0\r\n`, 'http: unexpected EOF reading trailer'],
  [HTTP1_ERROR.trailer, `${OK}Transfer-Encoding: chunked\r\n\r\n4\r\nm 1\n\r\n0\n\nx`, 'http: suspiciously long trailer after chunked body'],
  [HTTP1_ERROR.trailer, `${OK}Transfer-Encoding: chunked\r\n\r\n0\r\nnot a field\r\n\r\n`, 'malformed MIME header: missing colon: "not a field"'],
];

test('every refusal in the catalogue, in Go 1.19’s words', () => {
  const codes = new Set(REFUSALS.map(([code]) => code));
  const untested = Object.values(HTTP1_ERROR).filter(
    (code) => !codes.has(code) && code !== HTTP1_ERROR.bodyConnection,
  );
  assert.deepStrictEqual(untested, [], 'every code has a row (bodyConnection needs a socket)');
  for (const [code, text, message] of REFUSALS) {
    const out = read(r(text));
    assert.deepStrictEqual(
      out.error && { code: out.error.code, goMessage: out.error.goMessage },
      { code, goMessage: message },
      JSON.stringify(text.slice(0, 80)),
    );
    assert.match(out.error!.diagnosis, /target:9100/);
  }
});

test('a body cut short is blamed on the body, never on the scheme', () => {
  const out = read(r(`${OK}Content-Length: 10\r\n\r\nm 1\n`));
  assert.match(
    out.error!.diagnosis,
    /the headers arrived, then target:9100 closed the connection after 4 of the 10 bytes/,
  );
  assert.doesNotMatch(out.error!.diagnosis, /scheme/);
  const tls = read(r('\u0015\u0003\u0001\u0000\u0002\u0002\u0032'));
  assert.match(tls.error!.diagnosis, /it answered with TLS; use scheme: https/);
});

test('what Go takes, read as Go reads it', () => {
  const folded = read(
    r(
      'HTTP/1.0 200\nX-Folded: a\n  b\t\nContent-Type: text/plain\nContent-Type: text/html\n\nm 1\n',
    ),
  );
  assert.equal(folded.error, null);
  assert.deepStrictEqual(folded.headers['X-Folded'], ['a b']);
  assert.deepStrictEqual(folded.headers['Content-Type'], ['text/plain', 'text/html']);
  assert.equal(folded.body, 'm 1\n');
  assert.ok(folded.notes.some((n) => /bare LF/.test(n)));
  assert.ok(folded.notes.some((n) => /folded/.test(n)));

  // Transfer-Encoding beside Content-Length: chunked, and the length is dropped.
  const both = read(
    r(
      `${OK}Content-Length: 3\r\ntransfer-encoding: Chunked\r\n\r\n4;ext=1\r\nm 1\n\r\n0\r\nX-T: v\r\n\r\nextra`,
    ),
  );
  assert.equal(both.body, 'm 1\n');
  assert.deepStrictEqual(both.headers['Content-Length'], undefined);
  assert.ok(both.notes.some((n) => /both Transfer-Encoding/.test(n)));

  // A name with a space before its colon is not Content-Length to Go: the body runs to the end.
  const spaced = read(r(`${OK}Content-Length : 2\r\n\r\nm 1\n`));
  assert.equal(spaced.body, 'm 1\n');
  assert.deepStrictEqual(spaced.headers['X-Space '], undefined);

  // Transfer-Encoding is ignored before HTTP/1.1: the chunk framing is the body.
  const old = read(
    r('HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nm 1\n\r\n0\r\n\r\n'),
  );
  assert.equal(old.body, '4\r\nm 1\n\r\n0\r\n\r\n');

  // 1xx responses are skipped (at most five); 101 is final; 204 has no body.
  assert.equal(
    read(r(`HTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n${OK}Content-Length: 0\r\n\r\n`)).status,
    200,
  );
  assert.equal(read(r('HTTP/1.1 101 Switching Protocols\r\n\r\n')).status, 101);
  assert.equal(read(r('HTTP/1.1 204 No Content\r\nContent-Length: x\r\n\r\n')).error, null);
  // Repeated equal lengths, and an empty one (to the end of the connection).
  assert.equal(
    read(r(`${OK}Content-Length: 4\r\nContent-Length:  4 \r\n\r\nm 1\nrest`)).body,
    'm 1\n',
  );
  assert.equal(read(r(`${OK}Content-Length:\r\n\r\nm 1\n`)).body, 'm 1\n');
});

test('the outcome does not depend on where the connection cut the bytes', () => {
  const rng = new Rng(13013);
  const cases = [...catalogue(7), ...generate(7, 120)].filter((c) => c.bytes.length < 64 * 1024);
  for (const c of cases) {
    const whole = read(c.bytes);
    const small = c.bytes.length <= 600;
    // Every single cut for a small response; for the others, many random sets of cuts.
    const trials: number[][] = small
      ? Array.from({ length: c.bytes.length + 1 }, (_, k) => [k])
      : Array.from({ length: 40 }, () =>
          Array.from({ length: rng.between(1, 8) }, () => rng.int(c.bytes.length)).sort(
            (a, b) => a - b,
          ),
        );
    for (const cuts of trials) {
      assert.deepStrictEqual(
        read(c.bytes, cuts),
        whole,
        `${c.id} [${c.quirks.join(' ')}] cut at ${cuts.join(',')}`,
      );
    }
    // One byte at a time.
    if (small) {
      const each = Array.from({ length: c.bytes.length }, (_, k) => k);
      assert.deepStrictEqual(read(c.bytes, each), whole, `${c.id} byte by byte`);
    }
  }
});

test('a gzip body and its framing come through untouched', () => {
  const gz = gzipSync('m 1\n');
  const framed = Buffer.concat([
    r(`${OK}Transfer-Encoding: chunked\r\n\r\n${gz.length.toString(16)}\r\n`),
    gz,
    r('\r\n0\r\n\r\n'),
  ]);
  assert.equal(read(framed).body, gz.toString('latin1'));
});
