/**
 * Why a cluster target answered 403, asked of the cluster itself: a SubjectAccessReview for the
 * scrape's ServiceAccount (`nonResourceAttributes` for `/metrics`, `resourceAttributes` for
 * `nodes/proxy` and the EKS `metrics.eks.amazonaws.com` resources), then the missing rule and the
 * ClusterRole YAML that adds it. Also warns when the ServiceAccount can do far more than scrape.
 * SubjectAccessReview: https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
 * EKS metrics resources (`kcm/metrics`, `ksh/metrics`, verb get):
 * https://docs.aws.amazon.com/eks/latest/userguide/view-raw-metrics.html
 */
import { callApi, type ClusterConnection, type Subject } from '#lib/credentials/index.ts';
import { accessFor, describeAccess, ruleYaml, type Access } from './rbac-access.ts';

export { accessFor, describeAccess, ruleYaml } from './rbac-access.ts';
export type { Access } from './rbac-access.ts';

/** The cluster's answer to one SubjectAccessReview. */
export type Review = { ok: true; allowed: boolean; reason: string } | { ok: false; error: string };

/** Asks the cluster whether `subject` may do `access`. */
export async function reviewAccess(
  conn: ClusterConnection,
  subject: Subject,
  access: Access,
  timeoutMs = 10_000,
): Promise<Review> {
  const attributes =
    access.kind === 'nonResource'
      ? { nonResourceAttributes: { path: access.path, verb: access.verb } }
      : {
          resourceAttributes: {
            verb: access.verb,
            group: access.group,
            resource: access.resource,
            ...(access.subresource === undefined ? {} : { subresource: access.subresource }),
            ...(access.name === undefined ? {} : { name: access.name }),
            ...(access.namespace === undefined ? {} : { namespace: access.namespace }),
          },
        };
  const result = await callApi(conn, '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    method: 'POST',
    timeoutMs,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: subject.user, groups: subject.groups, ...attributes },
    },
  });
  if (!result.ok) {
    const status = result.status === null ? (result.code ?? 'no answer') : `HTTP ${result.status}`;
    const hint =
      result.status === 403
        ? ` The checker needs create on subjectaccessreviews.authorization.k8s.io (deploy/kubernetes/checker-rbac.yaml).`
        : '';
    return {
      ok: false,
      error: `SubjectAccessReview failed (${status}: ${result.message}).${hint}`,
    };
  }
  const status = (
    result.body as {
      status?: { allowed?: unknown; reason?: unknown; evaluationError?: unknown };
    } | null
  )?.status;
  const reason = [status?.reason, status?.evaluationError]
    .filter((s) => typeof s === 'string' && s !== '')
    .join('; ');
  return { ok: true, allowed: status?.allowed === true, reason };
}

function bindingYaml(subject: Subject): string {
  const [, namespace = '<namespace>', name = '<name>'] =
    /^system:serviceaccount:([^:]+):(.+)$/.exec(subject.user) ?? [];
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata:',
    '  name: scrape-check:scraper',
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: ClusterRole',
    '  name: scrape-check:scraper',
    'subjects:',
    '  - kind: ServiceAccount',
    `    name: ${name}`,
    `    namespace: ${namespace}`,
  ].join('\n');
}

function statusMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : null;
  } catch {
    return null;
  }
}

/** The user a 403 Status names (`User "system:serviceaccount:…" cannot …`). */
export function userFromForbidden(body: string): string | null {
  return /User "([^"]+)"/.exec(statusMessage(body) ?? body)?.[1] ?? null;
}

export interface ForbiddenContext {
  conn: ClusterConnection;
  /** Who the scrape's token is; from the 403 body when unknown. */
  subject: Subject | null;
  /** Every access this cluster's scrapes need: tells a missing binding from a missing rule. */
  needed: Access[];
  timeoutMs?: number;
}

/**
 * The diagnosis for a 403 on a cluster target.
 *
 * @example
 * await diagnoseForbidden(ctx, new URL('https://api:443/metrics'), body);
 * // 'RBAC does not let system:serviceaccount:monitoring:scrape-check get path "/metrics" … add this rule …'
 */
