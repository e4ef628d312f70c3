/**
 * TLS contexts over the system trust store, built once and reused. Handing Node the store as `ca`
 * on every connection would parse every certificate again each time: about 15 ms of CPU per
 * connection for Debian's 144 roots (0.6 ms with Node's own store), 15 s across a thousand
 * targets. A context holds the anchors, the client certificate and the version range, so one is
 * kept per distinct combination; the connection's own options (SNI, ALPN) stay per connection.
 */
import { createHash } from 'node:crypto';
import { createSecureContext, type SecureContext, type SecureVersion } from 'node:tls';
import type { SystemRoots } from './system-roots.ts';

/** What a context is built from besides the anchors. `key` is a secret: it is hashed, never kept as a key. */
export interface TrustContextOptions {
  cert?: string | undefined;
  key?: string | undefined;
  minVersion?: SecureVersion | undefined;
  maxVersion?: SecureVersion | undefined;
  /** Trust any certificate in the store as an anchor, as Go does (OpenSSL needs the flag). */
  allowPartialTrustChain?: boolean;
}

/** Enough for every distinct client certificate of a large config; the oldest go first. */
const MAX_CONTEXTS = 64;

const byRoots = new WeakMap<SystemRoots, Map<string, SecureContext>>();

/**
 * A context that trusts exactly `roots` (an empty store trusts nothing, as in Go), with the
 * client certificate and version range given. Throws what `tls.createSecureContext` throws for
 * unusable client material; callers check the material first (tls-material.ts).
 *
 * @example
 * const secureContext = systemContext(await systemRoots(), { minVersion: 'TLSv1.2' });
 * tls.connect({ socket, servername, secureContext, rejectUnauthorized: false });
 */
export function systemContext(roots: SystemRoots, options: TrustContextOptions): SecureContext {
  let contexts = byRoots.get(roots);
  if (contexts === undefined) {
    contexts = new Map();
    byRoots.set(roots, contexts);
  }
  const pair =
    options.cert === undefined
      ? ''
      : createHash('sha256')
          .update(options.cert)
          .update('\0')
          .update(options.key ?? '')
          .digest('base64');
  const id = `${options.minVersion ?? ''}|${options.maxVersion ?? ''}|${options.allowPartialTrustChain === true ? 'p' : ''}|${pair}`;
  let context = contexts.get(id);
  if (context === undefined) {
    context = createSecureContext({
      // One entry per block: OpenSSL parses each once and skips those Go would skip. An empty
      // array still replaces Node's bundled list: no certificate, no trust.
      ca: [...roots.candidates],
      ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
      ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      ...(options.allowPartialTrustChain === true ? { allowPartialTrustChain: true } : {}),
    });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(id, context);
  }
  return context;
}
