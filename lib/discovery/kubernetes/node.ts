/**
 * `role: node`: one target per Node, at its kubelet port (prometheus/prometheus
 * `discovery/kubernetes/node.go`, `buildNode`, `nodeAddress`).
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import { addObjectMetaLabels, joinHostPort, META, sanitizeLabelName } from './meta-labels.ts';
import type { ListedObjects, Node } from './objects.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';

/**
 * The address types in the order Prometheus picks from (`nodeAddress`, derived from
 * k8s.io/kubernetes `pkg/util/node`); the documentation lists only four of them, the code all six.
 */
const ADDRESS_PRIORITY = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
] as const;

/** The address types a node has, each with its addresses in order. */
function addressesByType(node: Node): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const { type = '', address = '' } of node.status?.addresses ?? []) {
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [address]);
    else list.push(address);
  }
  return byType;
}

function groupLabels(node: Node, context: RoleContext): LabelSet {
  const labels: LabelSet = { [`${META}node_provider_id`]: node.spec?.providerID ?? '' };
  // Prometheus 3.12 exports every condition: `node_condition_ready` = true|false|unknown.
  if (context.version !== '2') {
    for (const { type = '', status = '' } of node.status?.conditions ?? []) {
      labels[`${META}node_condition_${sanitizeLabelName(type.toLowerCase())}`] =
        status.toLowerCase();
    }
  }
  addObjectMetaLabels(labels, node.metadata, 'node');
  return labels;
}

/**
 * The group of one node, or null when it has no address: Prometheus logs "No node address found"
 * and sends no group at all.
 */
function nodeGroup(node: Node, context: RoleContext): TargetGroup | null {
  const name = node.metadata?.name ?? '';
  const byType = addressesByType(node);
  const type = ADDRESS_PRIORITY.find((t) => byType.has(t));
  if (type === undefined) {
    context.warn(
      `node "${name}" has no address of a type Prometheus uses (${ADDRESS_PRIORITY.join(', ')}): Prometheus logs "No node address found" and makes no target for it`,
    );
    return null;
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  // `instance` is set here, so the scrape does not default it to the address.
  const target: LabelSet = {
    __address__: joinHostPort(byType.get(type)![0]!, port),
    instance: name,
  };
  for (const [addressType, addresses] of byType) {
    target[sanitizeLabelName(`${META}node_address_${addressType}`)] = addresses[0]!;
  }
  return { source: `node/${name}`, targets: [target], labels: groupLabels(node, context) };
}

/**
 * The target groups of `role: node`, one per node with an address, in list order.
 *
 * @example
 * nodeTargetGroups({ nodes }, { version: '3' });
 * // [{ source: 'node/n1', targets: [{ __address__: '10.0.0.1:10250', instance: 'n1', … }], … }]
 */
export function nodeTargetGroups(objects: ListedObjects, options: RoleOptions): TargetGroup[] {
  const context = new RoleContext(objects, options);
  const groups: TargetGroup[] = [];
  for (const node of objects.nodes ?? []) {
    const group = nodeGroup(node, context);
    if (group !== null) groups.push(group);
  }
  return groups;
}
