import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { auditLog } from '../db/schema.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

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

export async function listAudit(tx: Tx, tenantId: string, entityType: string, entityId: string) {
  return tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}
