import Router from '@koa/router';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import { users } from '../db/schema.js';
import { pagePolicy, sendPage, viewFile } from '../admin/render.js';
import { getTenant } from '../crm/tenants.repo.js';
import { visibilityOf } from '../crm/visibility.js';
import { dashboardScript } from './bundle.js';

export interface DashboardRouteDeps {
  database: Database;
  auth: Auth;
}

const CSP = pagePolicy();

function page(ctx: Context, name: string, data: unknown, status = 200): void {
  sendPage(ctx, CSP, name, data, status);
}

/** /dashboard for signed-in managers and admins; its numbers all come from /api/v1/insight/dashboard. */
export function dashboardRouter(deps: DashboardRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;

  r.get('/dashboard/assets/dashboard.js', async (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = await dashboardScript();
  });
  r.get('/dashboard/assets/dashboard.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = viewFile('dashboard.css');
  });

  r.get('/dashboard', async (ctx) => {
    const s = await deps.auth.sessionUser(ctx);
    if (!s) return ctx.redirect(`/signin?tenant=${encodeURIComponent(deps.auth.defaultTenantId)}`);
    if (s.user.role === 'rep') return page(ctx, 'problem', { code: 'forbidden', message: '经营看板只对经理和管理员开放' }, 403);
    const { tenantId } = s.user;
    const visible = await visibilityOf(db, tenantId, s.user);
    const people = await db.select({ id: users.id, name: users.name, role: users.role, region: users.region }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.active, true)));
    const mine = people.filter((u) => visible.ownerIds === null || visible.ownerIds.includes(u.id));
    const teams = visible.ownerIds === null
      ? [...new Set((await db.select({ region: users.region }).from(users).where(and(eq(users.tenantId, tenantId), isNotNull(users.region)))).map((x) => x.region!))].sort()
      : [];
    const tenant = await getTenant(db, tenantId);
    page(ctx, 'dashboard', {
      user: { name: s.user.name, role: s.user.role, region: s.user.region }, tenantName: tenant?.name ?? '', csrf: s.claims.csrf,
      wholeTenant: visible.ownerIds === null, teams, reps: mine.filter((u) => u.role === 'rep').map((u) => ({ id: u.id, name: u.name })),
    });
  });

  return r;
}
