/**
 * Fast evaluation plans for the regexes most relabel rules use, so the hot loop does not pay
 * re2js's 1–6 µs per call for `(.*)`, `true`, `Pod;(.*)`, `__meta_kubernetes_pod_label_(.+)` or
 * `Failed|Succeeded`.
 *
 * A plan exists only for a pattern that is, after re2js has accepted it:
 *
 * - `lit|lit|…`: alternatives of literal text (each may start with `^` and end with `$`); or
 * - `P hole S`: literal prefix `P` (may start with `^`), one hole, literal suffix `S` (may end
 *   with `$`), where the hole is `.*`, `.+`, `(.*)`, `(.+)`, `(?:.*)`, `(?:.+)`, `(lit|…)` or
 *   `(?:lit|…)`.
 *
 * Why the answers are provably Go's: Prometheus anchors every regex at both ends (`^(?:re)$`,
 * 3.x `^(?s:re)$`, `model/relabel/relabel.go` `NewRegexp`), and with no flags `^` and `$` mean
 * start and end of text, so a leading `^` or trailing `$` changes nothing. A literal matches only
 * itself, so `lit|…` matches exactly the strings in the set, and group 0 is the whole input. For
 * `P hole S` the prefix and suffix have fixed lengths, so a full match can only put the hole on
 * `s[len(P) : len(s)-len(S)]`: there is one way to match, and leftmost-first preference, greediness
 * and backtracking order cannot choose a different group 1. `.` is any code point but `\n` (2.x) or
 * any code point (3.x, `(?s:`); `.+` needs one. Anything else (classes, repeats, flags, `\d`,
 * named groups, a second group) goes to re2js.
 */

/** A set of literal strings. */
export interface LiteralHole {
  readonly kind: 'literals';
  readonly values: ReadonlySet<string>;
}

/** `.*` or `.+`. */
export interface AnyHole {
  readonly kind: 'any';
  readonly nonEmpty: boolean;
}

/** How to evaluate a pattern without a regex engine. */
export type FastPlan =
  | { readonly kind: 'literals'; readonly values: ReadonlySet<string> }
  | {
      readonly kind: 'affix';
      readonly prefix: string;
      readonly suffix: string;
      readonly hole: LiteralHole | AnyHole;
      /** Whether the hole is group 1. */
      readonly capture: boolean;
    };

/** Go's metacharacters (`regexp/syntax` `parse.go`); `{` `}` are left to re2js entirely. */
const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

function isAsciiAlnum(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  );
}

interface Scan {
  text: string;
  end: number;
}

/**
 * Reads literal text from `i`: ordinary characters, and `\` + ASCII non-alphanumeric, which Go
 * reads as that character (`parseEscape`: "Escaped non-word characters are always themselves").
 * Returns null at an escape that means something else (`\d`, `\Q`, `\x41`).
 */
function literalRun(s: string, i: number): Scan | null {
  let text = '';
  let from = i;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\') {
      const code = s.charCodeAt(i + 1);
      if (Number.isNaN(code) || code >= 0x80 || isAsciiAlnum(code)) return null;
      text += s.slice(from, i) + s[i + 1]!;
      i += 2;
      from = i;
      continue;
    }
    if (META.has(ch)) break;
    i++;
  }
  return { text: text + s.slice(from, i), end: i };
}

/** Reads `lit|lit|…` up to `stop` (`)` or the end); returns the set and where it stopped. */
function literalAlternatives(
  s: string,
  i: number,
  edges: boolean,
): { values: Set<string>; end: number } | null {
  const values = new Set<string>();
  for (;;) {
    if (edges && s[i] === '^') i++;
    const run = literalRun(s, i);
    if (run === null) return null;
    i = run.end;
    if (edges && s[i] === '$') i++;
    values.add(run.text);
    if (s[i] !== '|') return { values, end: i };
    i++;
  }
}

