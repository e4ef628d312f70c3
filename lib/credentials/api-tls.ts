/**
 * How the checker's undici clients verify an API server, the way client-go (Go) does: against the
 * cluster's CA, or, without one (a kubeconfig with no certificate-authority, a public endpoint),
 * against the system trust store as Go loads it rather than Node's bundled list (see
 * lib/trust/system-roots.ts).
 */
import type { ConnectionOptions } from 'node:tls';
import { systemContext, systemRoots } from '#lib/trust/index.ts';
import type { ClusterConnection } from './types.ts';

/** The TLS options `apiServerTls` sets. */
export type ApiServerTls = Pick<
  ConnectionOptions,
  'ca' | 'cert' | 'key' | 'secureContext' | 'servername' | 'rejectUnauthorized'
>;

/**
 * The `connect` options of an undici Agent for `conn`: trust anchors, the client certificate, the
 * server name and whether to verify.
 *
 * @example new Agent({ connect: await apiServerTls(conn) })
 */
export async function apiServerTls(conn: ClusterConnection): Promise<ApiServerTls> {
  const client = {
    ...(conn.tls.cert === undefined ? {} : { cert: conn.tls.cert }),
    ...(conn.tls.key === undefined ? {} : { key: conn.tls.key }),
  };
  const anchors =
    conn.caPem === null
      ? {
          secureContext: systemContext(await systemRoots(), {
            ...client,
            // Go trusts any certificate in the pool as an anchor.
            allowPartialTrustChain: true,
          }),
        }
      : { ca: conn.caPem, ...client };
  return {
    ...anchors,
    ...(conn.tls.servername === undefined ? {} : { servername: conn.tls.servername }),
    rejectUnauthorized: conn.tls.rejectUnauthorized ?? true,
  };
}
