import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import { transformSync } from 'esbuild';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import { badRequest, notFound } from '../lib/errors.js';
import { readJsonBody, readRawBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth } from '../auth/guard.js';
import { limitByAddress, tooManyRequests, type RateLimit, type RateLimiter } from '../auth/rate-limit.js';
import { viewFile } from '../admin/render.js';
import { getCustomer } from '../crm/customers.repo.js';
import { recordAudit } from '../crm/audit.repo.js';
import { creditsOf, eventsOf, getTrackingSettings, insertLink, linkByCode, listLinks, putPoints, rotatePublicKey, touchpointsOf } from '../crm/tracking/tracking.repo.js';
import { click, isBehaviour, landingUrlOf, reportEvent } from '../crm/tracking/tracking.service.js';
import { BEHAVIOUR_LABELS, BEHAVIOURS, LINK_CODE, VISITOR_ID } from '../crm/tracking/tracking.types.js';

export interface TrackingLimits {
  clicksPerAddress: RateLimit;
  eventsPerAddress: RateLimit;
  eventsPerKey: RateLimit;
}

export const DEFAULT_TRACKING_LIMITS: TrackingLimits = {
  clicksPerAddress: { limit: 30, windowSeconds: 60 },
  eventsPerAddress: { limit: 60, windowSeconds: 60 },
  eventsPerKey: { limit: 6000, windowSeconds: 60 },
};

export interface TrackingRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  limiter: RateLimiter;
  limits?: Partial<TrackingLimits>;
  publicUrl?: string | null;
  now: () => Date;
}

const EVENT_BODY_LIMIT = 1024;
const eventBody = z.object({
  k: z.string().min(8).max(64),
  v: z.string().regex(VISITOR_ID),
  e: z.string().max(20),
  id: z.string().min(1).max(64).optional(),
}).strict();

