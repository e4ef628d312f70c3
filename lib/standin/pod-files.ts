/**
 * The files a Prometheus pod reads that scrape-check does not have: the ServiceAccount's token, the
 * cluster CA and the namespace, mounted at /var/run/secrets/kubernetes.io/serviceaccount/. When a
 * `clusters[]` entry stands in for a Prometheus in that cluster, these paths resolve to what that
 * pod would read: a TokenRequest token for its ServiceAccount, the cluster's CA, its namespace.
 */

/** Where a pod's ServiceAccount files are mounted (client-go rest.InClusterConfig reads these). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TOKEN_PATH = `${SERVICE_ACCOUNT_DIR}/token`;
export const CA_PATH = `${SERVICE_ACCOUNT_DIR}/ca.crt`;
export const NAMESPACE_PATH = `${SERVICE_ACCOUNT_DIR}/namespace`;

/** A pod's view of those files: each path's content, held in memory, never written to disk. */
export type PodFiles = ReadonlyMap<string, string>;

/** The in-memory files of a stand-in pod. */
export function podFiles(token: string, caPem: string, namespace: string): PodFiles {
  return new Map([
    [TOKEN_PATH, token],
    [CA_PATH, caPem],
    [NAMESPACE_PATH, namespace],
  ]);
}
