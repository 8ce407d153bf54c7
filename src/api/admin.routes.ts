import Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, pageQuery, uuidParam } from './params.js';
import type { Auth, Principal } from '../auth/guard.js';
import { getCustomer, listCustomers } from '../crm/customers.repo.js';
import { canSeeCustomer, canSeeLead, customersVisible, leadsVisible, visibilityOf, type Visibility } from '../crm/visibility.js';
import { getFieldAccess } from '../crm/settings.js';
import { CUSTOMER_CSV_HEADER, customerCsvRow, presentCustomer, presentInteraction, type Viewer } from './present.js';
import type { Tx } from '../db/database.js';
import { listInteractions } from '../crm/interactions.repo.js';
import { listLeads } from '../crm/leads.repo.js';
import { addUserAccount, createUser, getUser, listUsers, removeUserAccount, type User } from '../crm/users.repo.js';
import { leadStatuses } from '../db/schema.js';

export interface AdminRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
}

/** Who is looking, for masking, and what they may see. */
export async function viewerOf(tx: Tx, p: Principal): Promise<{ viewer: Viewer; visibility: Visibility }> {
  const [access, visibility] = await Promise.all([getFieldAccess(tx, p.tenantId), visibilityOf(tx, p.tenantId, p.user)]);
  return { viewer: { role: p.user?.role ?? null, userId: p.user?.id ?? null, access }, visibility };
}

export function userView(u: User) {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    region: u.region,
    accounts: u.accounts.map((a) => ({ platform: a.platform, kind: a.kind, value: a.value })),
    workingHours: u.workingHours,
    onDuty: u.onDuty,
    capacity: u.capacity,
    active: u.active,
    createdAt: u.createdAt.toISOString(),
  };
}

const customersQuery = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  owner: uuidParam.optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  stage: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
}).strict();

const leadsQuery = z.object({
  status: z.enum(leadStatuses).optional(),
  assignee: uuidParam.optional(),
  ...pageQuery,
}).strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const slug = z.string().trim().min(1).max(32).regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -');
const accountBody = z.object({ platform: slug, kind: slug, value: z.string().trim().min(1).max(128) }).strict();
const newUserBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'manager', 'rep']),
  accounts: z.array(accountBody).max(20).optional(),
  region: z.string().trim().min(1).max(50).optional(),
  workingHours: z.object({ days: z.array(z.number().int().min(1).max(7)).min(1), start: hhmm, end: hhmm }).optional(),
  onDuty: z.boolean().optional(),
  capacity: z.number().int().min(0).max(10000).optional(),
}).strict();

