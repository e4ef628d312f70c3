/**
 * Relabel regexes with Go's RE2 semantics, through re2js (a pure-JavaScript port of Go's
 * `regexp`), never JavaScript's `RegExp`: `(?i)`, `(?P<n>)`, `\z`, `\Q…\E`, `[[:alpha:]]`, ASCII
 * `\s`, leftmost-first submatches, and the refusal of lookaround and backreferences are Go's.
 *
 * Anchoring as Prometheus does it (`model/relabel/relabel.go`, `NewRegexp`): 2.x compiles
 * `^(?:re)$`; 3.x compiles `^(?s:re)$`, so `.` matches `\n` (prometheus/prometheus#14505).
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';
import type { PromVersion } from '#lib/discovery/types.ts';
import { expandTemplate, type Submatches } from './expand.ts';
import { planFastPath, runFastPlan, testFastPlan, type FastPlan } from './regex-fast.ts';
import { ANGLE_STAND_IN, dedupeGroupNames, findAngleGroup } from './regex-syntax.ts';

/** How a regex is evaluated: a fast plan (see `regex-fast.ts`) or re2js. */
export type RegexStrategy = 'literals' | 'affix' | 're2';

/** Results are remembered per regex for inputs up to this length (label names, short values). */
const MEMO_MAX_KEY = 256;
/** …and up to this many inputs, after which the memo starts again. */
const MEMO_MAX_ENTRIES = 4096;

/**
 * A compiled relabel regex. All matching is against the whole input (Prometheus's anchoring).
 * Instances are immutable apart from an internal memo and are shared between rules.
 */
export class RelabelRegex {
  /** The pattern as written in the configuration (Go's `Regexp.String()` after Prometheus trims). */
  readonly source: string;
  readonly version: PromVersion;
  /** Which evaluator answers (tests check that the fast paths are taken). */
  readonly strategy: RegexStrategy;
  /** Group names by index, as Go's `SubexpNames` ("" for unnamed groups and group 0). */
  readonly groupNames: readonly string[];
  readonly #re: RE2JS;
  readonly #plan: FastPlan | null;
  readonly #names: ReadonlyMap<string, number>;
  /** For a name written more than once: every group index it names, in order. */
  readonly #repeated: ReadonlyMap<string, readonly number[]>;
  readonly #matchMemo = new Map<string, boolean>();
  readonly #submatchMemo = new Map<string, Submatches | null>();

  /** Use `compileRegex`, which validates and caches. */
  constructor(
    source: string,
    version: PromVersion,
    re: RE2JS,
    useFastPath: boolean,
    renamed: ReadonlyMap<string, string> = new Map(),
  ) {
    this.source = source;
    this.version = version;
    this.#re = re;
    this.#plan = useFastPath ? planFastPath(source) : null;
    this.strategy = this.#plan?.kind ?? 're2';
    const names = new Map<string, number>();
    const groupNames = Array.from({ length: re.groupCount() + 1 }, () => '');
    const repeated = new Map<string, number[]>();
    for (const [used, index] of Object.entries(re.namedGroups()).sort((a, b) => a[1] - b[1])) {
      const name = renamed.get(used) ?? used;
      if (!names.has(name)) names.set(name, index);
      groupNames[index] = name;
      const all = repeated.get(name);
      if (all) all.push(index);
      else repeated.set(name, [index]);
    }
    for (const [name, all] of repeated) if (all.length < 2) repeated.delete(name);
    this.#names = names;
    this.#repeated = repeated;
    this.groupNames = groupNames;
  }

