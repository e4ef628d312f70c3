/**
 * `role: ingress`: one target per rule and path of every Ingress (`networking.k8s.io/v1`), at the
 * rule's host without a port (prometheus/prometheus `discovery/kubernetes/ingress.go`,
 * `buildIngress`, `matchesHostnamePattern`).
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import { addObjectMetaLabels, META, NAMESPACE_LABEL } from './meta-labels.ts';
import { withNamespaceLabels } from './namespace-labels.ts';
import type { Ingress, IngressRule, ListedObjects } from './objects.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';

/**
 * `matchesHostnamePattern`: equal, or a `*.` pattern with as many labels as the host whose labels
 * after the first are equal (`*.example.com` matches `a.example.com`, not `a.b.example.com`).
 */
export function matchesHostnamePattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts[0] !== '*' || patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => i === 0 || part === hostParts[i]);
}

/**
 * A rule's paths (`pathsFromIngressPaths`): `/` for a rule without `http`, an empty path read as
 * `/`, and none for an `http` without paths.
 */
function rulePaths(rule: IngressRule): string[] {
  if (rule.http === undefined || rule.http === null) return ['/'];
  return (rule.http.paths ?? []).map((p) => (p.path ? p.path : '/'));
}

function ingressGroup(ingress: Ingress, context: RoleContext): TargetGroup {
  const namespace = ingress.metadata?.namespace ?? '';
  let labels: LabelSet = { [NAMESPACE_LABEL]: namespace };
  const className = ingress.spec?.ingressClassName;
  if (className !== undefined && className !== null) {
    labels[`${META}ingress_class_name`] = className;
  }
  addObjectMetaLabels(labels, ingress.metadata, 'ingress');
  labels = withNamespaceLabels(labels, namespace, context);

  const tlsHosts = (ingress.spec?.tls ?? []).flatMap((tls) => tls.hosts ?? []);
  const targets: LabelSet[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    const host = rule.host ?? '';
    // The scheme is only a label: Prometheus does not copy it into __scheme__.
    const scheme = tlsHosts.some((pattern) => matchesHostnamePattern(pattern, host))
      ? 'https'
      : 'http';
    for (const path of rulePaths(rule)) {
      targets.push({
        __address__: host,
        [`${META}ingress_scheme`]: scheme,
        [`${META}ingress_host`]: host,
        [`${META}ingress_path`]: path,
      });
    }
  }
  return { source: `ingress/${namespace}/${ingress.metadata?.name ?? ''}`, targets, labels };
}

/**
 * The target groups of `role: ingress`, one per Ingress (source `ingress/<namespace>/<name>`).
 *
 * @example
 * ingressTargetGroups({ ingresses }, { version: '3' })[0]?.targets[0];
 * // { __address__: 'example.com', …_ingress_scheme: 'https', …_ingress_path: '/' }
 */
export function ingressTargetGroups(objects: ListedObjects, options: RoleOptions): TargetGroup[] {
  const context = new RoleContext(objects, options);
  return (objects.ingresses ?? []).map((ingress) => ingressGroup(ingress, context));
}
