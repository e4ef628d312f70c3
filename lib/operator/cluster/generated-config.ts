/**
 * The config the operator generated for a resource, as its Prometheus pod gets it: the Secret
 * `prometheus-<name>` (`prom-agent-<name>` for an agent), key `prometheus.yaml.gz`
 * (prometheus-operator `pkg/prometheus/common.go`, `MakeConfigurationSecret`), unzipped and
 * env-substituted the way the config-reloader writes `prometheus.env.yaml` (thanos
 * `pkg/reloader`: gunzip when the bytes start with the gzip magic `1f 8b 08`, then every
 * `$(NAME)` with NAME in `[a-zA-Z_0-9]+` replaced by the container's environment; an unset one is
 * left as it is, since the operator runs the reloader with `TolerateEnvVarExpansionErrors`).
 *
 * The reloader's environment (`pkg/operator/config_reloader.go`): `POD_NAME` (the StatefulSet
 * pod, `prometheus-<name>-0`, or `prometheus-<name>-shard-<n>-0`), `SHARD` (the shard's index),
 * and `STATEFULSET_ORDINAL_NUMBER` (the digits that end POD_NAME, from `createOrdinalEnvvar`).
 */
import { gunzipSync } from 'node:zlib';
import type { ApiGet } from '../store.ts';
import { getObject, secretBytes, secretRef, type Read } from './api.ts';
import { prefixedName, type ResourceRef } from './resource.ts';

/** The key the operator writes the config under (`ConfigFilename`). */
export const CONFIG_KEY = 'prometheus.yaml.gz';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const ENV_REF = /\$\(([a-zA-Z_0-9]+)\)/g;

/** The generated config, unzipped but not substituted, and where it came from. */
export interface GeneratedConfig {
  text: string;
  /** `Secret monitoring/prometheus-k8s, key prometheus.yaml.gz`: for messages. */
  origin: string;
}

/** The StatefulSet pod of a shard (replica 0): `prometheus-k8s-0`, `prometheus-k8s-shard-1-0`. */
export function podName(ref: ResourceRef, shard: number): string {
  return `${prefixedName(ref)}${shard === 0 ? '' : `-shard-${shard}`}-0`;
}

/** The config-reloader's environment for a shard's replica 0. */
export function reloaderEnv(ref: ResourceRef, shard: number): Record<string, string> {
  const pod = podName(ref, shard);
  return {
    POD_NAME: pod,
    SHARD: String(shard),
    STATEFULSET_ORDINAL_NUMBER: /\d+$/.exec(pod)?.[0] ?? '',
  };
}

/** Substitutes `$(NAME)` as the reloader does; returns the names it left (unset). */
export function substituteEnv(
  text: string,
  env: Readonly<Record<string, string>>,
): { text: string; unset: string[] } {
  const unset = new Set<string>();
  const out = text.replace(ENV_REF, (whole, name: string) => {
    const value = env[name];
    if (value === undefined) {
      unset.add(name);
      return whole;
    }
    return value;
  });
  return { text: out, unset: [...unset] };
}

/** Reads and unzips the generated config of `ref`. */
export async function readGeneratedConfig(
  get: ApiGet,
  ref: ResourceRef,
): Promise<Read<GeneratedConfig>> {
  const secret = secretRef(ref.namespace, prefixedName(ref));
  const got = await getObject(
    get,
    secret,
    `the operator has not written the config of ${ref.kind} ${ref.namespace}/${ref.name} (is the operator running, and does it watch namespace ${ref.namespace}? its logs and the resource's status conditions say why)`,
  );
  if (!got.ok) return got;
  const origin = `${secret.describe}, key ${CONFIG_KEY}`;
  const bytes = secretBytes(got.value).get(CONFIG_KEY);
  if (bytes === undefined)
    return {
      ok: false,
      reason: 'config_invalid',
      diagnosis: `${secret.describe} has no key ${CONFIG_KEY}: it is not a config the operator generated`,
    };
  let raw = bytes;
  if (bytes.subarray(0, 3).equals(GZIP_MAGIC)) {
    try {
      raw = gunzipSync(bytes);
    } catch (error) {
      return {
        ok: false,
        reason: 'config_invalid',
        diagnosis: `${origin}: not a valid gzip stream (${(error as Error).message}): the config-reloader would fail on it too`,
      };
    }
  }
  return { ok: true, value: { text: raw.toString('utf8'), origin } };
}
