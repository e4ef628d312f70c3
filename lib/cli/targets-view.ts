/**
 * The `targets` document (the data of Prometheus's `/api/v1/targets`, plus scrape-check's
 * additions) and its rendering for people: per job, the active targets with their URL and labels,
 * the dropped ones counted by the rule that dropped them, and whatever left a job without targets.
 */
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { relabelSteps } from '#lib/relabel/index.ts';
import type { JobsPlan } from '#lib/targets/scrape-jobs.ts';
import { bold, dim, red, yellow } from './paint.ts';

/** One relabel rule's effect on a target (`--explain`), as Prometheus 3.8's relabel steps say it. */
export interface Step {
  rule: unknown;
  output: LabelSet;
  keep: boolean;
}

/** The `targets --json` document: docs/reference.md, "targets --json". */
export interface TargetsDocument {
  activeTargets: {
    scrapePool: string;
    scrapeUrl: string;
    labels: LabelSet;
    discoveredLabels: LabelSet;
    scrapeInterval: string;
    scrapeTimeout: string;
    cluster?: string;
    steps?: Step[];
  }[];
  droppedTargets: {
    scrapePool: string;
    discoveredLabels: LabelSet;
    droppedBy: { rule: number; action: string } | null;
    cluster?: string;
    steps?: Step[];
  }[];
  /** Targets Prometheus cannot create ("Creating target failed"): on neither of its lists. */
  failedTargets: { scrapePool: string; discoveredLabels: LabelSet; error: string }[];
  /** Jobs left without targets: a failed discovery, or none left after relabeling. */
  jobErrors: { scrapePool: string; cluster?: string; reason: string; error: string }[];
  skipped: { scrapePool: string; why: string }[];
}

/** Builds the `targets --json` document from the planned jobs (with `steps` under `explain`). */
export function targetsDocument(
  plan: JobsPlan,
  options: { explain: boolean; version: PromVersion },
): TargetsDocument {
  const doc: TargetsDocument = {
    activeTargets: [],
    droppedTargets: [],
    failedTargets: [],
    jobErrors: [],
    skipped: plan.skipped.map((s) => ({ scrapePool: s.job, why: s.why })),
  };
  for (const t of plan.targets) {
    const pool = t.job.job_name;
    const where = t.cluster === null ? {} : { cluster: t.cluster };
    const steps = (discovered: LabelSet): { steps?: Step[] } =>
      options.explain ? { steps: relabelSteps(discovered, t.rules, options.version).steps } : {};
    for (const a of t.active) {
      doc.activeTargets.push({
        scrapePool: pool,
        scrapeUrl: a.url.href,
        labels: a.labels,
        discoveredLabels: a.discovered,
        scrapeInterval: a.internal.__scrape_interval__ ?? '',
        scrapeTimeout: a.internal.__scrape_timeout__ ?? '',
        ...where,
        ...steps(a.discovered),
      });
    }
    for (const d of t.dropped) {
      doc.droppedTargets.push({
        scrapePool: pool,
        discoveredLabels: d.discovered,
        droppedBy: d.droppedBy,
        ...where,
        ...steps(d.discovered),
      });
    }
    for (const f of t.failed) {
      doc.failedTargets.push({ scrapePool: pool, discoveredLabels: f.discovered, error: f.error });
    }
  }
  for (const f of plan.failures) {
    if (f.reason === 'config_invalid' && f.instance !== null) continue; // listed in failedTargets
    doc.jobErrors.push({
      scrapePool: f.job,
      ...(f.cluster === null ? {} : { cluster: f.cluster }),
      reason: f.reason,
      error: f.diagnosis,
    });
  }
  return doc;
}

function labelText(labels: LabelSet): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function changed(before: LabelSet, after: LabelSet): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (before[k] !== v) out.push(`+${k}=${JSON.stringify(v)}`);
  }
  for (const k of Object.keys(before)) if (!(k in after)) out.push(`-${k}`);
  return out.length === 0 ? 'no change' : out.join(' ');
}

function explainLines(discovered: LabelSet, steps: Step[] | undefined, c: boolean): string[] {
  if (!steps) return [];
  const lines: string[] = [];
  let before = discovered;
  for (const [i, s] of steps.entries()) {
    const rule = s.rule as {
      action?: string;
      source_labels?: string[];
      regex?: string;
      target_label?: string;
    };
    const what = [
      `${i}: ${rule.action ?? ''}`,
      rule.source_labels?.length ? `[${rule.source_labels.join(', ')}]` : '',
      rule.regex === undefined ? '' : `regex ${JSON.stringify(rule.regex)}`,
      rule.target_label ? `-> ${rule.target_label}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(dim(c, `      ${what}: ${s.keep ? changed(before, s.output) : 'DROPPED'}`));
    // After a drop, the remaining steps only say `{}`: the drop is the last line shown.
    if (!s.keep) break;
    before = s.output;
  }
  return lines;
}

/** The document for people: one block per job. */
export function renderTargets(
  doc: TargetsDocument,
  style: { color: boolean; explain: boolean },
): string {
  const c = style.color;
  const pools = [
    ...new Set([
      ...doc.activeTargets.map((t) => t.scrapePool),
      ...doc.droppedTargets.map((t) => t.scrapePool),
      ...doc.failedTargets.map((t) => t.scrapePool),
      ...doc.jobErrors.map((t) => t.scrapePool),
    ]),
  ];
  const out: string[] = [];
  for (const pool of pools) {
    const active = doc.activeTargets.filter((t) => t.scrapePool === pool);
    const dropped = doc.droppedTargets.filter((t) => t.scrapePool === pool);
    out.push(bold(c, `${pool}: ${active.length} active, ${dropped.length} dropped`));
    for (const t of active) {
      out.push(`  ${t.scrapeUrl}  ${labelText(t.labels)}`);
      out.push(...explainLines(t.discoveredLabels, t.steps, c));
    }
    const byRule = new Map<string, typeof dropped>();
    for (const d of dropped) {
      const key =
        d.droppedBy === null
          ? 'left with no labels'
          : `relabel_configs[${d.droppedBy.rule}] (${d.droppedBy.action})`;
      byRule.set(key, [...(byRule.get(key) ?? []), d]);
    }
    for (const [rule, list] of byRule) {
      out.push(dim(c, `  dropped by ${rule}: ${list.length}`));
      for (const d of style.explain ? list : list.slice(0, 3)) {
        out.push(dim(c, `    ${d.discoveredLabels.__address__ ?? '(no address)'}`));
        out.push(...explainLines(d.discoveredLabels, d.steps, c));
      }
      if (!style.explain && list.length > 3)
        out.push(dim(c, `    … ${list.length - 3} more (--explain lists them)`));
    }
    for (const f of doc.failedTargets.filter((t) => t.scrapePool === pool)) {
      out.push(
        red(c, `  cannot create ${f.discoveredLabels.__address__ ?? '(no address)'}: ${f.error}`),
      );
    }
    for (const e of doc.jobErrors.filter((t) => t.scrapePool === pool)) {
      out.push(
        red(c, `  ${e.reason}${e.cluster === undefined ? '' : ` (${e.cluster})`}: ${e.error}`),
      );
    }
  }
  for (const s of doc.skipped) out.push(yellow(c, `${s.scrapePool}: not checked: ${s.why}`));
  return `${out.join('\n')}\n`;
}
