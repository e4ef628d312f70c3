/**
 * The Secrets and ConfigMaps monitors refer to, read as the operator reads them
 * (prometheus-operator `pkg/assets/store.go`): fetched once from the cluster while the monitors are
 * checked (`StoreBuilder.GetSecretKey`, with its error words), then read from the cache while the
 * config is generated (`cacheOnlyStore`). Values live in memory only; `values()` lists them so
 * every message can be redacted, and none is ever printed.
 */
import { namespacedPath } from '#lib/credentials/api-path.ts';
import type { ApiResult } from '#lib/credentials/index.ts';
import type { KeySelector, SecretOrConfigMap } from './crd-common.ts';

/** Where the operator mounts TLS assets in the Prometheus pod (`pkg/prometheus/common.go`). */
export const TLS_ASSETS_DIR = '/etc/prometheus/certs';

type Read = { ok: true; value: string } | { ok: false; error: string };

/** The cache-only view for one namespace, as the generator reads it. */
export interface AssetGetter {
  secretKey(sel: KeySelector): Read;
  configMapKey(sel: KeySelector): Read;
  secretOrConfigMapKey(sel: SecretOrConfigMap): Read;
  /** `TLSAsset`: the file name under /etc/prometheus/certs (`0_<ns>_<name>_<key>`, 1 for a ConfigMap). */
  tlsAsset(sel: SecretOrConfigMap): string;
}

/** An object's data by key, or why it could not be had. */
type Fetched = { ok: true; data: Record<string, string> } | { ok: false; error: string };

export type ApiGet = (path: string) => Promise<ApiResult>;

/** Preloaded objects (tests, or objects read from files): `namespace/name` → data (plain text). */
export interface StoreObjects {
  secrets?: Record<string, Record<string, string>>;
  configMaps?: Record<string, Record<string, string>>;
}

function decodeData(body: unknown, base64: boolean): Record<string, string> {
  const data = (body as { data?: unknown } | null)?.data;
  const out: Record<string, string> = {};
  if (data === null || typeof data !== 'object') return out;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    out[k] = base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}

/** The operator's asset store for one run. */
export class AssetStore {
  readonly #get: ApiGet | null;
  readonly #cache = new Map<string, Fetched>();
  readonly #values = new Set<string>();

  /** `get` reads objects from the cluster; null when there is no cluster (only `objects`). */
  constructor(get: ApiGet | null, objects: StoreObjects = {}) {
    this.#get = get;
    for (const [kind, byKey] of [
      ['secret', objects.secrets],
      ['configmap', objects.configMaps],
    ] as const) {
      for (const [key, data] of Object.entries(byKey ?? {})) {
        this.#cache.set(`${kind}/${key}`, { ok: true, data: { ...data } });
        if (kind === 'secret') for (const v of Object.values(data)) this.#remember(v);
      }
    }
  }

  /** Every secret value read so far (for redaction). */
  values(): string[] {
    return [...this.#values];
  }

  #remember(value: string): void {
    if (value.length >= 4) this.#values.add(value);
  }

