/**
 * Prometheus's own part of the schema: `global`, `scrape_configs[]` with `tls_config`,
 * `authorization`, `basic_auth` and `static_configs`, validated as prometheus/common validates them.
 */
import * as z from 'zod/mini';
import { IGNORED_GLOBAL, IGNORED_SCRAPE, IGNORED_TLS } from './prometheus-keys.ts';
import { duration, ignoredKeys, limit, scrapeProtocol, size, target } from './schema-values.ts';

/** `tls_config`: each secret from one place, a client certificate with its key. */
export const tlsConfig = z
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

/** `authorization` (bearer by default; `Basic` belongs in basic_auth). */
export const authorization = z.strictObject({
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

/** `basic_auth`. */
export const basicAuth = z.strictObject({
  username: z.optional(z.string()),
  username_file: z.optional(z.string()),
  password: z.optional(z.string()),
  password_file: z.optional(z.string()),
  username_ref: z.optional(z.unknown()),
  password_ref: z.optional(z.unknown()),
});

const staticConfig = z.strictObject({
  targets: z._default(z.array(target), []),
  labels: z._default(z.record(z.string(), z.string()), {}),
});

/** One `scrape_configs[]` entry, with one way to authenticate. */
export const scrapeConfig = z
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

/** `global`: the defaults every job inherits, Prometheus's own. */
export const globalConfig = z._default(
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
