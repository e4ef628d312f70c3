/**
 * The emulator's object store: Namespaces, Nodes, Pods, Services, Endpoints, EndpointSlices
 * (discovery.k8s.io/v1) and Ingresses (networking.k8s.io/v1) as the API server serves them, with
 * `list` as the API server answers it: namespaced and cluster-wide, label and field selectors,
 * `limit` and `continue` over a consistent snapshot (k8s.io/apiserver
 * pkg/storage/etcd3/store.go, GetList; pkg/storage/continue.go), `resourceVersion` in the list
 * metadata, `remainingItemCount` when no selector filtered, and the `<Kind>List` kinds.
 *
 * @example
 * const store = new ObjectStore();
 * store.put({ kind: 'Pod', metadata: { name: 'a', namespace: 'default' }, spec: { containers: [] } });
 * store.list('pods', { namespace: 'default', labelSelector: 'app in (web)', limit: 10 });
 */
import { createHash } from 'node:crypto';
import { status } from './emulator-extras.ts';
import type { EmulatorNode } from './emulator.ts';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './emulator-selectors.ts';
import {
  RESOURCES,
  apiVersionOf,
  resourceOf,
  type KubeObject,
  type Node,
  type ObjectOf,
  type Resource,
} from './emulator-types.ts';

export * from './emulator-types.ts';

export interface ListOptions {
  /** Lists one namespace; cluster-wide when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** At most this many items; 0 or absent lists all. */
  limit?: number;
  /** The token a previous page returned in `metadata.continue`. */
  continue?: string;
}

/** A list response, or the Status the API server answers instead (400, 410). */
export type ListAnswer =
  | {
      status: 200;
      body: {
        kind: string;
        apiVersion: string;
        metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
        items: unknown[];
      };
    }
  | { status: 400 | 410; body: string };

const KEEP_SNAPSHOTS = 16;
const CREATED = '2024-06-03T08:15:00Z';

function keyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** A stable UUID for an object that came without one (the API server always assigns one). */
function uidFor(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A field's value as the API server's field-selector conversion renders it ("" when unset). */
function fieldValue(object: KubeObject, field: string): string {
  let value: unknown = object;
  for (const part of field.split('.'))
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value : '';
}

/**
 * The API server's defaulting that discovery reads (k8s.io/kubernetes pkg/apis/core/v1
 * defaults.go, pkg/apis/discovery/v1/defaults.go): port protocols are TCP unless set, a
 * Service's type is ClusterIP.
 */
function applyDefaults(object: KubeObject): void {
  const tcp = (ports: { protocol?: string }[] | null | undefined) => {
    for (const p of ports ?? []) p.protocol ??= 'TCP';
  };
  if (object.kind === 'Pod')
    for (const c of [...object.spec.containers, ...(object.spec.initContainers ?? [])])
      tcp(c.ports);
  if (object.kind === 'Service') {
    object.spec ??= {};
    object.spec.type ??= 'ClusterIP';
    tcp(object.spec.ports);
  }
  if (object.kind === 'Endpoints') for (const s of object.subsets ?? []) tcp(s.ports);
  if (object.kind === 'EndpointSlice') tcp(object.ports);
}

function badRequest(message: string): { status: 400; body: string } {
  return { status: 400, body: status(400, 'BadRequest', message) };
}

/** Objects by resource, with a resourceVersion that every change increments. */
export class ObjectStore {
  #rv = 1000;
  readonly #objects = new Map<Resource, Map<string, KubeObject>>();
  /** Sorted items at a resourceVersion, kept for continue tokens (`resource@rv`). */
  readonly #snapshots = new Map<string, KubeObject[]>();

  /** The current resourceVersion. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /**
   * Creates or replaces an object (a copy), filling what the API server fills: apiVersion,
   * resourceVersion, uid and creationTimestamp when absent, and the defaults discovery reads
   * (port protocols, Service type). Returns the stored copy.
   */
  put<T extends KubeObject>(object: T): T {
    const resource = resourceOf(object);
    if (RESOURCES[resource].namespaced !== (object.metadata.namespace !== undefined))
      throw new Error(
        `${object.kind} ${object.metadata.name}: metadata.namespace must be ${RESOURCES[resource].namespaced ? 'set' : 'absent'}`,
      );
    const copy = structuredClone(object);
    const key = keyOf(copy);
    copy.apiVersion = apiVersionOf(resource) as never;
    copy.metadata.resourceVersion = String(++this.#rv);
    copy.metadata.uid ??= uidFor(`${resource}/${key}`);
    copy.metadata.creationTimestamp ??= CREATED;
    applyDefaults(copy);
    let map = this.#objects.get(resource);
    if (map === undefined) this.#objects.set(resource, (map = new Map<string, KubeObject>()));
    map.set(key, copy);
    return copy;
  }

  /** Puts every object, in order. */
  putAll(objects: readonly KubeObject[]): void {
    for (const object of objects) this.put(object);
  }

  /** Deletes an object; false when there was none. */
  delete(resource: Resource, namespace: string | undefined, name: string): boolean {
    const deleted =
      this.#objects
        .get(resource)
        ?.delete(namespace === undefined ? name : `${namespace}/${name}`) ?? false;
    if (deleted) this.#rv++;
    return deleted;
  }

  /** One object, or undefined. Valid until the object is next put or deleted; do not mutate. */
  get<R extends Resource>(
    resource: R,
    namespace: string | undefined,
    name: string,
  ): ObjectOf[R] | undefined {
    const key = namespace === undefined ? name : `${namespace}/${name}`;
    return this.#objects.get(resource)?.get(key) as ObjectOf[R] | undefined;
  }

  /** Every object of a resource (in one namespace when given), in etcd key order. */
  all<R extends Resource>(resource: R, namespace?: string): ObjectOf[R][] {
    const items = [...(this.#objects.get(resource)?.values() ?? [])] as ObjectOf[R][];
    return items
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  }

  /** Forgets the snapshots behind outstanding continue tokens: they then answer 410 Expired. */
  compact(): void {
    this.#snapshots.clear();
  }

  /**
   * The objects a list with these selectors returns (all pages, full objects with their kind),
   * or the SelectorError the API server would answer 400 with.
   */
  select<R extends Resource>(
    resource: R,
    options: Omit<ListOptions, 'limit' | 'continue'> = {},
  ): ObjectOf[R][] | SelectorError {
    const matches = this.#matcher(resource, options);
    if (matches instanceof SelectorError) return matches;
    return this.all(resource, options.namespace).filter(matches);
  }

  #matcher(
    resource: Resource,
    options: ListOptions,
  ): (((o: KubeObject) => boolean) & { empty: boolean }) | SelectorError {
    try {
      const labels = parseLabelSelector(options.labelSelector ?? '');
      const fields = parseFieldSelector<KubeObject>(
        options.fieldSelector ?? '',
        ['metadata.name', 'metadata.namespace', ...RESOURCES[resource].fields],
        fieldValue,
      );
      return Object.assign(
        (o: KubeObject) => labels.matches(o.metadata.labels ?? {}) && fields.matches(o),
        { empty: labels.empty && fields.empty },
      );
    } catch (error) {
      if (error instanceof SelectorError) return error;
      throw error;
    }
  }

  /** Lists a resource as `GET /api/v1/pods?...` would; selector errors are 400 Status bodies. */
  list(resource: Resource, options: ListOptions = {}): ListAnswer {
    const spec = RESOURCES[resource];
    const matches = this.#matcher(resource, options);
    if (matches instanceof SelectorError) return badRequest(matches.message);
    let rv = this.#rv;
    let start = '';
    if (options.continue !== undefined && options.continue !== '') {
      const token = decodeContinue(options.continue);
      if (token === null) return badRequest('continue key is not valid: malformed token');
      rv = token.rv;
      start = token.start;
    }
    let items: KubeObject[] | undefined =
      rv === this.#rv ? this.all(resource) : this.#snapshots.get(`${resource}@${rv}`);
    if (items === undefined)
      return {
        status: 410,
        body: status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        ),
      };
    // Keys relative to the list's prefix: `ns/name` cluster-wide, `name` in one namespace.
    const relative = (o: KubeObject) =>
      options.namespace === undefined ? keyOf(o) : o.metadata.name;
    items = items.filter(
      (o) =>
        (options.namespace === undefined || o.metadata.namespace === options.namespace) &&
        relative(o) >= start,
    );
    const limit = options.limit ?? 0;
    const page: KubeObject[] = [];
    let next: string | undefined;
    let remaining = 0;
    for (let i = 0; i < items.length; i++) {
      const o = items[i]!;
      if (limit > 0 && page.length === limit) {
        next = encodeContinue(rv, `${relative(page.at(-1)!)}\u0000`);
        remaining = items.length - i;
        break;
      }
      if (matches(o)) page.push(o);
    }
    if (next !== undefined) this.#keepSnapshot(resource, rv);
    return {
      status: 200,
      body: {
        kind: `${spec.kind}List`,
        apiVersion: apiVersionOf(resource),
        metadata: {
          resourceVersion: String(rv),
          ...(next === undefined ? {} : { continue: next }),
          // etcd3 store: the count is only known when no selector filtered the page.
          ...(next !== undefined && matches.empty ? { remainingItemCount: remaining } : {}),
        },
        // Items of a typed list carry no kind or apiVersion.
        items: page.map((o) =>
          Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'kind' && k !== 'apiVersion')),
        ),
      },
    };
  }

  #keepSnapshot(resource: Resource, rv: number): void {
    const key = `${resource}@${rv}`;
    if (this.#snapshots.has(key) || rv !== this.#rv) return;
    this.#snapshots.set(key, this.all(resource));
    while (this.#snapshots.size > KEEP_SNAPSHOTS)
      this.#snapshots.delete(this.#snapshots.keys().next().value!);
  }
}

/** k8s.io/apiserver pkg/storage/continue.go EncodeContinue: base64url JSON, no padding. */
function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number') return null;
    if (typeof parsed.start !== 'string' || parsed.start === '') return null;
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    return null;
  }
}

/** True for the kinds the store holds (Pod, Service, ...). */
export function isStoredKind(kind: string): boolean {
  return Object.values(RESOURCES).some((r) => r.kind === kind);
}

/** True for the stored kinds that live in a namespace. */
export function storedKindNamespaced(kind: string): boolean {
  return Object.values(RESOURCES).some((r) => r.kind === kind && r.namespaced);
}

/** The Node object the emulator has always served for an {@link EmulatorNode}. */
export function nodeFromEmulatorNode(node: EmulatorNode): Node {
  return {
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        ...(node.controlPlane === true ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    status: {
      addresses: node.address == null ? [] : [{ type: 'InternalIP', address: node.address }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** The {@link EmulatorNode} view of a stored Node (first InternalIP as its address). */
export function emulatorNodeOf(node: Node): EmulatorNode {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null;
  const controlPlane = Object.hasOwn(
    node.metadata.labels ?? {},
    'node-role.kubernetes.io/control-plane',
  );
  return { name: node.metadata.name, ...(controlPlane ? { controlPlane } : {}), address };
}
