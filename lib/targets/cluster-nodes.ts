/**
 * Nodes, listed with the checker's identity: the first `kubelet.max_nodes` for kubelet targets,
 * and the control-plane nodes (label `node-role.kubernetes.io/control-plane`) for self-managed
 * kube-scheduler, kube-controller-manager and etcd. A node's address is chosen as Prometheus's
 * kubernetes SD chooses it: InternalIP, then ExternalIP, then Hostname
 * (prometheus/prometheus discovery/kubernetes/node.go, nodeAddress).
 */
import {
  apiFailure,
  callApi,
  failure,
  success,
  type Failure,
  type ClusterConnection,
  type Outcome,
} from '#lib/credentials/index.ts';

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

export interface NodeInfo {
  name: string;
  /** The address Prometheus would scrape, or null when the node reports none. */
  address: string | null;
}

interface NodeObject {
  metadata?: { name?: string };
  status?: { addresses?: { type?: string; address?: string }[] };
}

const ADDRESS_PRIORITY = ['InternalIP', 'ExternalIP', 'Hostname'];

function addressOf(node: NodeObject): string | null {
  const addresses = node.status?.addresses ?? [];
  for (const type of ADDRESS_PRIORITY) {
    const found = addresses.find((a) => a.type === type && typeof a.address === 'string');
    if (found?.address !== undefined) return found.address;
  }
  return null;
}

export interface ListNodesOptions {
  labelSelector?: string;
  limit?: number;
  timeoutMs?: number;
}

/** Lists nodes (name and address); failures are values (403 → `http_forbidden`). */
export async function listNodes(
  conn: ClusterConnection,
  options: ListNodesOptions = {},
): Promise<Outcome<NodeInfo[]>> {
  const query = new URLSearchParams();
  if (options.labelSelector !== undefined) query.set('labelSelector', options.labelSelector);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  const qs = query.toString();
  const result = await callApi(conn, `/api/v1/nodes${qs === '' ? '' : `?${qs}`}`, {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  if (!result.ok) {
    return apiFailure(conn, result, {
      call: `Listing nodes${options.labelSelector === undefined ? '' : ` (${options.labelSelector})`} as ${conn.identity}`,
      // No answer at all gets the network reason of what happened (api-failure.ts).
      reason: result.status === 403 ? 'http_forbidden' : 'http_status',
      advice: {
        403: `The checker needs list on nodes (ClusterRole scrape-check:checker in deploy/kubernetes/checker-rbac.yaml). ${conn.identityHint}`,
      },
    });
  }
  const items = (result.body as { items?: NodeObject[] } | null)?.items ?? [];
  const nodes = items
    .map((node) => ({ name: node.metadata?.name ?? '', address: addressOf(node) }))
    .filter((node) => node.name !== '');
  return success(options.limit === undefined ? nodes : nodes.slice(0, options.limit));
}

/** An address as a URL host: IPv6 in brackets. */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The failure for a control-plane target on a cluster without labelled control-plane nodes. */
export function noControlPlane(cluster: string, job: string): Failure {
  return failure(
    'config_invalid',
    `No node on cluster "${cluster}" carries the label node-role.kubernetes.io/control-plane, so ${job} cannot be scraped on the control-plane nodes. A managed control plane (GKE, AKS, …) does not expose it: remove ${job} from clusters[${cluster}].targets; on a self-managed cluster, label the control-plane nodes.`,
  );
}
