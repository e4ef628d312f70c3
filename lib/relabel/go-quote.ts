/**
 * Go's `%q` for a string (`strconv.Quote`), so that messages read exactly as Prometheus prints
 * them: `"foo-bar" is not a valid label name`, `unknown relabel action "Foo\n"`.
 */

/** `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES = new Map<number, string>([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

function quoteRune(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const short = SHORT_ESCAPES.get(cp);
  if (short !== undefined) return short;
  // A lone surrogate has no UTF-8 form (Go never meets one); show it as U+FFFD.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (PRINTABLE.test(ch)) return ch;
  if (cp < 0x80) return '\\x' + hex(cp, 2);
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** `fmt.Sprintf("%q", s)`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteRune(ch);
  return out + '"';
}
