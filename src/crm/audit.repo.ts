import { and, asc, desc, eq, gte, like, lt, lte, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { auditLog } from '../db/schema.js';
import { badRequest } from '../lib/errors.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export type AuditRow = typeof auditLog.$inferSelect;

export async function recordAudit(tx: Tx, tenantId: string, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId,
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
  });
}

/** Like recordAudit, for callers that may name a tenant that does not exist (then nothing is written). */
export async function recordAuditIfTenant(tx: Tx, tenantId: string, e: AuditEntry): Promise<void> {
  await tx.execute(sql`insert into audit_log (tenant_id, actor, action, entity_type, entity_id, before, after)
    select ${tenantId}, ${e.actor}, ${e.action}, ${e.entityType}, ${e.entityId}, ${JSON.stringify(e.before ?? null)}::jsonb, ${JSON.stringify(e.after ?? null)}::jsonb
    where exists (select 1 from tenants where tenant_id = ${tenantId})`);
}

export async function listAudit(tx: Tx, tenantId: string, entityType: string, entityId: string) {
  return tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}

export interface AuditFilter {
  actor?: string;
  entityType?: string;
  entityId?: string;
  /** An exact action, or a prefix ending in '.' or '*' (user.* matches user.create, user.bind...). */
  action?: string;
  since?: Date;
  until?: Date;
}

/** A tenant's audit rows, newest first, by id cursor. */
export async function queryAudit(tx: Tx, tenantId: string, f: AuditFilter, page: { cursor?: string; limit: number }): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const conds = [eq(auditLog.tenantId, tenantId)];
  if (f.actor) conds.push(eq(auditLog.actor, f.actor));
  if (f.entityType) conds.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.action) {
    const prefix = f.action.endsWith('*') ? f.action.slice(0, -1) : f.action.endsWith('.') ? f.action : null;
    conds.push(prefix !== null ? like(auditLog.action, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : eq(auditLog.action, f.action));
  }
  if (f.since) conds.push(gte(auditLog.at, f.since));
  if (f.until) conds.push(lte(auditLog.at, f.until));
  if (page.cursor) {
    if (!/^\d{1,18}$/.test(page.cursor)) throw badRequest('invalid_cursor', 'cursor is not one this API issued');
    conds.push(lt(auditLog.id, Number(page.cursor)));
  }
  const rows = await tx.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? String(items[items.length - 1]!.id) : null };
}