  async #fetch(kind: 'secret' | 'configmap', namespace: string, name: string): Promise<Fetched> {
    const key = `${kind}/${namespace}/${name}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let fetched: Fetched;
    if (this.#get === null) {
      fetched = { ok: false, error: `${kind}s "${name}" not found` };
    } else {
      const plural = kind === 'secret' ? 'secrets' : 'configmaps';
      const answer = await this.#get(namespacedPath(namespace, plural, name));
      fetched = answer.ok
        ? { ok: true, data: decodeData(answer.body, kind === 'secret') }
        : { ok: false, error: answer.message };
    }
    if (fetched.ok && kind === 'secret')
      for (const v of Object.values(fetched.data)) this.#remember(v);
    this.#cache.set(key, fetched);
    return fetched;
  }

  /**
   * A whole Secret's or ConfigMap's data (a volume mounts every key), or the API's failed answer
   * (its status says whether it is missing or forbidden). A Secret's values are remembered for
   * redaction, and the object is cached for the key reads that follow.
   */
  async objectData(
    kind: 'secret' | 'configmap',
    namespace: string,
    name: string,
  ): Promise<
    | { ok: true; data: Record<string, string> }
    | { ok: false; answer: Extract<ApiResult, { ok: false }> }
  > {
    const cached = this.#cache.get(`${kind}/${namespace}/${name}`);
    if (cached?.ok === true) return { ok: true, data: { ...cached.data } };
    if (this.#get === null)
      return {
        ok: false,
        answer: {
          ok: false,
          status: null,
          message: 'no cluster to read it from',
          code: null,
          body: null,
        },
      };
    const plural = kind === 'secret' ? 'secrets' : 'configmaps';
    const answer = await this.#get(namespacedPath(namespace, plural, name));
    if (!answer.ok) return { ok: false, answer };
    const data = decodeData(answer.body, kind === 'secret');
    if (kind === 'secret') for (const v of Object.values(data)) this.#remember(v);
    this.#cache.set(`${kind}/${namespace}/${name}`, { ok: true, data });
    return { ok: true, data: { ...data } };
  }

  /** Remembers a secret value found elsewhere (a generated config's inline password), for redaction. */
  remember(value: string): void {
    this.#remember(value);
  }

  async #key(kind: 'secret' | 'configmap', namespace: string, sel: KeySelector): Promise<Read> {
    const got = await this.#fetch(kind, namespace, sel.name);
    if (!got.ok) return { ok: false, error: `unable to get ${kind} "${sel.name}": ${got.error}` };
    const value = got.data[sel.key];
    if (value === undefined)
      return { ok: false, error: `key "${sel.key}" in ${kind} "${sel.name}" not found` };
    return { ok: true, value };
  }

  /** `StoreBuilder.GetSecretKey`: the value, or the operator's error. */
  secretKey(namespace: string, sel: KeySelector): Promise<Read> {
    return this.#key('secret', namespace, sel);
  }

  /** `StoreBuilder.GetConfigMapKey`. */
  configMapKey(namespace: string, sel: KeySelector): Promise<Read> {
    return this.#key('configmap', namespace, sel);
  }

  /** `StoreBuilder.GetKey`: a Secret's or ConfigMap's key; "" when neither is set. */
  async key(namespace: string, sel: SecretOrConfigMap | undefined): Promise<Read> {
    if (sel?.secret !== undefined) return this.secretKey(namespace, sel.secret);
    if (sel?.configMap !== undefined) return this.configMapKey(namespace, sel.configMap);
    return { ok: true, value: '' };
  }

  /** The cache-only view (`ForNamespace`). */
  forNamespace(namespace: string): AssetGetter {
    const read = (kind: 'secret' | 'configmap', sel: KeySelector): Read => {
      const got = this.#cache.get(`${kind}/${namespace}/${sel.name}`);
      if (got === undefined || !got.ok)
        return { ok: false, error: `${kind} ${namespace}/${sel.name} not found` };
      const value = got.data[sel.key];
      return value === undefined
        ? { ok: false, error: `key "${sel.key}" in ${kind} ${namespace}/${sel.name} not found` }
        : { ok: true, value };
    };
    return {
      secretKey: (sel) => read('secret', sel),
      configMapKey: (sel) => read('configmap', sel),
      secretOrConfigMapKey: (sel) => {
        if (sel.secret !== undefined) return read('secret', sel.secret);
        if (sel.configMap !== undefined) return read('configmap', sel.configMap);
        return { ok: true, value: '' };
      },
      tlsAsset: (sel) => {
        const ref = sel.secret ?? sel.configMap;
        const from = sel.secret !== undefined ? 0 : 1;
        return `${from}_${namespace}_${ref?.name ?? ''}_${ref?.key ?? ''}`;
      },
    };
  }
}
