import type { Context, Middleware, Next } from 'koa';
import type { Database } from '../db/database.js';
import { AppError, forbidden, notFound, unauthorized } from '../lib/errors.js';
import { getTenant } from '../crm/tenants.repo.js';
import { getUser, type User } from '../crm/users.repo.js';
import { looksLikeApiKey, markApiKeyUsed, verifyApiKey } from '../crm/api-keys.repo.js';
import { recordAudit, recordAuditIfTenant } from '../crm/audit.repo.js';
import { readCookie, SESSION_COOKIE, type SessionClaims, type SessionCodec } from './session.js';
import { safeEqual } from './secrets.js';

/**
 * What a caller may do. `operator` is the bootstrap KELU_ADMIN_TOKEN: every tenant (X-Kelu-Tenant
 * picks one) and tenant management. The others are bound to one tenant: `admin` everything in it,
 * `read` reading, `forms` lead intake only. A signed-in admin has `admin`; a manager or rep `read`,
 * narrowed to what their role sees (visibility.ts).
 */
export type Grant = 'operator' | 'admin' | 'read' | 'forms';

export interface Principal {
  tenantId: string;
  /** Who, in audit rows: 'operator', 'key:<id>', 'user:<id>', 'form'. */
  actor: string;
  via: 'operator' | 'key' | 'session' | 'form-key';
  grant: Grant;
  /** The signed-in person (sessions only). */
  user?: User;
  keyId?: string;
  /** The session's CSRF token, for the page to echo (sessions only). */
  csrf?: string;
}

const IMPLIES: Record<Grant, Grant[]> = {
  operator: ['operator', 'admin', 'read', 'forms'],
  admin: ['admin', 'read', 'forms'],
  read: ['read'],
  forms: ['forms'],
};

export function allows(p: Principal, need: Grant): boolean {
  return IMPLIES[p.grant].includes(need);
}

export interface AuthOptions {
  database: Database;
  /** The operator's bootstrap token; without it only tenant keys and sessions work. */
  adminToken?: string;
  defaultTenantId: string;
  sessions: SessionCodec;
}

export interface Auth {
  readonly sessions: SessionCodec;
  readonly defaultTenantId: string;
  /** Authenticates (bearer token or session cookie), checks the tenant exists and the grant. */
  guard(need: Grant, opts?: { sessions?: boolean }): Middleware;
  /** The principal of a request that passed guard(). */
  principal(ctx: Context): Principal;
  /** The session of a cookie, or null (pages that show a sign-in link instead of an error). */
  sessionUser(ctx: Context): Promise<{ user: User; claims: SessionClaims } | null>;
  /** Starts a session: sets the cookie. */
  startSession(ctx: Context, tenantId: string, userId: string): SessionClaims;
}

