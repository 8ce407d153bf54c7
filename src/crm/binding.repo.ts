import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { bindingTokens } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import { recordAudit } from './audit.repo.js';
import { addUserAccount, getUser, type PlatformAccount, type User } from './users.repo.js';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const BINDING_TTL_MS = 7 * 24 * 3600 * 1000;

/** A one-time binding link's token for a user; earlier unused links of that user stop working. */
export async function issueBindingToken(tx: Tx, tenantId: string, userId: string, actor: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  await tx.update(bindingTokens).set({ usedAt: now }).where(and(eq(bindingTokens.tenantId, tenantId), eq(bindingTokens.userId, userId), isNull(bindingTokens.usedAt)));
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + BINDING_TTL_MS);
  await tx.insert(bindingTokens).values({ tenantId, userId, tokenHash: hash(token), createdBy: actor, expiresAt });
  await recordAudit(tx, tenantId, { actor, action: 'user.binding_link', entityType: 'user', entityId: userId, after: { expiresAt: expiresAt.toISOString() } });
  return { token, expiresAt };
}

/** The link's tenant and user, or the reason it no longer works (404 unknown, 410 used or expired). */
export async function peekBindingToken(tx: Tx, token: string, now = new Date(), forUpdate = false): Promise<{ tenantId: string; userId: string; id: string }> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) throw new AppError('binding_link_invalid', 'this binding link is not valid', 404);
  const q = tx.select().from(bindingTokens).where(eq(bindingTokens.tokenHash, hash(token)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw new AppError('binding_link_invalid', 'this binding link is not valid', 404);
  if (row.usedAt) throw new AppError('binding_link_used', 'this binding link has been used already; ask your administrator for a new one', 410);
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError('binding_link_expired', 'this binding link has expired; ask your administrator for a new one', 410);
  return { tenantId: row.tenantId, userId: row.userId, id: row.id };
}

/**
 * Redeems a link: binds the accounts to its user and spends the link, all or nothing. An account
 * bound to someone else is refused (409) and the link stays usable.
 */
export async function redeemBindingToken(tx: Tx, token: string, accounts: PlatformAccount[], tenantOfAccounts: string, now = new Date()): Promise<User> {
  const t = await peekBindingToken(tx, token, now, true);
  if (t.tenantId !== tenantOfAccounts) throw new AppError('binding_link_invalid', 'this binding link is for another company', 404);
  const user = await getUser(tx, t.tenantId, t.userId);
  if (!user || !user.active) throw new AppError('user_inactive', 'this user is no longer active', 409);
  for (const a of accounts) await addUserAccount(tx, t.tenantId, t.userId, a, `user:${t.userId}`);
  await tx.update(bindingTokens).set({ usedAt: now }).where(eq(bindingTokens.id, t.id));
  await recordAudit(tx, t.tenantId, { actor: `user:${t.userId}`, action: 'user.bind', entityType: 'user', entityId: t.userId, after: { accounts: accounts.map((a) => ({ platform: a.platform, kind: a.kind })) } });
  return (await getUser(tx, t.tenantId, t.userId))!;
}
