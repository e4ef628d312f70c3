/**
 * Helpers for the bridge tests ported from prometheus/prometheus@v2.42.0
 * discovery/kubernetes/*_test.go: discover from a fresh store and key the groups by source, as
 * those tests' `expectedRes` maps are; `m()` spells `__meta_kubernetes_` once.
 */
import { ObjectStore } from './emulator-objects.ts';
import type { KubeObject, Node } from './emulator-types.ts';
import { discover, type LabelSet, type SdConfig } from './sd-bridge.ts';

/** Prefixes `__meta_kubernetes_` to every key but `__address__` and `instance`. */
export function m(labels: LabelSet): LabelSet {
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [
      k === '__address__' || k === 'instance' ? k : `__meta_kubernetes_${k}`,
      v,
    ]),
  );
}

/** A group as Go's test expects it; an empty group (`{Source: key}`) has neither. */
export interface Expected {
  labels?: LabelSet;
  targets?: LabelSet[];
}

/** The groups `config` discovers among `objects`, by source, in the shape of {@link Expected}. */
export function groupsBySource(
  objects: readonly KubeObject[],
  config: SdConfig,
): Record<string, Expected> {
  const store = new ObjectStore();
  store.putAll(objects);
  return Object.fromEntries(
    discover(store, config).groups.map((g) => [
      g.source,
      Object.keys(g.labels).length === 0 && g.targets.length === 0
        ? {}
        : { labels: g.labels, targets: g.targets },
    ]),
  );
}

/** node_test.go makeNode. */
export function makeNode(
  name: string,
  address: string,
  providerID: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Node {
  return {
    kind: 'Node',
    metadata: { name, labels, annotations },
    spec: { providerID },
    status: {
      addresses: [{ type: 'InternalIP', address }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
  };
}
