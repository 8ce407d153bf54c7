import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';
import type { Logger } from '../lib/logger.js';
import { AppError, badRequest, notFound } from '../lib/errors.js';
import { readJsonBody, readRawBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth } from '../auth/guard.js';
import { limitByAddress, type RateLimit, type RateLimiter } from '../auth/rate-limit.js';
import type { FlowDeps } from '../bot/flow.js';
import { captureMessage } from '../bot/leads.flow.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { getSource, listSources, openNotices, recentDeliveries, sourceBySlug } from '../crm/intake/intake.repo.js';
import { changeMapping, createSource, receivePush, teach, type LeadCapture, type UnknownFieldsNotice } from '../crm/intake/intake.service.js';
import { listUsers } from '../crm/users.repo.js';
import { compact, toUser } from '../bot/flow.js';
import { verifyPush } from '../crm/intake/intake.signature.js';
import { PRESETS } from '../crm/intake/intake.presets.js';
import { sourceMapping, TARGET_FIELDS } from '../crm/intake/intake.types.js';

export interface IntakeRouteDeps {
  database: Database;
  auth: Auth;
  box: SecretBox;
  bodyLimitBytes: number;
  limiter: RateLimiter;
  pushesPerAddress?: RateLimit;
  flow: FlowDeps;
  logger: Logger;
  publicUrl?: string | null;
  afterCommit: () => void;
}

const slugRe = /^[a-z0-9][a-z0-9_-]{1,62}$/;
const newSource = z.object({ name: z.string().trim().min(1).max(100), preset: z.string().min(1).max(30), slug: z.string().regex(slugRe).optional() }).strict();
const teachBody = z.object({ field: z.string().trim().min(1).max(100), as: z.enum([...TARGET_FIELDS, 'known']) }).strict();

