/**
 * The Prometheus Operator's side of the emulator: its custom resources (monitoring.coreos.com
 * Prometheus, ServiceMonitor, PodMonitor, Probe at v1; PrometheusAgent and ScrapeConfig at
 * v1alpha1) served as the API server serves custom resources (get, list namespaced and across
 * all namespaces, label selectors; list items keep their apiVersion and kind, as unstructured
 * lists do), ConfigMaps by name, and the Secrets the operator writes for a Prometheus
 * (prometheus-operator `pkg/prometheus/common.go`, `pkg/operator/sharded_secret.go`): the
 * generated config `prometheus-<name>` (key `prometheus.yaml.gz`, gzip) and the TLS assets
 * `prometheus-<name>-tls-assets-<i>`. Every route is RBAC-checked by the emulator like the others.
 *
 * @example
 * emu.operator.put({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: {...}, spec: {...} });
 * putGeneratedSecret(emu, { kind: 'Prometheus', namespace: 'monitoring', name: 'k8s' }, yamlText);
 */
import { gzipSync } from 'node:zlib';
import { status } from './emulator-extras.ts';
import type { ObjectRoute } from './emulator-objects-http.ts';
import type { Attributes } from './emulator-rbac.ts';
import { parseLabelSelector, SelectorError } from './emulator-selectors.ts';
import type { K8sEmulator } from './emulator.ts';

const GROUP = 'monitoring.coreos.com';

/** The operator's resources: kind and served version. */
export const OPERATOR_RESOURCES = {
  prometheuses: { kind: 'Prometheus', version: 'v1' },
  prometheusagents: { kind: 'PrometheusAgent', version: 'v1alpha1' },
  servicemonitors: { kind: 'ServiceMonitor', version: 'v1' },
  podmonitors: { kind: 'PodMonitor', version: 'v1' },
  probes: { kind: 'Probe', version: 'v1' },
  scrapeconfigs: { kind: 'ScrapeConfig', version: 'v1alpha1' },
} as const;

export type OperatorResource = keyof typeof OPERATOR_RESOURCES;

/** A custom resource as stored: apiVersion, kind, metadata (namespaced), anything else. */
export interface CustomObject {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** True for the operator's kinds. */
export function isOperatorKind(kind: string): boolean {
  return Object.values(OPERATOR_RESOURCES).some((r) => r.kind === kind);
}

function resourceOfKind(kind: string): OperatorResource {
  const found = (Object.keys(OPERATOR_RESOURCES) as OperatorResource[]).find(
    (r) => OPERATOR_RESOURCES[r].kind === kind,
  );
  if (found === undefined) throw new Error(`not an operator kind: ${kind}`);
  return found;
}

/** The operator's objects and the ConfigMaps, by `resource/namespace/name`. */
export class OperatorObjects {
  #rv = 5000;
  readonly #objects = new Map<string, CustomObject>();
  readonly configMaps = new Map<string, Record<string, string>>();

