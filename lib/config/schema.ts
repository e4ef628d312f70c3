/**
 * The configuration file's schema: Prometheus's `scrape_configs` subset plus scrape-check's own
 * keys (`../shared/contract.md`, "Configuration file"). `Config` is inferred from it: this is the
 * one place the config's shape is written down.
 *
 * Written with `zod/mini`, zod 4's functional API: the same validators and issues as classic zod
 * at about a fortieth of the bundled size (12 KB against 454 KB), which every Lambda function pays
 * on each cold start (https://zod.dev/packages/mini). Mini carries no English messages: `load.ts`
 * parses with zod's English error map, so the messages read as they did with classic zod.
 */
import * as z from 'zod/mini';
import {
  IGNORED_GLOBAL,
  IGNORED_SCRAPE,
  IGNORED_TLS,
  IGNORED_TOP_LEVEL,
} from './prometheus-keys.ts';
import { parseDuration, parseSize } from './units.ts';

/** Keys Prometheus knows and scrape-check accepts without acting on them (warned about later). */
function ignoredKeys(keys: readonly string[]): Record<string, z.ZodMiniOptional<z.ZodMiniUnknown>> {
  return Object.fromEntries(keys.map((key) => [key, z.optional(z.unknown())]));
}

const duration = z.pipe(
  z.string({ error: 'expected a duration such as 10s or 1m30s' }),
  z.transform((text: string, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${text}" is not a Prometheus duration (use units y, w, d, h, m, s, ms in that order, e.g. 1m30s)`,
        input: text,
      });
      return z.NEVER;
    }
    return ms;
  }),
);

const size = z.pipe(
  z.union([z.string(), z.number()], { error: 'expected a size such as 64MiB, or 0' }),
  z.transform((raw: string | number, ctx) => {
    const bytes = parseSize(String(raw));
    if (bytes === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${String(raw)}" is not a size (a number with a unit: B, KiB, MiB, GiB, or 0 for no limit)`,
        input: raw,
      });
      return z.NEVER;
    }
    return bytes;
  }),
);

const limit = z.number().check(z.int(), z.nonnegative());

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
    ca_file: z.optional(z.string()),
    ca: z.optional(z.string()),
    cert_file: z.optional(z.string()),
    cert: z.optional(z.string()),
    key_file: z.optional(z.string()),
    key: z.optional(z.string()),
    server_name: z.optional(z.string()),
    insecure_skip_verify: z.optional(z.boolean()),
    min_version: z.optional(z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13'])),
    ...ignoredKeys(IGNORED_TLS),
  })
  .check(
    z.superRefine((tls, ctx) => {
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
    }),
  );

const authorization = z.strictObject({
  type: z.optional(
    z.string().check(
      z.refine((t) => t.toLowerCase() !== 'basic', {
        message: 'authorization type cannot be set to "basic", use "basic_auth" instead',
      }),
    ),
  ),
  credentials: z.optional(z.string()),
  credentials_file: z.optional(z.string()),
  credentials_ref: z.optional(z.unknown()),
});

const basicAuth = z.strictObject({
  username: z.optional(z.string()),
  username_file: z.optional(z.string()),
  password: z.optional(z.string()),
  password_file: z.optional(z.string()),
  username_ref: z.optional(z.unknown()),
  password_ref: z.optional(z.unknown()),
});

// A target is host:port, as Prometheus's static_configs wants it (no scheme, no path).
const target = z.string().check(
  z.refine((t) => /^(\[[0-9a-fA-F:.]+\]|[^/:\s[\]]+)(:\d{1,5})?$/.test(t), {
    message:
      'a target is host or host:port, without a scheme or a path (put those in scheme and metrics_path)',
  }),
);

const staticConfig = z.strictObject({
  targets: z._default(z.array(target), []),
  labels: z._default(z.record(z.string(), z.string()), {}),
});

