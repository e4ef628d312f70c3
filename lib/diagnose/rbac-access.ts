/**
 * Which RBAC permission a request path needs, parsed the way the API server's RequestInfo
 * resolver does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): `/api/v1/…` and
 * `/apis/GROUP/VERSION/…` are resources (`nodes/proxy`, `ksh/metrics`), anything else is a
 * non-resource URL (`/metrics`).
 */

/** One permission, as a SubjectAccessReview asks it. */
export type Access =
  | { kind: 'nonResource'; path: string; verb: string }
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      name?: string;
      namespace?: string;
    };

/**
 * The permission a GET of `url` needs. `server` is the API server's URL: when it carries a path
 * prefix (a Rancher or Teleport proxy), the prefix is not part of the API path.
 */
export function accessFor(url: URL, server?: URL): Access {
  let pathname = url.pathname;
  const prefix = server?.pathname.replace(/\/$/, '') ?? '';
  if (
    server !== undefined &&
    prefix !== '' &&
    url.origin === server.origin &&
    pathname.startsWith(`${prefix}/`)
  ) {
    pathname = pathname.slice(prefix.length);
  }
  const parts = pathname.split('/').filter((p) => p !== '');
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else {
    return { kind: 'nonResource', path: pathname, verb: 'get' };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[1] !== undefined) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource = '', name, subresource] = rest;
  return {
    kind: 'resource',
    verb: name === undefined ? 'list' : 'get',
    group,
    resource,
    ...(subresource === undefined ? {} : { subresource }),
    ...(name === undefined ? {} : { name }),
    ...(namespace === undefined ? {} : { namespace }),
  };
}

/** `get path "/metrics"`, `get resource "nodes/proxy" (name node-1)`. */
export function describeAccess(access: Access): string {
  if (access.kind === 'nonResource') return `${access.verb} path "${access.path}"`;
  const resource =
    access.subresource === undefined ? access.resource : `${access.resource}/${access.subresource}`;
  const group = access.group === '' ? '' : ` in API group "${access.group}"`;
  return `${access.verb} resource "${resource}"${group}`;
}

/** The ClusterRole rule (YAML, a list item under `rules:`) that grants `access`. */
export function ruleYaml(access: Access): string {
  if (access.kind === 'nonResource') {
    return `rules:\n  - nonResourceURLs: ["${access.path}"]\n    verbs: ["${access.verb}"]`;
  }
  const resource =
    access.subresource === undefined ? access.resource : `${access.resource}/${access.subresource}`;
  return `rules:\n  - apiGroups: ["${access.group}"]\n    resources: ["${resource}"]\n    verbs: ["${access.verb}"]`;
}
