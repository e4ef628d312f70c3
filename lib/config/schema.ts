/**
 * The configuration file's schema: Prometheus's `scrape_configs` subset plus scrape-check's own
 * keys (`../shared/contract.md`, "Configuration file"). `Config` is inferred from it: this is the
 * one place the config's shape is written down.
 */
import { z } from 'zod';
import {
  IGNORED_GLOBAL,
  IGNORED_SCRAPE,
  IGNORED_TLS,
  IGNORED_TOP_LEVEL,
} from './prometheus-keys.ts';
import { parseDuration, parseSize } from './units.ts';

/** Keys Prometheus knows and scrape-check accepts without acting on them (warned about later). */
function ignoredKeys(keys: readonly string[]): Record<string, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(keys.map((key) => [key, z.unknown().optional()]));
}

const duration = z
  .string({ error: 'expected a duration such as 10s or 1m30s' })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a Prometheus duration (use units y, w, d, h, m, s, ms in that order, e.g. 1m30s)`,
      });
      return z.NEVER;
    }
    return ms;
  });

const size = z
  .union([z.string(), z.number()], { error: 'expected a size such as 64MiB, or 0' })
  .transform((raw, ctx) => {
    const bytes = parseSize(String(raw));
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${String(raw)}" is not a size (a number with a unit: B, KiB, MiB, GiB, or 0 for no limit)`,
      });
      return z.NEVER;
    }
    return bytes;
  });

const limit = z.number().int().nonnegative();

export const SCRAPE_PROTOCOLS = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusProto',
] as const;
const scrapeProtocol = z.enum(SCRAPE_PROTOCOLS);

const tlsConfig = z
  .strictObject({
    ca_file: z.string().optional(),
    ca: z.string().optional(),
    cert_file: z.string().optional(),
    cert: z.string().optional(),
    key_file: z.string().optional(),
    key: z.string().optional(),
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().optional(),
    min_version: z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']).optional(),
    ...ignoredKeys(IGNORED_TLS),
  })
  .superRefine((tls, ctx) => {
    // prometheus/common TLSConfig.Validate: each secret comes from one place only.
    for (const [inline, file] of [
      ['ca', 'ca_file'],
      ['cert', 'cert_file'],
      ['key', 'key_file'],
    ] as const) {
      if (tls[inline] && tls[file]) {
        ctx.addIssue({
          code: 'custom',
          path: [inline],
          message: `at most one of ${inline} and ${file} may be set`,
        });
      }
    }
    const hasCert = Boolean(tls.cert ?? tls.cert_file);
    const hasKey = Boolean(tls.key ?? tls.key_file);
    if (hasCert !== hasKey) {
      ctx.addIssue({
        code: 'custom',
        path: [hasCert ? 'key_file' : 'cert_file'],
        message:
          'a client certificate needs both a certificate (cert or cert_file) and its key (key or key_file)',
      });
    }
  });

const authorization = z.strictObject({
  type: z
    .string()
    .refine((t) => t.toLowerCase() !== 'basic', {
      message: 'authorization type cannot be set to "basic", use "basic_auth" instead',
    })
    .optional(),
  credentials: z.string().optional(),
  credentials_file: z.string().optional(),
  credentials_ref: z.unknown().optional(),
});

const basicAuth = z.strictObject({
  username: z.string().optional(),
  username_file: z.string().optional(),
  password: z.string().optional(),
  password_file: z.string().optional(),
  username_ref: z.unknown().optional(),
  password_ref: z.unknown().optional(),
});

// A target is host:port, as Prometheus's static_configs wants it (no scheme, no path).
const target = z.string().refine((t) => /^(\[[0-9a-fA-F:.]+\]|[^/:\s[\]]+)(:\d{1,5})?$/.test(t), {
  message:
    'a target is host or host:port, without a scheme or a path (put those in scheme and metrics_path)',
});

