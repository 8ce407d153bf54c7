import Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { apiKeyScopes } from '../db/schema.js';
import { notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth } from '../auth/guard.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../crm/api-keys.repo.js';
import { queryAudit } from '../crm/audit.repo.js';
import { fieldAccessSchema, getFieldAccess, putFieldAccess } from '../crm/settings.js';

export interface AccessRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
}

function keyView(k: ApiKey) {
  return {
    id: k.id, name: k.name, scope: k.scope, prefix: `kelu_${k.prefix}_…`, createdBy: k.createdBy, createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

const newKeyBody = z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(apiKeyScopes) }).strict();

const isoTime = z.string().datetime({ offset: true }).transform((s) => new Date(s));
const auditQuery = z.object({
  actor: z.string().trim().min(1).max(100).optional(),
  entity: z.string().trim().min(1).max(50).optional(),
  entityId: z.string().trim().min(1).max(200).optional(),
  action: z.string().trim().regex(/^[a-z_.]+\*?$/, 'an action (user.create) or a prefix (user.*)').max(100).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  cursor: z.string().min(1).max(30).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

/** Tenant API keys, the audit log, field permissions and "who am I". */
export function accessRouter(deps: AccessRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;
  const admin = auth.guard('admin');

  r.post('/keys', admin, async (ctx) => {
    const body = parseWith(newKeyBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = auth.principal(ctx);
    const { key, row } = await db.transaction((tx) => createApiKey(tx, tenantId, body, actor));
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...keyView(row), key };
  });

  r.get('/keys', admin, async (ctx) => {
    ctx.body = { items: (await listApiKeys(db, auth.principal(ctx).tenantId)).map(keyView), nextCursor: null };
  });

  r.delete('/keys/:id', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const { tenantId, actor } = auth.principal(ctx);
    if (!(await db.transaction((tx) => revokeApiKey(tx, tenantId, id, actor)))) throw notFound('key');
    ctx.status = 204;
  });

  r.get('/audit', admin, async (ctx) => {
    const q = parseWith(auditQuery, ctx.query);
    const page = await queryAudit(db, auth.principal(ctx).tenantId, { actor: q.actor, entityType: q.entity, entityId: q.entityId, action: q.action, since: q.since, until: q.until }, q);
    ctx.body = {
      items: page.items.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: a.actor, action: a.action, entity: a.entityType, entityId: a.entityId, before: a.before, after: a.after })),
      nextCursor: page.nextCursor,
    };
  });

  r.get('/settings/fields', admin, async (ctx) => {
    ctx.body = await getFieldAccess(db, auth.principal(ctx).tenantId);
  });

  r.put('/settings/fields', admin, async (ctx) => {
    const s = parseWith(fieldAccessSchema, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_settings');
    const { tenantId, actor } = auth.principal(ctx);
    await db.transaction((tx) => putFieldAccess(tx, tenantId, s, actor));
    ctx.body = s;
  });

  r.get('/me', auth.guard('read'), async (ctx) => {
    const p = auth.principal(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      tenantId: p.tenantId,
      via: p.via,
      grant: p.grant,
      user: p.user ? { id: p.user.id, name: p.user.name, role: p.user.role, region: p.user.region } : null,
      ...(p.csrf ? { csrf: p.csrf } : {}),
    };
  });

  return r;
}
