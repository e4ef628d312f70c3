/**
 * scrape-check's `clusters[]`: how to get into a cluster (EKS or kubeconfig), which token to scrape
 * with, and which control-plane presets to check.
 */
import * as z from 'zod/mini';
import { tlsConfig } from './schema-credentials.ts';
import { duration, nonEmpty, target } from './schema-values.ts';

/** The control-plane targets a cluster can be checked on; each is a job name in results. */
export const CLUSTER_PRESETS = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
  'etcd',
] as const;

/** `namespace/name`. */
function namespacedName(example: string) {
  return z
    .string()
    .check(z.regex(/^[^/\s]+\/[^/\s]+$/, `expected namespace/name, e.g. ${example}`));
}

/** One `clusters[]` entry: exactly one way in, and exactly one token source. */
export const cluster = z
  .strictObject({
    name: nonEmpty(),
    eks: z.optional(
      z.strictObject({
        cluster: nonEmpty(),
        region: nonEmpty(),
        role_arn: z.optional(
          z.string().check(z.startsWith('arn:', 'role_arn must be an IAM role ARN')),
        ),
        external_id: z.optional(z.string()),
      }),
    ),
    kubeconfig: z.optional(
      z.strictObject({ path: z.optional(z.string()), context: z.optional(z.string()) }),
    ),
    service_account: z.optional(
      z.strictObject({
        namespace: nonEmpty(),
        name: nonEmpty(),
        audiences: z._default(z.array(z.string()), []),
        // TokenRequest's floor: the API server refuses less than ten minutes.
        expiration_seconds: z._default(
          z.number().check(z.int(), z.gte(600, 'the TokenRequest API minimum is 600 seconds')),
          600,
        ),
      }),
    ),
    token: z.optional(
      z.union([
        z.strictObject({
          secret: z.strictObject({ namespace: nonEmpty(), name: nonEmpty() }),
        }),
        z.strictObject({ file: nonEmpty() }),
      ]),
    ),
    targets: z._default(z.array(z.enum(CLUSTER_PRESETS)), [
      'apiserver',
      'kube-scheduler',
      'kube-controller-manager',
      'kubelet',
    ]),
    kubelet: z._default(
      z.strictObject({
        max_nodes: z._default(z.number().check(z.int(), z.positive()), 3),
      }),
      { max_nodes: 3 },
    ),
    etcd: z.optional(
      z.strictObject({
        // Default: the control-plane nodes, port 2379.
        endpoints: z.optional(z.array(target).check(z.minLength(1))),
        tls_config: z.optional(tlsConfig),
      }),
    ),
    // Self-managed kube-scheduler / kube-controller-manager, scraped on the control-plane nodes.
    control_plane: z.optional(
      z.strictObject({
        scheduler_port: z.optional(z.number().check(z.int(), z.positive(), z.lte(65535))),
        controller_manager_port: z.optional(z.number().check(z.int(), z.positive(), z.lte(65535))),
        // kubeadm's components serve self-signed certificates; kube-prometheus skips verification.
        insecure_skip_verify: z.optional(z.boolean()),
      }),
    ),
    scrape_timeout: z.optional(duration),
    // Stand in for a Prometheus that runs in this cluster: its in-cluster ServiceAccount files and
    // in-cluster discovery resolve to a TokenRequest token for this ServiceAccount (lib/standin).
    // With `resource` (or `agent`), the config is the one the Prometheus Operator generated for
    // that resource, read from the cluster, with the pod's mounts (lib/operator/cluster).
    prometheus: z.optional(
      z.strictObject({
        service_account: z.optional(namespacedName('monitoring/prometheus')),
        resource: z.optional(namespacedName('monitoring/k8s')),
        agent: z.optional(namespacedName('monitoring/agent')),
        // The shard whose pod is stood in for (its $(SHARD) and $(POD_NAME)); default: every shard.
        shard: z.optional(z.number().check(z.int(), z.nonnegative())),
      }),
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (Boolean(c.eks) === Boolean(c.kubeconfig)) {
        ctx.addIssue({
          code: 'custom',
          message: 'a cluster needs exactly one of eks and kubeconfig',
        });
      }
      if (c.service_account && c.token) {
        ctx.addIssue({
          code: 'custom',
          message:
            'a cluster needs at most one of service_account (TokenRequest) and token (secret or file)',
        });
      }
      // Presets scrape with the cluster's token, or with the Prometheus stood in for.
      if (!c.service_account && !c.token && !c.prometheus && c.targets.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message:
            'a cluster needs one of service_account (TokenRequest) and token (secret or file), or prometheus.service_account to scrape as',
        });
      }
      const p = c.prometheus;
      if (p !== undefined) {
        if (p.resource !== undefined && p.agent !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['prometheus', 'agent'],
            message: 'at most one of prometheus.resource and prometheus.agent may be set',
          });
        if (p.service_account === undefined && p.resource === undefined && p.agent === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['prometheus'],
            message:
              'prometheus needs service_account (a Prometheus you run from a prometheus.yml), or resource or agent (one the Prometheus Operator runs)',
          });
        if (p.shard !== undefined && p.resource === undefined && p.agent === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['prometheus', 'shard'],
            message:
              'prometheus.shard picks a shard of an operator resource: set resource or agent',
          });
        // The presets scrape as a ServiceAccount; the resource's is only known once it is read.
        if (
          p.service_account === undefined &&
          !c.service_account &&
          !c.token &&
          c.targets.length > 0
        )
          ctx.addIssue({
            code: 'custom',
            path: ['targets'],
            message:
              'the control-plane presets need a ServiceAccount to scrape as: set service_account (or prometheus.service_account), or targets: [] to check only what the Prometheus resource scrapes',
          });
      }
      if (c.targets.length === 0 && !c.prometheus) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets'],
          message: 'a cluster without prometheus needs at least one target',
        });
      }
    }),
  );

/**
 * Whether a cluster entry names a Prometheus Operator resource (`prometheus.resource` or `agent`)
 * whose generated config is checked: its jobs then run as that resource's pod.
 */
export function checksOperatorResource(c: {
  prometheus?: { resource?: string | undefined; agent?: string | undefined } | undefined;
}): boolean {
  return c.prometheus?.resource !== undefined || c.prometheus?.agent !== undefined;
}
