import Router from '@koa/router';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import { getTenant } from '../crm/tenants.repo.js';
import { pagePolicy, sendPage } from './render.js';

export interface MarketingPageDeps {
  database: Database;
  auth: Auth;
}

/** /admin/marketing (its script is served with the other admin assets): tracked links, behaviour points and the script, lead sources and their unknown-field notices. */
export function marketingPagesRouter(deps: MarketingPageDeps): Router {
  const r = new Router();
  const csp = pagePolicy();
  r.get('/admin/marketing', async (ctx) => {
    const s = await deps.auth.sessionUser(ctx);
    if (!s) return ctx.redirect(`/signin?tenant=${encodeURIComponent(deps.auth.defaultTenantId)}`);
    if (s.user.role !== 'admin') return sendPage(ctx, csp, 'problem', { code: 'forbidden', message: '管理后台只对管理员开放' }, 403);
    const tenant = await getTenant(deps.database.db, s.user.tenantId);
    sendPage(ctx, csp, 'marketing', { user: { id: s.user.id, name: s.user.name }, tenantId: s.user.tenantId, tenantName: tenant?.name ?? '', csrf: s.claims.csrf });
  });
  return r;
}
