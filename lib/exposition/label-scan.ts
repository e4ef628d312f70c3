/**
 * Quoted strings and `name="value"` pairs, as both grammars read them, and the checks on a
 * sample's label set. The hot path of a sample line: each function takes the cursor and scans its
 * region in place, recording offsets in `LabelSlots`; strings are built only for error messages.
 * What scrape mode lets through here is in `scrape-tolerance.ts`, on branches a valid line never
 * takes.
 */
import { BACKSLASH, BLANK, BRACE_CLOSE, COMMA, EQUAL, LABEL_CONT, LF } from './chars.ts';
import { QUOTE, STRING_PLAIN } from './chars.ts';
import type { ExpositionCursor } from './cursor.ts';
import type { LabelSlots } from './labels.ts';
import { ESCAPED, NON_ASCII, SLOT } from './labels.ts';
import { lineFeedInString, otherEscape, quotedName } from './scrape-tolerance.ts';
import { repeatVanishes, tolerateExemplar } from './scrape-tolerance.ts';
import { firstInvalidUtf8, hexByte, quoteBytes, quoteString, validUtf8 } from './text.ts';

/**
 * A double-quoted string at `b[i]`; returns the offset after the closing quote and leaves its
 * flags in `cur.scanFlags`, or -1. The escapes are `\\`, `\"` and `\n`: the text format 0.0.4
 * description ("label_value can be any sequence of UTF-8 characters, but the backslash,
 * double-quote, and line feed characters have to be escaped") and the OpenMetrics ABNF
 * (`escaped-char`). Stricter than Prometheus 2.42's scrape parser, which keeps an unknown escape
 * as it is; like `promtool check metrics` (expfmt: "invalid escape sequence"). Raw line feeds are
 * refused too (openmetricslex.l `[^\\"\n]`; expfmt: "unescaped new-line").
 *
 * Scrape mode takes what Prometheus takes: any escape but a backslash before a line feed
 * (promlex.l and openmetricslex.l `\\.`, kept as written by `unreplace`), and in text 0.0.4 a
 * raw line feed inside the string of a sample line (promlex.l `[^\\"]`). When that line feed
 * ends the region it returns `NEED_MORE`, with `failure` saying what the end of the input
 * would mean.
 */
export function scanQuoted(cur: ExpositionCursor, i: number, what: string): number {
  const b = cur.b;
  let j = i + 1;
  let flags = 0;
  for (;;) {
    while (STRING_PLAIN[b[j]!] === 1) j++;
    const c = b[j]!;
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      const n = b[j + 1];
      if (n === BACKSLASH || n === QUOTE || n === 0x6e) {
        flags |= ESCAPED;
        j += 2;
        continue;
      }
      if (!otherEscape(cur, i, j, what)) return -1;
      j += 2;
      continue;
    }
    if (c === LF) {
      const k = lineFeedInString(cur, i, j, what);
      if (k < 0) return k;
      j = k;
      continue;
    }
    flags |= NON_ASCII;
    j++;
  }
  // promparse.go / openmetricsparse.go `parseLVals`: "invalid UTF-8 label value".
  if ((flags & NON_ASCII) !== 0 && !validUtf8(b, i + 1, j)) {
    const bad = firstInvalidUtf8(b, i + 1, j);
    cur.fail(bad, `a ${what} in UTF-8`, `byte ${hexByte(b[bad]!)}`);
    return -1;
  }
  cur.scanFlags = flags;
  return j + 1;
}

/**
 * Reads one `name="value"` pair (or a quoted metric name) at `i` into `slots`. Returns the offset
 * after it, or -1. `blanks` allows text 0.0.4's blanks around `=`. `exemplar` refuses a metric
 * name.
 */
