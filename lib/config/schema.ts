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
import { IGNORED_TOP_LEVEL } from './prometheus-keys.ts';
import { cluster } from './schema-clusters.ts';
import { operatorConfig, operatorProblems } from './schema-operator.ts';
import {
  authorization,
  basicAuth,
  globalConfig,
  scrapeConfig,
  tlsConfig,
} from './schema-prometheus.ts';
import { duration, ignoredKeys, nonEmpty } from './schema-values.ts';

export { CLUSTER_PRESETS } from './schema-clusters.ts';
export { SCRAPE_PROTOCOLS } from './schema-values.ts';

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
        // Hosts (host or host:port) a slash command's response_url may point at: Slack's and
        // GovSlack's (lib/chatops/respond.ts); a loopback receiver in tests.
        response_url_hosts: z._default(z.array(z.string().check(z.minLength(1))), [
          'hooks.slack.com',
          'hooks.slack-gov.com',
        ]),
      }),
      {
        allow_users: [],
        allow_channels: [],
        response_url_hosts: ['hooks.slack.com', 'hooks.slack-gov.com'],
      },
    ),
    sinks,
    cert_expiry_warning_days: z._default(z.number().check(z.nonnegative()), 14),
    operator: z.optional(operatorConfig),
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
        // config/config.go: an unset or 0s interval is the global one; only a job's own timeout
        // can exceed it (an inherited one is capped).
        const interval = job.scrape_interval || config.global.scrape_interval;
        if (job.scrape_timeout && job.scrape_timeout > interval) {
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
      for (const p of operatorProblems(config)) ctx.addIssue({ code: 'custom', ...p });
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
