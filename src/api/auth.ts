import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError, unauthorized } from '../lib/errors.js';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface AdminState {
  tenantId: string;
  actor: string;
}

/**
 * Bearer KELU_ADMIN_TOKEN. The bootstrap token acts on the default tenant, or on the tenant named in
 * X-Kelu-Tenant. With no token configured the admin API is closed, not open.
 */
export function requireAdmin(adminToken: string | undefined, defaultTenantId: string): Middleware {
  return async (ctx, next) => {
    if (!adminToken) throw new AppError('admin_disabled', 'admin API is disabled: set KELU_ADMIN_TOKEN', 401);
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !safeEqual(m[1]!.trim(), adminToken)) throw unauthorized('a valid admin bearer token is required');
    const tenant = ctx.get('x-kelu-tenant') || defaultTenantId;
    ctx.state.admin = { tenantId: tenant, actor: 'admin-token' } satisfies AdminState;
    await next();
  };
}
