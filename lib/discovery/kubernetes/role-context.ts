/**
 * What a role function is given besides its primary objects: the version, the attach_metadata the
 * version knows, and the listed secondary objects keyed as Prometheus's informer stores key them
 * (`namespace/name`, or the name for cluster-scoped objects; `cache.MetaNamespaceKeyFunc`).
 */
import type { PromVersion } from '../types.ts';
import { NO_ATTACH_METADATA, type AttachMetadata } from './config.ts';
import type { KubeObject, ListedObjects, Namespace, Node, Pod, Service } from './objects.ts';

/** Options of every role function. */
export interface RoleOptions {
  version: PromVersion;
  /** attach_metadata; keys the version lacks are ignored (the validator rejects them). */
  attachMetadata?: Partial<AttachMetadata>;
  /** Receives what Prometheus would log as a warning (a node without address, say). */
  warn?: (message: string) => void;
}

/** An object's store key: `namespace/name`, or `name` when it has no namespace. */
export function objectKey(object: KubeObject): string {
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  return namespace === '' ? name : `${namespace}/${name}`;
}

function index<T extends KubeObject>(objects: readonly T[] | undefined): Map<string, T> {
  const byKey = new Map<string, T>();
  for (const object of objects ?? []) byKey.set(objectKey(object), object);
  return byKey;
}

/**
 * The secondary stores and the effective options a role reads. A store the role's configuration
 * does not ask for (no attach_metadata.node: no node store) is `null`, as Prometheus's informer is
 * nil then; a store asked for but not listed is empty.
 */
export class RoleContext {
  readonly version: PromVersion;
  readonly attach: AttachMetadata;
  readonly nodes: Map<string, Node> | null;
  readonly namespaces: Map<string, Namespace> | null;
  readonly services: Map<string, Service>;
  readonly pods: Map<string, Pod>;
  readonly replicaSets: Map<string, KubeObject>;
  readonly jobs: Map<string, KubeObject>;
  readonly warn: (message: string) => void;

  constructor(objects: ListedObjects, options: RoleOptions) {
    this.version = options.version;
    const asked = { ...NO_ATTACH_METADATA, ...options.attachMetadata };
    // Prometheus 2.42 knows only attach_metadata.node.
    this.attach = options.version === '2' ? { ...NO_ATTACH_METADATA, node: asked.node } : asked;
    this.nodes = this.attach.node ? index(objects.nodes) : null;
    this.namespaces = this.attach.namespace ? index(objects.namespaces) : null;
    this.services = index(objects.services);
    this.pods = index(objects.pods);
    this.replicaSets = index(objects.replicaSets);
    this.jobs = index(objects.jobs);
    this.warn = options.warn ?? (() => undefined);
  }
}
