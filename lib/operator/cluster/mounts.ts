/**
 * The files the operator mounts into the Prometheus pod that a generated config refers to
 * (prometheus-operator `pkg/prometheus/common.go`, `BuildCommonVolumes`), read from the cluster
 * and held in memory like the stand-in's ServiceAccount files, never written to disk:
 *
 * - `/etc/prometheus/certs/<key>`: the TLS assets, a projected volume of the Secrets
 *   `<prefixed>-tls-assets-0`, `-1`, … (`ShardedSecret`; read until one is missing; an operator
 *   older than the sharding wrote one `<prefixed>-tls-assets`);
 * - `/etc/prometheus/secrets/<name>/<key>` for each of `spec.secrets`;
 * - `/etc/prometheus/configmaps/<name>/<key>` for each of `spec.configMaps`;
 * - `/etc/prometheus/web_config/web-config.yaml` from `<prefixed>-web-config` (the pod's own web
 *   server: read for completeness, it changes no scrape).
 *
 * A mount that cannot be read is remembered with why, so a job that needs one of its files says it.
 */
import type { PrometheusResource } from '../crd-prometheus.ts';
import type { AssetStore } from '../store.ts';
import { configMapRef, failureOf, secretRef, type ObjectRef } from './api.ts';
import { prefixedName, type ResourceRef } from './resource.ts';

export const TLS_DIR = '/etc/prometheus/certs';
export const SECRETS_DIR = '/etc/prometheus/secrets';
export const CONFIGMAPS_DIR = '/etc/prometheus/configmaps';
export const WEB_CONFIG_DIR = '/etc/prometheus/web_config';

/** The pod's mounted files, and for each mount that could not be read, why. */
export interface Mounts {
  files: Map<string, string>;
  /** Mount directory → why its files are missing. */
  broken: Map<string, string>;
  /** Mount directory → what it holds (`Secret monitoring/foo`), for messages. */
  sources: Map<string, string>;
}

async function readInto(
  store: AssetStore,
  ref: ObjectRef,
  dir: string,
  out: Mounts,
  missing: string,
): Promise<'ok' | 'missing' | 'failed'> {
  const got = await store.objectData(
    ref.resource === 'secrets' ? 'secret' : 'configmap',
    ref.namespace,
    ref.name,
  );
  if (got.ok) {
    for (const [key, value] of Object.entries(got.data)) out.files.set(`${dir}/${key}`, value);
    out.sources.set(dir, ref.describe);
    return 'ok';
  }
  out.broken.set(dir, failureOf(ref, got.answer, missing).diagnosis);
  return got.answer.status === 404 ? 'missing' : 'failed';
}

/** Reads every mount the pod of `prometheus` has. */
export async function readMounts(
  store: AssetStore,
  ref: ResourceRef,
  prometheus: PrometheusResource,
): Promise<Mounts> {
  const out: Mounts = { files: new Map(), broken: new Map(), sources: new Map() };
  const ns = ref.namespace;
  const base = `${prefixedName(ref)}-tls-assets`;
  const tls: Mounts = { files: new Map(), broken: new Map(), sources: new Map() };
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const got = await readInto(
      store,
      secretRef(ns, `${base}-${i}`),
      TLS_DIR,
      tls,
      'the operator has not written the TLS assets',
    );
    if (got !== 'ok') break;
    names.push(`${base}-${i}`);
  }
  if (names.length === 0) {
    // Operators before the sharded TLS Secret wrote a single one without a suffix.
    const got = await readInto(
      store,
      secretRef(ns, base),
      TLS_DIR,
      tls,
      `the operator has not written the TLS assets (${base}-0)`,
    );
    if (got === 'ok') names.push(base);
  }
  for (const [k, v] of tls.files) out.files.set(k, v);
  if (names.length > 0)
    out.sources.set(TLS_DIR, `Secret${names.length > 1 ? 's' : ''} ${ns}/${names.join(', ')}`);
  else out.broken.set(TLS_DIR, tls.broken.get(TLS_DIR) ?? `Secret ${ns}/${base}-0 does not exist`);
  const spec = prometheus.spec as { secrets?: unknown; configMaps?: unknown };
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  for (const name of list(spec.secrets))
    await readInto(
      store,
      secretRef(ns, name),
      `${SECRETS_DIR}/${name}`,
      out,
      `it is listed in spec.secrets, so the pod cannot start until it exists (ContainerCreating: secret "${name}" not found)`,
    );
  for (const name of list(spec.configMaps))
    await readInto(
      store,
      configMapRef(ns, name),
      `${CONFIGMAPS_DIR}/${name}`,
      out,
      `it is listed in spec.configMaps, so the pod cannot start until it exists`,
    );
  const web: Mounts = { files: new Map(), broken: new Map(), sources: new Map() };
  await readInto(store, secretRef(ns, `${prefixedName(ref)}-web-config`), WEB_CONFIG_DIR, web, '');
  for (const [k, v] of web.files) out.files.set(k, v);
  return out;
}

/** Why the pod has no file at `path`: its mount's failure, or the key its mount lacks. */
export function whyMissing(mounts: Mounts, path: string): string {
  const dirs = [...mounts.sources.keys(), ...mounts.broken.keys()].filter((d) =>
    path.startsWith(`${d}/`),
  );
  const dir = dirs.sort((a, b) => b.length - a.length)[0];
  if (dir === undefined)
    return `the operator mounts nothing there (its mounts are ${TLS_DIR}, ${SECRETS_DIR}/<spec.secrets>, ${CONFIGMAPS_DIR}/<spec.configMaps>)`;
  const broken = mounts.broken.get(dir);
  if (broken !== undefined) return broken;
  return `${mounts.sources.get(dir) ?? dir} has no key ${path.slice(dir.length + 1)}`;
}
