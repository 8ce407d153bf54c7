import Router from '@koa/router';
import { z } from 'zod';
import { and, desc, eq, notInArray } from 'drizzle-orm';
import { readJsonBody } from '../lib/body.js';
import { badRequest } from '../lib/errors.js';
import { parseWith, uuidParam } from '../api/params.js';
import { presentCustomer, presentInteraction } from '../api/present.js';
import { leads } from '../db/schema.js';
import { listInteractions } from '../crm/interactions.repo.js';
import { getUser } from '../crm/users.repo.js';
import { editCustomer, resolveConflict } from '../crm/customer-edit.service.js';
import { addFollowUp, completeFollowUp, customerTasks, rescheduleFollowUp } from '../crm/followups.service.js';
import type { Task } from '../crm/tasks.repo.js';
import { SIDEBAR_BODY_LIMIT, seenCustomer, type Seen, type SidebarDeps } from './sidebar.context.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const editBody = z.object({
  name: text(50).nullable().optional(),
  title: text(30).nullable().optional(),
  company: text(100).nullable().optional(),
  tags: z.array(text(20)).max(20).optional(),
}).strict().refine((b) => Object.keys(b).length > 0, 'nothing to change');
const conflictBody = z.object({ field: text(30), keep: z.array(text(200)).min(1).max(5) }).strict();
const due = z.string().datetime({ offset: true });
const taskBody = z.object({ title: text(200), dueAt: due, allDay: z.boolean().default(false) }).strict();
const rescheduleBody = z.object({ dueAt: due, allDay: z.boolean().default(false) }).strict();

function taskView(t: Task) {
  return { id: t.id, title: t.title, status: t.status, dueAt: t.dueAt?.toISOString() ?? null, allDay: t.payload.allDay === true, assigneeId: t.assigneeId, doneAt: t.doneAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString() };
}

/** The customer panel: who this is (masked by role), what happened, and follow-ups to add, move and complete. */
export function customerRouter(deps: SidebarDeps): Router {
  const r = new Router({ prefix: '/api/v1/sidebar/customers/:id' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const limit = deps.bodyLimitBytes ?? SIDEBAR_BODY_LIMIT;
  const view = async (s: Seen) => {
    const c = s.customer;
    const [owner, timeline, tasks, [lead]] = await Promise.all([
      c.ownerId === s.p.user.id ? s.p.user : c.ownerId ? getUser(db, s.p.tenantId, c.ownerId) : null,
      listInteractions(db, s.p.tenantId, c.id, { limit: 30 }),
      customerTasks(db, s.p.tenantId, c.id),
      db.select().from(leads).where(and(eq(leads.tenantId, s.p.tenantId), eq(leads.customerId, c.id), notInArray(leads.status, ['won', 'lost']))).orderBy(desc(leads.createdAt)).limit(1),
    ]);
    return {
      customer: {
        ...presentCustomer(c, s.viewer),
        ownerName: owner?.name ?? null,
        mine: c.ownerId === s.p.user.id,
        manualFields: c.manualFields,
        budget: typeof c.customFields.budget === 'string' ? c.customFields.budget : null,
      },
      lead: lead ? { id: lead.id, status: lead.status, firstResponseAt: lead.firstResponseAt?.toISOString() ?? null } : null,
      tasks: tasks.map(taskView),
      interactions: timeline.items.map((i) => presentInteraction(i, c.ownerId, s.viewer)),
    };
  };

  r.get('/', read, async (ctx) => {
    ctx.body = await view(await seenCustomer(db, auth, ctx));
  });

  r.patch('/', read, async (ctx) => {
    const b = parseWith(editBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    const c = await db.transaction((tx) => editCustomer(tx, s.p.tenantId, s.customer.id, b, s.p.actor));
    ctx.body = await view({ ...s, customer: c });
  });

  r.post('/conflicts', read, async (ctx) => {
    const b = parseWith(conflictBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    const c = await db.transaction((tx) => resolveConflict(tx, s.p.tenantId, s.customer.id, b.field, b.keep, s.p.actor));
    ctx.body = await view({ ...s, customer: c });
  });

  r.post('/tasks', read, async (ctx) => {
    const b = parseWith(taskBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    const now = deps.flow.now();
    const t = await db.transaction(async (tx) => {
      const [lead] = await tx.select({ id: leads.id }).from(leads).where(and(eq(leads.tenantId, s.p.tenantId), eq(leads.customerId, s.customer.id), notInArray(leads.status, ['won', 'lost']))).limit(1);
      return addFollowUp(tx, s.p.tenantId, { customerId: s.customer.id, leadId: lead?.id ?? null, assigneeId: s.customer.ownerId ?? s.p.user.id, title: b.title, dueAt: new Date(b.dueAt), allDay: b.allDay, source: 'sidebar' }, s.p.actor, now);
    });
    ctx.status = 201;
    ctx.body = taskView(t);
  });

  r.patch('/tasks/:taskId', read, async (ctx) => {
    const taskId = parseWith(uuidParam, ctx.params.taskId, 'invalid_id');
    const b = parseWith(rescheduleBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    if (new Date(b.dueAt).getTime() < deps.flow.now().getTime() - 86400_000) throw badRequest('due_in_past', 'a follow-up is moved to a time ahead');
    const t = await db.transaction((tx) => rescheduleFollowUp(tx, s.p.tenantId, s.customer.id, taskId, new Date(b.dueAt), b.allDay, s.p.actor, deps.flow.now()));
    ctx.body = taskView(t);
  });

  r.post('/tasks/:taskId/done', read, async (ctx) => {
    const taskId = parseWith(uuidParam, ctx.params.taskId, 'invalid_id');
    const s = await seenCustomer(db, auth, ctx);
    const t = await db.transaction((tx) => completeFollowUp(tx, s.p.tenantId, s.customer.id, taskId, s.p.user.id));
    ctx.body = taskView(t);
  });

  return r;
}
