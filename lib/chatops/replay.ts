/**
 * Remembers the slash commands already accepted, so a replayed request (same `trigger_id`, within
 * the five-minute signature window) is acknowledged without running twice. The memory is this
 * Lambda container's: a replay that lands in another container is not caught here (the signature
 * window still bounds it to five minutes).
 */

export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly capacity: number;

  constructor(options: { ttlMs?: number; capacity?: number } = {}) {
    // A little more than the signature window: past it the signature check refuses the request.
    this.ttlMs = options.ttlMs ?? 6 * 60_000;
    this.capacity = options.capacity ?? 10_000;
  }

  /** True when `key` was accepted within the window. */
  has(key: string, nowMs: number): boolean {
    const expires = this.seen.get(key);
    return expires !== undefined && expires > nowMs;
  }

  /** Records `key` as accepted at `nowMs`. */
  add(key: string, nowMs: number): void {
    for (const [k, expires] of this.seen) {
      if (expires > nowMs && this.seen.size < this.capacity) break;
      this.seen.delete(k);
    }
    this.seen.set(key, nowMs + this.ttlMs);
  }

  /** Forgets `key` (the run could not be started, so a retry may run it). */
  delete(key: string): void {
    this.seen.delete(key);
  }
}
