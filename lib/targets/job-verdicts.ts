/**
 * Words for the verdicts that leave a job without targets: why a discovery failed (with the RBAC
 * rule to add when the API server refused a list), and why a job that discovered fine still ends
 * with nothing to scrape (which rule dropped how many: "my targets vanished").
 */
import { ruleYaml, type Access } from '#lib/diagnose/rbac-access.ts';
import type { StandIn } from '#lib/standin/index.ts';
import type { SourceFailure } from './job-discovery.ts';
import type { JobTargets } from './job-targets.ts';

/** `discovery_failed`'s diagnosis: what failed, and for a refused list the rule that is missing. */
export async function sourceFailureDiagnosis(
  failed: SourceFailure,
  standIn: StandIn | null,
  timeoutMs: number,
): Promise<string> {
  const base = `${failed.where}: ${failed.failure.message}`;
  const refused = failed.failure.refused;
  if (failed.failure.status !== 403 || refused === undefined) return base;
  const access: Access = {
    kind: 'resource',
    verb: refused.verb,
    group: refused.group,
    resource: refused.resource,
    ...(refused.namespace === undefined ? {} : { namespace: refused.namespace }),
  };
  let asked = '';
  if (standIn !== null && standIn.token.subject !== null) {
    // Asked with scrape-check's own rights: the Prometheus ServiceAccount may not create reviews.
    // Loaded only when a stand-in's list was refused: planning a static job never needs it.
    const { reviewAccess } = await import('#lib/diagnose/rbac.ts');
    const review = await reviewAccess(standIn.checker, standIn.token.subject, access, timeoutMs);
    if (review.ok && !review.allowed) {
      asked = ` The cluster confirms (SubjectAccessReview): ServiceAccount ${standIn.namespace}/${standIn.serviceAccount} may not ${refused.verb} ${refused.resource}${refused.namespace === undefined ? ' cluster-wide' : ` in ${refused.namespace}`}${review.reason === '' ? '' : ` (${review.reason})`}.`;
    }
  }
  return `${base}.${asked} Prometheus's discovery needs this rule in the ClusterRole bound to its ServiceAccount:\n${ruleYaml(access)}`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** `no_targets`'s diagnosis: nothing discovered, or which rules dropped everything. */
export function explainNoTargets(targets: JobTargets): string {
  const discovered = targets.dropped.length;
  if (discovered === 0) {
    const sources = [
      targets.job.static_configs.length > 0 ? 'static_configs (no targets)' : '',
      ...targets.job.kubernetes_sd_configs.map(
        (sd, i) =>
          `kubernetes_sd_configs[${i}] (role ${String(sd.role)}${Array.isArray((sd.namespaces as { names?: unknown } | undefined)?.names) ? ` in namespaces ${JSON.stringify((sd.namespaces as { names: unknown }).names)}` : ''})`,
      ),
      ...targets.job.file_sd_configs.map((_, i) => `file_sd_configs[${i}]`),
      ...targets.job.http_sd_configs.map((_, i) => `http_sd_configs[${i}]`),
    ].filter((s) => s !== '');
    return `discovery worked but found nothing to scrape (${sources.join(', ')}): no object or file entry matched; Prometheus scrapes nothing for this job and its up series vanish`;
  }
  const byRule = new Map<string, number>();
  for (const d of targets.dropped) {
    const key =
      d.droppedBy === null
        ? 'no rule (a label set left empty)'
        : `relabel_configs[${d.droppedBy.rule}] (${d.droppedBy.action})`;
    byRule.set(key, (byRule.get(key) ?? 0) + 1);
  }
  const parts = [...byRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} dropped ${n}`);
  return `discovery found ${count(discovered, 'target')} and relabeling dropped every one: ${parts.join(', ')}. Prometheus scrapes nothing for this job and its up series vanish; run scrape-check targets --job ${targets.job.job_name} --explain to see each rule's effect`;
}
