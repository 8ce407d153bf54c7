import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';
import { AppError, badRequest, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith } from './params.js';
import type { Auth } from '../auth/guard.js';
import { getTenant, removeChannelCredentials, setChannelCredentials, upsertTenant, type Tenant } from '../crm/tenants.repo.js';

export interface TenantRouteDeps {
  database: Database;
  box: SecretBox;
  auth: Auth;
  bodyLimitBytes: number;
  /** Each platform's credential schema, by platform name (from the adapters). */
  credentials: Record<string, z.ZodType>;
  /** Drops cached credentials and reopens the platform's connections of that tenant. */
  onChannelChange(tenantId: string, platform?: string): Promise<void>;
}

const tenantIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'tenant ids are 2-63 characters: a-z, 0-9, _ and -');
const timeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone');
const tenantBody = z.object({ name: z.string().trim().min(1).max(100), timeZone: timeZone.optional() }).strict();

/** Secrets never leave the server: the view says which channels are configured, not with what. */
function tenantView(t: Tenant) {
  return { tenantId: t.tenantId, name: t.name, timeZone: t.timeZone, channels: Object.keys(t.channels).sort(), createdAt: t.createdAt.toISOString() };
}

/**
 * Tenants and their channel credentials, for the operator holding the bootstrap admin token:
 * PUT /api/v1/tenants/:id creates or renames one; PUT /api/v1/tenants/:id/channels/:platform stores
 * that platform's credentials (its adapter's schema) sealed under KELU_MASTER_KEY, and DELETE removes
 * them. The platform's routes and connections for that tenant follow at once.
 */
export function tenantsRouter(deps: TenantRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1/tenants' });
  const { db } = deps.database;
  const { auth } = deps;
  // The operator manages every tenant; a tenant's admin reads and configures only their own.
  const ownTenant = (ctx: Context, tenantId: string) => {
    const p = auth.principal(ctx);
    if (p.grant !== 'operator' && p.tenantId !== tenantId) throw new AppError('tenant_mismatch', 'this credential belongs to another tenant', 403);
  };

  r.put('/:tenantId', auth.guard('operator', { sessions: false }), async (ctx) => {
    const tenantId = parseWith(tenantIdParam, ctx.params.tenantId, 'invalid_tenant_id');
    const body = parseWith(tenantBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenant, created } = await db.transaction((tx) => upsertTenant(tx, { tenantId, name: body.name, timeZone: body.timeZone }, auth.principal(ctx).actor));
    await deps.onChannelChange(tenantId);
    ctx.status = created ? 201 : 200;
    ctx.body = tenantView(tenant);
  });

  r.get('/:tenantId', auth.guard('admin'), async (ctx) => {
    const tenantId = parseWith(tenantIdParam, ctx.params.tenantId, 'invalid_tenant_id');
    ownTenant(ctx, tenantId);
    const tenant = await getTenant(db, tenantId);
    if (!tenant) throw notFound('tenant');
    ctx.body = tenantView(tenant);
  });

  const platformParam = (ctx: { params: Record<string, string | undefined> }) => {
    const platform = ctx.params.platform ?? '';
    if (!Object.hasOwn(deps.credentials, platform)) throw badRequest('invalid_platform', `platform must be one of ${Object.keys(deps.credentials).join(', ')}`);
    return platform;
  };

  r.put('/:tenantId/channels/:platform', auth.guard('admin'), async (ctx) => {
    const tenantId = parseWith(tenantIdParam, ctx.params.tenantId, 'invalid_tenant_id');
    ownTenant(ctx, tenantId);
    const platform = platformParam(ctx);
    const creds = parseWith(deps.credentials[platform]!, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    if (!(await getTenant(db, tenantId))) throw notFound('tenant');
    await db.transaction((tx) => setChannelCredentials(tx, tenantId, platform, deps.box.sealJson(creds), auth.principal(ctx).actor));
    await deps.onChannelChange(tenantId, platform);
    ctx.body = { tenantId, platform, configured: true };
  });

  r.delete('/:tenantId/channels/:platform', auth.guard('admin'), async (ctx) => {
    const tenantId = parseWith(tenantIdParam, ctx.params.tenantId, 'invalid_tenant_id');
    ownTenant(ctx, tenantId);
    const platform = platformParam(ctx);
    if (!(await db.transaction((tx) => removeChannelCredentials(tx, tenantId, platform, auth.principal(ctx).actor)))) throw notFound('channel');
    await deps.onChannelChange(tenantId, platform);
    ctx.body = { tenantId, platform, configured: false };
  });

  return r;
}