export async function diagnoseForbidden(
  ctx: ForbiddenContext,
  url: URL,
  body: string,
): Promise<string> {
  const message = statusMessage(body);
  const said = message === null ? '' : ` The server said: ${message}.`;
  const access = accessFor(url, ctx.conn.server);
  const subject =
    ctx.subject ??
    (() => {
      const user = userFromForbidden(body);
      return user === null ? null : { user, groups: ['system:authenticated'] };
    })();
  if (subject === null) {
    return `403 from ${url.pathname}: the token is not a JWT, so scrape-check cannot tell whose it is.${said} The identity needs: ${describeAccess(access)}.\n${ruleYaml(access)}`;
  }
  const review = await reviewAccess(ctx.conn, subject, access, ctx.timeoutMs);
  if (!review.ok) {
    return `403 for ${subject.user} on ${url.pathname}; scrape-check could not ask cluster "${ctx.conn.name}" why: ${review.error}${said} The usual cause is a missing rule; the ClusterRole bound to the ServiceAccount needs:\n${ruleYaml(access)}`;
  }
  if (review.allowed) {
    let elsewhere = `RBAC allows ${subject.user} to ${describeAccess(access)} (SubjectAccessReview: allowed${review.reason === '' ? '' : `, ${review.reason}`}), so the 403 came from past the API server's authorizer.${said}`;
    if (/kube-apiserver-kubelet-client|kubelet/i.test(message ?? '')) {
      elsewhere += ` The kubelet refused the API server's own client certificate: bind the ClusterRole system:kubelet-api-admin to the API server's kubelet client user (kube-apiserver-kubelet-client on kubeadm).`;
    } else {
      elsewhere +=
        ' An admission or aggregated API server (the EKS metrics APIService, a proxy) may deny it on its own.';
    }
    return elsewhere;
  }
  const others = ctx.needed.filter((a) => describeAccess(a) !== describeAccess(access));
  const reviews = await Promise.all(
    others.map((a) => reviewAccess(ctx.conn, subject, a, ctx.timeoutMs)),
  );
  const granted = others.filter((_, i) => {
    const r = reviews[i];
    return r?.ok === true && r.allowed;
  });
  let text = `RBAC does not let ${subject.user} ${describeAccess(access)} on cluster "${ctx.conn.name}" (SubjectAccessReview: denied${review.reason === '' ? '' : `, ${review.reason}`}).${said}`;
  if (
    access.kind === 'resource' &&
    access.resource === 'nodes' &&
    access.subresource === 'proxy' &&
    access.name !== undefined
  ) {
    const direct = await reviewAccess(
      ctx.conn,
      subject,
      { ...access, subresource: 'metrics' },
      ctx.timeoutMs,
    );
    if (direct.ok)
      text += ` (nodes/metrics, which the kubelet checks when scraped directly on :10250, is ${direct.allowed ? 'allowed' : 'denied'} too.)`;
  }
  if (others.length > 0 && granted.length === 0) {
    text += ` It has none of the other permissions scraping needs either (${others.map(describeAccess).join('; ')}), so the ClusterRoleBinding is missing, not one rule: check \`kubectl get clusterrolebindings -o wide | grep ${subject.user.split(':').pop() ?? ''}\` and re-apply deploy/kubernetes/scraper-rbac.yaml, whose binding is:\n${bindingYaml(subject)}`;
  } else {
    text +=
      granted.length > 0
        ? ` It may ${granted.map(describeAccess).join('; ')}, so it is bound, but the ClusterRole bound to it lacks this rule.`
        : ' No ClusterRole bound to it grants this: the binding is gone, or the rule is.';
    text += ` Add the rule (deploy/kubernetes/scraper-rbac.yaml has it, with its binding):\n${ruleYaml(access)}`;
  }
  return text;
}

/**
 * Warnings when the ServiceAccount can do far more than scrape: `*` on everything (cluster-admin)
 * or reading every Secret. A scrape token travels to every target; it should open nothing else.
 */
export async function overPrivilegeWarnings(
  conn: ClusterConnection,
  subject: Subject,
  timeoutMs = 10_000,
): Promise<string[]> {
  const all = await reviewAccess(
    conn,
    subject,
    { kind: 'resource', verb: '*', group: '*', resource: '*' },
    timeoutMs,
  );
  const fix =
    'Bind it only to the ClusterRole in deploy/kubernetes/scraper-rbac.yaml and remove the broader binding.';
  if (all.ok && all.allowed) {
    return [
      `${subject.user} can do anything on cluster "${conn.name}" (SubjectAccessReview: verb * on resource * in group * allowed${all.reason === '' ? '' : `, ${all.reason}`}), as cluster-admin can: anyone holding a scrape token owns the cluster. ${fix}`,
    ];
  }
  const secrets = await reviewAccess(
    conn,
    subject,
    { kind: 'resource', verb: 'list', group: '', resource: 'secrets' },
    timeoutMs,
  );
  if (secrets.ok && secrets.allowed) {
    return [
      `${subject.user} can list every Secret on cluster "${conn.name}" (SubjectAccessReview: list secrets allowed${secrets.reason === '' ? '' : `, ${secrets.reason}`}): far more than scraping needs. ${fix}`,
    ];
  }
  return [];
}