export function scanPair(
  cur: ExpositionCursor,
  i: number,
  slots: LabelSlots,
  blanks: boolean,
  exemplar: boolean,
): number {
  const b = cur.b;
  let c = b[i]!;
  const ns = i;
  let ne: number;
  let nflags = 0;
  let quoted = false;
  if (c === QUOTE) {
    if (cur.notes !== null && !quotedName(cur, i)) return -1;
    i = scanQuoted(cur, i, 'label name');
    if (i < 0) return i;
    ne = i;
    nflags = cur.scanFlags;
    quoted = true;
  } else {
    while (LABEL_CONT[b[++i]!] === 1);
    ne = i;
  }
  if (blanks) while (BLANK[b[i]!] === 1) i++;
  c = b[i]!;
  if (quoted && !exemplar && (c === COMMA || c === BRACE_CLOSE)) {
    // promparse.go `parseLVals`: a quoted string alone is the metric name, given once.
    if (cur.nameStart >= 0) {
      cur.fail(ns, 'one metric name', `a second, ${quoteBytes(b, ns + 1, ne - 1)}`);
      return -1;
    }
    if (ne - ns === 2) {
      cur.fail(ns, 'a non-empty metric name', '""');
      return -1;
    }
    cur.nameStart = ns + 1;
    cur.nameEnd = ne - 1;
    cur.nameFlags = nflags;
    return i;
  }
  if (c !== EQUAL) {
    cur.fail(i, '"=" after the label name', cur.got(i));
    return -1;
  }
  i++;
  if (blanks) while (BLANK[b[i]!] === 1) i++;
  if (b[i] !== QUOTE) {
    cur.fail(i, 'a label value in double quotes', cur.got(i));
    return -1;
  }
  const vs = i;
  i = scanQuoted(cur, i, 'label value');
  if (i < 0) return i;
  if (quoted) slots.push(ns + 1, ne - 1, nflags, vs + 1, i - 1, cur.scanFlags);
  else slots.push(ns, ne, 0, vs + 1, i - 1, cur.scanFlags);
  return i;
}

/**
 * Label names must be unique and must not be `__name__` (OpenMetrics 1.0: "Label names MUST be
 * unique within a LabelSet"; Prometheus refuses such a sample when it stores it, and `__name__`
 * would repeat the metric name). Empty quoted names are refused too.
 */
export function checkLabels(cur: ExpositionCursor): boolean {
  if (!checkSlots(cur, cur.labels, true)) return false;
  if (!cur.hasExemplar || checkSlots(cur, cur.exLabels, false)) return true;
  return cur.notes !== null && tolerateExemplar(cur);
}

function checkSlots(cur: ExpositionCursor, slots: LabelSlots, sample: boolean): boolean {
  const b = cur.b;
  const a = slots.a;
  for (let x = 0; x < slots.count; x++) {
    const s = a[x * SLOT]!;
    const e = a[x * SLOT + 1]!;
    if (e === s) return failLabel(cur, s - 1, 'a non-empty label name', '""');
    if (sample && e - s === 8 && isNameLabel(b, s)) {
      return failLabel(cur, s, 'the metric name before "{", not as a label', '"__name__"');
    }
  }
  const dup = slots.firstDuplicate(b, cur.decodeFn);
  if (dup < 0) return true;
  if (sample && cur.notes !== null && repeatVanishes(cur, slots)) return true;
  const s = a[dup * SLOT]!;
  const name = cur.decode(s, a[dup * SLOT + 1]!, a[dup * SLOT + 4]! >> 2);
  return failLabel(cur, s, 'unique label names', `${quoteString(name)} again`);
}

function failLabel(cur: ExpositionCursor, pos: number, expected: string, got: string): boolean {
  cur.fail(pos, expected, got);
  return false;
}

function isNameLabel(b: Uint8Array, s: number): boolean {
  // "__name__"
  return (
    b[s] === 0x5f &&
    b[s + 1] === 0x5f &&
    b[s + 2] === 0x6e &&
    b[s + 3] === 0x61 &&
    b[s + 4] === 0x6d &&
    b[s + 5] === 0x65 &&
    b[s + 6] === 0x5f &&
    b[s + 7] === 0x5f
  );
}