function anyHole(s: string, i: number): { hole: AnyHole; end: number } | null {
  if (s[i] !== '.') return null;
  const op = s[i + 1];
  if (op !== '*' && op !== '+') return null;
  // `.*?` would still be unambiguous, but a following `?` or `*` is left to re2js to keep the
  // grammar small.
  return { hole: { kind: 'any', nonEmpty: op === '+' }, end: i + 2 };
}

function parseHole(
  s: string,
  i: number,
): { hole: LiteralHole | AnyHole; capture: boolean; end: number } | null {
  const bare = anyHole(s, i);
  if (bare !== null) return { ...bare, capture: false };
  if (s[i] !== '(') return null;
  let at = i + 1;
  let capture = true;
  if (s[at] === '?') {
    if (s[at + 1] !== ':') return null;
    capture = false;
    at += 2;
  }
  const inner = anyHole(s, at);
  if (inner !== null) {
    return s[inner.end] === ')' ? { hole: inner.hole, capture, end: inner.end + 1 } : null;
  }
  const alts = literalAlternatives(s, at, false);
  if (alts === null || s[alts.end] !== ')') return null;
  return { hole: { kind: 'literals', values: alts.values }, capture, end: alts.end + 1 };
}

function affixPlan(s: string): FastPlan | null {
  let i = s[0] === '^' ? 1 : 0;
  const prefix = literalRun(s, i);
  if (prefix === null) return null;
  i = prefix.end;
  const hole = parseHole(s, i);
  if (hole === null) return null;
  const suffix = literalRun(s, hole.end);
  if (suffix === null) return null;
  i = suffix.end;
  if (s[i] === '$') i++;
  if (i !== s.length) return null;
  return {
    kind: 'affix',
    prefix: prefix.text,
    suffix: suffix.text,
    hole: hole.hole,
    capture: hole.capture,
  };
}

/**
 * The fast plan for a relabel regex as written (without Prometheus's anchoring), or null when
 * only a regex engine can answer. Call it only for a pattern re2js compiled: the plan does not
 * look for syntax errors.
 */
export function planFastPath(source: string): FastPlan | null {
  const alts = literalAlternatives(source, 0, true);
  if (alts?.end === source.length) return { kind: 'literals', values: alts.values };
  return affixPlan(source);
}

/** Whether the plan matches all of `s`, without building the groups. */
export function testFastPlan(plan: FastPlan, dotNL: boolean, s: string): boolean {
  if (plan.kind === 'literals') return plan.values.has(s);
  const { prefix, suffix, hole } = plan;
  const stop = s.length - suffix.length;
  if (stop < prefix.length || !s.startsWith(prefix) || !s.endsWith(suffix)) return false;
  if (hole.kind === 'literals') return hole.values.has(s.slice(prefix.length, stop));
  if (hole.nonEmpty && stop === prefix.length) return false;
  if (dotNL) return true;
  const nl = s.indexOf('\n', prefix.length);
  return nl < 0 || nl >= stop;
}

/** Runs a plan: the submatches of a full match, or null. `dotNL`: `.` also matches `\n` (3.x). */
export function runFastPlan(
  plan: FastPlan,
  dotNL: boolean,
  s: string,
): readonly [string] | readonly [string, string] | null {
  if (plan.kind === 'literals') return plan.values.has(s) ? [s] : null;
  const { prefix, suffix, hole } = plan;
  const stop = s.length - suffix.length;
  if (stop < prefix.length || !s.startsWith(prefix) || !s.endsWith(suffix)) return null;
  if (hole.kind === 'any') {
    if (hole.nonEmpty && stop === prefix.length) return null;
    if (!dotNL) {
      const nl = s.indexOf('\n', prefix.length);
      if (nl >= 0 && nl < stop) return null;
    }
    return plan.capture ? [s, s.slice(prefix.length, stop)] : [s];
  }
  const middle = s.slice(prefix.length, stop);
  if (!hole.values.has(middle)) return null;
  return plan.capture ? [s, middle] : [s];
}
