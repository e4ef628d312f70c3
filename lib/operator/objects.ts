/**
 * Prometheus Operator objects from YAML text: multi-document YAML (`helm template` output, where
 * everything but the operator's kinds is passed over) or a `List` (`kubectl get -o yaml`), each
 * object checked against its CRD's shape and defaulted as the API server defaults it (a relabeling's
 * action `replace`, a Probe's prober path `/probe`, a Prometheus's `scrapeInterval` 30s). Problems
 * are values naming the file, line and column, as the config loader's are.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { formatPath, type ConfigProblem } from '#lib/config/errors.ts';
import { MONITOR_KINDS, type Monitor } from './crd-monitors.ts';
import { prometheusResource, type PrometheusResource } from './crd-prometheus.ts';

/** What one text holds. */
export interface ParsedObjects {
  monitors: Monitor[];
  prometheuses: PrometheusResource[];
  /** Objects of other kinds (Services, Deployments…), counted: `helm template` output has many. */
  others: number;
  problems: ConfigProblem[];
  warnings: string[];
}

export interface ParseObjectsOptions {
  /** Apply the CRDs' defaults, as the API server does on create (default true). */
  defaults?: boolean;
  /** The namespace of an object that names none (default `default`, as kubectl's context). */
  namespace?: string;
}

const englishIssues: z.core.$ZodErrorMap = en().localeError;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** The YAML node at `path` under `node` (its key, with `wantKey`), or the deepest one on the way. */
function nodeAt(node: unknown, path: readonly PropertyKey[], wantKey = false): Node | null {
  let found: Node | null = (node as Node | null) ?? null;
  let current: unknown = node;
  for (const [i, segment] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find(
        (p) => (p.key as { value?: unknown } | null)?.value === segment,
      );
      if (pair === undefined) return found;
      if (wantKey && i === path.length - 1) return pair.key as Node;
      current = pair.value;
    } else if (isSeq(current) && typeof segment === 'number') current = current.items[segment];
    else return found;
    if (current !== null && typeof current === 'object' && 'range' in current)
      found = current as Node;
  }
  return found;
}

/** Fills the CRD defaults the generated config depends on (the API server's structural defaulting). */
function applyDefaults(kind: string, spec: Record<string, unknown>): void {
  const relabelings = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const r of list)
      if (r !== null && typeof r === 'object' && !('action' in r))
        (r as Record<string, unknown>).action = 'replace';
  };
  const endpoints = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const ep of list as Record<string, unknown>[]) {
      relabelings(ep.relabelings);
      relabelings(ep.metricRelabelings);
    }
  };
  endpoints(spec.endpoints);
  endpoints(spec.podMetricsEndpoints);
  relabelings(spec.relabelings);
  relabelings(spec.metricRelabelings);
  if (kind === 'Probe') {
    const prober = spec.prober as Record<string, unknown> | null | undefined;
    if (prober != null && prober.path === undefined) prober.path = '/probe';
    const targets = spec.targets as Record<string, Record<string, unknown> | undefined> | undefined;
    relabelings(targets?.staticConfig?.relabelingConfigs);
    relabelings(targets?.ingress?.relabelingConfigs);
  }
  if (kind === 'Prometheus' || kind === 'PrometheusAgent') spec.scrapeInterval ??= '30s';
}

/**
 * Parses an object against a strict schema; keys the CRD lacks are warnings (and dropped), as
 * kubectl's strict field validation would name them.
 */
function strictParse<T>(
  schema: z.ZodMiniType<T>,
  raw: unknown,
  warn: (path: PropertyKey[], message: string) => void,
): { ok: true; value: T } | { ok: false; issues: z.core.$ZodIssue[] } {
  let input = structuredClone(raw);
  for (let attempt = 0; attempt < 8; attempt++) {
    const parsed = schema.safeParse(input, { error: englishIssues });
    if (parsed.success) return { ok: true, value: parsed.data };
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (unknown.length === 0 || unknown.length !== parsed.error.issues.length)
      return {
        ok: false,
        issues: parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys'),
      };
    for (const issue of unknown) {
      let target: unknown = input;
      for (const seg of issue.path) target = (target as Record<PropertyKey, unknown>)[seg];
      for (const key of issue.keys) {
        warn(
          [...issue.path, key],
          'unknown field: the CRD has no such field (kubectl refuses it; the operator never sees it)',
        );
        Reflect.deleteProperty(target as object, key);
      }
    }
    input = structuredClone(input);
  }
  return { ok: false, issues: [] };
}

