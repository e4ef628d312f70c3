/**
 * Reads `operator.monitors` (files and globs) and `operator.prometheus` (the Prometheus resource)
 * into objects, with every problem as a config problem naming the file, line and column: a glob
 * that matches no file, a file that cannot be read, YAML that does not parse, a monitor its CRD
 * would refuse. Objects of other kinds in the same files (a whole `helm template` output) are
 * passed over.
 */
import { glob, readFile } from 'node:fs/promises';
import type { ConfigProblem } from '#lib/config/errors.ts';
import type { OperatorConfig } from '#lib/config/schema-operator.ts';
import { describeMonitor, type Monitor } from './crd-monitors.ts';
import type { PrometheusResource } from './crd-prometheus.ts';
import { parseObjects } from './objects.ts';

export interface OperatorSources {
  monitors: Monitor[];
  prometheus: PrometheusResource | null;
  /** The files read, in order. */
  files: string[];
  warnings: string[];
  problems: ConfigProblem[];
}

const GLOB = /[*?[{]/;

function problem(file: string, message: string, path = ''): ConfigProblem {
  return { file, line: null, column: null, path, message };
}

async function expand(pattern: string, out: OperatorSources): Promise<string[]> {
  if (!GLOB.test(pattern)) return [pattern];
  const files: string[] = [];
  for await (const f of glob(pattern)) files.push(f);
  if (files.length === 0)
    out.problems.push(problem(pattern, 'matches no file (operator.monitors)', 'operator.monitors'));
  return files.sort();
}

async function read(file: string, out: OperatorSources, key: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory (use a glob such as dir/*.yaml)'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    out.problems.push(problem(file, `${why} (${key})`, key));
    return null;
  }
}

/** Reads the operator's sources. Paths are absolute (the config loader resolved them). */
export async function readOperatorSources(
  op: OperatorConfig,
  options: { namespace?: string } = {},
): Promise<OperatorSources> {
  const out: OperatorSources = {
    monitors: [],
    prometheus: null,
    files: [],
    warnings: [],
    problems: [],
  };
  const seen = new Map<string, Monitor>();
  for (const pattern of op.monitors ?? []) {
    for (const file of await expand(pattern, out)) {
      const text = await read(file, out, 'operator.monitors');
      if (text === null) continue;
      out.files.push(file);
      const parsed = parseObjects(text, file, options);
      out.problems.push(...parsed.problems);
      out.warnings.push(...parsed.warnings);
      if (op.prometheus === undefined)
        for (const p of parsed.prometheuses)
          out.warnings.push(
            `${p.source}: ${p.kind} ${p.metadata.namespace}/${p.metadata.name} is not used to select monitors: set operator.prometheus to this file to check only what it selects`,
          );
      for (const m of parsed.monitors) {
        const id = `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`;
        const earlier = seen.get(id);
        if (earlier !== undefined)
          out.warnings.push(
            `${describeMonitor(m)} is defined twice (${earlier.source} and ${m.source}): the later one is used, as a second kubectl apply would replace the first`,
          );
        seen.set(id, m);
      }
    }
  }
  out.monitors = [...seen.values()];
  if (op.monitors !== undefined && out.monitors.length === 0 && out.problems.length === 0)
    out.problems.push(
      problem(
        op.monitors.join(', '),
        'holds no ServiceMonitor, PodMonitor, Probe or ScrapeConfig (operator.monitors): a check of no monitor would check nothing',
        'operator.monitors',
      ),
    );
  if (op.prometheus !== undefined) {
    const text = await read(op.prometheus, out, 'operator.prometheus');
    if (text !== null) {
      const parsed = parseObjects(text, op.prometheus, options);
      out.problems.push(...parsed.problems);
      out.warnings.push(...parsed.warnings);
      if (parsed.prometheuses.length !== 1)
        out.problems.push(
          problem(
            op.prometheus,
            `expected exactly one Prometheus (or PrometheusAgent) resource, found ${parsed.prometheuses.length} (operator.prometheus)`,
            'operator.prometheus',
          ),
        );
      else out.prometheus = parsed.prometheuses[0]!;
    }
  }
  return out;
}
