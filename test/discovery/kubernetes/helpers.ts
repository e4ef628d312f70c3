/**
 * Shared by the role tests: the shape of a ported Go test case, the comparison the Go tests make
 * (`requireTargetGroups`: the groups by source, JSON-equal), and a runner that checks a case both
 * through the role function and through a whole discovery over an in-memory API.
 */
import assert from 'node:assert/strict';
import type { LabelSet, PromVersion, TargetGroup } from '#lib/discovery/types.ts';
import {
  discoverKubernetes,
  NO_ATTACH_METADATA,
  targetGroupsForRole,
  type AttachMetadata,
  type KubernetesRole,
  type KubernetesSelector,
  type ListedObjects,
} from '#lib/discovery/kubernetes/index.ts';
import { fakeApi } from './fake-api.ts';

/** One ported Go test: what exists in the cluster, the config, and the groups Prometheus sends. */
export interface RoleCase {
  name: string;
  objects: ListedObjects;
  attachMetadata?: Partial<AttachMetadata>;
  /** `NamespaceDiscovery` and selectors: when set, the case runs through discovery only. */
  discovery?: { names?: string[]; ownNamespace?: boolean; selectors?: KubernetesSelector[] };
  /** The expected groups by source; a group Prometheus sends empty has no targets and labels. */
  expected: Record<string, { targets?: LabelSet[]; labels?: LabelSet }>;
}

/** Asserts that `groups` are `expected`, compared by source as the Go tests compare them. */
export function assertGroups(
  groups: TargetGroup[],
  expected: RoleCase['expected'],
  message?: string,
): void {
  const bySource = Object.fromEntries(groups.map((g) => [g.source, g]));
  const want = Object.fromEntries(
    Object.entries(expected).map(([source, g]) => [
      source,
      { source, targets: g.targets ?? [], labels: g.labels ?? {} },
    ]),
  );
  assert.deepEqual(bySource, want, message);
  assert.equal(groups.length, Object.keys(expected).length, 'one group per source');
}

/** The test's title, naming the Go file and version its expectations come from. */
export function title(version: PromVersion, file: string, name: string): string {
  const at = version === '2' ? 'v2.42.0' : 'HEAD';
  return `${name} (expectations from Prometheus's ${file}_test.go at ${at})`;
}

/**
 * Runs a case: through the role function on the objects (unless the case needs namespaces or
 * selectors), and through `discoverKubernetes` over an in-memory API holding them, with
 * Prometheus's own namespace `own-ns` as Go's `makeDiscovery` has it.
 */
export async function runCase(
  role: KubernetesRole,
  version: PromVersion,
  c: RoleCase,
): Promise<void> {
  const attachMetadata = { ...NO_ATTACH_METADATA, ...c.attachMetadata };
  if (c.discovery === undefined) {
    assertGroups(targetGroupsForRole(role, c.objects, { version, attachMetadata }), c.expected);
  }
  const outcome = await discoverKubernetes(
    {
      role,
      apiServer: null,
      kubeconfigFile: null,
      namespaces: {
        names: c.discovery?.names ?? [],
        ownNamespace: c.discovery?.ownNamespace ?? false,
      },
      selectors: c.discovery?.selectors ?? [],
      attachMetadata,
      customHttpConfig: false,
    },
    { version, call: fakeApi(c.objects).call, ownNamespace: 'own-ns' },
  );
  assert.ok(outcome.ok, 'discovery succeeds');
  assertGroups(outcome.groups, c.expected, 'through discoverKubernetes');
}