export function createAuth(o: AuthOptions): Auth {
  const { db } = o.database;

  async function fromBearer(ctx: Context, token: string): Promise<Principal> {
    const header = ctx.get('x-kelu-tenant');
    if (o.adminToken && safeEqual(token, o.adminToken)) {
      return { tenantId: header || o.defaultTenantId, actor: 'operator', via: 'operator', grant: 'operator' };
    }
    if (looksLikeApiKey(token)) {
      const v = await verifyApiKey(db, token);
      if (!v.ok) throw new AppError(v.reason === 'revoked' ? 'key_revoked' : 'unauthorized', v.reason === 'revoked' ? 'this API key has been revoked' : 'a valid bearer token is required', 401);
      // A tenant key answers for its own tenant only, whatever the headers say.
      if (header && header !== v.key.tenantId) throw new AppError('tenant_mismatch', 'this key belongs to another tenant', 403);
      await markApiKeyUsed(db, v.key.id);
      await recordAudit(db, v.key.tenantId, { actor: `key:${v.key.id}`, action: 'key.use', entityType: 'api_key', entityId: v.key.id, after: { method: ctx.method, path: ctx.path } });
      return { tenantId: v.key.tenantId, actor: `key:${v.key.id}`, via: 'key', grant: v.key.scope, keyId: v.key.id };
    }
    throw unauthorized('a valid bearer token is required');
  }

  async function fromCookie(ctx: Context, raw: string): Promise<Principal> {
    const claims = o.sessions.verify(raw);
    const user = await getUser(db, claims.tenantId, claims.userId);
    if (!user || !user.active) {
      ctx.append('Set-Cookie', o.sessions.clearCookie());
      throw new AppError('session_revoked', 'this account is no longer active; ask your administrator', 401);
    }
    const header = ctx.get('x-kelu-tenant');
    if (header && header !== claims.tenantId) throw new AppError('tenant_mismatch', 'this session belongs to another tenant', 403);
    // Cookies ride along on cross-site requests: a change must prove it came from our own page.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) {
      const csrf = ctx.get('x-kelu-csrf');
      if (!csrf || !safeEqual(csrf, claims.csrf)) throw new AppError('csrf_required', 'X-Kelu-Csrf is missing or wrong', 403);
    }
    const renewed = o.sessions.renew(claims);
    if (renewed) ctx.append('Set-Cookie', o.sessions.cookie(renewed.value, renewed.claims));
    return { tenantId: claims.tenantId, actor: `user:${user.id}`, via: 'session', grant: user.role === 'admin' ? 'admin' : 'read', user, csrf: claims.csrf };
  }

  async function authenticate(ctx: Context, sessions: boolean): Promise<Principal> {
    const m = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
    if (m) return fromBearer(ctx, m[1]!.trim());
    const cookie = sessions ? readCookie(ctx.get('cookie'), SESSION_COOKIE) : undefined;
    if (cookie) return fromCookie(ctx, cookie);
    if (!o.adminToken) throw new AppError('unauthorized', 'sign in, or send a tenant API key as a bearer token', 401);
    throw unauthorized('a valid bearer token is required');
  }

  return {
    sessions: o.sessions,
    defaultTenantId: o.defaultTenantId,
    guard(need, opts = {}) {
      return async (ctx: Context, next: Next) => {
        const p = await authenticate(ctx, opts.sessions !== false);
        if (!allows(p, need)) throw new AppError('insufficient_scope', `this needs the ${need} scope`, 403);
        ctx.state.principal = p;
        ctx.state.admin = p;
        if (p.via !== 'operator') {
          if (!(await getTenant(db, p.tenantId))) throw notFound('tenant');
          return next();
        }
        // Every use of the operator's token is audited, in the tenant it acted on (once that exists).
        let status = 500;
        try {
          // Tenant management (need = operator) may name a tenant that is about to be created.
          if (need !== 'operator' && !(await getTenant(db, p.tenantId))) throw notFound('tenant');
          await next();
          status = ctx.status;
        } catch (e) {
          status = (e as { status?: number }).status ?? 500;
          throw e;
        } finally {
          await recordAuditIfTenant(db, p.tenantId, { actor: 'operator', action: 'operator.use', entityType: 'api', entityId: `${ctx.method} ${ctx.path}`.slice(0, 200), after: { status } });
        }
      };
    },
    principal(ctx) {
      const p = ctx.state.principal as Principal | undefined;
      if (!p) throw forbidden('not authenticated');
      return p;
    },
    async sessionUser(ctx) {
      const raw = readCookie(ctx.get('cookie'), SESSION_COOKIE);
      if (!raw) return null;
      try {
        const claims = o.sessions.verify(raw);
        const user = await getUser(db, claims.tenantId, claims.userId);
        if (!user || !user.active) return null;
        const renewed = o.sessions.renew(claims);
        if (renewed) ctx.append('Set-Cookie', o.sessions.cookie(renewed.value, renewed.claims));
        return { user, claims: renewed?.claims ?? claims };
      } catch {
        return null;
      }
    },
    startSession(ctx, tenantId, userId) {
      const s = o.sessions.issue(tenantId, userId);
      ctx.append('Set-Cookie', o.sessions.cookie(s.value, s.claims));
      return s.claims;
    },
  };
}
