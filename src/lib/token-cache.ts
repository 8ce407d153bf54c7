import NodeCache from 'node-cache';

/** Where tokens live between processes (the database). */
export interface TokenStore {
  load(key: TokenKey): Promise<{ value: string; expiresAt: Date } | null>;
  save(key: TokenKey, value: string, expiresAt: Date): Promise<void>;
  /** Runs fn while holding a cross-instance lock for this key (so one instance refreshes). */
  withLock<T>(key: TokenKey, fn: () => Promise<T>): Promise<T>;
  /** Drops a token the platform rejected, but only if it is still that one. */
  discard(key: TokenKey, value: string): Promise<void>;
}

export interface TokenKey {
  tenantId: string;
  platform: string;
  kind: string;
}

export interface FetchedToken {
  value: string;
  expiresInSeconds: number;
}

/**
 * Access tokens and tickets: node-cache in process, the database across instances.
 * A token is refreshed ahead of expiry, by one instance at a time, and once more on demand
 * when the platform says it is invalid.
 */
export class TokenCache {
  private readonly mem = new NodeCache({ useClones: false, checkperiod: 60 });
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly store: TokenStore,
    private readonly refreshAheadMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: TokenKey, fetch: () => Promise<FetchedToken>): Promise<string> {
    const id = keyId(key);
    const hit = this.mem.get<{ value: string; expiresAt: number }>(id);
    if (hit && hit.expiresAt - this.refreshAheadMs > this.now()) return hit.value;
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.refresh(key, fetch).finally(() => this.inflight.delete(id));
    this.inflight.set(id, p);
    return p;
  }

  /** The platform rejected `value` (expired or revoked): forget it everywhere. */
  async invalidate(key: TokenKey, value: string): Promise<void> {
    const id = keyId(key);
    const hit = this.mem.get<{ value: string }>(id);
    if (hit?.value === value) this.mem.del(id);
    await this.store.discard(key, value);
  }

  /** Credentials changed: whatever was cached under this key belongs to the old ones. */
  async forget(key: TokenKey): Promise<void> {
    this.mem.del(keyId(key));
    const stored = await this.store.load(key);
    if (stored) await this.store.discard(key, stored.value);
  }

  private async refresh(key: TokenKey, fetch: () => Promise<FetchedToken>): Promise<string> {
    const fresh = (t: { expiresAt: Date } | null): t is { value: string; expiresAt: Date } =>
      !!t && t.expiresAt.getTime() - this.refreshAheadMs > this.now();
    const stored = await this.store.load(key);
    if (fresh(stored)) return this.remember(key, stored.value, stored.expiresAt);
    return this.store.withLock(key, async () => {
      // Another instance may have refreshed while we waited for the lock.
      const again = await this.store.load(key);
      if (fresh(again)) return this.remember(key, again.value, again.expiresAt);
      const t = await fetch();
      const expiresAt = new Date(this.now() + t.expiresInSeconds * 1000);
      await this.store.save(key, t.value, expiresAt);
      return this.remember(key, t.value, expiresAt);
    });
  }

  private remember(key: TokenKey, value: string, expiresAt: Date): string {
    const ttl = Math.max(1, Math.floor((expiresAt.getTime() - this.now()) / 1000));
    this.mem.set(keyId(key), { value, expiresAt: expiresAt.getTime() }, ttl);
    return value;
  }
}

function keyId(k: TokenKey): string {
  return `${k.tenantId}\u0000${k.platform}\u0000${k.kind}`;
}