const staticConfig = z.strictObject({
  targets: z.array(target).default([]),
  labels: z.record(z.string(), z.string()).default({}),
});

const scrapeConfig = z
  .strictObject({
    job_name: z.string().min(1, 'job_name must not be empty'),
    scrape_interval: duration.optional(),
    scrape_timeout: duration.optional(),
    scheme: z.enum(['http', 'https']).default('http'),
    metrics_path: z.string().startsWith('/', 'metrics_path must start with /').default('/metrics'),
    params: z.record(z.string(), z.array(z.string())).default({}),
    body_size_limit: size.optional(),
    sample_limit: limit.optional(),
    label_limit: limit.optional(),
    label_name_length_limit: limit.optional(),
    label_value_length_limit: limit.optional(),
    scrape_protocols: z.array(scrapeProtocol).min(1).optional(),
    fallback_scrape_protocol: scrapeProtocol.optional(),
    enable_compression: z.boolean().default(true),
    follow_redirects: z.boolean().default(true),
    static_configs: z.array(staticConfig).default([]),
    tls_config: tlsConfig.optional(),
    authorization: authorization.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().optional(),
    basic_auth: basicAuth.optional(),
    ...ignoredKeys(IGNORED_SCRAPE),
  })
  .superRefine((job, ctx) => {
    // prometheus/common HTTPClientConfig.Validate: one way to authenticate.
    const ways = [
      job.authorization && 'authorization',
      job.basic_auth && 'basic_auth',
      (job.bearer_token ?? job.bearer_token_file) !== undefined && 'bearer_token/bearer_token_file',
    ].filter(Boolean);
    if (ways.length > 1) {
      ctx.addIssue({ code: 'custom', message: `at most one of ${ways.join(', ')} may be set` });
    }
    if (job.bearer_token !== undefined && job.bearer_token_file !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['bearer_token'],
        message: 'at most one of bearer_token and bearer_token_file may be set',
      });
    }
    if (
      job.authorization?.credentials !== undefined &&
      job.authorization.credentials_file !== undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['authorization', 'credentials'],
        message: 'at most one of credentials and credentials_file may be set',
      });
    }
    if (job.basic_auth?.password !== undefined && job.basic_auth.password_file !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['basic_auth', 'password'],
        message: 'at most one of password and password_file may be set',
      });
    }
  });

const globalConfig = z
  .strictObject({
    scrape_interval: duration.default(60_000),
    scrape_timeout: duration.default(10_000),
    body_size_limit: size.default(0),
    sample_limit: limit.default(0),
    label_limit: limit.default(0),
    label_name_length_limit: limit.default(0),
    label_value_length_limit: limit.default(0),
    scrape_protocols: z.array(scrapeProtocol).min(1).optional(),
    ...ignoredKeys(IGNORED_GLOBAL),
  })
  .default({
    scrape_interval: 60_000,
    scrape_timeout: 10_000,
    body_size_limit: 0,
    sample_limit: 0,
    label_limit: 0,
    label_name_length_limit: 0,
    label_value_length_limit: 0,
  });

export const CLUSTER_PRESETS = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
  'etcd',
] as const;

