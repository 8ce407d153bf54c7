import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Context, Next } from 'koa';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import { badRequest, notFound, unauthorized } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth, Principal } from '../auth/guard.js';
import { safeEqual } from '../auth/secrets.js';
import { limitByAddress, tooManyRequests, type RateLimit, type RateLimiter } from '../auth/rate-limit.js';
import { leadView, leadVisibleTo } from './admin.routes.js';
import { tenants } from '../db/schema.js';
import { getLead } from '../crm/leads.repo.js';
import { assignmentSettingsSchema, getAssignmentSettings, putAssignmentSettings } from '../crm/settings.js';
import { getUser } from '../crm/users.repo.js';
import { captureMessage } from '../bot/leads.flow.js';
import type { FlowDeps } from '../bot/flow.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { recordAudit } from '../crm/audit.repo.js';
import { attributionOf, joinVisitor } from '../crm/tracking/tracking.service.js';
import { VISITOR_ID } from '../crm/tracking/tracking.types.js';

export interface LeadsRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  limiter: RateLimiter;
  /** Lead intake: per key (form key or API key) and per address. */
  intakeLimits: { perKey: RateLimit; perAddress: RateLimit };
  flow: FlowDeps;
  logger: Logger;
  afterCommit: () => void;
}

const utmSchema = z.object({
  source: z.string().max(200).optional(),
  medium: z.string().max(200).optional(),
  campaign: z.string().max(200).optional(),
  term: z.string().max(200).optional(),
  content: z.string().max(200).optional(),
}).strict();

const newLeadBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  phone: z.string().trim().min(5).max(40).optional(),
  email: z.string().trim().email().max(200).optional(),
  wechatId: z.string().trim().min(1).max(100).optional(),
  company: z.string().trim().min(1).max(200).optional(),
  region: z.string().trim().min(1).max(50).optional(),
  text: z.string().max(20_000).optional(),
  sourceChannel: z.string().trim().min(1).max(50).optional(),
  utm: utmSchema.optional(),
  /** The landing-page script's visitor id: its behaviour events join this lead's customer. */
  visitorId: z.string().regex(VISITOR_ID, 'a visitor id is 16-40 characters of [A-Za-z0-9_-]').optional(),
}).strict().refine((b) => b.name || b.phone || b.email || b.wechatId || b.text, { message: 'give at least one of name, phone, email, wechatId, text' });

/** The tenant's form key (web forms, ad platforms), or a bearer key or session with the forms scope. */
function formKeyOrForms(deps: LeadsRouteDeps) {
  const forms = deps.auth.guard('forms');
  return async (ctx: Context, next: Next) => {
    const key = ctx.get('x-kelu-form-key');
    if (!key) return forms(ctx, next);
    if (key.length < 16 || key.length > 128) throw unauthorized('invalid form key');
    const [t] = await deps.database.db.select({ tenantId: tenants.tenantId, formKey: tenants.formKey }).from(tenants).where(eq(tenants.formKey, key));
    if (!t || !t.formKey || !safeEqual(t.formKey, key)) throw unauthorized('invalid form key');
    ctx.state.principal = { tenantId: t.tenantId, actor: 'form', via: 'form-key', grant: 'forms' } satisfies Principal;
    return next();
  };
}

