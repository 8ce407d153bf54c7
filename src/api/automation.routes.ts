import Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { forbidden, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth } from '../auth/guard.js';
import { automationSettingsSchema, getAutomation, putAutomation } from '../crm/insight/settings.js';
import { scheduleInsight } from '../crm/insight/schedule.js';
import { managersOnly } from './insight.routes.js';
import { canSeeCustomer, visibilityOf } from '../crm/visibility.js';
import { addInteraction } from '../crm/interactions.repo.js';
import { recordAudit } from '../crm/audit.repo.js';
import { randomUUID } from 'node:crypto';

export interface AutomationRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  now: () => Date;
}

const satisfactionBody = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() }).strict();

/** SOP rules as data (validated, off until switched on), and satisfaction scores that one of them reads. */
export function automationRouter(deps: AutomationRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;

  r.get('/settings/automation', auth.guard('read'), async (ctx) => {
    const p = auth.principal(ctx);
    managersOnly(p);
    ctx.body = await getAutomation(db, p.tenantId);
  });

  r.put('/settings/automation', auth.guard('admin'), async (ctx) => {
    const next = parseWith(automationSettingsSchema, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_rules');
    const { tenantId, actor } = auth.principal(ctx);
    const now = deps.now();
    ctx.body = await db.transaction(async (tx) => {
      const stored = await putAutomation(tx, tenantId, next, actor, now);
      await scheduleInsight(tx, tenantId, now);
      return stored;
    });
  });

  r.post('/customers/:id/satisfaction', auth.guard('read'), async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const body = parseWith(satisfactionBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const p = auth.principal(ctx);
    if (p.via === 'key' && p.grant === 'read') throw forbidden('a read-only key cannot record scores');
    if (!(await canSeeCustomer(db, p.tenantId, await visibilityOf(db, p.tenantId, p.user), id))) throw notFound('customer');
    const row = await db.transaction(async (tx) => {
      const { row: i } = await addInteraction(tx, p.tenantId, {
        customerId: id, channel: 'satisfaction', direction: 'note', authorId: p.user?.id ?? null, text: body.comment ?? '',
        platform: 'api', platformMessageId: `satisfaction:${randomUUID()}`, occurredAt: deps.now(), entities: { score: body.score },
      });
      await recordAudit(tx, p.tenantId, { actor: p.actor, action: 'customer.satisfaction', entityType: 'customer', entityId: id, after: { score: body.score } });
      return i;
    });
    ctx.status = 201;
    ctx.body = { id: row.id, score: body.score, occurredAt: row.occurredAt.toISOString() };
  });

  return r;
}