const cluster = z
  .strictObject({
    name: z.string().min(1),
    eks: z
      .strictObject({
        cluster: z.string().min(1),
        region: z.string().min(1),
        role_arn: z.string().startsWith('arn:', 'role_arn must be an IAM role ARN').optional(),
        external_id: z.string().optional(),
      })
      .optional(),
    kubeconfig: z
      .strictObject({ path: z.string().optional(), context: z.string().optional() })
      .optional(),
    service_account: z
      .strictObject({
        namespace: z.string().min(1),
        name: z.string().min(1),
        audiences: z.array(z.string()).default([]),
        // TokenRequest's floor: the API server refuses less than ten minutes.
        expiration_seconds: z
          .number()
          .int()
          .min(600, 'the TokenRequest API minimum is 600 seconds')
          .default(600),
      })
      .optional(),
    token: z
      .union([
        z.strictObject({
          secret: z.strictObject({ namespace: z.string().min(1), name: z.string().min(1) }),
        }),
        z.strictObject({ file: z.string().min(1) }),
      ])
      .optional(),
    targets: z
      .array(z.enum(CLUSTER_PRESETS))
      .min(1)
      .default(['apiserver', 'kube-scheduler', 'kube-controller-manager', 'kubelet']),
    kubelet: z
      .strictObject({ max_nodes: z.number().int().positive().default(3) })
      .default({ max_nodes: 3 }),
    etcd: z
      .strictObject({
        endpoints: z.array(target).min(1),
        tls_config: tlsConfig.optional(),
      })
      .optional(),
    scrape_timeout: duration.optional(),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.eks) === Boolean(c.kubeconfig)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a cluster needs exactly one of eks and kubeconfig',
      });
    }
    if (Boolean(c.service_account) === Boolean(c.token)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a cluster needs exactly one of service_account (TokenRequest) and token (secret or file)',
      });
    }
  });

const sinks = z
  .strictObject({
    emf: z
      .strictObject({ namespace: z.string().min(1).max(255).default('ScrapeCheck') })
      .optional(),
    remote_write: z
      .strictObject({
        url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
        sigv4: z
          .strictObject({ region: z.string().min(1), role_arn: z.string().optional() })
          .optional(),
        authorization: authorization.optional(),
        basic_auth: basicAuth.optional(),
        tls_config: tlsConfig.optional(),
        forward: z
          .array(
            z.string().refine(
              (p) => {
                try {
                  new RegExp(p);
                  return true;
                } catch {
                  return false;
                }
              },
              { message: 'not a valid regular expression' },
            ),
          )
          .default([]),
        timeout: duration.default(10_000),
      })
      .optional(),
  })
  .default({});

export const configSchema = z
  .strictObject({
    global: globalConfig,
    scrape_configs: z.array(scrapeConfig).default([]),
    clusters: z.array(cluster).default([]),
    compat: z
      .strictObject({ prometheus: z.enum(['2', '3']).default('3') })
      .default({ prometheus: '3' }),
    fanout: z.enum(['inline', 'sqs']).default('inline'),
    chatops: z
      .strictObject({
        allow_users: z.array(z.string()).default([]),
        allow_channels: z.array(z.string()).default([]),
      })
      .default({ allow_users: [], allow_channels: [] }),
    sinks,
    cert_expiry_warning_days: z.number().nonnegative().default(14),
    ...ignoredKeys(IGNORED_TOP_LEVEL),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.scrape_configs.forEach((job, i) => {
      const first = seen.get(job.job_name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['scrape_configs', i, 'job_name'],
          message: `found multiple scrape configs with job name "${job.job_name}" (first at scrape_configs[${first}])`,
        });
      } else seen.set(job.job_name, i);
      const interval = job.scrape_interval ?? config.global.scrape_interval;
      const timeout = job.scrape_timeout ?? Math.min(config.global.scrape_timeout, interval);
      if (timeout > interval) {
        ctx.addIssue({
          code: 'custom',
          path: ['scrape_configs', i, 'scrape_timeout'],
          message: `scrape timeout greater than scrape interval for scrape config with job name "${job.job_name}"`,
        });
      }
    });
    const clusters = new Set<string>();
    config.clusters.forEach((c, i) => {
      if (clusters.has(c.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', i, 'name'],
          message: `duplicate cluster name "${c.name}"`,
        });
      }
      clusters.add(c.name);
    });
  });

export type Config = z.output<typeof configSchema>;
export type ScrapeConfig = Config['scrape_configs'][number];
export type ClusterConfig = Config['clusters'][number];
export type TlsConfig = NonNullable<ScrapeConfig['tls_config']>;
export type SinksConfig = Config['sinks'];
