import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import type { Scope } from './scope.js';
import type { InsightSettings } from './settings.js';
import { collaborationCounts, completenessCounts, responseCounts, survivalCounts } from './metrics.repo.js';
import { definitions, minutes, pct, type MetricKey } from './definitions.js';

export interface Metric {
  key: MetricKey;
  label: string;
  definition: string;
  /** A share (0-1) or, for collaboration, roles per customer-month; null when nothing was counted. */
  value: number | null;
  display: string;
  threshold: number;
  thresholdDisplay: string;
  /** Below its threshold. */
  broken: boolean;
  numerator: number;
  denominator: number;
  details: Record<string, number | string | null>;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function metric(key: MetricKey, s: InsightSettings, value: number | null, n: number, d: number, details: Metric['details'], fmt = pct): Metric {
  const def = definitions(s)[key];
  const threshold = s.thresholds[key];
  return {
    key, label: def.label, definition: def.definition, value, display: fmt(value), threshold, thresholdDisplay: fmt(threshold),
    broken: value !== null && value < threshold, numerator: n, denominator: d, details,
  };
}

export async function responseRate(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings, now: Date): Promise<Metric> {
  const r = await responseCounts(tx, tenantId, p, sc, s.responseMinutes, now);
  return metric('responseRate', s, ratio(r.within, r.total), r.within, r.total, {
    responded: r.responded, medianSeconds: r.p50Seconds, p90Seconds: r.p90Seconds, median: minutes(r.p50Seconds), p90: minutes(r.p90Seconds),
    withinMinutes: s.responseMinutes,
  });
}

export async function completeness(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings): Promise<Metric> {
  const c = await completenessCounts(tx, tenantId, p, sc);
  return metric('completeness', s, ratio(c.complete, c.total), c.complete, c.total, { withPhone: c.phone, withCompany: c.company, withNeed: c.need });
}

export async function collaboration(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings): Promise<Metric> {
  const c = await collaborationCounts(tx, tenantId, p, sc);
  const v = c.customerMonths === 0 ? null : Math.round((c.roleSum / c.customerMonths) * 100) / 100;
  return metric('collaboration', s, v, c.roleSum, c.customerMonths, {}, (x) => (x === null ? '—' : x.toFixed(2)));
}

export async function survival(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings, now: Date): Promise<Metric> {
  const c = await survivalCounts(tx, tenantId, p, sc, now);
  return metric('survival', s, ratio(c.alive, c.total), c.alive, c.total, { lost: c.lost, silent: c.silent });
}

export async function healthMetrics(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings, now: Date): Promise<Record<MetricKey, Metric>> {
  return {
    responseRate: await responseRate(tx, tenantId, p, sc, s, now),
    completeness: await completeness(tx, tenantId, p, sc, s),
    collaboration: await collaboration(tx, tenantId, p, sc, s),
    survival: await survival(tx, tenantId, p, sc, s, now),
  };
}
