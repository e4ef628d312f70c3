/**
 * The pieces of `# HELP` and `# TYPE` lines both grammars share: the metric name, plain or quoted,
 * and the checks on the help text and the type word. Each grammar finds the line's keyword and
 * where its text starts (`hashLine`); OpenMetrics' `# UNIT` check is in `openmetrics-cursor.ts`.
 */
import { BACKSLASH, METRIC_CONT, METRIC_START, QUOTE } from './chars.ts';
import type { ExpositionCursor } from './cursor.ts';
import { parseTypeWord } from './families.ts';
import { scanQuoted } from './label-scan.ts';
import { ESCAPED, NON_ASCII } from './labels.ts';
import { Entry } from './pull-cursor.ts';
import { quotedName } from './scrape-tolerance.ts';
import { asciiString, firstInvalidUtf8, hexByte, quoteBytes, validUtf8 } from './text.ts';

/**
 * The metric name of a metadata line at `j`, plain or quoted, into `metaStart..metaEnd`; returns
 * the offset after it, or -1. `what` names the keyword for the error.
 */
export function scanMetaName(cur: ExpositionCursor, j: number, what: string): number {
  const b = cur.b;
  cur.metaFlags = 0;
  if (METRIC_START[b[j]!] === 1) {
    cur.metaStart = j;
    while (METRIC_CONT[b[++j]!] === 1);
    cur.metaEnd = j;
    return j;
  }
  if (b[j] === QUOTE) {
    if (cur.notes !== null && !quotedName(cur, j)) return -1;
    const k = scanQuoted(cur, j, 'metric name');
    if (k < 0) return -1;
    if (k - j === 2) {
      cur.fail(j, 'a non-empty metric name', '""');
      return -1;
    }
    cur.metaStart = j + 1;
    cur.metaEnd = k - 1;
    cur.metaFlags = cur.scanFlags;
    return k;
  }
  cur.fail(j, `a metric name after ${what}`, cur.got(j));
  return -1;
}

/**
 * The help text at `textStart..textEnd`: promparse.go / openmetricsparse.go, help text must be
 * valid UTF-8. Sets `textFlags`; returns `Entry.Help`, or `Entry.Invalid`.
 */
export function checkHelp(cur: ExpositionCursor): Entry {
  const b = cur.b;
  let flags = 0;
  for (let k = cur.textStart; k < cur.textEnd; k++) {
    const c = b[k]!;
    if (c === BACKSLASH) flags |= ESCAPED;
    else if (c >= 0x80) flags |= NON_ASCII;
  }
  cur.textFlags = flags;
  if ((flags & NON_ASCII) !== 0 && !validUtf8(b, cur.textStart, cur.textEnd)) {
    const bad = firstInvalidUtf8(b, cur.textStart, cur.textEnd);
    return cur.fail(bad, 'help text in UTF-8', `byte ${hexByte(b[bad]!)}`);
  }
  return Entry.Help;
}

/**
 * The type word at `textStart..textEnd`: promparse.go / openmetricsparse.go `Next`, `tType`, the
 * exact word, one of `choices`. Sets `metricType`; returns `Entry.Type`, or `Entry.Invalid`.
 */
export function checkType(cur: ExpositionCursor, choices: string, openMetrics: boolean): Entry {
  const s = cur.textStart;
  const e = cur.textEnd;
  let word: string | null = null;
  if (e - s <= 16) {
    word = asciiString(cur.b, s, e);
    for (let k = s; k < e; k++) if (cur.b[k]! >= 0x80) word = null;
  }
  const type = word === null ? -1 : parseTypeWord(word, openMetrics);
  if (type === -1) {
    return cur.fail(s, `a metric type (${choices})`, s === e ? 'none' : quoteBytes(cur.b, s, e));
  }
  cur.metricType = type;
  return Entry.Type;
}
