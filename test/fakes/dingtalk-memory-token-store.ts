import type { TokenKey, TokenStore } from '../../src/lib/token-cache.js';

/** TokenStore in a Map, for DingTalk adapter tests (one process, so the lock is a promise chain). */
export class DingtalkMemoryTokenStore implements TokenStore {
  readonly saved: { key: TokenKey; value: string }[] = [];
  private readonly rows = new Map<string, { value: string; expiresAt: Date }>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async load(key: TokenKey) {
    return this.rows.get(id(key)) ?? null;
  }

  async save(key: TokenKey, value: string, expiresAt: Date) {
    this.saved.push({ key, value });
    this.rows.set(id(key), { value, expiresAt });
  }

  async withLock<T>(key: TokenKey, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id(key)) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(fn);
    this.locks.set(id(key), run);
    return run;
  }

  async discard(key: TokenKey, value: string) {
    if (this.rows.get(id(key))?.value === value) this.rows.delete(id(key));
  }
}

function id(k: TokenKey): string {
  return `${k.tenantId}|${k.platform}|${k.kind}`;
}
