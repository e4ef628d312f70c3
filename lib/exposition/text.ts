/**
 * Turning byte ranges into strings, only when a caller asks (Prometheus `promparse.go` builds its
 * strings in `Metric()`, never in `Next()`), and describing bytes in error messages.
 */
import { isUtf8 } from 'node:buffer';

const decoder = new TextDecoder('utf-8');

/** A string from `b[s..e)` that the scanner saw was all ASCII. */
export function asciiString(b: Uint8Array, s: number, e: number): string {
  if (e - s > 24) return decoder.decode(b.subarray(s, e));
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

const SLOTS = 1024;
const MAX_LEN = 48;

/**
 * A small direct-mapped cache from short ASCII byte ranges to strings, so that the label names and
 * values an exposition repeats on every line (`le`, `verb`, `"GET"`) are built once and shared.
 * A miss only costs a decode; collisions simply replace the slot.
 */
export class StringCache {
  readonly #keys: (Uint8Array | null)[] = new Array<Uint8Array | null>(SLOTS).fill(null);
  readonly #values: string[] = new Array<string>(SLOTS).fill('');

  /** The string for ASCII bytes `b[s..e)`, from the cache when the same bytes were seen. */
  get(b: Uint8Array, s: number, e: number): string {
    const len = e - s;
    if (len === 0) return '';
    if (len > MAX_LEN) return asciiString(b, s, e);
    let h = len;
    const stop = Math.min(e, s + 8);
    for (let i = s; i < stop; i++) h = (h * 31 + b[i]!) | 0;
    h = (h * 31 + b[e - 1]! + (b[e - 2] ?? 0) * 7) | 0;
    const slot = (h ^ (h >>> 10)) & (SLOTS - 1);
    const key = this.#keys[slot];
    if (key?.length === len) {
      let i = 0;
      while (i < len && key[i] === b[s + i]) i++;
      if (i === len) return this.#values[slot]!;
    }
    const value = asciiString(b, s, e);
    this.#keys[slot] = b.slice(s, e);
    this.#values[slot] = value;
    return value;
  }
}

/** A string from `b[s..e)`, UTF-8 (validated by the scanner beforehand). */
export function utf8String(b: Uint8Array, s: number, e: number): string {
  return decoder.decode(b.subarray(s, e));
}

/** Whether `b[s..e)` is valid UTF-8 (Prometheus checks label values and help with `utf8.Valid`). */
export function validUtf8(b: Uint8Array, s: number, e: number): boolean {
  return isUtf8(b.subarray(s, e));
}

const LABEL_ESCAPES = /\\(["\\n])/g;
const HELP_ESCAPES = /\\([\\n])/g;
const replaceEscape = (_: string, c: string): string => (c === 'n' ? '\n' : c);

/**
 * Undoes the label value escapes `\\`, `\"` and `\n` (text 0.0.4 and OpenMetrics alike; Prometheus
 * `lvalReplacer`). OpenMetrics help text uses the same three. Any other backslash is kept as it is,
 * as Prometheus keeps it (label values never get here with one: the scanner refuses them).
 */
export function unescapeLabel(raw: string): string {
  return raw.replace(LABEL_ESCAPES, replaceEscape);
}

/** Undoes text 0.0.4 help escapes, `\\` and `\n` only (Prometheus `helpReplacer`). */
export function unescapeHelp(raw: string): string {
  return raw.replace(HELP_ESCAPES, replaceEscape);
}

/** The 1-based column of `pos` in the line starting at `lineStart`, counted in code points. */
export function columnOf(b: Uint8Array, lineStart: number, pos: number): number {
  let col = 1;
  for (let i = lineStart; i < pos; i++) if ((b[i]! & 0xc0) !== 0x80) col++;
  return col;
}

const MAX_QUOTED = 40;

/**
 * Bytes for an error message, quoted the way Go's `%q` quotes them: printable UTF-8 kept,
 * control characters and invalid bytes escaped; long runs cut short with `…`.
 */
export function quoteBytes(b: Uint8Array, s: number, e: number): string {
  const end = Math.min(e, s + MAX_QUOTED);
  let out = '"';
  let i = s;
  while (i < end) {
    const c = b[i]!;
    if (c >= 0x80) {
      let n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (i + n > e || n === 1 || !isUtf8(b.subarray(i, i + n))) n = 0;
      if (n === 0) {
        out += `\\x${c.toString(16).padStart(2, '0')}`;
        i++;
      } else {
        out += decoder.decode(b.subarray(i, i + n));
        i += n;
      }
      continue;
    }
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
    i++;
  }
  return end < e ? `${out}"…` : `${out}"`;
}

/** A JavaScript string for an error message, quoted like `quoteBytes`. */
export function quoteString(s: string): string {
  const bytes = new TextEncoder().encode(s);
  return quoteBytes(bytes, 0, bytes.length);
}

/** `0xff`. */
export function hexByte(c: number): string {
  return `0x${c.toString(16).padStart(2, '0')}`;
}

/** The offset of the first byte that breaks UTF-8 in `b[s..e)` (error path only). */
export function firstInvalidUtf8(b: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n =
      c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (n === 0 || i + n > e || !isUtf8(b.subarray(i, i + n))) return i;
    i += n;
  }
  return s;
}
