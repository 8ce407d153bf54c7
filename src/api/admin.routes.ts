import Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, pageQuery, uuidParam } from './params.js';
import { requireAdmin, type AdminState } from './auth.js';
import { getCustomer, listCustomers, type Customer } from '../crm/customers.repo.js';
import { listInteractions } from '../crm/interactions.repo.js';
import { listLeads } from '../crm/leads.repo.js';
import { addUserAccount, createUser, getUser, listUsers, removeUserAccount, type User } from '../crm/users.repo.js';
import { getTenant } from '../crm/tenants.repo.js';
import { leadStatuses } from '../db/schema.js';

export interface AdminRouteDeps {
  database: Database;
  adminToken?: string;
  defaultTenantId: string;
  bodyLimitBytes: number;
}

export function customerView(c: Customer) {
  return {
    id: c.id,
    name: c.name,
    title: c.title,
    company: c.company,
    ownerId: c.ownerId,
    tags: c.tags,
    stage: c.stage,
    score: c.score,
    sourceChannel: c.sourceChannel,
    utm: c.utm,
    customFields: c.customFields,
    conflicts: c.conflicts,
    mergedInto: c.mergedInto,
    identities: c.identities.map((i) => ({ kind: i.kind, value: i.value })),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
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
  r.use(requireAdmin(deps.adminToken, deps.defaultTenantId));
  r.use(async (ctx, next) => {
    const { tenantId } = ctx.state.admin as AdminState;
    if (!(await getTenant(db, tenantId))) throw notFound('tenant');
    await next();
  });
  const state = (ctx: { state: Record<string, unknown> }) => ctx.state.admin as AdminState;

  r.get('/customers', async (ctx) => {
    const q = parseWith(customersQuery, ctx.query);
    const page = await listCustomers(db, state(ctx).tenantId, { q: q.q, ownerId: q.owner, tag: q.tag, stage: q.stage }, q);
    ctx.body = { items: page.items.map(customerView), nextCursor: page.nextCursor };
  });

  r.get('/customers/:id', async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const c = await getCustomer(db, state(ctx).tenantId, id);
    if (!c) throw notFound('customer');
    ctx.body = customerView(c);
  });

  r.get('/customers/:id/interactions', async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const q = parseWith(z.object(pageQuery).strict(), ctx.query);
    const tenantId = state(ctx).tenantId;
    if (!(await getCustomer(db, tenantId, id))) throw notFound('customer');
    const page = await listInteractions(db, tenantId, id, q);
    ctx.body = {
      items: page.items.map((i) => ({
        id: i.id, channel: i.channel, direction: i.direction, authorId: i.authorId, text: i.text,
        platform: i.platform, platformMessageId: i.platformMessageId, occurredAt: i.occurredAt.toISOString(),
        entities: i.entities, createdAt: i.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  });

  r.get('/leads', async (ctx) => {
    const q = parseWith(leadsQuery, ctx.query);
    const page = await listLeads(db, state(ctx).tenantId, { status: q.status, assigneeId: q.assignee }, q);
    ctx.body = { items: page.items.map(leadView), nextCursor: page.nextCursor };
  });

  r.get('/users', async (ctx) => {
    const q = parseWith(z.object({ role: z.enum(['admin', 'manager', 'rep']).optional(), ...pageQuery }).strict(), ctx.query);
    const page = await listUsers(db, state(ctx).tenantId, { role: q.role }, q);
    ctx.body = { items: page.items.map(userView), nextCursor: page.nextCursor };
  });

  r.post('/users', async (ctx) => {
    const body = parseWith(newUserBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const u = await db.transaction((tx) => createUser(tx, tenantId, body, actor));
    ctx.status = 201;
    ctx.body = userView(u);
  });

  r.get('/users/:id', async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const u = await getUser(db, state(ctx).tenantId, id);
    if (!u) throw notFound('user');
    ctx.body = userView(u);
  });

  // Binds one more account to a user (201), or confirms one the user holds already (200).
  r.post('/users/:id/accounts', async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const acc = parseWith(accountBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const out = await db.transaction(async (tx) => {
      if (!(await getUser(tx, tenantId, id))) throw notFound('user');
      const added = await addUserAccount(tx, tenantId, id, acc, actor);
      return { added, user: (await getUser(tx, tenantId, id))! };
    });
    ctx.status = out.added ? 201 : 200;
    ctx.body = userView(out.user);
  });

  r.delete('/users/:id/accounts', async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const acc = parseWith(accountBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const user = await db.transaction(async (tx) => {
      if (!(await removeUserAccount(tx, tenantId, id, acc, actor))) throw notFound('account');
      return (await getUser(tx, tenantId, id))!;
    });
    ctx.body = userView(user);
  });

  return r;
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