const linkBody = z.object({
  campaign: z.string().trim().min(1).max(100),
  channel: z.string().trim().min(1).max(50),
  landingUrl: z.string().trim().max(2000).url().refine((u) => /^https?:\/\//i.test(u), 'the landing page must be an http(s) URL'),
  medium: z.string().trim().min(1).max(50).optional(),
  content: z.string().trim().min(1).max(100).optional(),
}).strict();

const pointsBody = z.object({ points: z.object(Object.fromEntries(BEHAVIOURS.map((b) => [b, z.number().min(0).max(1000)])) as Record<(typeof BEHAVIOURS)[number], z.ZodNumber>).strict() }).strict();

let script: string | null = null;
/** The landing-page script, minified once per process (views/t.js is the readable source). */
export function trackingScript(): string {
  script ??= transformSync(viewFile('t.js'), { minify: true, target: 'es2017', loader: 'js' }).code;
  return script;
}

/** Tracked links (/l/<code>), the landing-page script (/t.js) and its events (/t/e), and their admin API. */
export function trackingRouter(deps: TrackingRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const { auth } = deps;
  const limits = { ...DEFAULT_TRACKING_LIMITS, ...(deps.limits ?? {}) };
  const admin = auth.guard('admin');
  const state = (ctx: Context) => auth.principal(ctx);

  r.get('/l/:code', limitByAddress(deps.limiter, 'click', limits.clicksPerAddress), async (ctx) => {
    const code = String(ctx.params.code);
    const link = LINK_CODE.test(code) ? await linkByCode(db, code) : null;
    if (!link) throw notFound('link');
    // First-party on Kelu's host too: the same browser clicking again is the same visitor.
    const known = ctx.cookies.get('kelu_rv');
    const visitorId = known && VISITOR_ID.test(known) ? known : randomBytes(16).toString('base64url');
    await db.transaction((tx) => click(tx, link, visitorId, ctx.get('referer') || undefined, deps.now()));
    ctx.cookies.set('kelu_rv', visitorId, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, maxAge: 365 * 86_400_000, overwrite: true });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.redirect(landingUrlOf(link, visitorId));
  });

  r.get('/t.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = trackingScript();
  });

  r.options('/t/e', (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Methods', 'POST');
    ctx.set('Access-Control-Allow-Headers', 'content-type');
    ctx.set('Access-Control-Max-Age', '86400');
    ctx.status = 204;
  });

  // sendBeacon posts text/plain (no preflight); the body is JSON whatever its type says.
  r.post('/t/e', limitByAddress(deps.limiter, 'event', limits.eventsPerAddress), async (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    const raw = await readRawBody(ctx, EVENT_BODY_LIMIT);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw badRequest('malformed_json', 'body is not valid JSON');
    }
    const b = parseWith(eventBody, parsed, 'invalid_event');
    if (!isBehaviour(b.e)) throw badRequest('unknown_behaviour', `behaviour must be one of ${BEHAVIOURS.join(', ')}`);
    const wait = deps.limiter.hit(`event:key:${b.k}`, limits.eventsPerKey);
    if (wait !== null) throw tooManyRequests(ctx, wait);
    const kind = b.e;
    const out = await db.transaction((tx) => reportEvent(tx, { publicKey: b.k, visitorId: b.v, kind, eventKey: b.id ?? kind, at: deps.now() }));
    if (!out.stored && out.reason === 'unknown_key') throw badRequest('unknown_key', 'no tenant has this public key');
    ctx.status = out.stored ? 201 : 200;
    ctx.body = { stored: out.stored, ...(out.stored ? { points: out.points } : {}) };
  });

  const base = (ctx: Context) => (deps.publicUrl || `${ctx.protocol}://${ctx.host}`).replace(/\/$/, '');
  const linkView = (ctx: Context, l: Awaited<ReturnType<typeof listLinks>>[number] | Awaited<ReturnType<typeof insertLink>>) => ({
    id: l.id, code: l.code, url: `${base(ctx)}/l/${l.code}`, campaign: l.campaign, channel: l.channel, landingUrl: l.landingUrl, utm: l.utm, createdAt: l.createdAt,
    ...('clicks' in l ? { clicks: l.clicks, visitors: l.visitors, customers: l.customers, points: l.points } : {}),
  });

  r.get('/api/v1/tracking/links', admin, async (ctx) => {
    ctx.body = { items: (await listLinks(db, state(ctx).tenantId)).map((l) => linkView(ctx, l)), nextCursor: null };
  });

  r.post('/api/v1/tracking/links', admin, async (ctx) => {
    const b = parseWith(linkBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId, actor } = state(ctx);
    const link = await db.transaction(async (tx) => {
      const l = await insertLink(tx, tenantId, { campaign: b.campaign, channel: b.channel, landingUrl: b.landingUrl, utm: { ...(b.medium ? { medium: b.medium } : {}), ...(b.content ? { content: b.content } : {}) } }, actor);
      await recordAudit(tx, tenantId, { actor, action: 'tracking.link.create', entityType: 'tenant', entityId: tenantId, after: { code: l.code, campaign: l.campaign, channel: l.channel } });
      return l;
    });
    ctx.status = 201;
    ctx.body = linkView(ctx, link);
  });

  const settingsView = (ctx: Context, s: Awaited<ReturnType<typeof getTrackingSettings>>) => ({
    publicKey: s.publicKey,
    points: s.points,
    labels: BEHAVIOUR_LABELS,
    snippet: `<script src="${base(ctx)}/t.js" data-key="${s.publicKey}" async></script>`,
  });

  r.get('/api/v1/settings/tracking', admin, async (ctx) => {
    ctx.body = settingsView(ctx, await db.transaction((tx) => getTrackingSettings(tx, state(ctx).tenantId)));
  });

  r.put('/api/v1/settings/tracking', admin, async (ctx) => {
    const b = parseWith(pointsBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_settings');
    const { tenantId, actor } = state(ctx);
    const s = await db.transaction(async (tx) => {
      const before = await getTrackingSettings(tx, tenantId);
      await putPoints(tx, tenantId, b.points);
      await recordAudit(tx, tenantId, { actor, action: 'tenant.settings.tracking', entityType: 'tenant', entityId: tenantId, before: before.points, after: b.points });
      return getTrackingSettings(tx, tenantId);
    });
    ctx.body = settingsView(ctx, s);
  });

  r.post('/api/v1/settings/tracking/key', admin, async (ctx) => {
    const { tenantId, actor } = state(ctx);
    const s = await db.transaction(async (tx) => {
      await rotatePublicKey(tx, tenantId);
      await recordAudit(tx, tenantId, { actor, action: 'tracking.key.rotate', entityType: 'tenant', entityId: tenantId });
      return getTrackingSettings(tx, tenantId);
    });
    ctx.status = 201;
    ctx.body = settingsView(ctx, s);
  });

  // A customer's behaviour: score, events, touchpoints and (when won) the credit split.
  r.get('/api/v1/customers/:id/touchpoints', admin, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const { tenantId } = state(ctx);
    const c = await getCustomer(db, tenantId, id);
    if (!c) throw notFound('customer');
    ctx.body = { customerId: id, score: c.score, events: await eventsOf(db, tenantId, id), touchpoints: await touchpointsOf(db, tenantId, id), credits: await creditsOf(db, tenantId, id) };
  });

  return r;
}
