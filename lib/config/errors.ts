/**
 * Configuration problems as values: each names the file, the line and column, the key path
 * (`scrape_configs[2].tls_config.ca_file`) and what is wrong, in that order, so a person can jump
 * straight to it.
 */
import { distance } from 'fastest-levenshtein';

/** One configuration problem (or warning), with its place. */
export interface ConfigProblem {
  file: string;
  /** 1-based; null when the problem is the file as a whole. */
  line: number | null;
  column: number | null;
  /** `scrape_configs[2].tls_config.ca_file`; empty for the whole document. */
  path: string;
  message: string;
}

/** `scrape-check.yaml:12:7: scrape_configs[2].tls_config.ca_file: expected string, got number` */
export function formatProblem(problem: ConfigProblem): string {
  const where =
    problem.line === null ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path
    ? `${where}: ${problem.path}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/** Orders problems as a reader meets them: by line, then column; whole-file problems first. */
export function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** Joins a key path the way users write it: `scrape_configs[2].tls_config.ca_file`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/**
 * The candidate nearest to a mistyped `word`, or null when none is near enough to be a typo: at
 * most two edits, and fewer than a third of the word for long ones (`scrape_timout` is one edit
 * from `scrape_timeout`; `foo` is near nothing). Case and `-`/`_` slips count as one edit at most.
 *
 * @example
 * nearest('scrape_timout', ['scrape_timeout', 'scrape_interval']); // 'scrape_timeout'
 */
export function nearest(word: string, candidates: Iterable<string>): string | null {
  const fold = (s: string): string => s.toLowerCase().replaceAll('-', '_');
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = fold(candidate) === fold(word) ? 0.5 : distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return best !== null && bestDistance <= allowed && bestDistance < word.length ? best : null;
}
