import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customers, leads, tasks, users } from '../db/schema.js';
import { AppError, notFound } from '../lib/errors.js';
import { changeLeadStatus } from './leads.repo.js';
import { cancelTimers } from './timers.repo.js';
import { CLAIM_TIMER } from './assignment.service.js';
import { recordAudit } from './audit.repo.js';
import { getUser, type Role, type User } from './users.repo.js';

export interface HandoverCounts {
  customers: number;
  leads: number;
  tasks: number;
}

export interface Handover {
  user: User;
  counts: HandoverCounts;
  /** Leads put back to assignment (handover to nobody): the caller routes them in the same transaction. */
  unassignedLeadIds: string[];
}

const OPEN_LEAD = ['new', 'assigned', 'claimed', 'contacted', 'qualified'] as const;

/**
 * 离职: deactivates a user and, in the same transaction, hands their customers, open leads and open
 * tasks to `to` (an active user of the tenant), or with `to` null puts them back to assignment
 * (customers ownerless, leads unassigned and new, tasks unassigned). Only owners and assignees
 * change: tags, notes, interactions and history stay as they are. Their sessions end at once (the
 * session check reads `active`).
 */
export async function deactivateUser(tx: Tx, tenantId: string, userId: string, to: string | null, actor: string, now = new Date()): Promise<Handover> {
  const [row] = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))).for('update');
  if (!row) throw notFound('user');
  if (!row.active) throw new AppError('user_inactive', 'this user is already deactivated', 409);
  if (to === userId) throw new AppError('invalid_handover', 'hand over to someone else', 400);
  if (to) {
    const target = await getUser(tx, tenantId, to);
    if (!target || !target.active) throw new AppError('invalid_handover', 'the receiving user is not an active user of this tenant', 400);
  }

  const owned = await tx.update(customers).set({ ownerId: to, updatedAt: now })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.ownerId, userId))).returning({ id: customers.id });

  const open = await tx.select({ id: leads.id, status: leads.status }).from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.assigneeId, userId), inArray(leads.status, [...OPEN_LEAD])));
  for (const l of open) {
    await cancelTimers(tx, tenantId, CLAIM_TIMER, `${l.id}:`);
    await changeLeadStatus(tx, tenantId, l.id, { status: to ? l.status : 'new', by: actor, assigneeId: to, note: 'handover' }, now);
  }

  const moved = await tx.update(tasks).set({ assigneeId: to, updatedAt: now })
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.assigneeId, userId), eq(tasks.status, 'open'))).returning({ id: tasks.id });

  await tx.update(users).set({ active: false, onDuty: false, updatedAt: now }).where(eq(users.id, userId));
  const counts = { customers: owned.length, leads: open.length, tasks: moved.length };
  await recordAudit(tx, tenantId, { actor, action: 'user.deactivate', entityType: 'user', entityId: userId, before: { active: true }, after: { active: false, handoverTo: to, ...counts } });
  return { user: (await getUser(tx, tenantId, userId))!, counts, unassignedLeadIds: to ? [] : open.map((l) => l.id) };
}

export async function changeRole(tx: Tx, tenantId: string, userId: string, role: Role, actor: string): Promise<User> {
  const before = await getUser(tx, tenantId, userId);
  if (!before) throw notFound('user');
  if (before.role !== role) {
    await tx.update(users).set({ role, updatedAt: new Date() }).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    await recordAudit(tx, tenantId, { actor, action: 'user.role', entityType: 'user', entityId: userId, before: { role: before.role }, after: { role } });
  }
  return (await getUser(tx, tenantId, userId))!;
}

/** What the user holds now (the console shows it before a deactivation). */
export async function holdings(tx: Tx, tenantId: string, userId: string): Promise<HandoverCounts> {
  const one = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const [c, l, t] = await Promise.all([
    one(tx.select({ n: sql<number>`count(*)::int` }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.ownerId, userId)))),
    one(tx.select({ n: sql<number>`count(*)::int` }).from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.assigneeId, userId), inArray(leads.status, [...OPEN_LEAD])))),
    one(tx.select({ n: sql<number>`count(*)::int` }).from(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.assigneeId, userId), eq(tasks.status, 'open')))),
  ]);
  return { customers: c, leads: l, tasks: t };
}