  /** Whether the whole of `s` matches: Go's `MatchString` on the anchored regex. */
  matches(s: string): boolean {
    if (this.#plan !== null) return testFastPlan(this.#plan, this.version === '3', s);
    const known = this.#matchMemo.get(s);
    if (known !== undefined) return known;
    const result = this.#re.testExact(s);
    remember(this.#matchMemo, s, result);
    return result;
  }

  /**
   * The groups of the match of the whole of `s` (`[0] === s`), `undefined` for a group that took
   * no part; null when `s` does not match. Go's `FindStringSubmatchIndex`, as strings.
   * The returned array is shared: do not modify it.
   */
  findSubmatch(s: string): Submatches | null {
    if (this.#plan !== null) return runFastPlan(this.#plan, this.version === '3', s);
    const known = this.#submatchMemo.get(s);
    if (known !== undefined) return known;
    // `exec` is an unanchored search, like Go's `FindStringSubmatchIndex`; the pattern carries
    // Prometheus's anchors, so it can only match all of `s`. (re2js's `Matcher.matches()` gives
    // the same groups but is 2–3× slower.) `slice` drops `index`/`input`/`groups`.
    const found = this.#re.exec(s) as (string | undefined)[] | null;
    const result: Submatches | null = found === null ? null : found.slice();
    remember(this.#submatchMemo, s, result);
    return result;
  }

  /** Expands a template against groups from `findSubmatch` (Go's `ExpandString`, see expand.ts). */
  expand(template: string, groups: Submatches): string {
    if (this.#repeated.size === 0) return expandTemplate(template, groups, this.#names);
    // A repeated name takes the first of its groups that matched (Go's regexp.go `expand`).
    const names = new Map(this.#names);
    for (const [name, all] of this.#repeated) {
      const matched = all.find((i) => groups[i] !== undefined);
      if (matched !== undefined) names.set(name, matched);
    }
    return expandTemplate(template, groups, names);
  }

  /**
   * Go's `ReplaceAllString(s, template)` for an anchored regex: the regex can only match all of
   * `s` once (after a match that ends at len(s), `^` cannot match again), so the result is the
   * expanded template, or `s` unchanged when it does not match.
   */
  replaceAll(s: string, template: string): string {
    const groups = this.findSubmatch(s);
    return groups === null ? s : this.expand(template, groups);
  }
}

function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  if (key.length > MEMO_MAX_KEY) return;
  if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
  memo.set(key, value);
}

/** A compiled regex, or Go's error message for the pattern. */
export type RegexResult = { ok: true; regex: RelabelRegex } | { ok: false; message: string };

function anchor(source: string, version: PromVersion): string {
  return (version === '2' ? '^(?:' : '^(?s:') + source + ')$';
}

/** Go's wording for a re2js refusal of `wrapped` (the anchored pattern Prometheus compiles). */
function goMessage(error: unknown, wrapped: string, version: PromVersion): string {
  if (!(error instanceof RE2JSSyntaxException)) {
    return error instanceof Error ? error.message : String(error);
  }
  if (error.input === `(?${ANGLE_STAND_IN}`) {
    return 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`';
  }
  if (error.input === null) {
    // Go names the whole expression for these two (`parse.go`, the deferred recover in `parse`);
    // Go 1.19 (Prometheus 2.42) still called "too large" an internal error.
    const code =
      version === '2' && error.error === 'expression too large'
        ? 'regexp/syntax: internal error'
        : error.error;
    return `error parsing regexp: ${code}: \`${wrapped}\``;
  }
  return error.message;
}

/** Compiles without the cache. `fastPath: false` forces re2js (for equivalence tests). */
export function compileRegexUncached(
  source: string,
  version: PromVersion,
  options: { fastPath?: boolean } = {},
): RegexResult {
  const wrapped = anchor(source, version);
  let compiled = wrapped;
  let renamed: ReadonlyMap<string, string> = new Map();
  const at = version === '2' ? findAngleGroup(source) : -1;
  if (at >= 0) {
    const lt = wrapped.length - source.length - 2 + at + 2;
    compiled = wrapped.slice(0, lt) + ANGLE_STAND_IN + wrapped.slice(lt + 1);
  } else {
    const deduped = dedupeGroupNames(source);
    compiled = anchor(deduped.source, version);
    renamed = deduped.renamed;
  }
  try {
    const re = RE2JS.compile(compiled);
    return {
      ok: true,
      regex: new RelabelRegex(source, version, re, options.fastPath ?? true, renamed),
    };
  } catch (error) {
    return { ok: false, message: goMessage(error, wrapped, version) };
  }
}

const cache = new Map<string, RegexResult>();
const CACHE_MAX = 10_000;

/**
 * Compiles a relabel regex as Prometheus `version` does, or returns Go's error text
 * ("error parsing regexp: invalid or unsupported Perl syntax: `(?=`"). Results, errors included,
 * are cached by (version, source), so rules that share a pattern share one regex and its memo.
 *
 * @example compileRegex('__meta_kubernetes_pod_label_(.+)', '3')
 */
export function compileRegex(source: string, version: PromVersion): RegexResult {
  const key = version + '\u0000' + source;
  let result = cache.get(key);
  if (result === undefined) {
    result = compileRegexUncached(source, version);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, result);
  }
  return result;
}