export function leadsRouter(deps: LeadsRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const state = (ctx: Context) => deps.auth.principal(ctx);
  const admin = deps.auth.guard('admin');
  const perKey = async (ctx: Context, next: Next) => {
    const p = state(ctx);
    const wait = deps.limiter.hit(`intake:${p.keyId ?? (p.via === 'form-key' ? `form:${p.tenantId}` : p.actor)}`, deps.intakeLimits.perKey);
    if (wait !== null) throw tooManyRequests(ctx, wait);
    await next();
  };

  r.post('/leads', limitByAddress(deps.limiter, 'intake', deps.intakeLimits.perAddress), formKeyOrForms(deps), perKey, async (ctx) => {
    const body = parseWith(newLeadBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const idem = ctx.get('idempotency-key');
    if (idem && !/^[\w.:-]{8,128}$/.test(idem)) throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 8-128 characters of [A-Za-z0-9_.:-]');
    const utm = Object.fromEntries(Object.entries(body.utm ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const out = await db.transaction(async (tx) => {
      // A visitor who came through a tracked link: the lead's source and campaign are that link's, unless the form says.
      const via = body.visitorId ? await attributionOf(tx, tenantId, body.visitorId) : null;
      if (via && !utm.campaign) utm.campaign = via.campaign;
      if (via && !utm.source && !body.sourceChannel) utm.source = via.channel;
      const o = await captureMessage(tx, deps.flow, {
        tenantId,
        text: body.text ?? '',
        ref: deps.flow.now(),
        owner: null,
        sourceChannel: body.sourceChannel ?? utm.source ?? null,
        sourceEventId: idem || null,
        platform: idem ? 'api' : null,
        platformMessageId: idem || null,
        given: { name: body.name, phone: body.phone, email: body.email, wechatId: body.wechatId, company: body.company, region: body.region },
        utm,
        actor,
      });
      if (!o.result) throw badRequest('nothing_to_capture', 'no name, phone, email, WeChat id or product could be found');
      if (body.visitorId) await joinVisitor(tx, tenantId, body.visitorId, o.result.customer.id, actor, deps.flow.now());
      let i = 0;
      const batch = randomBytes(6).toString("hex");
      for (const m of o.messages) await enqueueOutbound(tx, m, `api:${o.result.lead.id}:${batch}:${i++}`);
      return o;
    });
    deps.afterCommit();
    const r0 = out.result!;
    ctx.status = r0.leadCreated ? 201 : 200;
    ctx.body = { customerId: r0.customer.id, leadId: r0.lead.id, assigneeId: out.assigneeId ?? r0.lead.assigneeId, created: r0.leadCreated, duplicate: r0.duplicate };
  });

  r.get('/leads/:id', deps.auth.guard('read'), async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const lead = await getLead(db, state(ctx).tenantId, id);
    if (!lead || !(await leadVisibleTo(db, state(ctx), lead))) throw notFound('lead');
    const assignee = lead.assigneeId ? await getUser(db, state(ctx).tenantId, lead.assigneeId) : null;
    ctx.body = { ...leadView(lead), assignee: assignee ? { id: assignee.id, name: assignee.name } : null };
  });

  r.get('/settings/assignment', admin, async (ctx) => {
    ctx.body = await getAssignmentSettings(db, state(ctx).tenantId);
  });

  r.put('/settings/assignment', admin, async (ctx) => {
    const settings = parseWith(assignmentSettingsSchema, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_settings');
    const { tenantId, actor } = state(ctx);
    const ids = new Set<string>();
    for (const rule of settings.rules) {
      if ('pool' in rule.target) rule.target.pool.forEach((x) => ids.add(x));
      if ('rep' in rule.target) ids.add(rule.target.rep);
    }
    for (const id of ids) {
      if (!(await getUser(db, tenantId, id))) throw badRequest('invalid_settings', `rules name user ${id}, who is not in this tenant`);
    }
    await db.transaction((tx) => putAssignmentSettings(tx, tenantId, settings, actor));
    deps.flow.tenantInfo.invalidate(tenantId);
    ctx.body = settings;
  });

  r.post('/settings/form-key', admin, async (ctx) => {
    const { tenantId, actor } = state(ctx);
    const formKey = `fk_${randomBytes(24).toString('base64url')}`;
    await db.transaction(async (tx) => {
      await tx.update(tenants).set({ formKey, updatedAt: new Date() }).where(eq(tenants.tenantId, tenantId));
      await recordAudit(tx, tenantId, { actor, action: 'tenant.form_key.rotate', entityType: 'tenant', entityId: tenantId });
    });
    ctx.status = 201;
    ctx.body = { formKey };
  });

  return r;
}
