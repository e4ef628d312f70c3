/**
 * The monitors side of `operator` without `monitors`: the resource that `clusters[].prometheus`
 * names, and every monitor it may select, read from the cluster. What stops it is one verdict
 * under the job `prometheus/<namespace>/<name>` (there is no monitor to name yet).
 */
import type { ClusterConfig, ScrapeConfig } from '#lib/config/index.ts';
import { callApi } from '#lib/credentials/index.ts';
import type { PlannedFailure } from '#lib/targets/clusters.ts';
import { placeholder } from '../admit.ts';
import type { Monitor } from '../crd-monitors.ts';
import { setOperatorOrigin } from '../origin.ts';
import { AssetStore, type ApiGet } from '../store.ts';
import { listMonitors } from './monitors.ts';
import {
  readResource,
  resourceJobName,
  type ClusterResource,
  type ResourceRef,
} from './resource.ts';
import { clusterResourceRef } from './running.ts';

export type FromCluster =
  | {
      ok: true;
      ref: ResourceRef;
      resource: ClusterResource;
      monitors: Monitor[];
      warnings: string[];
      get: ApiGet;
    }
  | { ok: false; job: ScrapeConfig };

/** Reads the resource and its monitors; a failure comes back as a job that carries it. */
export async function readClusterMonitors(
  cluster: ClusterConfig,
  options: { now: () => number },
): Promise<FromCluster> {
  const ref = clusterResourceRef(cluster);
  // The schema's cross-key check makes sure the entry names a resource.
  if (ref === null) throw new Error(`clusters[${cluster.name}] names no Prometheus resource`);
  const failed = (reason: PlannedFailure['reason'], diagnosis: string): FromCluster => {
    const job = placeholder(resourceJobName(ref));
    setOperatorOrigin(job, {
      kind: 'failed',
      run: {
        cluster,
        serviceAccount: '',
        prometheus: null,
        checker: null,
        store: new AssetStore(null),
      },
      monitor: null,
      failure: { reason, diagnosis },
    });
    return { ok: false, job };
  };
  const { connect } = await import('#lib/targets/cluster-connect.ts');
  const connected = await connect(cluster, undefined, options.now);
  if (!connected.ok)
    return failed(
      connected.reason,
      `cannot read the monitors from ${cluster.name}: ${connected.diagnosis}`,
    );
  const get: ApiGet = (path) => callApi(connected.value, path);
  const where = `clusters[${cluster.name}].prometheus.${ref.kind === 'Prometheus' ? 'resource' : 'agent'}`;
  const resource = await readResource(get, ref, where);
  if (!resource.ok) return failed(resource.reason, resource.diagnosis);
  const listed = await listMonitors(get, resource.value.prometheus);
  if (!listed.ok) return failed(listed.reason, listed.diagnosis);
  return {
    ok: true,
    ref,
    resource: resource.value,
    monitors: listed.value.monitors,
    warnings: listed.value.warnings,
    get,
  };
}
