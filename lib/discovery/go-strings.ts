/**
 * Go's string conventions where they show in Prometheus's output: `%q` quoting (golang/go
 * `strconv/quote.go`), byte order (Go compares strings as UTF-8 bytes; labels and URL query keys
 * are sorted that way), and `utf8.ValidString`.
 *
 * A JavaScript string cannot hold a byte that is not UTF-8; the nearest thing is a lone surrogate.
 * These helpers treat one as the three bytes WTF-8 gives it, which Go would call invalid.
 */

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES: Record<number, string> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
  0x22: '\\"',
  0x5c: '\\\\',
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/**
 * `s` quoted as Go's `strconv.Quote` (and so `fmt`'s `%q`) quotes it, e.g. in `invalid label value
 * for "custom": "\xed\xa0\x80"` or `"a/b" is not a valid hostname`.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate: its WTF-8 bytes, which Go sees as three invalid bytes.
      out += `\\x${hex(0xe0 | (c >> 12), 2)}\\x${hex(0x80 | ((c >> 6) & 0x3f), 2)}`;
      out += `\\x${hex(0x80 | (c & 0x3f), 2)}`;
    } else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c < 0x10000) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

/**
 * Go's `quoteChar` from `encoding/json/scanner.go`: one byte as its syntax errors show it. A byte
 * of 0x80 or more is shown as the Latin-1 character of that value (a UTF-8 BOM's first byte reads
 * `'ï'`), as Go's `string(rune(c))` does.
 */
export function goQuoteByte(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const quoted = goQuote(String.fromCharCode(c));
  return `'${quoted.slice(1, -1)}'`;
}

// Code point order, which is UTF-8 byte order: UTF-16 units sort surrogates (U+D800-DFFF) before
// U+E000-FFFF although the characters they encode (U+10000 and up) sort after.
function unit(c: number): number {
  if (c >= 0xe000) return c - 0x800;
  if (c >= 0xd800) return c + 0x2000;
  return c;
}

/** Compares as Go's `<` on strings (UTF-8 byte order); a comparator for `Array.prototype.sort`. */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}

/** Go's `utf8.ValidString`: false when the string holds a lone surrogate. */
export function isValidUtf8(s: string): boolean {
  return s.isWellFormed();
}

/** The 1-based line and column (in characters) of the byte at `offset` in `b`. */
export function lineColumn(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, b.length);
  for (let i = 0; i < end; i++) {
    if (b[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, not bytes: skip UTF-8 continuation bytes.
  let column = 1;
  for (let i = lineStart; i < end; i++) if ((b[i]! & 0xc0) !== 0x80) column++;
  return { line, column };
}
