import { and, desc, eq, gte } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { insightAlerts, users } from '../../db/schema.js';
import { addDays, localDay, period, type Period } from './period.js';
import type { Scope } from './scope.js';
import { getInsightSettings, type InsightSettings } from './settings.js';
import { healthMetrics } from './metrics.service.js';
import { funnel, heatmaps } from './funnel.service.js';
import { getTenant } from '../tenants.repo.js';
import { leadsAtRisk } from './report.repo.js';

/** The period asked for, or the 30 local days ending today. */
export function periodOf(q: { from?: string; to?: string }, timeZone: string, now: Date): Period {
  const to = q.to ?? localDay(now, timeZone);
  return period(q.from ?? addDays(to, -29), to, timeZone);
}

export async function timeZoneOf(tx: Tx, tenantId: string): Promise<string> {
  return (await getTenant(tx, tenantId))?.timeZone ?? 'Asia/Shanghai';
}

export async function userNames(tx: Tx, tenantId: string): Promise<Map<string, string>> {
  const r = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.tenantId, tenantId));
  return new Map(r.map((u) => [u.id, u.name]));
}

export async function recentAlerts(tx: Tx, tenantId: string, since: string) {
  return tx.select().from(insightAlerts).where(and(eq(insightAlerts.tenantId, tenantId), gte(insightAlerts.day, since))).orderBy(desc(insightAlerts.day), insightAlerts.metric).limit(200);
}

/** Everything the dashboard shows, as the API answers it. */
export async function dashboardData(tx: Tx, tenantId: string, p: Period, sc: Scope, now: Date, s?: InsightSettings) {
  const settings = s ?? (await getInsightSettings(tx, tenantId));
  const names = await userNames(tx, tenantId);
  return {
    period: { from: p.from, to: p.to, timeZone: p.timeZone },
    scope: { kind: sc.kind, key: sc.key, label: sc.kind === 'rep' ? names.get(sc.key!) ?? sc.key : sc.key },
    generatedAt: now.toISOString(),
    metrics: await healthMetrics(tx, tenantId, p, sc, settings, now),
    funnel: await funnel(tx, tenantId, p, sc, settings),
    heatmaps: await heatmaps(tx, tenantId, p, sc, settings, names),
    /** As of now, whatever the period: open leads unanswered or silent. */
    atRisk: (await leadsAtRisk(tx, tenantId, sc, settings.responseMinutes, now, 20)).map((l) => ({ ...l, assignee: l.assigneeId ? names.get(l.assigneeId) ?? null : null })),
  };
}
