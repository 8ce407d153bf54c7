import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { platformTokens } from './schema.js';
import type { TokenKey, TokenStore } from '../lib/token-cache.js';
import type { SecretBox } from '../lib/secret-box.js';

/** Tokens sealed at rest; a transaction-scoped advisory lock serializes refreshes across instances. */
export function createDbTokenStore(database: Database, box: SecretBox): TokenStore {
  const where = (k: TokenKey) =>
    and(eq(platformTokens.tenantId, k.tenantId), eq(platformTokens.platform, k.platform), eq(platformTokens.kind, k.kind));
  const local = new Map<string, Promise<unknown>>();
  return {
    async load(k) {
      const [row] = await database.db.select().from(platformTokens).where(where(k));
      if (!row) return null;
      try {
        return { value: box.open(row.value), expiresAt: row.expiresAt };
      } catch {
        return null; // sealed with another master key: fetch anew
      }
    },
    async save(k, value, expiresAt) {
      const sealed = box.seal(value);
      await database.db
        .insert(platformTokens)
        .values({ ...k, value: sealed, expiresAt })
        .onConflictDoUpdate({ target: [platformTokens.tenantId, platformTokens.platform, platformTokens.kind], set: { value: sealed, expiresAt, updatedAt: new Date() } });
    },
    async discard(k, value) {
      const current = await this.load(k);
      if (current?.value === value) await database.db.delete(platformTokens).where(where(k));
    },
    async withLock(k, fn) {
      if (database.kind === 'pglite') {
        // One process owns an embedded database: an in-process chain is the whole lock, and
        // holding a PGlite transaction across an HTTP call would stall every other query.
        const id = `${k.tenantId}/${k.platform}/${k.kind}`;
        const prev = local.get(id) ?? Promise.resolve();
        const run = prev.then(fn, fn);
        local.set(id, run.catch(() => undefined));
        return run;
      }
      return database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`token:${k.tenantId}:${k.platform}:${k.kind}`}))`);
        return fn();
      });
    },
  };
}