  /** Creates or replaces an object (namespace defaults to `default`); returns the stored copy. */
  put(object: CustomObject): CustomObject {
    const resource = resourceOfKind(object.kind);
    const copy = structuredClone(object);
    copy.apiVersion = `${GROUP}/${OPERATOR_RESOURCES[resource].version}`;
    copy.metadata.namespace ??= 'default';
    copy.metadata.resourceVersion = String(++this.#rv);
    copy.metadata.generation ??= 1;
    this.#objects.set(`${resource}/${copy.metadata.namespace}/${copy.metadata.name}`, copy);
    return copy;
  }

  delete(kind: string, namespace: string, name: string): boolean {
    return this.#objects.delete(`${resourceOfKind(kind)}/${namespace}/${name}`);
  }

  get(resource: OperatorResource, namespace: string, name: string): CustomObject | undefined {
    return this.#objects.get(`${resource}/${namespace}/${name}`);
  }

  /** Objects of a resource, in one namespace or all, sorted by namespace/name (etcd key order). */
  all(resource: OperatorResource, namespace?: string): CustomObject[] {
    return [...this.#objects.entries()]
      .filter(([key]) => key.startsWith(`${resource}/`))
      .map(([, o]) => o)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort((a, b) => {
        const ka = `${a.metadata.namespace}/${a.metadata.name}`;
        const kb = `${b.metadata.namespace}/${b.metadata.name}`;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
  }

  get resourceVersion(): number {
    return this.#rv;
  }
}

function notFound(
  resource: string,
  group: string,
  name: string,
): { status: number; body: unknown } {
  return {
    status: 404,
    body: status(
      404,
      'NotFound',
      `${resource}${group === '' ? '' : `.${group}`} "${name}" not found`,
      {
        name,
        ...(group === '' ? {} : { group }),
        kind: resource,
      },
    ),
  };
}

function parsePath(
  path: string,
): { resource: OperatorResource; namespace?: string; name?: string } | null {
  const m = /^\/apis\/monitoring\.coreos\.com\/(v1|v1alpha1)\/(.+)$/.exec(path);
  if (m === null) return null;
  let parts: string[];
  try {
    parts = (m[2] ?? '').split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  const known = (r: string | undefined): r is OperatorResource =>
    r !== undefined &&
    Object.hasOwn(OPERATOR_RESOURCES, r) &&
    OPERATOR_RESOURCES[r as OperatorResource].version === m[1];
  const [a, b, c, d] = parts;
  if (parts.length === 1 && known(a)) return { resource: a };
  if (a === 'namespaces' && b !== undefined && b !== '' && known(c)) {
    if (parts.length === 3) return { resource: c, namespace: b };
    if (parts.length === 4 && d !== undefined && d !== '')
      return { resource: c, namespace: b, name: d };
  }
  return null;
}

/**
 * The route for an operator path (or a ConfigMap's), or null when the path is neither. Lists take
 * `labelSelector`; items keep apiVersion and kind (custom resources are listed unstructured).
 */
export function operatorRoute(
  store: OperatorObjects,
  method: string,
  url: URL,
): ObjectRoute | null {
  if (method !== 'GET') return null;
  const cm = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(url.pathname);
  if (cm !== null) {
    const [namespace, name] = [decodeURIComponent(cm[1]!), decodeURIComponent(cm[2]!)];
    return {
      attrs: { kind: 'resource', verb: 'get', group: '', resource: 'configmaps', name, namespace },
      handle: () => {
        const data = store.configMaps.get(`${namespace}/${name}`);
        return data === undefined
          ? notFound('configmaps', '', name)
          : {
              status: 200,
              body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data },
            };
      },
    };
  }
  const target = parsePath(url.pathname);
  if (target === null) return null;
  const { resource, namespace, name } = target;
  const attrs: Attributes = {
    kind: 'resource',
    verb: name === undefined ? 'list' : 'get',
    group: GROUP,
    resource,
    ...(name === undefined ? {} : { name }),
    ...(namespace === undefined ? {} : { namespace }),
  };
  return {
    attrs,
    handle: () => {
      if (name !== undefined) {
        const object = store.get(resource, namespace ?? '', name);
        return object === undefined
          ? notFound(resource, GROUP, name)
          : { status: 200, body: object };
      }
      let selector;
      try {
        selector = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
      } catch (error) {
        if (!(error instanceof SelectorError)) throw error;
        return { status: 400, body: status(400, 'BadRequest', error.message) };
      }
      const spec = OPERATOR_RESOURCES[resource];
      return {
        status: 200,
        body: {
          apiVersion: `${GROUP}/${spec.version}`,
          kind: `${spec.kind}List`,
          metadata: { resourceVersion: String(store.resourceVersion) },
          items: store
            .all(resource, namespace)
            .filter((o) => selector.matches(o.metadata.labels ?? {})),
        },
      };
    },
  };
}

/** A Prometheus or PrometheusAgent, as the operator names what it writes for it. */
export interface PrometheusRef {
  kind: 'Prometheus' | 'PrometheusAgent';
  namespace: string;
  name: string;
}

/** `prometheus-<name>` or `prom-agent-<name>` (`PrefixedName`). */
export function prefixedName(ref: PrometheusRef): string {
  return `${ref.kind === 'Prometheus' ? 'prometheus' : 'prom-agent'}-${ref.name}`;
}

/** An Opaque Secret; `data` in plain text (stored base64 as the API returns it). */
export function putSecret(
  emu: K8sEmulator,
  namespace: string,
  name: string,
  data: Record<string, string | Buffer>,
  type = 'Opaque',
): void {
  emu.secrets.set(`${namespace}/${name}`, {
    apiVersion: 'v1',
    kind: 'Secret',
    type,
    metadata: { name, namespace },
    data: Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  });
}

/** The generated config Secret (`MakeConfigurationSecret`): `prometheus.yaml.gz`, gzipped. */
export function putGeneratedSecret(emu: K8sEmulator, ref: PrometheusRef, configYaml: string): void {
  putSecret(emu, ref.namespace, prefixedName(ref), {
    'prometheus.yaml.gz': gzipSync(Buffer.from(configYaml, 'utf8')),
  });
}

/**
 * The TLS assets (`ShardedSecret`): `<prefixed>-tls-assets-0`, `-1`, … each holding at most
 * `perSecret` keys (the operator splits by size; tests split by count to exercise shards).
 */
export function putTlsAssets(
  emu: K8sEmulator,
  ref: PrometheusRef,
  assets: Record<string, string>,
  perSecret = Infinity,
): void {
  const keys = Object.keys(assets).sort();
  const base = `${prefixedName(ref)}-tls-assets`;
  let index = 0;
  do {
    const chunk = keys.splice(0, perSecret);
    putSecret(
      emu,
      ref.namespace,
      `${base}-${index++}`,
      Object.fromEntries(chunk.map((k) => [k, assets[k]!])),
    );
  } while (keys.length > 0);
}
