import type { Tx } from '../../db/database.js';
import { addDays, period } from './period.js';
import type { Scope } from './scope.js';
import type { InsightSettings } from './settings.js';
import { collaboration, completeness, responseRate, type Metric } from './metrics.service.js';
import { leadsAtRisk, responseByRep, type RiskLead } from './report.repo.js';

export interface WeeklyReport {
  from: string;
  to: string;
  numbers: { metric: Metric; previous: Metric; delta: number | null }[];
  worstRep: { repId: string; name: string; rate: number; total: number } | null;
  atRisk: RiskLead[];
  /** Nothing happened in either week: no card is sent. */
  empty: boolean;
}

/** The three health numbers of the week before `monday` (local), against the week before that. */
export async function weeklyReport(tx: Tx, tenantId: string, sc: Scope, monday: string, tz: string, s: InsightSettings, now: Date): Promise<WeeklyReport> {
  const week = period(addDays(monday, -7), addDays(monday, -1), tz);
  const prev = period(addDays(monday, -14), addDays(monday, -8), tz);
  const pair = async (f: (p: typeof week) => Promise<Metric>) => {
    const [metric, previous] = [await f(week), await f(prev)];
    const delta = metric.value === null || previous.value === null ? null : Math.round((metric.value - previous.value) * 10_000) / 10_000;
    return { metric, previous, delta };
  };
  const numbers = [
    await pair((p) => responseRate(tx, tenantId, p, sc, s, now)),
    await pair((p) => completeness(tx, tenantId, p, sc, s)),
    await pair((p) => collaboration(tx, tenantId, p, sc, s)),
  ];
  const reps = await responseByRep(tx, tenantId, week, sc, s.responseMinutes, now);
  const worst = reps[0];
  return {
    from: week.from,
    to: week.to,
    numbers,
    worstRep: worst ? { repId: worst.repId, name: worst.name, rate: Math.round(worst.rate * 10_000) / 10_000, total: worst.total } : null,
    atRisk: await leadsAtRisk(tx, tenantId, sc, s.responseMinutes, now),
    empty: numbers.every((n) => n.metric.denominator === 0 && n.previous.denominator === 0),
  };
}
