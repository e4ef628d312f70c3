/**
 * Character classes for the exposition scanners: one 256-entry table per question, so the hot loops
 * ask `TABLE[byte] === 1` instead of chains of comparisons (undici `lib/core/util.js` does the same
 * for header tokens).
 *
 * The grammars: Prometheus `model/textparse/promlex.l` and `openmetricslex.l`
 * (`M [a-zA-Z_:]`, `L [a-zA-Z_]`, `D [0-9]`), the text format 0.0.4 description
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details) and the
 * OpenMetrics 1.0 ABNF (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md#abnf).
 */

function table(test: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = test(c) ? 1 : 0;
  return t;
}

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** `[a-zA-Z_:]`: the first byte of a metric name. */
export const METRIC_START = table((c) => isAlpha(c) || c === 0x5f || c === 0x3a);
/** `[a-zA-Z0-9_:]`: the other bytes of a metric name. */
export const METRIC_CONT = table((c) => isAlpha(c) || isDigit(c) || c === 0x5f || c === 0x3a);
/** `[a-zA-Z_]`: the first byte of a label name. */
export const LABEL_START = table((c) => isAlpha(c) || c === 0x5f);
/** `[a-zA-Z0-9_]`: the other bytes of a label name. */
export const LABEL_CONT = table((c) => isAlpha(c) || isDigit(c) || c === 0x5f);
/**
 * Bytes a quoted string may hold without a closer look: everything but `"`, `\`, line feed and
 * non-ASCII bytes (which need UTF-8 validation).
 */
export const STRING_PLAIN = table((c) => c !== 0x22 && c !== 0x5c && c !== 0x0a && c < 0x80);
/** Text 0.0.4 value token `[^{ \t\n]+` (promlex.l `<sValue>`). */
export const PROM_VALUE = table((c) => c !== 0x7b && c !== 0x20 && c !== 0x09 && c !== 0x0a);
/** OpenMetrics value and timestamp token `[^ \n]+` (openmetricslex.l `<sValue>`). */
export const OM_TOKEN = table((c) => c !== 0x20 && c !== 0x0a);
/** Text 0.0.4 separators `[ \t]` (promlex.l `<*>[ \t]+`). */
export const BLANK = table((c) => c === 0x20 || c === 0x09);
/** `[0-9]`. */
export const DIGIT = table(isDigit);

/** Bytes the scanners compare against. */
export const LF = 0x0a;
export const SPACE = 0x20;
export const TAB = 0x09;
export const HASH = 0x23;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const BRACE_OPEN = 0x7b;
export const BRACE_CLOSE = 0x7d;
export const EQUAL = 0x3d;
export const COMMA = 0x2c;

/**
 * The metadata keyword of four ASCII letters at `b[j]`: `Entry.Help`, `Entry.Type` or (OpenMetrics)
 * `Entry.Unit` for `HELP`, `TYPE` or `UNIT`, else -1. The byte after it is the caller's to check.
 */
export function keywordAt(b: Uint8Array, j: number, unit: boolean): number {
  const word = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  if (word === HELP) return 2;
  if (word === TYPE) return 3;
  if (word === UNIT && unit) return 4;
  return -1;
}

const fourLetters = (s: string): number =>
  (s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3);
const HELP = fourLetters('HELP');
const TYPE = fourLetters('TYPE');
const UNIT = fourLetters('UNIT');
/** `EOF` and a line feed, as `keywordAt` reads four bytes. */
export const EOF_LINE = fourLetters('EOF\n');

/** The four bytes at `b[j]` as one number, to compare with `EOF_LINE`. */
export function fourBytesAt(b: Uint8Array, j: number): number {
  return (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
}
