/**
 * RBAC as the API server's authorizer evaluates it (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac,
 * rbac.go and pkg/apis/rbac/v1/evaluation_helpers.go): ClusterRoleBindings everywhere,
 * RoleBindings in their namespace; a rule matches on verb, API group, `resource/subresource`,
 * resourceNames and non-resource URLs (with a trailing `*` as prefix). Objects are mutable from
 * tests: remove a rule, delete a binding, bind cluster-admin.
 */

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface RoleObject {
  kind: 'ClusterRole' | 'Role';
  metadata: { name: string; namespace?: string };
  rules: PolicyRule[];
}

export interface BindingObject {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  metadata: { name: string; namespace?: string };
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects?: RbacSubject[];
}

export interface UserInfo {
  username: string;
  groups: string[];
}

export type Attributes =
  | { kind: 'nonResource'; verb: string; path: string }
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      name?: string;
      namespace?: string;
    };

export interface Decision {
  allowed: boolean;
  reason: string;
}

function has(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).some((item) => item === '*' || item === value);
}

function ruleAllows(rule: PolicyRule, attrs: Attributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (attrs.kind === 'nonResource') {
    return (rule.nonResourceURLs ?? []).some(
      (url) =>
        url === '*' ||
        url === attrs.path ||
        (url.endsWith('*') && attrs.path.startsWith(url.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, attrs.group)) return false;
  const combined =
    attrs.subresource === undefined ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  const resourceOk = (rule.resources ?? []).some(
    (r) =>
      r === '*' ||
      r === combined ||
      (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== undefined && names.includes(attrs.name));
}

function subjectMatches(
  subject: RbacSubject,
  user: UserInfo,
  bindingNamespace: string | undefined,
): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        user.username ===
        `system:serviceaccount:${subject.namespace ?? bindingNamespace ?? ''}:${subject.name}`
      );
  }
}

function describeSubject(subject: RbacSubject, bindingNamespace: string | undefined): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount "${subject.name}/${subject.namespace ?? bindingNamespace ?? ''}"`
    : `${subject.kind} "${subject.name}"`;
}

export class Rbac {
  readonly clusterRoles = new Map<string, RoleObject>();
  readonly roles = new Map<string, RoleObject>();
  readonly clusterRoleBindings = new Map<string, BindingObject>();
  readonly roleBindings = new Map<string, BindingObject>();

  constructor() {
    this.apply({
      kind: 'ClusterRole',
      metadata: { name: 'cluster-admin' },
      rules: [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ],
    });
    this.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cluster-admin' },
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'system:masters' }],
    });
    this.apply({
      kind: 'ClusterRole',
      metadata: { name: 'system:public-info-viewer' },
      rules: [
        {
          verbs: ['get'],
          nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
        },
      ],
    });
    this.apply({
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:public-info-viewer' },
      roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
      subjects: [
        { kind: 'Group', name: 'system:authenticated' },
        { kind: 'Group', name: 'system:unauthenticated' },
      ],
    });
  }

  /** Stores a Role, ClusterRole, RoleBinding or ClusterRoleBinding (replacing one of that name). */
  apply(object: RoleObject | BindingObject): void {
    const key =
      object.metadata.namespace === undefined
        ? object.metadata.name
        : `${object.metadata.namespace}/${object.metadata.name}`;
    switch (object.kind) {
      case 'ClusterRole':
        this.clusterRoles.set(key, object);
        break;
      case 'Role':
        this.roles.set(key, object);
        break;
      case 'ClusterRoleBinding':
        this.clusterRoleBindings.set(key, object);
        break;
      case 'RoleBinding':
        this.roleBindings.set(key, object);
        break;
    }
  }

  #rulesOf(ref: BindingObject['roleRef'], namespace: string | undefined): PolicyRule[] {
    const role =
      ref.kind === 'ClusterRole'
        ? this.clusterRoles.get(ref.name)
        : this.roles.get(`${namespace ?? ''}/${ref.name}`);
    return role?.rules ?? [];
  }

  authorize(user: UserInfo, attrs: Attributes): Decision {
    const bindings: BindingObject[] = [...this.clusterRoleBindings.values()];
    if (attrs.kind === 'resource' && attrs.namespace !== undefined) {
      bindings.push(
        ...[...this.roleBindings.values()].filter((b) => b.metadata.namespace === attrs.namespace),
      );
    }
    for (const binding of bindings) {
      const ns = binding.metadata.namespace;
      const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, ns));
      if (subject === undefined) continue;
      if (this.#rulesOf(binding.roleRef, ns).some((rule) => ruleAllows(rule, attrs))) {
        const where = ns === undefined ? '' : ` in namespace "${ns}"`;
        return {
          allowed: true,
          reason: `RBAC: allowed by ${binding.kind} "${binding.metadata.name}"${where} of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, ns)}`,
        };
      }
    }
    return { allowed: false, reason: '' };
  }
}

/** The API server's 403 message for these attributes. */
export function forbiddenMessage(user: string, attrs: Attributes): string {
  if (attrs.kind === 'nonResource')
    return `forbidden: User "${user}" cannot ${attrs.verb} path "${attrs.path}"`;
  const combined =
    attrs.subresource === undefined ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  const object = attrs.group === '' ? attrs.resource : `${attrs.resource}.${attrs.group}`;
  const subject =
    attrs.name === undefined ? `${object} is forbidden` : `${object} "${attrs.name}" is forbidden`;
  const scope =
    attrs.namespace === undefined
      ? 'at the cluster scope'
      : `in the namespace "${attrs.namespace}"`;
  return `${subject}: User "${user}" cannot ${attrs.verb} resource "${combined}" in API group "${attrs.group}" ${scope}`;
}
