/**
 * The credentials and TLS settings every Prometheus HTTP client has (prometheus/common
 * `config/http_config.go`): `tls_config`, `authorization`, `basic_auth`. Scrape jobs, service
 * discoveries, oauth2 and remote_write share them.
 */
import * as z from 'zod/mini';
import { IGNORED_TLS } from './prometheus-keys.ts';
import { ignoredKeys } from './schema-values.ts';

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
    max_version: z.optional(z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13'])),
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
