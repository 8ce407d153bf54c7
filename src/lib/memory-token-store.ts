import type { TokenKey, TokenStore } from './token-cache.js';

/** An in-process TokenStore (tests, and the playground's fake platforms): a Map plus a per-key promise chain as the lock. */
export class MemoryTokenStore implements TokenStore {
  readonly rows = new Map<string, { value: string; expiresAt: Date }>();
  readonly discarded: string[] = [];
  private readonly locks = new Map<string, Promise<unknown>>();

  async load(key: TokenKey) {
    return this.rows.get(id(key)) ?? null;
  }

  async save(key: TokenKey, value: string, expiresAt: Date) {
    this.rows.set(id(key), { value, expiresAt });
  }

  async discard(key: TokenKey, value: string) {
    if (this.rows.get(id(key))?.value === value) {
      this.rows.delete(id(key));
      this.discarded.push(value);
    }
  }

  async withLock<T>(key: TokenKey, fn: () => Promise<T>): Promise<T> {
    const k = id(key);
    const run = (this.locks.get(k) ?? Promise.resolve()).then(fn, fn);
    this.locks.set(k, run.catch(() => undefined));
    return run;
  }
}

function id(k: TokenKey): string {
  return `${k.tenantId}/${k.platform}/${k.kind}`;
}
