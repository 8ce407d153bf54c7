import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { renderSVG } from 'uqr';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth } from '../auth/guard.js';
import type { SignInProviders } from '../auth/signin.js';
import { createUser, getUser } from '../crm/users.repo.js';
import { issueBindingToken } from '../crm/binding.repo.js';
import { changeRole, deactivateUser, holdings } from '../crm/handover.service.js';
import { userView } from './admin.routes.js';
import { rerouteLeads } from '../bot/leads.flow.js';
import type { FlowDeps } from '../bot/flow.js';
import { enqueueOutbound } from '../queue/outbox.js';

export interface PeopleRouteDeps {
  database: Database;
  auth: Auth;
  providers: SignInProviders;
  bodyLimitBytes: number;
  publicUrl?: string;
  /** Drops caches that hold users (assignment reads the tenant's people). */
  onPeopleChange(tenantId: string): void;
  flow: FlowDeps;
  /** Wakes the outbox after a commit that queued messages. */
  afterCommit(): void;
}

const role = z.enum(['admin', 'manager', 'rep']);
const inviteBody = z.object({ name: z.string().trim().min(1).max(100), role, region: z.string().trim().min(1).max(50).optional() }).strict();

/** People (invite with a binding link, roles, 离职 with handover), for a tenant's admins. */
export function peopleRouter(deps: PeopleRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;
  const admin = auth.guard('admin');
  const base = (ctx: Context) => deps.publicUrl ?? `${ctx.protocol}://${ctx.host}`;

  const link = async (ctx: Context, tenantId: string, userId: string, actor: string) => {
    const { token, expiresAt } = await db.transaction((tx) => issueBindingToken(tx, tenantId, userId, actor));
    const bindingUrl = `${base(ctx)}/bind/${token}`;
    ctx.set('Cache-Control', 'no-store');
    return { bindingUrl, expiresAt: expiresAt.toISOString(), qrSvg: renderSVG(bindingUrl, { border: 2 }) };
  };

  r.post('/users/invite', admin, async (ctx) => {
    const b = parseWith(inviteBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = auth.principal(ctx);
    const user = await db.transaction((tx) => createUser(tx, tenantId, { name: b.name, role: b.role, region: b.region ?? null }, actor));
    deps.onPeopleChange(tenantId);
    ctx.status = 201;
    ctx.body = { user: userView(user), ...(await link(ctx, tenantId, user.id, actor)) };
  });

  r.post('/users/:id/binding-link', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const { tenantId, actor } = auth.principal(ctx);
    const user = await getUser(db, tenantId, id);
    if (!user) throw notFound('user');
    if (!user.active) throw new AppError('user_inactive', 'this user is deactivated', 409);
    ctx.status = 201;
    ctx.body = await link(ctx, tenantId, id, actor);
  });

  r.put('/users/:id/role', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const b = parseWith(z.object({ role }).strict(), await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const p = auth.principal(ctx);
    if (p.user?.id === id && b.role !== 'admin') throw new AppError('cannot_demote_self', 'another admin must change your role', 409);
    const user = await db.transaction((tx) => changeRole(tx, p.tenantId, id, b.role, p.actor));
    deps.onPeopleChange(p.tenantId);
    ctx.body = userView(user);
  });

  r.get('/users/:id/holdings', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const { tenantId } = auth.principal(ctx);
    if (!(await getUser(db, tenantId, id))) throw notFound('user');
    ctx.body = await holdings(db, tenantId, id);
  });

  r.post('/users/:id/deactivate', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const b = parseWith(z.object({ handoverTo: uuidParam.nullable() }).strict(), await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const p = auth.principal(ctx);
    if (p.user?.id === id) throw new AppError('cannot_deactivate_self', 'another admin must deactivate you', 409);
    // One transaction: deactivation, the handover, and (back to assignment) the leads' new routing.
    const out = await db.transaction(async (tx) => {
      const h = await deactivateUser(tx, p.tenantId, id, b.handoverTo, p.actor, deps.flow.now());
      const messages = await rerouteLeads(tx, deps.flow, p.tenantId, h.unassignedLeadIds);
      let i = 0;
      for (const m of messages) await enqueueOutbound(tx, m, `handover:${id}:${i++}`);
      return h;
    });
    deps.onPeopleChange(p.tenantId);
    deps.afterCommit();
    ctx.body = { user: userView(out.user), handedOver: out.counts, handoverTo: b.handoverTo };
  });

  return r;
}
