/**
 * What the checker holds once it is "into" a cluster: where the API server is, which CA to trust,
 * and the checker's own credentials for API calls (TokenRequest, listing nodes, access reviews).
 * These credentials are never used for a scrape: scrapes use the scoped ServiceAccount token.
 */

/** TLS client material for API calls. `key` and `cert` are secrets: never print them. */
export interface ConnectionTls {
  cert?: string;
  key?: string;
  /** False only where the kubeconfig says `insecure-skip-tls-verify: true`. */
  rejectUnauthorized?: boolean;
  /** The kubeconfig's `tls-server-name`. */
  servername?: string;
}

/** The checker's way into one cluster. */
export interface ClusterConnection {
  /** The cluster's name in the config (`clusters[].name`). */
  name: string;
  /** The API server's base URL (`https://…`, no path). */
  server: URL;
  /** The cluster CA (PEM) the API server's certificate chains to; null for the system roots. */
  caPem: string | null;
  tls: ConnectionTls;
  /** The `Authorization` header value for API calls, or null (client certificate only). A secret. */
  authorization: string | null;
  /** Where the cluster runs: `eks` when known to be EKS, `unknown` otherwise. */
  flavor: 'eks' | 'unknown';
  /** Kubernetes minor version as `1.30`, when known before any API call (EKS DescribeCluster). */
  version: string | null;
  /** Who the checker is on this cluster, for diagnoses: `IAM role arn:…`, `kubeconfig user "x"`. */
  identity: string;
  /** How to give that identity more rights: where its RBAC comes from. */
  identityHint: string;
  /** What to check when the API server answers 401 to the checker itself. */
  rejectedHint: string;
  /** What a person should know though nothing failed (a cluster still UPDATING, say). */
  warnings: string[];
  /** Every secret value this connection holds, for {@link redact} of upstream messages. */
  secrets: string[];
}