const scrapeConfig = z
  .strictObject({
    job_name: z.string().check(z.minLength(1, 'job_name must not be empty')),
    scrape_interval: z.optional(duration),
    scrape_timeout: z.optional(duration),
    scheme: z._default(z.enum(['http', 'https']), 'http'),
    metrics_path: z._default(
      z.string().check(z.startsWith('/', 'metrics_path must start with /')),
      '/metrics',
    ),
    params: z._default(z.record(z.string(), z.array(z.string())), {}),
    body_size_limit: z.optional(size),
    sample_limit: z.optional(limit),
    label_limit: z.optional(limit),
    label_name_length_limit: z.optional(limit),
    label_value_length_limit: z.optional(limit),
    scrape_protocols: z.optional(z.array(scrapeProtocol).check(z.minLength(1))),
    fallback_scrape_protocol: z.optional(scrapeProtocol),
    enable_compression: z._default(z.boolean(), true),
    follow_redirects: z._default(z.boolean(), true),
    static_configs: z._default(z.array(staticConfig), []),
    tls_config: z.optional(tlsConfig),
    authorization: z.optional(authorization),
    bearer_token: z.optional(z.string()),
    bearer_token_file: z.optional(z.string()),
    basic_auth: z.optional(basicAuth),
    ...ignoredKeys(IGNORED_SCRAPE),
  })
  .check(
    z.superRefine((job, ctx) => {
      // prometheus/common HTTPClientConfig.Validate: one way to authenticate.
      const ways = [
        job.authorization && 'authorization',
        job.basic_auth && 'basic_auth',
        (job.bearer_token ?? job.bearer_token_file) !== undefined &&
          'bearer_token/bearer_token_file',
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
    }),
  );

const globalConfig = z._default(
  z.strictObject({
    scrape_interval: z._default(duration, 60_000),
    scrape_timeout: z._default(duration, 10_000),
    body_size_limit: z._default(size, 0),
    sample_limit: z._default(limit, 0),
    label_limit: z._default(limit, 0),
    label_name_length_limit: z._default(limit, 0),
    label_value_length_limit: z._default(limit, 0),
    scrape_protocols: z.optional(z.array(scrapeProtocol).check(z.minLength(1))),
    ...ignoredKeys(IGNORED_GLOBAL),
  }),
  {
    scrape_interval: 60_000,
    scrape_timeout: 10_000,
    body_size_limit: 0,
    sample_limit: 0,
    label_limit: 0,
    label_name_length_limit: 0,
    label_value_length_limit: 0,
  },
);

export const CLUSTER_PRESETS = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
  'etcd',
] as const;

const nonEmpty = (): z.ZodMiniString<string> => z.string().check(z.minLength(1));

const cluster = z
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
    targets: z._default(z.array(z.enum(CLUSTER_PRESETS)).check(z.minLength(1)), [
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
  })
  .check(
    z.superRefine((c, ctx) => {
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
    }),
  );

/** A regular expression JavaScript can compile (remote_write's `forward` patterns). */
function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const sinks = z._default(
  z.strictObject({
    emf: z.optional(
      z.strictObject({
        namespace: z._default(z.string().check(z.minLength(1), z.maxLength(255)), 'ScrapeCheck'),
      }),
    ),
    remote_write: z.optional(
      z.strictObject({
        url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
        sigv4: z.optional(z.strictObject({ region: nonEmpty(), role_arn: z.optional(z.string()) })),
        authorization: z.optional(authorization),
        basic_auth: z.optional(basicAuth),
        tls_config: z.optional(tlsConfig),
        forward: z._default(
          z.array(
            z.string().check(z.refine(isRegExp, { message: 'not a valid regular expression' })),
          ),
          [],
        ),
        timeout: z._default(duration, 10_000),
      }),
    ),
  }),
  {},
);

export const configSchema = z
  .strictObject({
    global: globalConfig,
    scrape_configs: z._default(z.array(scrapeConfig), []),
    clusters: z._default(z.array(cluster), []),
    compat: z._default(z.strictObject({ prometheus: z._default(z.enum(['2', '3']), '3') }), {
      prometheus: '3',
    }),
    fanout: z._default(z.enum(['inline', 'sqs']), 'inline'),
    chatops: z._default(
      z.strictObject({
        allow_users: z._default(z.array(z.string()), []),
        allow_channels: z._default(z.array(z.string()), []),
      }),
      { allow_users: [], allow_channels: [] },
    ),
    sinks,
    cert_expiry_warning_days: z._default(z.number().check(z.nonnegative()), 14),
    ...ignoredKeys(IGNORED_TOP_LEVEL),
  })
  .check(
    z.superRefine((config, ctx) => {
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
    }),
  );

export type Config = z.output<typeof configSchema>;
export type ScrapeConfig = Config['scrape_configs'][number];
export type ClusterConfig = Config['clusters'][number];
/**
 * A `clusters[]` entry as written (defaults not yet applied): what the cluster planner takes, so
 * both the loaded config and a hand-built entry fit. `scrape_timeout` reaches it as a number.
 */
export type ClusterInput = Omit<z.input<typeof cluster>, 'scrape_timeout'>;
export type TlsConfig = NonNullable<ScrapeConfig['tls_config']>;
export type SinksConfig = Config['sinks'];
