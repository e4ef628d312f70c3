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
 * Where the literal run that starts at `i` ends: an escape, `\Q…\E` (to the end when there is no
 * `\E`, `parse.go` `case 'Q'`) or a character class; `i` itself when none starts there.
 */
function skipLiteral(s: string, i: number): number {
  if (s[i] === '\\') {
    if (s[i + 1] !== 'Q') return i + 2;
    const end = s.indexOf('\\E', i + 2);
    return end < 0 ? s.length : end + 2;
  }
  return s[i] === '[' ? skipClass(s, i + 1) : i;
}

/**
 * The index of the first `(?<` that Go's parser would read as a group opener, or -1.
 *
 * @example findAngleGroup('[(?<]x(?<n>a)') === 6
 */
export function findAngleGroup(source: string): number {
  let i = 0;
  while (i < source.length) {
    const literal = skipLiteral(source, i);
    if (literal !== i) {
      i = literal;
      continue;
    }
    if (source[i] === '(' && source[i + 1] === '?' && source[i + 2] === '<') return i;
    i++;
  }
  return -1;
}

const DUPLICATE_SUFFIX = '__scrape_check_dup';

/**
 * Go's regexp accepts a group name used twice (`(?P<n>a)|(?P<n>b)`, Prometheus loads it) and `$n`
 * then takes the first group of that name that matched (regexp.go `expand`); RE2 proper, and so
 * re2js, refuses the repeat. So each repeat is renamed before compiling (`n__scrape_check_dup1`),
 * and `renamed` maps every name used back to the one written.
 */
export function dedupeGroupNames(source: string): { source: string; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const seen = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < source.length) {
    const literal = skipLiteral(source, i);
    if (literal !== i) {
      out += source.slice(i, literal);
      i = literal;
      continue;
    }
    const open = /^\(\?P?<(\w+)>/.exec(source.slice(i, i + 200));
    if (open !== null) {
      const name = open[1]!;
      const count = seen.get(name) ?? 0;
      seen.set(name, count + 1);
      const used = count === 0 ? name : `${name}${DUPLICATE_SUFFIX}${count}`;
      if (count > 0) renamed.set(used, name);
      out += open[0].replace(`<${name}>`, `<${used}>`);
      i += open[0].length;
      continue;
    }
    out += source[i]!;
    i++;
  }
  return { source: renamed.size === 0 ? source : out, renamed };
}
