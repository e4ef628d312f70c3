/**
 * Module-level caches that outlive one run: in a warm Lambda, the next invocation reuses the
 * assumed-role credentials, the DescribeCluster answer, the EKS token and the loaded kubeconfig
 * instead of asking AWS again. Each entry carries its own expiry; callers renew before it.
 */

interface Entry<V> {
  value: V;
  /** Milliseconds since the epoch after which the entry is not returned. */
  expiresAt: number;
}

/** A map whose entries expire. `get` never returns an expired entry. */
export class ExpiringCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  /** The value for `key` when it is still good at `now`. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.#entries.set(key, { value, expiresAt });
  }

  clear(): void {
    this.#entries.clear();
  }
}

const all: { clear(): void }[] = [];

/** A cache registered with {@link resetCredentialCache}. Call once, at module level. */
export function moduleCache<V>(): ExpiringCache<V> {
  const cache = new ExpiringCache<V>();
  all.push(cache);
  return cache;
}

/**
 * Forgets every cached credential, cluster description, token and kubeconfig. For tests, and for
 * a caller that knows the credentials changed (a rotated key).
 */
export function resetCredentialCache(): void {
  for (const cache of all) cache.clear();
}
