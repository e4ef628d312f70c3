/**
 * Prometheus's own part of the schema: `global`, `scrape_configs[]` with `tls_config`,
 * `authorization`, `basic_auth` and `static_configs`, validated as prometheus/common validates them.
 */
import * as z from 'zod/mini';
import { validationSchemeValue } from './name-schemes.ts';
import { IGNORED_GLOBAL, IGNORED_SCRAPE } from './prometheus-keys.ts';
import { authorization, basicAuth, tlsConfig } from './schema-credentials.ts';
import { httpClientChecks, httpClientKeys } from './schema-http.ts';
import { duration, ignoredKeys, limit, scrapeProtocol, size } from './schema-values.ts';

export { authorization, basicAuth, tlsConfig } from './schema-credentials.ts';

const staticConfig = z.strictObject({
  // Checked per job (checkStaticTargets): a URL is fine where relabel_configs can move it.
  targets: z._default(z.array(z.string()), []),
  labels: z._default(z.record(z.string(), z.string()), {}),
});

/**
 * An HTTP client's own settings, as service discoveries carry them beside their own keys
 * (prometheus/common HTTPClientConfig). The discovery's keys pass through, to be checked per
 * Prometheus version by lib/discovery.
 */
const sdHttpClient = {
  tls_config: z.optional(tlsConfig),
  authorization: z.optional(authorization),
  basic_auth: z.optional(basicAuth),
  bearer_token: z.optional(z.string()),
  bearer_token_file: z.optional(z.string()),
  follow_redirects: z.optional(z.boolean()),
  enable_http2: z.optional(z.boolean()),
};

/** `kubernetes_sd_configs[]`, `http_sd_configs[]`, `file_sd_configs[]` entries (checked later). */
const sdConfig = z.looseObject(sdHttpClient);

/** One `scrape_configs[]` entry, with one way to authenticate. */
export const scrapeConfig = z
  .strictObject({
    job_name: z.string().check(z.minLength(1, 'job_name must not be empty')),
    scrape_interval: z.optional(duration),
    scrape_timeout: z.optional(duration),
    // Prometheus takes any scheme and path at load (a path without "/" gets one in the URL); a
    // scheme Go cannot speak fails each target, as in Prometheus (lib/targets).
    scheme: z._default(z.string(), 'http'),
    metrics_path: z._default(z.string(), '/metrics'),
    honor_labels: z._default(z.boolean(), false),
    honor_timestamps: z._default(z.boolean(), true),
    // Rules are checked per Prometheus version once the version is known (load.ts, lib/relabel).
    relabel_configs: z._default(z.array(z.unknown()), []),
    metric_relabel_configs: z._default(z.array(z.unknown()), []),
    kubernetes_sd_configs: z._default(z.array(sdConfig), []),
    file_sd_configs: z._default(z.array(sdConfig), []),
    http_sd_configs: z._default(z.array(sdConfig), []),
    params: z._default(z.record(z.string(), z.array(z.string())), {}),
    body_size_limit: z.optional(size),
    sample_limit: z.optional(limit),
    label_limit: z.optional(limit),
    label_name_length_limit: z.optional(limit),
    label_value_length_limit: z.optional(limit),
    scrape_protocols: z.optional(z.array(scrapeProtocol).check(z.minLength(1))),
    fallback_scrape_protocol: z.optional(scrapeProtocol),
    // Prometheus 3 only; resolved with global's once the version is known (name-schemes.ts).
    metric_name_validation_scheme: z.optional(validationSchemeValue),
    metric_name_escaping_scheme: z.optional(z.string()),
    enable_compression: z._default(z.boolean(), true),
    follow_redirects: z._default(z.boolean(), true),
    ...httpClientKeys,
    static_configs: z._default(z.array(staticConfig), []),
    tls_config: z.optional(tlsConfig),
    authorization: z.optional(authorization),
    bearer_token: z.optional(z.string()),
    bearer_token_file: z.optional(z.string()),
    basic_auth: z.optional(basicAuth),
    ...ignoredKeys(IGNORED_SCRAPE),
  })
  .check(
    httpClientChecks,
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
      // config.go ScrapeConfig.Validate → checkStaticTargets (2.42 and HEAD): a target holding
      // "/" is refused only in a job without relabel_configs; blackbox_exporter's jobs (and every
      // Probe the operator generates) put URLs there and move them into __param_target.
      if (job.relabel_configs.length === 0)
        job.static_configs.forEach((group, i) => {
          group.targets.forEach((t, j) => {
            if (t.includes('/'))
              ctx.addIssue({
                code: 'custom',
                path: ['static_configs', i, 'targets', j],
                message: `${JSON.stringify(t)} is not a valid hostname: a target is host or host:port, without a scheme or a path (put those in scheme and metrics_path)`,
              });
          });
        });
      if (job.basic_auth?.password !== undefined && job.basic_auth.password_file !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['basic_auth', 'password'],
          message: 'at most one of password and password_file may be set',
        });
      }
    }),
  );

/**
 * `global`: the defaults every job inherits, Prometheus's own (config/config.go
 * GlobalConfig.UnmarshalYAML): a missing or `0s` interval is 1m; a missing or `0s` timeout is 10s
 * capped at the interval.
 */
const globalFields = z.strictObject({
  scrape_interval: z.optional(duration),
  scrape_timeout: z.optional(duration),
  body_size_limit: z._default(size, 0),
  sample_limit: z._default(limit, 0),
  label_limit: z._default(limit, 0),
  label_name_length_limit: z._default(limit, 0),
  label_value_length_limit: z._default(limit, 0),
  scrape_protocols: z.optional(z.array(scrapeProtocol).check(z.minLength(1))),
  metric_name_validation_scheme: z.optional(validationSchemeValue),
  metric_name_escaping_scheme: z.optional(z.string()),
  ...ignoredKeys(IGNORED_GLOBAL),
});

export const globalConfig = z._default(
  z.pipe(
    globalFields,
    z.transform((g, ctx) => {
      const interval = g.scrape_interval || 60_000;
      if (g.scrape_timeout && g.scrape_timeout > interval) {
        ctx.issues.push({
          code: 'custom',
          path: ['scrape_timeout'],
          message: 'global scrape timeout greater than scrape interval',
          input: g.scrape_timeout,
        });
      }
      const timeout = g.scrape_timeout || Math.min(10_000, interval);
      return { ...g, scrape_interval: interval, scrape_timeout: timeout };
    }),
  ),
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
