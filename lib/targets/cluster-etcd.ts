/**
 * The etcd preset: self-managed etcd scraped directly on its client port with client
 * certificates (Prometheus's `tls_config`), at the configured endpoints or on the control-plane
 * nodes. On EKS etcd is run by AWS and cannot be reached.
 */
import { tlsSettings } from '#lib/config/schema-http.ts';
import { failure } from '#lib/credentials/index.ts';
import { noControlPlane, urlHost } from './cluster-nodes.ts';
import type { PresetContext, PresetPlan, TargetFailure } from './cluster-presets.ts';
import { clusterRequest, ETCD_CLIENT_PORT } from './presets.ts';

/** Plans etcd. */
export async function etcd(ctx: PresetContext): Promise<PresetPlan> {
  const where = `clusters[${ctx.conn.name}].etcd`;
  const guess = `https://etcd.invalid:${ETCD_CLIENT_PORT}/metrics`;
  // Before any endpoint is known, a failure stands for the whole preset.
  const failed = (why: TargetFailure['failure']): PresetPlan => ({
    requests: [],
    failures: [{ job: 'etcd', url: guess, instance: null, failure: why }],
  });
  if (ctx.flavor === 'eks') {
    return failed(
      failure(
        'config_invalid',
        `etcd on EKS is run by AWS and takes no client certificates from you, so it cannot be scraped directly. Remove etcd from clusters[${ctx.conn.name}].targets; the API server's apiserver_storage_* and etcd_request_* metrics describe it.`,
      ),
    );
  }
  const config = ctx.cluster.etcd;
  const t = config?.tls_config;
  if ((t?.cert_file ?? t?.cert) === undefined || (t?.key_file ?? t?.key) === undefined) {
    return failed(
      failure(
        'config_invalid',
        `etcd is scraped with client certificates: set ${where}.tls_config.cert_file, key_file and ca_file (kubeadm: /etc/kubernetes/pki/apiserver-etcd-client.crt and .key, /etc/kubernetes/pki/etcd/ca.crt).`,
      ),
    );
  }
  let endpoints = config?.endpoints?.map((e) => (/:\d+$/.test(e) ? e : `${e}:${ETCD_CLIENT_PORT}`));
  if (endpoints === undefined || endpoints.length === 0) {
    const nodes = await ctx.controlPlaneNodes();
    if (!nodes.ok) return failed(nodes);
    if (nodes.value.length === 0) return failed(noControlPlane(ctx.conn.name, 'etcd'));
    endpoints = nodes.value.flatMap((n) =>
      n.address === null ? [] : [`${urlHost(n.address)}:${ETCD_CLIENT_PORT}`],
    );
  }
  const tls = tlsSettings(t);
  const plan: PresetPlan = { requests: [], failures: [] };
  for (const endpoint of endpoints) {
    const url = URL.parse(`https://${endpoint}/metrics`);
    if (url === null) {
      const why = `${where}.endpoints has "${endpoint}", which is not host:port.`;
      plan.failures.push({
        job: 'etcd',
        url: guess,
        instance: endpoint,
        failure: failure('config_invalid', why),
      });
      continue;
    }
    const parts = {
      cluster: ctx.cluster.name,
      job: 'etcd' as const,
      url,
      tls,
      auth: null,
      token: null,
      warnings: [],
    };
    plan.requests.push(clusterRequest(parts, ctx.defaults));
  }
  return plan;
}
