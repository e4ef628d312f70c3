/**
 * Configuration problems as values: each names the file, the line and column, the key path
 * (`scrape_configs[2].tls_config.ca_file`) and what is wrong, in that order, so a person can jump
 * straight to it.
 */

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

/** Joins a key path the way users write it: `scrape_configs[2].tls_config.ca_file`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
