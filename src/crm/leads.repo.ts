import { randomUUID } from 'node:crypto';
import { and, eq, type SQL } from 'drizzle-orm';
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

/** Columns of a new lead's insert; LEAD_VALUES_SQL reads them from parameters $<base>..$<base+15>. */
export function leadInsertParams(id: string, l: NewLead, actor: string, now: Date): unknown[] {
  const status = l.status ?? 'new';
  const history: LeadStatusChange[] = [{ status, at: now.toISOString(), by: actor, assigneeId: l.assigneeId ?? null }];
  const at = now.toISOString();
  return [
    id, l.customerId, status, l.assigneeId ?? null, l.assigneeId ? at : null, status === 'claimed' ? at : null,
    l.sourceEventId ?? null, l.sourceChannel ?? null, JSON.stringify(l.utm ?? {}), l.intentLevel ?? null, l.urgencyLevel ?? null,
    l.priority ?? 1, JSON.stringify(history), at, actor,
  ];
}

export const LEAD_COLUMNS_SQL = `id, tenant_id, customer_id, status, assignee_id, assigned_at, claimed_at, source_event_id, source_channel, utm,
      intent_level, urgency_level, priority, status_history, created_at, updated_at`;
/** The values for LEAD_COLUMNS_SQL: tenant in $1, leadInsertParams from $<base>. */
export function leadValuesSql(base: number): string {
  const p = (i: number) => `$${base + i}`;
  return `${p(0)}::uuid, $1, ${p(1)}::uuid, ${p(2)}, ${p(3)}::uuid, ${p(4)}::timestamptz, ${p(5)}::timestamptz, ${p(6)}, ${p(7)}, ${p(8)}::jsonb, ` +
    `${p(9)}, ${p(10)}, ${p(11)}::real, ${p(12)}::jsonb, ${p(13)}::timestamptz, ${p(13)}::timestamptz`;
}
/** Its audit row: actor in $<base+14>. */
export function leadAuditSql(alias: string, base: number): string {
  return `insert into audit_log (tenant_id, actor, action, entity_type, entity_id, after)
    select $1, $${base + 14}, 'lead.create', 'lead', ${alias}.id::text, (select to_jsonb(x) from (select ${selectList(leads, alias)}) x) from ${alias}`;
}

// The lead and its audit row in one round trip.
const CREATE_LEAD = `with l as (
    insert into leads (${LEAD_COLUMNS_SQL}) values (${leadValuesSql(2)})
    returning *
  ), a as (${leadAuditSql('l', 2)})
  select ${selectList(leads, 'l')} from l`;

export async function createLead(tx: Tx, tenantId: string, l: NewLead, actor: string, now = new Date()): Promise<Lead> {
  const [row] = await runPrepared<Lead>(tx, 'kelu_create_lead', CREATE_LEAD, [tenantId, ...leadInsertParams(randomUUID(), l, actor, now)]);
  return row!;
}

export async function getLead(tx: Tx, tenantId: string, id: string): Promise<Lead | null> {
  const [row] = await tx.select().from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, id)));
  return row ?? null;
}

export async function listLeads(tx: Tx, tenantId: string, f: { status?: LeadStatus; assigneeId?: string; visible?: SQL }, page: PageRequest): Promise<Page<Lead>> {
  const conds = [eq(leads.tenantId, tenantId)];
  if (f.visible) conds.push(f.visible);
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
