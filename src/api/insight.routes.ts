import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Database } from '../db/database.js';
import { badRequest, forbidden } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import type { Auth, Principal } from '../auth/guard.js';
import { visibilityOf } from '../crm/visibility.js';
import { daysBetween, isDay } from '../crm/insight/period.js';
import { resolveScope } from '../crm/insight/scope.js';
import { getInsightSettings, insightSettingsSchema, putInsightSettings } from '../crm/insight/settings.js';
import { dashboardData, periodOf, recentAlerts, timeZoneOf } from '../crm/insight/report.data.js';
import { putSpend } from '../crm/insight/funnel.repo.js';
import { exportTable, EXPORT_TABLES } from './insight.export.js';
import { addDays } from '../crm/insight/period.js';

export interface InsightRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  now: () => Date;
  /** Settings changed: timers that depend on them are (re)scheduled. */
  onSettingsChange?: (tenantId: string) => Promise<void>;
}

const day = z.string().refine(isDay, 'must be a date YYYY-MM-DD');
const query = z.object({ from: day.optional(), to: day.optional(), team: z.string().trim().min(1).max(50).optional(), rep: uuidParam.optional() }).strict();

const spendBody = z.object({
  entries: z.array(z.object({
    day, source: z.string().trim().min(1).max(50), campaign: z.string().trim().max(200).default(''), amount: z.number().min(0).max(1e11),
  }).strict()).min(1).max(1000),
}).strict();

/** Managers and admins (and tenant keys); reps have their own pages. */
export function managersOnly(p: Principal): void {
  if (p.user && p.user.role === 'rep') throw forbidden('the dashboard is for managers and admins');
}

export function insightRouter(deps: InsightRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const admin = auth.guard('admin');

  /** Who asks, the period and the scope, checked. */
  async function ask(ctx: Context, extra: z.ZodRawShape = {}) {
    const p = auth.principal(ctx);
    managersOnly(p);
    const q = parseWith(query.extend(extra), ctx.query) as z.infer<typeof query>;
    const timeZone = await timeZoneOf(db, p.tenantId);
    const per = periodOf(q, timeZone, deps.now());
    if (per.from > per.to) throw badRequest('invalid_period', 'from is after to');
    if (daysBetween(per.from, per.to) > 366) throw badRequest('invalid_period', 'a period is at most 367 days');
    const scope = await resolveScope(db, p.tenantId, { team: q.team, rep: q.rep }, await visibilityOf(db, p.tenantId, p.user));
    return { p, q, per, scope };
  }

  r.get('/insight/metrics', read, async (ctx) => {
    const { p, per, scope } = await ask(ctx);
    const d = await dashboardData(db, p.tenantId, per, scope, deps.now());
    ctx.body = { period: d.period, scope: d.scope, generatedAt: d.generatedAt, metrics: d.metrics };
  });

  r.get('/insight/dashboard', read, async (ctx) => {
    const { p, per, scope } = await ask(ctx);
    const d = await dashboardData(db, p.tenantId, per, scope, deps.now());
    ctx.body = { ...d, alerts: (await recentAlerts(db, p.tenantId, addDays(per.to, -30))).filter((a) => scope.kind === 'tenant' || a.scope === `team:${scope.key}`) };
  });

  r.get('/insight/alerts', read, async (ctx) => {
    const { p, per } = await ask(ctx);
    ctx.body = { items: await recentAlerts(db, p.tenantId, per.from) };
  });

  // Any table of the dashboard as CSV, with when it was made and what its numbers mean.
  r.get('/insight/export', read, async (ctx) => {
    const { p, per, scope } = await ask(ctx, { table: z.enum(EXPORT_TABLES) });
    const table = String(ctx.query.table) as (typeof EXPORT_TABLES)[number];
    const d = await dashboardData(db, p.tenantId, per, scope, deps.now());
    const alerts = table === 'alerts' ? await recentAlerts(db, p.tenantId, per.from) : [];
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="kelu-${table}-${per.from}-${per.to}.csv"`);
    ctx.body = exportTable(table, d, alerts, p.actor);
  });

  r.put('/insight/spend', admin, async (ctx) => {
    const body = parseWith(spendBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const { tenantId } = auth.principal(ctx);
    await db.transaction((tx) => putSpend(tx, tenantId, body.entries, deps.now()));
    ctx.body = { saved: body.entries.length };
  });

  r.get('/settings/insight', read, async (ctx) => {
    const p = auth.principal(ctx);
    managersOnly(p);
    ctx.body = await getInsightSettings(db, p.tenantId);
  });

  r.put('/settings/insight', admin, async (ctx) => {
    const s = parseWith(insightSettingsSchema, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_settings');
    const { tenantId, actor } = auth.principal(ctx);
    await db.transaction((tx) => putInsightSettings(tx, tenantId, s, actor));
    await deps.onSettingsChange?.(tenantId);
    ctx.body = s;
  });

  return r;
}
