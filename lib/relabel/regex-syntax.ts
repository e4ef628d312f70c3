/**
 * The one place where Prometheus 2.42's regex syntax differs from 3.x's: `(?<name>re)`.
 *
 * Prometheus 2.42 compiles with grafana/regexp `6b5c0a4cb7fd` (Go 1.19's `regexp/syntax`), which
 * knows only `(?P<name>re)`; Go 1.22 added `(?<name>re)`, and re2js (like Prometheus 3.x, grafana
 * /regexp `f7b3be9d1853`) accepts it. In 2.42, `parsePerlFlags` reads `(?<` as an unknown flag and
 * fails with "invalid or unsupported Perl syntax: `(?<`" — also for `(?<=` and `(?<!`.
 *
 * To get 2.42's first error (which may come before or after the `(?<`), the caller swaps the `<`
 * of the first group opener for a character re2js also refuses at that point, then maps the
 * message back. This scanner finds that opener the way Go's parser walks the pattern, skipping
 * escapes, `\Q…\E` and character classes (`[(?<]` is three literals).
 */

/** Stands in for `<` so that re2js stops exactly where Go 1.19 did. */
export const ANGLE_STAND_IN = '\uE000';

/** Skips a character class whose `[` is just before `i`; returns the index after its `]`. */
function skipClass(s: string, i: number): number {
  if (s[i] === '^') i++;
  // `]` right after `[` or `[^` is a literal (`parseClass`: "']' and '-' are okay as first char").
  let first = true;
  while (i < s.length) {
    const ch = s[i];
    if (ch === ']' && !first) return i + 1;
    first = false;
    if (ch === '[' && s[i + 1] === ':') {
      // `parseNamedClass` takes everything up to the next `:]` (or refuses the pattern).
      const close = s.indexOf(':]', i + 2);
      if (close >= 0) {
        i = close + 2;
        continue;
      }
    }
    i += ch === '\\' ? 2 : 1;
  }
  return i;
}

/**
 * The index of the first `(?<` that Go's parser would read as a group opener, or -1.
 *
 * @example findAngleGroup('[(?<]x(?<n>a)') === 6
 */
export function findAngleGroup(source: string): number {
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') {
      if (source[i + 1] === 'Q') {
        // `\Q…\E`: everything up to `\E` (or the end) is literal (`parse.go`, `case 'Q'`).
        const end = source.indexOf('\\E', i + 2);
        if (end < 0) return -1;
        i = end + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (ch === '[') {
      i = skipClass(source, i + 1);
      continue;
    }
    if (ch === '(' && source[i + 1] === '?' && source[i + 2] === '<') return i;
    i++;
  }
  return -1;
}
