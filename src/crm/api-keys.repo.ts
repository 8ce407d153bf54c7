import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { apiKeys, type ApiKeyScope } from '../db/schema.js';
import { recordAudit } from './audit.repo.js';


export type ApiKey = typeof apiKeys.$inferSelect;

// kelu_<prefix>_<secret>: the prefix finds the row, the secret is checked against its SHA-256.
const KEY_SHAPE = /^kelu_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function hash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('kelu_');
}

/** Creates a key; the whole key is returned this once and never stored. */
export async function createApiKey(tx: Tx, tenantId: string, k: { name: string; scope: ApiKeyScope }, actor: string): Promise<{ key: string; row: ApiKey }> {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const [row] = await tx.insert(apiKeys).values({ tenantId, name: k.name, scope: k.scope, prefix, secretHash: hash(secret), createdBy: actor }).returning();
  await recordAudit(tx, tenantId, { actor, action: 'key.create', entityType: 'api_key', entityId: row!.id, after: { name: k.name, scope: k.scope, prefix } });
  return { key: `kelu_${prefix}_${secret}`, row: row! };
}

export async function listApiKeys(tx: Tx, tenantId: string): Promise<ApiKey[]> {
  return tx.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
}

/** Revokes a key of this tenant; false when there is no such live key. */
export async function revokeApiKey(tx: Tx, tenantId: string, id: string, actor: string): Promise<boolean> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) return false;
  await recordAudit(tx, tenantId, { actor, action: 'key.revoke', entityType: 'api_key', entityId: id, before: { name: row.name, scope: row.scope, prefix: row.prefix } });
  return true;
}

/** The live key a presented token proves, or why not. */
export async function verifyApiKey(tx: Tx, token: string): Promise<{ ok: true; key: ApiKey } | { ok: false; reason: 'invalid' | 'revoked' }> {
  const m = KEY_SHAPE.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.prefix, m[1]!));
  if (!row) return { ok: false, reason: 'invalid' };
  const a = Buffer.from(row.secretHash, 'hex');
  const b = Buffer.from(hash(m[2]!), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'invalid' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  return { ok: true, key: row };
}

export async function markApiKeyUsed(tx: Tx, id: string, at = new Date()): Promise<void> {
  await tx.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}
