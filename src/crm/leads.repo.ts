import { and, eq } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
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
  /** Source weight x intent (default 1). */
  priority?: number;
}

// The lead and its audit row in one round trip.
const CREATE_LEAD = `with l as (
    insert into leads (tenant_id, customer_id, status, assignee_id, assigned_at, claimed_at, source_event_id, source_channel, utm,
      intent_level, urgency_level, priority, status_history, created_at, updated_at)
    values ($1, $2::uuid, $3, $4::uuid, $5::timestamptz, $6::timestamptz, $7, $8, $9::jsonb, $10, $11, $12::real, $13::jsonb, $14::timestamptz, $14::timestamptz)
    returning *
  ), a as (
    insert into audit_log (tenant_id, actor, action, entity_type, entity_id, after)
    select $1, $15, 'lead.create', 'lead', l.id::text, (select to_jsonb(x) from (select ${selectList(leads, 'l')}) x) from l
  )
  select ${selectList(leads, 'l')} from l`;

export async function createLead(tx: Tx, tenantId: string, l: NewLead, actor: string, now = new Date()): Promise<Lead> {
  const status = l.status ?? 'new';
  const history: LeadStatusChange[] = [{ status, at: now.toISOString(), by: actor, assigneeId: l.assigneeId ?? null }];
  const at = now.toISOString();
  const [row] = await runPrepared<Lead>(tx, 'kelu_create_lead', CREATE_LEAD, [
    tenantId, l.customerId, status, l.assigneeId ?? null, l.assigneeId ? at : null, status === 'claimed' ? at : null,
    l.sourceEventId ?? null, l.sourceChannel ?? null, JSON.stringify(l.utm ?? {}), l.intentLevel ?? null, l.urgencyLevel ?? null,
    l.priority ?? 1, JSON.stringify(history), at, actor,
  ]);
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
