import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { tenants } from '../db/schema.js';
import { recordAudit } from './audit.repo.js';

export type Tenant = typeof tenants.$inferSelect;

export async function getTenant(tx: Tx, tenantId: string): Promise<Tenant | null> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.tenantId, tenantId));
  return row ?? null;
}

export async function listTenants(tx: Tx): Promise<Tenant[]> {
  return tx.select().from(tenants).orderBy(tenants.createdAt);
}

export async function upsertTenant(tx: Tx, t: { tenantId: string; name: string; timeZone?: string }, actor: string): Promise<{ tenant: Tenant; created: boolean }> {
  const before = await getTenant(tx, t.tenantId);
  const [row] = await tx
    .insert(tenants)
    .values({ tenantId: t.tenantId, name: t.name, timeZone: t.timeZone ?? 'Asia/Shanghai' })
    .onConflictDoUpdate({ target: tenants.tenantId, set: { name: t.name, ...(t.timeZone ? { timeZone: t.timeZone } : {}), updatedAt: new Date() } })
    .returning();
  if (!before) await recordAudit(tx, t.tenantId, { actor, action: 'tenant.create', entityType: 'tenant', entityId: t.tenantId, after: { name: t.name } });
  return { tenant: row!, created: !before };
}

/** Stores one channel's sealed credentials; the caller seals (crm never sees a secret in the clear). */
export async function setChannelCredentials(tx: Tx, tenantId: string, platform: string, sealed: string, actor: string): Promise<void> {
  await tx
    .update(tenants)
    .set({ channels: sql`${tenants.channels} || jsonb_build_object(${platform}::text, ${sealed}::text)`, updatedAt: new Date() })
    .where(eq(tenants.tenantId, tenantId));
  // The audit row says that credentials changed, never what they are.
  await recordAudit(tx, tenantId, { actor, action: 'tenant.channel.set', entityType: 'tenant', entityId: tenantId, after: { platform } });
}

/** Removes one channel's credentials; false when the tenant had none for that platform. */
export async function removeChannelCredentials(tx: Tx, tenantId: string, platform: string, actor: string): Promise<boolean> {
  const rows = await tx
    .update(tenants)
    .set({ channels: sql`${tenants.channels} - ${platform}::text`, updatedAt: new Date() })
    .where(and(eq(tenants.tenantId, tenantId), sql`${tenants.channels} ? ${platform}::text`))
    .returning({ id: tenants.tenantId });
  if (rows.length === 0) return false;
  await recordAudit(tx, tenantId, { actor, action: 'tenant.channel.remove', entityType: 'tenant', entityId: tenantId, after: { platform } });
  return true;
}

/** Tenants holding credentials for a platform (long-lived connections open one link each). */
export async function listTenantsWithChannel(tx: Tx, platform: string): Promise<string[]> {
  const rows = await tx.select({ id: tenants.tenantId }).from(tenants).where(sql`${tenants.channels} ? ${platform}::text`).orderBy(tenants.createdAt);
  return rows.map((r) => r.id);
}

export async function updateTenantSettings(tx: Tx, tenantId: string, key: string, value: unknown, actor: string): Promise<void> {
  const before = await getTenant(tx, tenantId);
  await tx
    .update(tenants)
    .set({ settings: sql`${tenants.settings} || jsonb_build_object(${key}::text, ${JSON.stringify(value)}::jsonb)`, updatedAt: new Date() })
    .where(eq(tenants.tenantId, tenantId));
  await recordAudit(tx, tenantId, { actor, action: `tenant.settings.${key}`, entityType: 'tenant', entityId: tenantId, before: before?.settings[key] ?? null, after: value });
}
