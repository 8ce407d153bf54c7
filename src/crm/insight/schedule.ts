import type { Tx } from '../../db/database.js';
import { scheduleTimer } from '../timers.repo.js';
import { listTenants } from '../tenants.repo.js';
import { getAutomation, getInsightSettings } from './settings.js';
import { localDay, mondayOf, nextLocal } from './period.js';
import { timeZoneOf } from './report.data.js';

// Durable timers of the insight features, one chain per tenant and kind. Each firing schedules the
// next one; refIds are the slot (an instant on a fixed grid, a local day, a Monday), so scheduling
// the same slot twice, from a start-up and from a firing, is one timer.
export const SWEEP_TIMER = 'insight.sweep';
export const DAILY_TIMER = 'insight.daily';
export const WEEKLY_TIMER = 'insight.weekly';
/** Threshold checks look at yesterday, early in the morning. */
export const DAILY_AT = { hour: 8, minute: 0 };
export const WEEKLY_AT = { weekday: 1, hour: 9, minute: 0 };

export async function scheduleInsight(tx: Tx, tenantId: string, now: Date): Promise<void> {
  const after = new Date(now.getTime() + 1);
  const [auto, s, tz] = [await getAutomation(tx, tenantId), await getInsightSettings(tx, tenantId), await timeZoneOf(tx, tenantId)];
  if (auto.rules.some((r) => r.enabled)) {
    const ms = auto.sweepMinutes * 60_000;
    const at = new Date(Math.floor(now.getTime() / ms) * ms + ms);
    await scheduleTimer(tx, tenantId, { kind: SWEEP_TIMER, refId: at.toISOString(), fireAt: at });
  }
  if (s.alerts) {
    const at = nextLocal(after, tz, DAILY_AT.hour, DAILY_AT.minute);
    await scheduleTimer(tx, tenantId, { kind: DAILY_TIMER, refId: localDay(at, tz), fireAt: at });
  }
  if (s.weeklyReport) {
    const at = nextLocal(after, tz, WEEKLY_AT.hour, WEEKLY_AT.minute, WEEKLY_AT.weekday);
    await scheduleTimer(tx, tenantId, { kind: WEEKLY_TIMER, refId: mondayOf(localDay(at, tz)), fireAt: at });
  }
}

/** At start-up: every tenant's chains exist (a no-op for those already pending). */
export async function scheduleAllTenants(tx: Tx, now: Date): Promise<number> {
  const all = await listTenants(tx);
  for (const t of all) await scheduleInsight(tx, t.tenantId, now);
  return all.length;
}
