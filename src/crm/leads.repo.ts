import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { leads, type LeadStatus, type LeadStatusChange } from '../db/schema.js';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './pagination.js';
import { recordAudit } from './audit.repo.js';

export type Lead = typeof leads.$inferSelect;

export interface NewLead {
  customerId: string;
  status?: LeadStatus;
  assigneeId?: string | null;
  sourceEventId?: string | null;
  sourceChannel?: string | null;
  utm?: Record<string, string>;
  intentLevel?: string | null;
  urgencyLevel?: string | null;
}

export async function createLead(tx: Tx, tenantId: string, l: NewLead, actor: string, now = new Date()): Promise<Lead> {
  const status = l.status ?? 'new';
  const history: LeadStatusChange[] = [{ status, at: now.toISOString(), by: actor, assigneeId: l.assigneeId ?? null }];
  const [row] = await tx
    .insert(leads)
    .values({
      tenantId,
      customerId: l.customerId,
      status,
      assigneeId: l.assigneeId ?? null,
      assignedAt: l.assigneeId ? now : null,
      claimedAt: status === 'claimed' ? now : null,
      sourceEventId: l.sourceEventId ?? null,
      sourceChannel: l.sourceChannel ?? null,
      utm: l.utm ?? {},
      intentLevel: l.intentLevel ?? null,
      urgencyLevel: l.urgencyLevel ?? null,
      statusHistory: history,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(tx, tenantId, { actor, action: 'lead.create', entityType: 'lead', entityId: row!.id, after: row });
  return row!;
}

export async function getLead(tx: Tx, tenantId: string, id: string): Promise<Lead | null> {
  const [row] = await tx.select().from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, id)));
  return row ?? null;
}

export async function listLeads(tx: Tx, tenantId: string, f: { status?: LeadStatus; assigneeId?: string }, page: PageRequest): Promise<Page<Lead>> {
  const conds = [eq(leads.tenantId, tenantId)];
  if (f.status) conds.push(eq(leads.status, f.status));
  if (f.assigneeId) conds.push(eq(leads.assigneeId, f.assigneeId));
  const c = afterCursor(leads.createdAt, leads.id, page.cursor);
  if (c) conds.push(c);
  const rows = await tx.select().from(leads).where(and(...conds)).orderBy(...newestFirst(leads.createdAt, leads.id)).limit(page.limit + 1);
  return toPage(rows, page.limit);
}

/** Moves a lead to a status, appending to its history, in the caller's transaction. */
export async function changeLeadStatus(
  tx: Tx,
  tenantId: string,
  id: string,
  change: { status: LeadStatus; by: string; assigneeId?: string | null; note?: string },
  now = new Date(),
): Promise<Lead | null> {
  const [before] = await tx.select().from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, id))).for('update');
  if (!before) return null;
  const assigneeId = change.assigneeId === undefined ? before.assigneeId : change.assigneeId;
  const entry: LeadStatusChange = { status: change.status, at: now.toISOString(), by: change.by, assigneeId, ...(change.note ? { note: change.note } : {}) };
  const [after] = await tx
    .update(leads)
    .set({
      status: change.status,
      assigneeId,
      assignedAt: assigneeId !== before.assigneeId ? now : before.assignedAt,
      claimedAt: change.status === 'claimed' ? now : before.claimedAt,
      statusHistory: [...before.statusHistory, entry],
      updatedAt: now,
    })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, id)))
    .returning();
  await recordAudit(tx, tenantId, { actor: change.by, action: `lead.${change.status}`, entityType: 'lead', entityId: id, before, after });
  return after ?? null;
}
