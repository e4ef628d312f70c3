/**
 * Go's `regexp.Expand` template rules, which Prometheus uses for `target_label` and `replacement`
 * (golang/go `src/regexp/regexp.go`, `expand` and `extract`; the same code in grafana/regexp,
 * which Prometheus compiles against). JavaScript's `String.prototype.replace` differs on almost
 * every point (`$1x`, `${1}`, `$<name>`, `$&`), so this is written out by hand.
 */

/** The groups of one match: `[0]` is the whole match, `undefined` a group that did not take part. */
export type Submatches = readonly (string | undefined)[];

const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** `unicode.IsLetter || unicode.IsDigit || '_'`: Go's name characters (letters L, digits Nd). */
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function isNameUnit(code: number): boolean {
  if (code < 0x80) {
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f
    );
  }
  return false;
}

/**
 * Where the name that starts at `start` ends: the longest run of letters, digits and `_`.
 * ASCII is checked inline; anything else goes through the Unicode property test per code point.
 */
function nameEnd(template: string, start: number): number {
  let i = start;
  while (i < template.length) {
    const code = template.charCodeAt(i);
    if (isNameUnit(code)) {
      i++;
      continue;
    }
    if (code < 0x80) return i;
    const cp = template.codePointAt(i)!;
    if (!NAME_CHAR.test(String.fromCodePoint(cp))) return i;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * The group number a name stands for, or -1 when it is a name: Go reads only ASCII digits, stops
 * counting at 1e8 and refuses leading zeros (`$01` is the group named "01", which never exists).
 */
function groupNumber(name: string): number {
  let num = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x30 || code > 0x39 || num >= 1e8) return -1;
    num = num * 10 + code - 0x30;
  }
  if (name.charCodeAt(0) === 0x30 && name.length > 1) return -1;
  return num;
}

/**
 * Expands `template` against one match, exactly as Go's `Regexp.ExpandString`:
 *
 * - `$$` is a literal `$`;
 * - `$name` and `${name}` take the longest run of letters, digits and `_`, so `$1x` is the group
 *   *named* `1x` (empty), not group 1 followed by `x`; write `${1}x` for that;
 * - an all-digit name is a group number; a number out of range, a group that did not take part,
 *   and an unknown name all expand to "";
 * - a `$` not followed by a valid name (`$-`, `${1`, `${}`, a trailing `$`) is kept as a literal
 *   `$` and the scan goes on after it.
 *
 * `names` maps each group name to its index (Go's `SubexpNames`).
 *
 * @example expandTemplate('ch${1}-ch$1x', ['foo', 'oo'], new Map()) === 'choo-ch'
 */
export function expandTemplate(
  template: string,
  groups: Submatches,
  names: ReadonlyMap<string, number>,
): string {
  let dollar = template.indexOf('$');
  if (dollar < 0) return template;
  let out = '';
  let pos = 0;
  while (dollar >= 0) {
    out += template.slice(pos, dollar);
    const after = dollar + 1;
    if (template.charCodeAt(after) === DOLLAR) {
      out += '$';
      pos = after + 1;
      dollar = template.indexOf('$', pos);
      continue;
    }
    const brace = template.charCodeAt(after) === OPEN_BRACE;
    const start = brace ? after + 1 : after;
    const end = nameEnd(template, start);
    const closed = !brace || template.charCodeAt(end) === CLOSE_BRACE;
    if (end === start || !closed) {
      // Malformed: Go appends the `$` and rescans from the character after it.
      out += '$';
      pos = after;
      dollar = template.indexOf('$', pos);
      continue;
    }
    const name = template.slice(start, end);
    const num = groupNumber(name);
    const index = num >= 0 ? num : (names.get(name) ?? -1);
    if (index >= 0 && index < groups.length) out += groups[index] ?? '';
    pos = brace ? end + 1 : end;
    dollar = template.indexOf('$', pos);
  }
  return out + template.slice(pos);
}

/** Whether a template holds a `$` at all: Prometheus's `varInRegexTemplate` (`relabel.go`). */
export function hasTemplateVar(template: string): boolean {
  return template.includes('$');
}
