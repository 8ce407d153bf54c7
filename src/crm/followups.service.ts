import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { tasks, timers } from '../db/schema.js';
import { completeTask, createTask, type Task } from './tasks.repo.js';
import { scheduleTimer } from './timers.repo.js';
import { REMIND_TIMER } from './capture.service.js';
import { recordAudit } from './audit.repo.js';
import { conflict, notFound } from '../lib/errors.js';

const REMIND_BEFORE_MS = 30 * 60_000;

/** When a follow-up reminds its assignee: 30 minutes before, or 09:00 that day for a date without a time (dueAt is 00:00 local). */
function remindAt(dueAt: Date, allDay: boolean, now: Date): Date {
  const at = allDay ? new Date(dueAt.getTime() + 9 * 3600_000) : new Date(dueAt.getTime() - REMIND_BEFORE_MS);
  return at < now ? now : at;
}

/** A follow-up task on a customer, reminded in chat like the ones capture creates. */
export async function addFollowUp(
  tx: Tx, tenantId: string,
  f: { customerId: string; leadId?: string | null; assigneeId: string | null; title: string; dueAt: Date; allDay: boolean; source?: string },
  actor: string, now: Date,
): Promise<Task> {
  const t = await createTask(tx, tenantId, {
    kind: 'follow_up', title: f.title, assigneeId: f.assigneeId, customerId: f.customerId, leadId: f.leadId ?? null, dueAt: f.dueAt,
    payload: { allDay: f.allDay, ...(f.source ? { source: f.source } : {}) },
  }, actor);
  await scheduleTimer(tx, tenantId, { kind: REMIND_TIMER, refId: t.id, fireAt: remindAt(f.dueAt, f.allDay, now), payload: { taskId: t.id } });
  await recordAudit(tx, tenantId, { actor, action: 'task.create', entityType: 'task', entityId: t.id, after: { customerId: f.customerId, title: f.title, dueAt: f.dueAt.toISOString() } });
  return t;
}

/** The customer's tasks: open ones by due date, then the last closed ones. */
export async function customerTasks(tx: Tx, tenantId: string, customerId: string, limit = 50): Promise<Task[]> {
  return tx.select().from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, customerId), inArray(tasks.kind, ['follow_up'])))
    .orderBy(sql`case when ${tasks.status} = 'open' then 0 else 1 end`, asc(tasks.dueAt), asc(tasks.createdAt))
    .limit(limit);
}

async function openTaskOf(tx: Tx, tenantId: string, customerId: string, id: string): Promise<Task> {
  const [t] = await tx.select().from(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, customerId), eq(tasks.id, id))).for('update');
  if (!t) throw notFound('task');
  if (t.status !== 'open') throw conflict('task_closed', 'this task is already closed');
  return t;
}

/** Moves an open follow-up; its reminder moves with it. */
export async function rescheduleFollowUp(tx: Tx, tenantId: string, customerId: string, id: string, dueAt: Date, allDay: boolean, actor: string, now: Date): Promise<Task> {
  const before = await openTaskOf(tx, tenantId, customerId, id);
  const [row] = await tx.update(tasks)
    .set({ dueAt, payload: sql`${tasks.payload} || ${JSON.stringify({ allDay })}::jsonb`, updatedAt: now })
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id))).returning();
  await tx.update(timers)
    .set({ fireAt: remindAt(dueAt, allDay, now), status: 'pending' })
    .where(and(eq(timers.tenantId, tenantId), eq(timers.kind, REMIND_TIMER), eq(timers.refId, id)));
  await recordAudit(tx, tenantId, { actor, action: 'task.reschedule', entityType: 'task', entityId: id, before: { dueAt: before.dueAt?.toISOString() ?? null }, after: { dueAt: dueAt.toISOString() } });
  return row!;
}

/** Completes an open follow-up; its pending reminder is cancelled. */
export async function completeFollowUp(tx: Tx, tenantId: string, customerId: string, id: string, userId: string): Promise<Task> {
  await openTaskOf(tx, tenantId, customerId, id);
  const done = await completeTask(tx, tenantId, id, userId, { via: 'sidebar' });
  if (!done) throw conflict('task_closed', 'this task is already closed');
  await tx.update(timers).set({ status: 'cancelled' })
    .where(and(eq(timers.tenantId, tenantId), eq(timers.kind, REMIND_TIMER), eq(timers.refId, id), eq(timers.status, 'pending')));
  return done;
}
