import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { AppError, isAppError, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith } from '../api/params.js';
import { getTenant, type Tenant } from '../crm/tenants.repo.js';
import { findUserByAccount, listUsers, type PlatformAccount, type User } from '../crm/users.repo.js';
import { recordAudit } from '../crm/audit.repo.js';
import { peekBindingToken, redeemBindingToken } from '../crm/binding.repo.js';
import type { Auth } from './guard.js';
import type { SignInProviders } from './signin.js';
import { limitByAddress, type RateLimit, type RateLimiter } from './rate-limit.js';
import { renderPage } from '../admin/render.js';

export interface SignInRouteDeps {
  database: Database;
  auth: Auth;
  providers: SignInProviders;
  bodyLimitBytes: number;
  /** KELU_PUBLIC_URL; without it, the request's own origin builds OAuth redirect URIs. */
  publicUrl?: string;
  limiter: RateLimiter;
  limits: { signIn: RateLimit; bind: RateLimit };
}

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/);
const platform = z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/);
const code = z.string().trim().min(1).max(512);
const signInBody = z.object({ tenantId: tenantId.optional(), platform, code }).strict();
const bindBody = z.object({ token: z.string().min(1).max(100), platform, code }).strict();
const demoBody = z.object({ tenantId: tenantId.optional(), userId: z.string().uuid() }).strict();

/** The seeded demo tenant, while it has no platform configured: the only one where anyone may pick a user. */
export function isDemoTenant(t: Tenant): boolean {
  return t.settings.demo === true && Object.keys(t.channels).length === 0;
}

/** Where a signed-in person lands. */
export function homeOf(user: User): string {
  return user.role === 'admin' ? '/admin' : '/me';
}

/** The names of a tenant's active admins: whom an unbound person should ask. */
export async function adminNames(db: Database['db'], tenant: string): Promise<string[]> {
  const page = await listUsers(db, tenant, { role: 'admin', active: true }, { limit: 20 });
  return page.items.map((u) => u.name);
}

/**
 * Sign-in and binding through a chat platform, the demo tenant's sign-in, and sign-out. JSON for
 * the pages' scripts (POST), and the OAuth redirect target (GET /auth/callback/:platform).
 */
