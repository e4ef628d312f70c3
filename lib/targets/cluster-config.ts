/**
 * One `clusters[]` entry of the config (`../shared/contract.md`, "Configuration file"), as the
 * planner reads it. Optional fields accept `undefined` so a zod schema's output fits as is.
 */

/** The preset targets a cluster can have; each is a job name in the results. */
export const CLUSTER_PRESETS = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
  'etcd',
] as const;

export type ClusterPreset = (typeof CLUSTER_PRESETS)[number];

/** The targets when `targets` is absent (etcd needs client certificates, so it is opt-in). */
export const DEFAULT_PRESETS: readonly ClusterPreset[] = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
];

/** The part of Prometheus's `tls_config` etcd uses (file or inline PEM for each). */
export interface EtcdTlsConfig {
  ca_file?: string | undefined;
  ca?: string | undefined;
  cert_file?: string | undefined;
  cert?: string | undefined;
  key_file?: string | undefined;
  key?: string | undefined;
  server_name?: string | undefined;
  insecure_skip_verify?: boolean | undefined;
  min_version?: 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13' | undefined;
}

export interface ClusterConfigLike {
  name: string;
  /** An EKS cluster, reached with DescribeCluster and an `aws eks get-token` token. */
  eks?:
    | {
        cluster: string;
        region: string;
        /** Assumed with sts:AssumeRole first, when set. */
        role_arn?: string | undefined;
        external_id?: string | undefined;
      }
    | undefined;
  /** Any cluster, through a kubeconfig context and whatever auth it holds. */
  kubeconfig?:
    | {
        /** Default `~/.kube/config`. */
        path?: string | undefined;
        /** Default: the file's current-context. */
        context?: string | undefined;
      }
    | undefined;
  /** The ServiceAccount scrapes run as: a TokenRequest token (the default way). */
  service_account?:
    | {
        namespace: string;
        name: string;
        /** Empty for the API server's own audience. */
        audiences?: string[] | undefined;
        /** At least 600 (the API minimum). Default 600. */
        expiration_seconds?: number | undefined;
      }
    | undefined;
  /** Instead of service_account: a legacy token Secret, or a token file. */
  token?: { secret: { namespace: string; name: string } } | { file: string } | undefined;
  targets?: ClusterPreset[] | undefined;
  kubelet?: { max_nodes?: number | undefined } | undefined;
  /** Self-managed etcd: scraped directly with client certificates. */
  etcd?:
    | {
        /** `host` or `host:port` (2379) of each member; default: the control-plane nodes' addresses. */
        endpoints?: string[] | undefined;
        /** Prometheus's tls_config: a client certificate and key are required. */
        tls_config?: EtcdTlsConfig | undefined;
      }
    | undefined;
  /** Self-managed kube-scheduler / kube-controller-manager, scraped on the control-plane nodes. */
  control_plane?:
    | {
        /** Default 10259. */
        scheduler_port?: number | undefined;
        /** Default 10257. */
        controller_manager_port?: number | undefined;
        /**
         * Default true: kubeadm's components serve a self-signed certificate, and Prometheus setups
         * (kube-prometheus) skip verification for them; the result still says what verification found.
         */
        insecure_skip_verify?: boolean | undefined;
      }
    | undefined;
}
