import Router from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import { isAppError } from '../lib/errors.js';
import type { Auth } from '../auth/guard.js';
import type { SignInProviders } from '../auth/signin.js';
import { getTenant } from '../crm/tenants.repo.js';
import { getUser, listUsers } from '../crm/users.repo.js';
import { peekBindingToken } from '../crm/binding.repo.js';
import { pagePolicy, sendPage, viewFile } from './render.js';
import { isDemoTenant } from '../auth/signin.routes.js';

export interface PageRouteDeps {
  database: Database;
  auth: Auth;
  providers: SignInProviders;
}

const ASSETS: Record<string, string> = {
  'kelu.css': 'text/css; charset=utf-8',
  'signin.js': 'text/javascript; charset=utf-8',
  'bind.js': 'text/javascript; charset=utf-8',
  'platform.js': 'text/javascript; charset=utf-8',
  'me.js': 'text/javascript; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'imports.js': 'text/javascript; charset=utf-8',
  'marketing.js': 'text/javascript; charset=utf-8',
};

// Our own scripts, plus what each platform's in-app sign-in needs (its JS API, the apps that frame us).
function contentSecurityPolicy(providers: SignInProviders): string {
  return pagePolicy({ script: providers.all().flatMap((p) => p.pageOrigins.script), frame: providers.all().flatMap((p) => p.pageOrigins.frame) });
}

function page(ctx: Context, name: string, data: unknown, status = 200): void {
  sendPage(ctx, ctx.state.csp as string, name, data, status);
}

/** The server-rendered shells: sign-in, binding, "my customers" and the admin console. */
export function pagesRouter(deps: PageRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const { auth } = deps;
  const csp = contentSecurityPolicy(deps.providers);
  r.use(async (ctx, next) => {
    ctx.state.csp = csp;
    await next();
  });

  r.get('/assets/:file', (ctx) => {
    const type = ASSETS[ctx.params.file ?? ''];
    if (!type) return;
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = viewFile(ctx.params.file!);
  });

  const platformsOf = async (tenantId: string) =>
    (await deps.providers.configuredFor(tenantId)).map((p) => ({ platform: p.platform, label: p.label, mode: p.mode, userAgent: p.userAgent.source }));

  r.get('/signin', async (ctx) => {
    const tenantId = typeof ctx.query.tenant === 'string' && /^[a-z0-9][a-z0-9_-]{1,62}$/.test(ctx.query.tenant) ? ctx.query.tenant : auth.defaultTenantId;
    const tenant = await getTenant(db, tenantId);
    if (!tenant) return page(ctx, 'problem', { code: 'not_found', message: '没有这个公司' }, 404);
    const demo = isDemoTenant(tenant);
    const users = demo ? (await listUsers(db, tenantId, { active: true }, { limit: 50 })).items.map((u) => ({ id: u.id, name: u.name, role: u.role, region: u.region })) : [];
    page(ctx, 'signin', { tenantId, tenantName: tenant.name, demo, users, platforms: await platformsOf(tenantId) });
  });

  r.get('/bind/:token', async (ctx) => {
    try {
      const link = await peekBindingToken(db, String(ctx.params.token));
      const [tenant, user] = await Promise.all([getTenant(db, link.tenantId), getUser(db, link.tenantId, link.userId)]);
      page(ctx, 'bind', { token: ctx.params.token, tenantId: link.tenantId, tenantName: tenant?.name ?? '', userName: user?.name ?? '', platforms: await platformsOf(link.tenantId) });
    } catch (e) {
      if (!isAppError(e)) throw e;
      page(ctx, 'problem', { code: e.code, message: e.message }, e.status);
    }
  });

  r.get('/me', async (ctx) => {
    const s = await auth.sessionUser(ctx);
    if (!s) return ctx.redirect('/signin');
    page(ctx, 'me', { user: { id: s.user.id, name: s.user.name, role: s.user.role }, csrf: s.claims.csrf });
  });

  r.get('/admin', async (ctx) => {
    const s = await auth.sessionUser(ctx);
    if (!s) return ctx.redirect(`/signin?tenant=${encodeURIComponent(auth.defaultTenantId)}`);
    if (s.user.role !== 'admin') return page(ctx, 'problem', { code: 'forbidden', message: '管理后台只对管理员开放' }, 403);
    const tenant = await getTenant(db, s.user.tenantId);
    page(ctx, 'admin', { user: { id: s.user.id, name: s.user.name, role: s.user.role }, tenantId: s.user.tenantId, tenantName: tenant?.name ?? '', csrf: s.claims.csrf });
  });

  // Imports and exports (issue 17): its own page, reached from the admin console's tabs.
  r.get('/admin/imports', async (ctx) => {
    const s = await auth.sessionUser(ctx);
    if (!s) return ctx.redirect(`/signin?tenant=${encodeURIComponent(auth.defaultTenantId)}`);
    if (s.user.role !== 'admin') return page(ctx, 'problem', { code: 'forbidden', message: '导入导出只对管理员开放' }, 403);
    const tenant = await getTenant(db, s.user.tenantId);
    page(ctx, 'imports', { user: { id: s.user.id, name: s.user.name, role: s.user.role }, tenantName: tenant?.name ?? '', csrf: s.claims.csrf });
  });

  return r;
}
