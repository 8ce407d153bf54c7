import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';
import { AppError, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith } from './params.js';
import type { Auth } from '../auth/guard.js';
import { getTenant, setChannelCredentials, upsertTenant, type Tenant } from '../crm/tenants.repo.js';

export interface TenantRouteDeps {
  database: Database;
  box: SecretBox;
  auth: Auth;
  bodyLimitBytes: number;
  /** Drops cached credentials, so the next callback of that tenant reads the new ones. */
  onChannelChange(tenantId: string): void | Promise<void>;
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

const secret = z.string().trim().min(1).max(256);
/** What each channel needs; the shapes bootstrap reads from the environment for the default tenant. */
const channelBodies = {
  wecom: z.object({
    corpId: z.string().trim().regex(/^[A-Za-z0-9]{4,64}$/, 'a WeCom corp id (企业ID)'),
    agentId: z.union([z.string().trim().regex(/^\d{1,12}$/), z.number().int().positive()]).transform(String),
    secret,
    token: z.string().trim().regex(/^[A-Za-z0-9]{1,32}$/, 'WeCom tokens are up to 32 letters and digits'),
    encodingAesKey: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, 'EncodingAESKey is 43 letters and digits'),
  }).strict(),
  dingtalk: z.object({
    appKey: z.string().trim().min(1).max(128),
    appSecret: secret,
    robotCode: z.string().trim().min(1).max(128).optional(),
    eventToken: z.string().trim().min(1).max(128).optional(),
    eventAesKey: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, 'aes_key is 43 letters and digits').optional(),
    cardTemplateId: z.string().trim().min(1).max(128).optional(),
  }).strict().refine((b) => !b.eventToken === !b.eventAesKey, 'eventToken and eventAesKey go together'),
} as const;
type Platform = keyof typeof channelBodies;

/** Secrets never leave the server: the view says which channels are configured, not with what. */
function tenantView(t: Tenant) {
  return { tenantId: t.tenantId, name: t.name, timeZone: t.timeZone, channels: Object.keys(t.channels).sort(), createdAt: t.createdAt.toISOString() };
}

/**
 * Tenants and their channel credentials, for the operator holding the bootstrap admin token:
 * PUT /api/v1/tenants/:id creates or renames one; PUT /api/v1/tenants/:id/channels/wecom|dingtalk
 * stores that channel's credentials sealed under KELU_MASTER_KEY. The callback URLs are then
 * /wecom/callback/:id and /dingtalk/robot/:id, /dingtalk/events/:id.
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

  r.put('/:tenantId/channels/:platform', auth.guard('admin'), async (ctx) => {
    const tenantId = parseWith(tenantIdParam, ctx.params.tenantId, 'invalid_tenant_id');
    ownTenant(ctx, tenantId);
    const platform = parseWith(z.enum(['wecom', 'dingtalk']), ctx.params.platform, 'invalid_platform') as Platform;
    const creds = parseWith(channelBodies[platform], await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    if (!(await getTenant(db, tenantId))) throw notFound('tenant');
    await db.transaction((tx) => setChannelCredentials(tx, tenantId, platform, deps.box.sealJson(creds), auth.principal(ctx).actor));
    await deps.onChannelChange(tenantId);
    ctx.body = { tenantId, platform, configured: true };
  });

  return r;
}
