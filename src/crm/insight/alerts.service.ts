import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { addDays, period } from './period.js';
import { scopeLabel, rows, type Scope } from './scope.js';
import type { InsightSettings } from './settings.js';
import { collaboration, completeness, responseRate, survival, type Metric } from './metrics.service.js';
import { SURVIVAL_DAYS } from './metrics.repo.js';
import type { MetricKey } from './definitions.js';

/**
 * The value a threshold check reads for one local day: response rate of that day's leads,
 * completeness of that day's customers, collaboration over the 30 days ending that day, and
 * survival of the leads created 7 days before (the newest whose day 7 has come).
 */
export async function dailyValue(tx: Tx, tenantId: string, key: MetricKey, day: string, tz: string, sc: Scope, s: InsightSettings, now: Date): Promise<Metric> {
  switch (key) {
    case 'responseRate': return responseRate(tx, tenantId, period(day, day, tz), sc, s, now);
    case 'completeness': return completeness(tx, tenantId, period(day, day, tz), sc, s);
    case 'collaboration': return collaboration(tx, tenantId, period(addDays(day, -29), day, tz), sc, s);
    case 'survival': { const d = addDays(day, -SURVIVAL_DAYS); return survival(tx, tenantId, period(d, d, tz), sc, s, now); }
  }
}

export interface Alert {
  id: string;
  metric: Metric;
  scope: Scope;
  day: string;
  streak: number;
}

const KEYS: MetricKey[] = ['responseRate', 'completeness', 'collaboration', 'survival'];

/**
 * Checks `day` (yesterday, at the daily timer) for one scope: a metric below its threshold on each of
 * the last N local days (days with nothing to count break a streak) raises an alert, again every N
 * days while it lasts. Recorded once per (metric, scope, day).
 */
export async function checkThresholds(tx: Tx, tenantId: string, day: string, tz: string, sc: Scope, s: InsightSettings, now: Date): Promise<Alert[]> {
  const out: Alert[] = [];
  for (const key of KEYS) {
    let streak = 0;
    let first: Metric | null = null;
    // Look back far enough to tell streak N from 2N, bounded.
    for (let k = 0; k < Math.min(s.alertAfterDays * 4, 60); k++) {
      const m = await dailyValue(tx, tenantId, key, addDays(day, -k), tz, sc, s, now);
      if (k === 0) first = m;
      if (!m.broken) break;
      streak++;
    }
    if (!first || streak < s.alertAfterDays || streak % s.alertAfterDays !== 0) continue;
    const [row] = await rows<{ id: string }>(tx, sql`
      insert into insight_alerts (tenant_id, metric, scope, day, value, threshold, streak)
      values (${tenantId}, ${key}, ${scopeLabel(sc)}, ${day}::date, ${first.value}, ${first.threshold}, ${streak})
      on conflict (tenant_id, metric, scope, day) do nothing returning id`);
    if (row) out.push({ id: row.id, metric: first, scope: sc, day, streak });
  }
  return out;
}
