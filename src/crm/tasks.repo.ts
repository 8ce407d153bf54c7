import { and, eq, sql } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
import { tasks } from '../db/schema.js';
import { recordAudit } from './audit.repo.js';

export type Task = typeof tasks.$inferSelect;
export type NewTask = Pick<typeof tasks.$inferInsert, 'kind' | 'title' | 'assigneeId' | 'customerId' | 'leadId' | 'dueAt' | 'status' | 'payload'>;

const INSERT_TASK = `insert into tasks (tenant_id, kind, title, assignee_id, customer_id, lead_id, due_at, status, payload)
  values ($1, $2, coalesce($3, ''), $4, $5, $6, $7::timestamptz, coalesce($8, 'open'), coalesce($9::jsonb, '{}'::jsonb))
  returning ${selectList(tasks)}`;

/** Tasks are created by the system as a side effect of audited actions; their completion is audited. */
export async function createTask(tx: Tx, tenantId: string, t: NewTask, _actor: string): Promise<Task> {
  const [row] = await runPrepared<Task>(tx, 'kelu_task_insert', INSERT_TASK, [
    tenantId, t.kind, t.title ?? null, t.assigneeId ?? null, t.customerId ?? null, t.leadId ?? null,
    t.dueAt ? t.dueAt.toISOString() : null, t.status ?? null, t.payload === undefined ? null : JSON.stringify(t.payload),
  ]);
  return row!;
}

export async function getTask(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<Task | null> {
  const q = tx.select().from(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

/** Closes an open task; returns null when someone else closed it first (the first action wins). */
export async function completeTask(tx: Tx, tenantId: string, id: string, by: string | null, outcome: Record<string, unknown>, status: 'done' | 'cancelled' = 'done'): Promise<Task | null> {
  const [row] = await tx
    .update(tasks)
    .set({ status, doneBy: by, doneAt: new Date(), payload: sql`${tasks.payload} || ${JSON.stringify({ outcome })}::jsonb`, updatedAt: new Date() })
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning();
  if (row) await recordAudit(tx, tenantId, { actor: by ?? 'system', action: `task.${status}`, entityType: 'task', entityId: id, after: outcome });
  return row ?? null;
}

/** Remembers where a card was shown (per recipient), e.g. the code needed to update it later. */
export async function addCardRef(tx: Tx, tenantId: string, id: string, ref: Record<string, unknown>): Promise<void> {
  await tx
    .update(tasks)
    .set({ cardRefs: sql`${tasks.cardRefs} || ${JSON.stringify([ref])}::jsonb` })
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
}