export function adminRouter(deps: AdminRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const admin = auth.guard('admin');

  r.get('/customers', read, async (ctx) => {
    const q = parseWith(customersQuery, ctx.query);
    const p = auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const page = await listCustomers(db, p.tenantId, { q: q.q, ownerId: q.owner, tag: q.tag, stage: q.stage, visible: customersVisible(db, p.tenantId, visibility) }, q);
    ctx.body = { items: page.items.map((c) => presentCustomer(c, viewer)), nextCursor: page.nextCursor };
  });

  // The same rows and the same masking as the list, as CSV (at most EXPORT_MAX rows).
  r.get('/customers/export', read, async (ctx) => {
    const q = parseWith(customersQuery.omit({ cursor: true, limit: true }), ctx.query);
    const p = auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const lines = [CUSTOMER_CSV_HEADER.join(',')];
    let cursor: string | undefined;
    do {
      const page = await listCustomers(db, p.tenantId, { ...q, ownerId: q.owner, visible: customersVisible(db, p.tenantId, visibility) }, { cursor, limit: 200 });
      for (const c of page.items) lines.push(customerCsvRow(presentCustomer(c, viewer)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && lines.length <= EXPORT_MAX);
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', 'attachment; filename="customers.csv"');
    ctx.body = `\uFEFF${lines.join('\r\n')}\r\n`;
  });

  r.get('/customers/:id', read, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const p = auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const c = await getCustomer(db, p.tenantId, id);
    if (!c || !(await canSeeCustomer(db, p.tenantId, visibility, id))) throw notFound('customer');
    ctx.body = presentCustomer(c, viewer);
  });

  r.get('/customers/:id/interactions', read, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const q = parseWith(z.object(pageQuery).strict(), ctx.query);
    const p = auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const c = await getCustomer(db, p.tenantId, id);
    if (!c || !(await canSeeCustomer(db, p.tenantId, visibility, id))) throw notFound('customer');
    const page = await listInteractions(db, p.tenantId, id, q);
    ctx.body = { items: page.items.map((i) => presentInteraction(i, c.ownerId, viewer)), nextCursor: page.nextCursor };
  });

  r.get('/leads', read, async (ctx) => {
    const q = parseWith(leadsQuery, ctx.query);
    const p = auth.principal(ctx);
    const { visibility } = await viewerOf(db, p);
    const page = await listLeads(db, p.tenantId, { status: q.status, assigneeId: q.assignee, visible: leadsVisible(visibility) }, q);
    ctx.body = { items: page.items.map(leadView), nextCursor: page.nextCursor };
  });

  r.get('/users', read, async (ctx) => {
    const q = parseWith(z.object({ role: z.enum(['admin', 'manager', 'rep']).optional(), ...pageQuery }).strict(), ctx.query);
    const page = await listUsers(db, auth.principal(ctx).tenantId, { role: q.role }, q);
    ctx.body = { items: page.items.map(userView), nextCursor: page.nextCursor };
  });

  r.post('/users', admin, async (ctx) => {
    const body = parseWith(newUserBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = auth.principal(ctx);
    const u = await db.transaction((tx) => createUser(tx, tenantId, body, actor));
    ctx.status = 201;
    ctx.body = userView(u);
  });

  r.get('/users/:id', read, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const u = await getUser(db, auth.principal(ctx).tenantId, id);
    if (!u) throw notFound('user');
    ctx.body = userView(u);
  });

  // Binds one more account to a user (201), or confirms one the user holds already (200).
  r.post('/users/:id/accounts', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const acc = parseWith(accountBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = auth.principal(ctx);
    const out = await db.transaction(async (tx) => {
      if (!(await getUser(tx, tenantId, id))) throw notFound('user');
      const added = await addUserAccount(tx, tenantId, id, acc, actor);
      return { added, user: (await getUser(tx, tenantId, id))! };
    });
    ctx.status = out.added ? 201 : 200;
    ctx.body = userView(out.user);
  });

  r.delete('/users/:id/accounts', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const acc = parseWith(accountBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = auth.principal(ctx);
    const user = await db.transaction(async (tx) => {
      if (!(await removeUserAccount(tx, tenantId, id, acc, actor))) throw notFound('account');
      return (await getUser(tx, tenantId, id))!;
    });
    ctx.body = userView(user);
  });

  return r;
}

const EXPORT_MAX = 10_000;

/** Whether a lead is one this principal may see. */
export async function leadVisibleTo(tx: Tx, p: Principal, lead: { assigneeId: string | null; status: string }): Promise<boolean> {
  return canSeeLead(await visibilityOf(tx, p.tenantId, p.user), lead);
}

export function leadView(l: Awaited<ReturnType<typeof listLeads>>['items'][number]) {
  const responseSeconds = l.firstResponseAt ? Math.round((l.firstResponseAt.getTime() - (l.assignedAt ?? l.createdAt).getTime()) / 1000) : null;
  return {
    id: l.id,
    customerId: l.customerId,
    status: l.status,
    assigneeId: l.assigneeId,
    assignedAt: l.assignedAt?.toISOString() ?? null,
    claimedAt: l.claimedAt?.toISOString() ?? null,
    firstResponseAt: l.firstResponseAt?.toISOString() ?? null,
    responseTimeSeconds: responseSeconds,
    sourceChannel: l.sourceChannel,
    utm: l.utm,
    intentLevel: l.intentLevel,
    urgencyLevel: l.urgencyLevel,
    reassignCount: l.reassignCount,
    statusHistory: l.statusHistory,
    createdAt: l.createdAt.toISOString(),
  };
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } })?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  return code === '23505';
}