/** JSON lead webhooks by per-source mapping (/intake/<tenant>/<source>) and their admin API. */
export function intakeRouter(deps: IntakeRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const admin = deps.auth.guard('admin');
  const state = (ctx: Context) => deps.auth.principal(ctx);
  const hookUrl = (ctx: Context, tenantId: string, slug: string) => `${(deps.publicUrl || `${ctx.protocol}://${ctx.host}`).replace(/\/$/, '')}/intake/${tenantId}/${slug}`;

  // The chat capture path: extraction, identity resolution, lead, routing; its messages go out through the outbox.
  const capture: LeadCapture = async (tx, l) => {
    const o = await captureMessage(tx, deps.flow, {
      tenantId: l.tenantId, text: l.text, ref: deps.flow.now(), owner: null, sourceChannel: l.sourceChannel,
      sourceEventId: `intake:${l.eventId}`, platform: 'intake', platformMessageId: l.eventId,
      given: { name: l.given.name, phone: l.given.phone, email: l.given.email, wechatId: l.given.wechatId, company: l.given.company, region: l.given.region },
      utm: { source: l.sourceChannel, ...(l.campaign ? { campaign: l.campaign } : {}) }, actor: l.actor,
    });
    if (!o.result) return null;
    let i = 0;
    for (const m of o.messages) await enqueueOutbound(tx, m, `intake:${l.eventId}:${i++}`);
    return { customerId: o.result.customer.id, leadId: o.result.lead.id };
  };

  // The admins hear of a new field in chat once (the notice list and the audit log keep it), never a rejection.
  const notify: UnknownFieldsNotice = async (tx, source, fields) => {
    const admins = (await listUsers(tx, source.tenantId, { role: 'admin' }, { limit: 50 })).items.filter((u) => u.active);
    const text = `线索来源「${source.name}」推送了映射不认识的字段：${fields.join('、')}。线索都已收下（原始数据保留），请在 管理后台 → 推广 → 线索来源 里选择它们的含义。`;
    const messages = compact(admins.map((u) => toUser(deps.flow, source.tenantId, u, { kind: 'markdown', title: '线索来源有新字段', text })));
    let i = 0;
    for (const m of messages) await enqueueOutbound(tx, m, `intake-notice:${source.id}:${fields.join(',')}:${i++}`);
  };

  r.post('/intake/:tenantId/:slug', limitByAddress(deps.limiter, 'intake-push', deps.pushesPerAddress ?? { limit: 600, windowSeconds: 60 }), async (ctx) => {
    const { tenantId, slug } = ctx.params as { tenantId: string; slug: string };
    const source = slugRe.test(tenantId) && slugRe.test(slug) ? await sourceBySlug(db, tenantId, slug) : null;
    if (!source || !source.active) throw notFound('source');
    // Verify first, on the raw body, before anything reads it.
    const raw = await readRawBody(ctx, deps.bodyLimitBytes);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw badRequest('malformed_json', 'body is not valid JSON');
    }
    const verdict = verifyPush(source.mapping.signature, raw, body, (h) => ctx.get(h), deps.box.openJson<Record<string, string>>(source.secrets), deps.flow.now());
    if (!verdict.ok) throw new AppError(verdict.code, 'the push is not signed by this source', 401);
    const out = await receivePush(deps.database, source, body, capture, deps.flow.now, notify);
    if (out.captured || out.unknownFields.length) deps.afterCommit();
    if (out.unknownFields.length) ctx.state.log?.info?.({ source: source.slug, unknown: out.unknownFields }, 'intake push has fields the mapping does not know');
    // The platforms read a 200 with code 0 as "received"; the counts are for people reading logs and tests.
    ctx.body = { code: 0, message: 'success', ...out };
  });

  r.get('/api/v1/intake/presets', admin, (ctx) => {
    ctx.body = { items: Object.values(PRESETS).map((p) => ({ key: p.key, label: p.label, secrets: p.secrets, notes: p.notes, mapping: p.mapping })) };
  });

  const view = (ctx: Context, s: Awaited<ReturnType<typeof listSources>>[number] | NonNullable<Awaited<ReturnType<typeof getSource>>>) => ({
    id: s.id, slug: s.slug, name: s.name, preset: s.preset, presetLabel: PRESETS[s.preset]?.label ?? s.preset, url: hookUrl(ctx, s.tenantId, s.slug), mapping: s.mapping, active: s.active, createdAt: s.createdAt,
    ...('captured' in s ? { captured: s.captured, uncaptured: s.uncaptured, notices: s.notices } : {}),
  });

  r.get('/api/v1/intake/sources', admin, async (ctx) => {
    ctx.body = { items: (await listSources(db, state(ctx).tenantId)).map((s) => view(ctx, s)), nextCursor: null };
  });

  r.post('/api/v1/intake/sources', admin, async (ctx) => {
    const b = parseWith(newSource, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const { source, secrets } = await db.transaction((tx) => createSource(tx, deps.box, tenantId, b, actor));
    ctx.status = 201;
    // The secrets are shown this once (to paste into the source's console); only their sealed form is kept.
    ctx.body = { ...view(ctx, source), secrets };
  });

  const sourceOf = async (ctx: Context) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const s = await getSource(db, state(ctx).tenantId, id);
    if (!s) throw notFound('source');
    return s;
  };

  r.get('/api/v1/intake/sources/:id', admin, async (ctx) => {
    const s = await sourceOf(ctx);
    ctx.body = { ...view(ctx, s), deliveries: await recentDeliveries(db, s.tenantId, s.id) };
  });

  r.put('/api/v1/intake/sources/:id/mapping', admin, async (ctx) => {
    const s = await sourceOf(ctx);
    const mapping = parseWith(sourceMapping, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_mapping');
    await db.transaction((tx) => changeMapping(tx, s, mapping, state(ctx).actor, deps.flow.now()));
    ctx.body = view(ctx, { ...s, mapping });
  });

  // One click from a notice: the mapping learns the field (as one of ours, or as known and kept raw).
  r.post('/api/v1/intake/sources/:id/fields', admin, async (ctx) => {
    const s = await sourceOf(ctx);
    const b = parseWith(teachBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const mapping = parseWith(sourceMapping, teach(s.mapping, b.field, b.as), 'invalid_mapping');
    await db.transaction((tx) => changeMapping(tx, s, mapping, state(ctx).actor, deps.flow.now()));
    ctx.body = view(ctx, { ...s, mapping });
  });

  r.get('/api/v1/intake/notices', admin, async (ctx) => {
    ctx.body = { items: await openNotices(db, state(ctx).tenantId) };
  });

  return r;
}
