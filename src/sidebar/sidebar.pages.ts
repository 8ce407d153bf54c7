import Router from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import type { SignInProviders } from '../auth/signin.js';
import { getTenant } from '../crm/tenants.repo.js';
import { pagePolicy, sendPage, viewFile } from '../admin/render.js';
import { sidebarBundle } from './page-bundle.js';
import type { SidebarPlatform } from './sidebar.context.js';

export interface SidebarPageDeps {
  database: Database;
  auth: Auth;
  providers: SignInProviders;
  platforms: SidebarPlatform[];
}

const TENANT = /^[a-z0-9][a-z0-9_-]{1,62}$/;
/** What a platform fills into the page URL it opens (a cool app's group entry: the group and the corp). */
const PASSED = ['openConversationId', 'corpId'] as const;

/** /sidebar: the shell of the page in the chat's side panel (one page; everything else comes from /api/v1/sidebar). */
export function sidebarPagesRouter(deps: SidebarPageDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const frame = deps.providers.all().flatMap((p) => p.pageOrigins.frame);
  const csp = pagePolicy({ frame });
  const page = (ctx: Context, name: string, data: unknown, status = 200) => sendPage(ctx, csp, name, data, status);

  r.get('/sidebar', async (ctx) => {
    // The first shell starts the bundle (once per process), so it is ready when the page asks for it.
    sidebarBundle().catch(() => undefined);
    const asked = typeof ctx.query.tenant === 'string' ? ctx.query.tenant : undefined;
    if (asked !== undefined && !TENANT.test(asked)) return page(ctx, 'problem', { code: 'not_found', message: '没有这个公司' }, 404);
    const s = await deps.auth.sessionUser(ctx);
    const tenantId = asked ?? s?.user.tenantId ?? deps.auth.defaultTenantId;
    const tenant = await getTenant(db, tenantId);
    if (!tenant) return page(ctx, 'problem', { code: 'not_found', message: '没有这个公司' }, 404);
    const passed = Object.fromEntries(PASSED.map((k) => [k, typeof ctx.query[k] === 'string' ? String(ctx.query[k]).slice(0, 200) : null]));
    const platforms = deps.platforms.map((p) => ({ platform: p.platform, label: p.label, identity: p.contactIdentity, userAgent: p.bridge.userAgent.source, contact: p.bridge.contact, signs: p.bridge.signs }));
    const signIn = (await deps.providers.configuredFor(tenantId)).map((p) => ({ platform: p.platform, label: p.label, mode: p.mode, userAgent: p.userAgent.source }));
    const base = { tenantId, tenantName: tenant.name, platforms, signIn, passed };
    if (s && s.user.tenantId !== tenantId) {
      // A session of another company: say so, never show its data here.
      return page(ctx, 'sidebar', { ...base, user: null, csrf: null, otherTenant: true }, 403);
    }
    page(ctx, 'sidebar', { ...base, user: s ? { id: s.user.id, name: s.user.name, role: s.user.role } : null, csrf: s?.claims.csrf ?? null, otherTenant: false });
  });

  r.get('/sidebar/app.js', async (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = (await sidebarBundle()).js;
  });
  r.get('/sidebar/app.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = viewFile('sidebar.css');
  });
  return r;
}