export function signInRouter(deps: SignInRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const { auth, providers } = deps;
  const signInLimit = limitByAddress(deps.limiter, 'signin', deps.limits.signIn);
  const bindLimit = limitByAddress(deps.limiter, 'bind', deps.limits.bind);

  const provider = async (tenant: string, name: string) => {
    const p = providers.get(name);
    if (!p || !(await p.configured(tenant))) throw new AppError('platform_not_configured', 'this company has not configured that platform', 404);
    return p;
  };

  /** Exchanges a code and starts the bound user's session; refusals are audited too. */
  async function signIn(ctx: Context, tenant: string, platformName: string, codeValue: string): Promise<User> {
    if (!(await getTenant(db, tenant))) throw notFound('tenant');
    const p = await provider(tenant, platformName);
    let accounts: PlatformAccount[];
    try {
      accounts = await p.resolveCode(tenant, codeValue);
    } catch (e) {
      if (isAppError(e) && e.code === 'invalid_code') await recordAudit(db, tenant, { actor: 'anonymous', action: 'session.refused', entityType: 'session', entityId: platformName, after: { reason: 'invalid_code', ip: ctx.ip } });
      throw e;
    }
    let user: User | null = null;
    for (const a of accounts) if (!user) user = await findUserByAccount(db, tenant, a);
    if (!user || !user.active) {
      await recordAudit(db, tenant, { actor: 'anonymous', action: 'session.refused', entityType: 'session', entityId: platformName, after: { reason: user ? 'inactive' : 'not_bound', accounts: accounts.map((a) => `${a.platform}:${a.kind}:${a.value}`) } });
      throw new AppError(user ? 'user_inactive' : 'account_not_bound', user ? 'this account has been deactivated' : `this ${p.label} account is not bound to a Kelu user`, 403, { details: { admins: await adminNames(db, tenant), label: p.label } });
    }
    auth.startSession(ctx, tenant, user.id);
    await recordAudit(db, tenant, { actor: `user:${user.id}`, action: 'session.start', entityType: 'user', entityId: user.id, after: { via: platformName } });
    return user;
  }

  async function bind(ctx: Context, token: string, platformName: string, codeValue: string): Promise<User> {
    const link = await peekBindingToken(db, token);
    const p = await provider(link.tenantId, platformName);
    const accounts = await p.resolveCode(link.tenantId, codeValue);
    const user = await db.transaction((tx) => redeemBindingToken(tx, token, accounts, link.tenantId));
    auth.startSession(ctx, link.tenantId, user.id);
    await recordAudit(db, link.tenantId, { actor: `user:${user.id}`, action: 'session.start', entityType: 'user', entityId: user.id, after: { via: platformName, binding: true } });
    return user;
  }

  r.post('/auth/signin', signInLimit, async (ctx) => {
    const b = parseWith(signInBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const user = await signIn(ctx, b.tenantId ?? auth.defaultTenantId, b.platform, b.code);
    ctx.body = { redirect: homeOf(user), user: { id: user.id, name: user.name, role: user.role } };
  });

  r.post('/auth/bind', bindLimit, async (ctx) => {
    const b = parseWith(bindBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const user = await bind(ctx, b.token, b.platform, b.code);
    ctx.body = { redirect: homeOf(user), user: { id: user.id, name: user.name, role: user.role } };
  });

  // Starts a redirect-style (OAuth) sign-in: state carries the tenant, and a binding token when binding.
  r.get('/auth/start/:platform', signInLimit, async (ctx) => {
    const name = parseWith(platform, ctx.params.platform, 'invalid_platform');
    const q = parseWith(z.object({ tenant: tenantId.optional(), bind: z.string().max(100).optional(), next: z.enum(['sidebar']).optional() }).strict(), ctx.query);
    const tenant = q.bind ? (await peekBindingToken(db, q.bind)).tenantId : q.tenant ?? auth.defaultTenantId;
    const p = await provider(tenant, name);
    const redirectUri = `${deps.publicUrl ?? `${ctx.protocol}://${ctx.host}`}/auth/callback/${name}?tenant=${encodeURIComponent(tenant)}`;
    // state names where to land after signing in: a binding, the sidebar (opened from a chat), or home.
    const s = await p.start(tenant, redirectUri, q.bind ? `bind.${q.bind}` : q.next ?? 'signin');
    if (s.kind !== 'redirect') throw new AppError('not_a_redirect', `${p.label} signs in on the page itself`, 400);
    ctx.redirect(s.url);
  });

  r.get('/auth/callback/:platform', signInLimit, async (ctx) => {
    const name = parseWith(platform, ctx.params.platform, 'invalid_platform');
    const q = parseWith(z.object({ tenant: tenantId, code, state: z.string().max(200).optional(), appid: z.string().optional() }).strict(), ctx.query);
    try {
      const user = q.state?.startsWith('bind.') ? await bind(ctx, q.state.slice(5), name, q.code) : await signIn(ctx, q.tenant, name, q.code);
      ctx.redirect(q.state === 'sidebar' ? `/sidebar?tenant=${encodeURIComponent(q.tenant)}` : homeOf(user));
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      ctx.status = e.status;
      ctx.type = 'html';
      ctx.body = renderPage('problem', { code: e.code, message: e.message, details: e.details ?? null });
    }
  });

  // The demo tenant (no platform configured) lets anyone pick a demo user; a real tenant never does.
  r.post('/auth/demo', signInLimit, async (ctx) => {
    const b = parseWith(demoBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const tenant = b.tenantId ?? auth.defaultTenantId;
    const t = await getTenant(db, tenant);
    if (!t) throw notFound('tenant');
    if (!isDemoTenant(t)) throw new AppError('demo_signin_disabled', 'this company signs in through its chat platform, not the demo page', 403);
    const user = (await listUsers(db, tenant, { active: true }, { limit: 200 })).items.find((u) => u.id === b.userId);
    if (!user) throw notFound('user');
    auth.startSession(ctx, tenant, user.id);
    await recordAudit(db, tenant, { actor: `user:${user.id}`, action: 'session.start', entityType: 'user', entityId: user.id, after: { via: 'demo' } });
    ctx.body = { redirect: homeOf(user), user: { id: user.id, name: user.name, role: user.role } };
  });

  r.post('/auth/signout', async (ctx) => {
    ctx.append('Set-Cookie', auth.sessions.clearCookie());
    ctx.status = 204;
  });

  return r;
}