/** Parses every document of `text` (from `origin`, for messages). */
export function parseObjects(
  text: string,
  origin: string,
  options: ParseObjectsOptions = {},
): ParsedObjects {
  const out: ParsedObjects = {
    monitors: [],
    prometheuses: [],
    others: 0,
    problems: [],
    warnings: [],
  };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const docList: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const at = (node: Node | null, path: readonly PropertyKey[], message: string): ConfigProblem => {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? null : lines.linePos(offset);
    return {
      file: origin,
      line: pos?.line ?? null,
      column: pos?.col ?? null,
      path: formatPath(path),
      message,
    };
  };
  for (const doc of docList) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        out.problems.push({
          file: origin,
          line: pos?.line ?? null,
          column: pos?.col ?? null,
          path: '',
          message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        });
      }
      continue;
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue;
    const items: { raw: unknown; base: PropertyKey[] }[] = [];
    const kindOf = (o: unknown) => (o as { kind?: unknown } | null)?.kind;
    const k = kindOf(data);
    if (
      typeof k === 'string' &&
      k.endsWith('List') &&
      Array.isArray((data as { items?: unknown }).items)
    )
      (data as { items: unknown[] }).items.forEach((raw, i) =>
        items.push({ raw, base: ['items', i] }),
      );
    else items.push({ raw: data, base: [] });
    for (const { raw, base } of items) readObject(raw, base, doc, at, out, options);
  }
  return out;
}

function readObject(
  raw: unknown,
  base: PropertyKey[],
  doc: Document.Parsed,
  at: (node: Node | null, path: readonly PropertyKey[], message: string) => ConfigProblem,
  out: ParsedObjects,
  options: ParseObjectsOptions,
): void {
  const problem = (path: PropertyKey[], message: string) =>
    out.problems.push(at(nodeAt(doc.contents, [...base, ...path]), [...base, ...path], message));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(
      [],
      `expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(raw)}`,
    );
    return;
  }
  const object = raw as Record<string, unknown>;
  const kind = object.kind;
  const isMonitor = typeof kind === 'string' && Object.hasOwn(MONITOR_KINDS, kind);
  const isPrometheus = kind === 'Prometheus' || kind === 'PrometheusAgent';
  if (!isMonitor && !isPrometheus) {
    out.others++;
    return;
  }
  const name = (object.metadata as { name?: unknown } | undefined)?.name;
  const label = `${kind} ${typeof name === 'string' ? name : '(unnamed)'}`;
  const warn = (path: PropertyKey[], message: string) => {
    const p = at(nodeAt(doc.contents, [...base, ...path], true), [...base, ...path], message);
    out.warnings.push(
      `${p.file}:${p.line ?? 0}:${p.column ?? 0}: ${label}: ${p.path}: ${p.message}`,
    );
  };
  const where = (): string => {
    const p = at(nodeAt(doc.contents, base), base, '');
    return `${p.file}:${p.line ?? 1}`;
  };
  const spec = object.spec;
  if (options.defaults !== false && spec !== null && typeof spec === 'object')
    applyDefaults(kind, spec as Record<string, unknown>);
  const fail = (issues: z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      let value: unknown = object;
      for (const seg of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[seg];
      const message =
        issue.code === 'invalid_type' && value === undefined
          ? `${label}: is required (expected ${issue.expected})`
          : issue.code === 'invalid_type'
            ? `${label}: expected ${issue.expected}, got ${describe(value)}`
            : `${label}: ${issue.message}`;
      problem(path, message);
    }
  };
  const meta = object.metadata as
    { name?: string; namespace?: string; labels?: Record<string, string> } | undefined;
  const namespaceOf = (): string => {
    if (typeof meta?.namespace === 'string' && meta.namespace !== '') return meta.namespace;
    const ns = options.namespace ?? 'default';
    warn(
      ['metadata'],
      `no metadata.namespace: taken as "${ns}" (kubectl would use its context's namespace)`,
    );
    return ns;
  };
  if (isPrometheus) {
    const parsed = prometheusResource.safeParse(object, { error: englishIssues });
    if (!parsed.success) {
      fail(parsed.error.issues, []);
      return;
    }
    out.prometheuses.push({
      kind: parsed.data.kind,
      metadata: {
        name: parsed.data.metadata.name,
        namespace: namespaceOf(),
        labels: { ...parsed.data.metadata.labels },
      },
      spec: parsed.data.spec,
      source: where(),
    });
    return;
  }
  const monitorKind = kind as Monitor['kind'];
  const def = MONITOR_KINDS[monitorKind];
  if (!(def.versions as readonly string[]).includes(String(object.apiVersion))) {
    problem(
      ['apiVersion'],
      `${label}: expected apiVersion ${def.versions.join(' or ')}, got ${JSON.stringify(object.apiVersion ?? null)}`,
    );
    return;
  }
  if (typeof name !== 'string' || name === '') {
    problem(['metadata', 'name'], `${label}: metadata.name is required`);
    return;
  }
  const parsed = strictParse(def.spec as z.ZodMiniType, spec, (p, m) => {
    warn(['spec', ...p], m);
  });
  if (!parsed.ok) {
    fail(parsed.issues, ['spec']);
    return;
  }
  out.monitors.push({
    kind: monitorKind,
    metadata: { name, namespace: namespaceOf(), labels: { ...meta?.labels } },
    spec: parsed.value,
    source: where(),
  } as Monitor);
}
